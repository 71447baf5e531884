from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from .profilers import BaseProfiler


@register()
def check_profiler(app_configs, **kwargs):
    try:
        profiler = import_string(settings.PROFILER)
    except ImportError as exc:
        return [
            Error(f"PROFILER {settings.PROFILER!r} cannot be imported: {exc}", id="profiles.E001")
        ]
    if not (isinstance(profiler, type) and issubclass(profiler, BaseProfiler)):
        return [Error(f"PROFILER {settings.PROFILER!r} is not a BaseProfiler", id="profiles.E001")]
    return profiler.check()  # each profiler knows what it needs

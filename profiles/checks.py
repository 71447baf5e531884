from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.module_loading import import_string
from django_tasks import task_backends

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
    if profiler.name != "llm":
        return []
    problems = []
    if not settings.LLM_MODEL:
        problems.append(
            Error("PROFILER=llm needs LLM_MODEL (the model name to ask).", id="profiles.E002")
        )
    if not task_backends["default"].supports_defer:  # in-process: the request waits
        problems.append(
            Warning(
                "PROFILER=llm with in-process tasks makes each recorded interaction wait for "
                "the LLM.",
                hint="Set TASKS_BACKEND=database (or rq) and run a worker.",
                id="profiles.W001",
            )
        )
    return problems

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchemaguardConfig(AppConfig):
    name = "schemaguard"
    verbose_name = _("Schema guard")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the live schema check)

        try:  # a worker of the Django tasks API records its release while it runs tasks
            from django_tasks.signals import task_started
        except ImportError:
            return
        from .phases import record_release

        task_started.connect(lambda **kwargs: record_release(), weak=False)

from django.apps import AppConfig


class SchemaguardConfig(AppConfig):
    name = "schemaguard"
    verbose_name = "Schema guard"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the live schema check)

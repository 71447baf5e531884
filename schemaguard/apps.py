from django.apps import AppConfig


class SchemaguardConfig(AppConfig):
    name = "schemaguard"
    verbose_name = "Schema guard"

from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Dynamic profiles"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)

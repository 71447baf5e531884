from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = _("Dynamic profiles")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)

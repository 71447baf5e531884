"""Start-up checks for the web process (WSGI and ASGI entry points)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MISSING_SECRET_KEY = (
    "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
    "(on Render the Blueprint generates one), or set DEBUG=true for local development."
)


def require_secret_key() -> None:
    """Refuse to serve without a signing key: sessions and CSRF tokens need one."""
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django's own refusal of an empty key, less helpful
        key = ""
    if not key:
        raise ImproperlyConfigured(MISSING_SECRET_KEY)

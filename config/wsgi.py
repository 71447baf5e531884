"""WSGI entry point for gunicorn (`gunicorn config.wsgi`, settings in gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (needs the settings loaded)

from config.startup import require_secret_key  # noqa: E402

require_secret_key()


def application(environ, start_response):
    """Bound every read of the request body: a client that stalls mid-body gets a 408 after
    REQUEST_READ_TIMEOUT seconds instead of holding a worker thread for as long as it likes."""
    sock = environ.get("gunicorn.socket")
    if sock is not None and settings.REQUEST_READ_TIMEOUT:
        sock.settimeout(settings.REQUEST_READ_TIMEOUT)
    return django_application(environ, start_response)

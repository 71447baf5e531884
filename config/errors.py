"""Unhandled errors: the API answers them in its own JSON shape too, never an HTML page."""

import sys
from http import HTTPStatus

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

API_PREFIX = "/api/"
# Seconds a client should wait before trying again while the database is unreachable.
RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Django calls it inside its `except` for any exception a view or middleware
    raised, and logs the traceback itself ("django.request"); no text of it reaches clients."""
    if not request.path.startswith(API_PREFIX):
        # templates/500.html, rendered with no request context: nothing that needs the database.
        return defaults.server_error(request)
    if isinstance(sys.exception(), (OperationalError, InterfaceError)):
        response = JsonResponse(
            {"error": "The database is unavailable; try again in a few seconds."},
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = JsonResponse(
            {"error": "Internal error; it has been logged."},
            status=HTTPStatus.INTERNAL_SERVER_ERROR,
        )
    response["Cache-Control"] = "no-store"
    return response

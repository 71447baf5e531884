"""Liveness and readiness endpoints, answered before any other middleware.

They run first so that a platform's health check gets an answer whatever its Host header
(no ALLOWED_HOSTS check) and over plain HTTP (no HTTPS redirect), and without sessions.
"""

import logging
import time
from http import HTTPStatus

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse

from .conf import setting
from .phases import record_release
from .schema import find_problems

logger = logging.getLogger("schemaguard")

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"


class SchemaCache:
    """The latest schema comparison, reused for READYZ_CACHE_SECONDS (per process)."""

    def __init__(self) -> None:
        self.checked_at = float("-inf")
        self.problems: list = []

    def problems_now(self) -> list:
        ttl = min(setting("READYZ_CACHE_SECONDS"), 10)
        if time.monotonic() - self.checked_at >= ttl:
            self.problems = [p for p in find_problems(connection) if p.serious]
            self.checked_at = time.monotonic()
        return self.problems

    def clear(self) -> None:
        self.checked_at = float("-inf")


schema_cache = SchemaCache()


def readiness() -> JsonResponse:
    """200 when the database answers and matches the models; 503 with the problems if not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        problems = [{"code": p.code, "message": p.message} for p in schema_cache.problems_now()]
        record_release()  # the platform polls this: it says which release is running
    except DatabaseError as exc:
        # The driver's message names hosts and users: it goes to the log, not to the caller.
        logger.error("Readiness check: database unreachable: %s", exc)
        problems = [{"code": "E000", "message": f"Database unreachable ({type(exc).__name__})."}]
    if problems:
        return JsonResponse(
            {"status": "unavailable", "problems": problems}, status=HTTPStatus.SERVICE_UNAVAILABLE
        )
    return JsonResponse({"status": "ok"})


class HealthCheckMiddleware:
    """Put first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path not in (LIVENESS_PATH, READINESS_PATH):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"error": "Use GET."}, status=HTTPStatus.METHOD_NOT_ALLOWED)
            response["Allow"] = "GET, HEAD"
            return response
        if request.path == LIVENESS_PATH:
            # Liveness touches no database: a slow database must not get the process killed.
            return JsonResponse({"status": "ok"})
        return readiness()

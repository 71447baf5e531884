"""The site's URLs plus addresses that fail on purpose, for tests of the error pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler500, urlpatterns

FAILURES = {"400": SuspiciousOperation, "403": PermissionDenied, "500": RuntimeError}


def fail(request, status: str):
    raise FAILURES[status]("a detail no visitor may see")


urlpatterns = [*urlpatterns, path("fail/<str:status>/", fail)]
__all__ = ["handler500", "urlpatterns"]

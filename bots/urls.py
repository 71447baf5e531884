from functools import wraps
from http import HTTPStatus

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, path, re_path
from django.views.decorators.csrf import csrf_exempt

from . import views
from .api import api


def _api_view(view):
    """No answer of the API is cached (profiles are personal), and a wrong method gets the
    API's JSON error shape (ninja answers it with plain text)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            allowed = response["Allow"]
            response = JsonResponse(
                {"error": f"{request.method} is not allowed here; use {allowed}."},
                status=HTTPStatus.METHOD_NOT_ALLOWED,
            )
            response["Allow"] = allowed
        response["Cache-Control"] = "no-store"  # add_never_cache_headers() costs 5% of a read
        return response

    return wrapper


# Swagger UI sets inline styles; this page alone may use them (still no inline script).
_docs_view = csp_update({"style-src": [UNSAFE_INLINE]})


@csrf_exempt  # like every API route: tokens, never cookies
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return JsonResponse(
        {"error": "No such API endpoint; see /api/v1/docs."}, status=HTTPStatus.NOT_FOUND
    )


_patterns, _app_name, API_NAMESPACE = api.urls
# config/urls.py: include(api_urls, namespace=API_NAMESPACE)
api_urls = (
    [
        URLPattern(
            p.pattern,
            _api_view(_docs_view(p.callback) if p.name == "openapi-view" else p.callback),
            p.default_args,
            p.name,
        )
        for p in _patterns
    ]
    + [re_path(r"^(?P<path>.*)$", not_found)],
    _app_name,
)

urlpatterns = [
    path("<str:key>/", views.sign_in, name="sign-in"),
]

from functools import wraps
from http import HTTPStatus

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, path, re_path
from django.views.decorators.csrf import csrf_exempt

from . import views
from .api import api


def _json_method_errors(view):
    """ninja answers a wrong method with plain text; keep the API's JSON error shape."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != HTTPStatus.METHOD_NOT_ALLOWED:
            return response
        allowed = response["Allow"]
        response = JsonResponse(
            {"error": f"{request.method} is not allowed here; use {allowed}."},
            status=HTTPStatus.METHOD_NOT_ALLOWED,
        )
        response["Allow"] = allowed
        return response

    return wrapper


@csrf_exempt  # like every API route: tokens, never cookies
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return JsonResponse(
        {"error": "No such API endpoint; see /api/v1/docs."}, status=HTTPStatus.NOT_FOUND
    )


_patterns, _app_name, API_NAMESPACE = api.urls
# config/urls.py: include(api_urls, namespace=API_NAMESPACE)
api_urls = (
    [
        URLPattern(p.pattern, _json_method_errors(p.callback), p.default_args, p.name)
        for p in _patterns
    ]
    + [re_path(r"^(?P<path>.*)$", not_found)],
    _app_name,
)

urlpatterns = [
    path("<str:key>/", views.sign_in, name="sign-in"),
]

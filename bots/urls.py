from http import HTTPStatus

from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from . import views
from .api import api


@csrf_exempt  # like every API route: tokens, never cookies
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return JsonResponse(
        {"error": "No such API endpoint; see /api/v1/docs."}, status=HTTPStatus.NOT_FOUND
    )


# Never cached, a wrong method answered in JSON: config.middleware.ApiAnswersMiddleware.
_patterns, _app_name, API_NAMESPACE = api.urls
# config/urls.py: include(api_urls, namespace=API_NAMESPACE)
api_urls = ([*_patterns, re_path(r"^(?P<path>.*)$", not_found)], _app_name)

urlpatterns = [
    path("<str:key>/", views.sign_in, name="sign-in"),
]

"""HTTP rules for every request: bodies come with a length and arrive in time, a wrong
method gets an answer a person or a bot can read, and no answer of the API is cached."""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.shortcuts import render

from .errors import API_PREFIX


def _error(request: HttpRequest, status: HTTPStatus, message: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"error": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class RequestBodyMiddleware:
    """Refuse chunked bodies (Django reads a body by its Content-Length, so a chunked one would
    be read as empty) and answer 408 to a client whose body stalled past the read timeout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not request.META.get("CONTENT_LENGTH"):
            return _error(
                request,
                HTTPStatus.LENGTH_REQUIRED,
                "Send the body with a Content-Length; chunked bodies are not accepted.",
            )
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, UnreadablePostError):
            return _error(
                request, HTTPStatus.REQUEST_TIMEOUT, "The request body did not arrive in time."
            )
        return None


class MethodNotAllowedPageMiddleware:
    """Give the empty 405 of a POST-only address (`require_POST`, the logout view) a page that
    says what happened, keeping the status and `Allow`: a browser shows an empty 405 as broken.
    The API keeps its JSON 405."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != HTTPStatus.METHOD_NOT_ALLOWED
            or request.path.startswith(API_PREFIX)
            or response.streaming
            or response.content
        ):
            return response
        page = render(request, "405.html", status=HTTPStatus.METHOD_NOT_ALLOWED)
        page["Allow"] = response["Allow"]
        # The view logged its 405 already; Django would log this new response a second time.
        page._has_been_logged = getattr(response, "_has_been_logged", False)
        return page


class ApiAnswersMiddleware:
    """No answer of the API is cached (profiles are personal), and a wrong method gets the
    API's JSON error shape: django-ninja answers it in plain text, before any of its hooks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        if response.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            allowed = response["Allow"]
            response = JsonResponse(
                {"error": f"{request.method} is not allowed here; use {allowed}."},
                status=HTTPStatus.METHOD_NOT_ALLOWED,
            )
            response["Allow"] = allowed
        response["Cache-Control"] = "no-store"  # add_never_cache_headers() costs 5% of a read
        return response

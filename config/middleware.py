"""HTTP rules for every request: bodies come with a length and arrive in time."""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError

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

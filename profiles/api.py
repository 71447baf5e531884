"""The JSON API for chat bots, as plain Django views.

Every answer is JSON; every error is `{"error": "..."}` with a 4xx status. Calls are
authenticated only by `Authorization: Bearer <token>` (never by a session cookie), so CSRF
protection, which guards cookie-authenticated requests, does not apply.
"""

import json
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import selectors, services
from .models import ProfileRevision
from .openapi import SPEC
from .text import clean_text

MAX_BODY_BYTES = 1024 * 1024
USERNAME_MAX_LENGTH = 150


class ApiError(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error(status: HTTPStatus, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _bearer_token(request: HttpRequest):
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ApiError(HTTPStatus.UNAUTHORIZED, "Send an API token: Authorization: Bearer <token>.")
    token = services.authenticate_api_token(raw.strip())
    if token is None:
        raise ApiError(HTTPStatus.UNAUTHORIZED, "The API token is unknown or revoked.")
    return token


def _json_body(request: HttpRequest) -> dict:
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        raise ApiError(HTTPStatus.BAD_REQUEST, "Content-Length is not a number.") from None
    if declared > MAX_BODY_BYTES or len(request.body) > MAX_BODY_BYTES:
        raise ApiError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "The body is larger than 1 MB.")
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):  # ValueError includes bad UTF-8 and bad JSON
        raise ApiError(HTTPStatus.BAD_REQUEST, "The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ApiError(HTTPStatus.BAD_REQUEST, "The body must be a JSON object.")
    return data


def _string(data: dict, field: str, *, nullable: bool = False) -> str | None:
    if field not in data:
        raise ApiError(HTTPStatus.BAD_REQUEST, f"{field} is required.")
    value = data[field]
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        kind = "a string or null" if nullable else "a string"
        raise ApiError(HTTPStatus.BAD_REQUEST, f"{field} must be {kind}.")
    return clean_text(value)


def _username(value: str) -> str:
    try:
        if not value or len(value) > USERNAME_MAX_LENGTH:
            raise ValidationError("length")
        UnicodeUsernameValidator()(value)
    except ValidationError:
        raise ApiError(
            HTTPStatus.BAD_REQUEST,
            f"username must be 1 to {USERNAME_MAX_LENGTH} letters, digits and @ . + - _ only.",
        ) from None
    return value


def api_view(*methods: str, public: bool = False) -> Callable:
    """Wrap a view: allowed methods, token auth (unless public), JSON bodies, JSON errors."""

    def decorator(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> JsonResponse:
            if request.method not in methods:
                response = error(
                    HTTPStatus.METHOD_NOT_ALLOWED,
                    f"{request.method} is not allowed here; use {' or '.join(methods)}.",
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                if not public:
                    _bearer_token(request)
                if request.method in ("POST", "PUT"):
                    kwargs["data"] = _json_body(request)
                return view(request, *args, **kwargs)
            except ApiError as exc:
                response = error(exc.status, exc.message)
                if exc.status == HTTPStatus.UNAUTHORIZED:
                    response["WWW-Authenticate"] = 'Bearer realm="api"'
                return response

        return wrapper

    return decorator


def _get_user(username: str):
    """The user with their profile's last change time, in one query."""
    if "\x00" in username:  # cannot be a username, and PostgreSQL refuses it in a lookup
        raise ApiError(HTTPStatus.NOT_FOUND, "No user with that username.")
    users = get_user_model().objects.filter(username=username)
    user = selectors.with_profile_updated_at(users).first()
    if user is None:
        raise ApiError(HTTPStatus.NOT_FOUND, "No user with that username.")
    return user


def _profile_payload(user) -> dict:
    updated = user.profile_updated_at
    return {
        "username": user.username,
        "user_profile": user.user_profile,
        "updated_at": updated.isoformat() if updated else None,
    }


@api_view("POST")
def interactions(request: HttpRequest, data: dict) -> JsonResponse:
    username = _username(_string(data, "username"))
    user_message = _string(data, "user_message")
    assistant_response = _string(data, "assistant_response")
    # A bot meets new people: an unknown username becomes an account without a password.
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"password": make_password(None)}
    )
    interaction = services.record_interaction(
        user=user, user_message=user_message, assistant_response=assistant_response
    )
    return JsonResponse(
        {
            "id": interaction.pk,
            "username": user.username,
            "user_created": created,
            "created_at": interaction.created_at.isoformat(),
        },
        status=HTTPStatus.ACCEPTED,
    )


@api_view("GET", "PUT")
def user_profile(request: HttpRequest, username: str, data: dict | None = None) -> JsonResponse:
    user = _get_user(username)
    if request.method == "PUT":
        text = _string(data, "user_profile", nullable=True)
        revision = services.update_profile(
            user=user, text=text or "", source=ProfileRevision.Source.API
        )
        if revision is not None:
            user.profile_updated_at = revision.created_at
    return JsonResponse(_profile_payload(user))


@api_view("GET", public=True)
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(SPEC)


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    return error(HTTPStatus.NOT_FOUND, "No such API endpoint; see /api/v1/openapi.json.")

"""Sign-in throttling policy (django-axes does the counting and locking).

- An address that fails SIGN_IN_FAILURE_LIMIT times within SIGN_IN_LOCKOUT_MINUTES is locked
  out for that long, whatever accounts it tried.
- An account that fails that often, from any addresses, is locked out too, but only for
  browsers that have never signed in to it: a browser that has (it holds a signed "known
  device" cookie for the account) is never locked out by failures elsewhere. So an attacker
  can lock themselves out, but never the real person on their own device.
"""

from http import HTTPStatus

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

DEVICE_COOKIE = "known_device"
# What a failed API token counts as: per address only (bots.api), never as an account.
FAILED_API_TOKEN = {"username": "(API token)"}
_SALT = "users.signin.known-device"
_YEAR = 365 * 24 * 60 * 60


def client_address(request: HttpRequest) -> str | None:
    """The address the outermost of TRUSTED_PROXY_HOPS proxies saw the client come from.

    Each proxy appends the address it saw to X-Forwarded-For; entries before the trusted
    ones are whatever the client sent, so they are never used.
    """
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if hops and len(forwarded) >= hops and forwarded[-hops]:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")


def attempted_username(request: HttpRequest, credentials: dict | None) -> str:
    """The name failures are counted under. What cannot be a username (too long for any
    account, or holding NUL) is counted under one placeholder, so it cannot break the count."""
    username = (credentials or {}).get("username") or ""
    max_length = get_user_model()._meta.get_field("username").max_length
    if len(username) > max_length or "\x00" in username:
        return "(not a username)"
    return username


def known_device(request: HttpRequest) -> str | None:
    """The username this browser has signed in as, from its signed cookie, if any."""
    try:
        return signing.loads(request.COOKIES.get(DEVICE_COOKIE, ""), salt=_SALT, max_age=_YEAR)
    except signing.BadSignature:
        return None


def lockout_parameters(request: HttpRequest, credentials: dict | None) -> list:
    username = (credentials or {}).get("username")
    if username == FAILED_API_TOKEN["username"]:
        return ["ip_address"]
    if username and known_device(request) == username:
        return ["ip_address"]
    return ["ip_address", "username"]


def lockout_minutes() -> int:
    return round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def retry_after() -> str:
    """The Retry-After header of a lockout answer: its length in seconds."""
    return str(int(settings.AXES_COOLOFF_TIME.total_seconds()))


def lockout_response(request: HttpRequest, original_response, credentials) -> HttpResponse:
    """What a locked-out sign-in gets: 429, how long to wait, and Retry-After."""
    response = render(
        request,
        "accounts/locked_out.html",
        {"minutes": lockout_minutes(), "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = retry_after()
    return response


class KnownDeviceMiddleware:
    """Mark a browser as known to the account signed in with it (see lockout_parameters)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and known_device(request) != user.username:
            response.set_cookie(
                DEVICE_COOKIE,
                signing.dumps(user.username, salt=_SALT),
                max_age=_YEAR,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

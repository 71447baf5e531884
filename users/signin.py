"""Sign-in throttling policy (django-axes does the counting and locking).

- An address that fails SIGN_IN_FAILURE_LIMIT times within SIGN_IN_LOCKOUT_MINUTES is locked
  out for that long, whatever accounts it tried.
- An account that fails that often, from any addresses, is locked out too, but only for
  browsers that have never signed in to it: a browser that has (it holds a signed "known
  device" cookie for the account) is never locked out by failures elsewhere. So an attacker
  can lock themselves out, but never the real person on their own device.
- Unknown API tokens (bots.api) are counted apart, per address only: they throttle the API,
  never web sign-in, and web sign-in failures never throttle the API.
"""

import ipaddress
import logging
import threading
from datetime import timedelta
from http import HTTPStatus

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

log = logging.getLogger(__name__)

DEVICE_COOKIE = "known_device"
# What a failed API token counts as: per address only (bots.api), never as an account. The
# "source" key is one no sign-in form can send, so a typed name cannot pose as the API.
FAILED_API_TOKEN = {"username": "(API token)", "source": "api"}
_NOT_A_USERNAME = "(not a username)"
_SALT = "users.signin.known-device"
_YEAR = 365 * 24 * 60 * 60
# Set once this process has warned about an unusable X-Forwarded-For: a misconfiguration
# would otherwise log on every request.
_bad_forwarded_warned = threading.Event()


def client_address(request: HttpRequest) -> str | None:
    """The address the outermost of TRUSTED_PROXY_HOPS proxies saw the client come from.

    Each proxy appends the address it saw to X-Forwarded-For; entries before the trusted
    ones are whatever the client sent, so they are never used. A header that does not hold
    that many addresses (the client reached us directly, or the setting is wrong) counts
    the connection's address instead, and the first such header is logged.
    """
    hops = settings.TRUSTED_PROXY_HOPS
    remote = request.META.get("REMOTE_ADDR")
    if not hops:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = header.split(",")
    if len(forwarded) >= hops:
        try:
            address = ipaddress.ip_address(forwarded[-hops].strip())
        except ValueError:
            pass
        else:
            # A zone (fe80::1%eth0) is local to the proxy's host and PostgreSQL refuses it.
            if getattr(address, "scope_id", None) is None:
                return str(address)
    if not _bad_forwarded_warned.is_set():
        _bad_forwarded_warned.set()
        log.warning(
            "X-Forwarded-For %s does not end in %d proxy address(es) (TRUSTED_PROXY_HOPS); "
            "counting the connection's address %s instead. Not logged again by this process.",
            ascii(header[:200]),  # as an escaped literal: the client wrote it
            hops,
            remote,
        )
    return remote


def attempted_username(request: HttpRequest, credentials: dict | None) -> str:
    """The name failures are counted under. What cannot be a username (too long for any
    account, or holding NUL) is counted under one placeholder, so it cannot break the count."""
    if _is_api(credentials):
        return FAILED_API_TOKEN["username"]
    username = (credentials or {}).get("username") or ""
    max_length = get_user_model()._meta.get_field("username").max_length
    if len(username) > max_length or "\x00" in username:
        return _NOT_A_USERNAME
    if username == FAILED_API_TOKEN["username"]:  # typed into a form: not the API's count
        return _NOT_A_USERNAME
    return username


def _is_api(credentials: dict | None) -> bool:
    return (credentials or {}).get("source") == FAILED_API_TOKEN["source"]


def known_device(request: HttpRequest) -> list | None:
    """[pk, username] of the account this browser has signed in to, from its signed cookie."""
    try:
        value = signing.loads(request.COOKIES.get(DEVICE_COOKIE, ""), salt=_SALT, max_age=_YEAR)
    except signing.BadSignature:
        return None
    return value if isinstance(value, list) and len(value) == 2 else None  # older: a name


def _device_cookie(user) -> list:
    # The name with the key: a rename, or a deleted name taken by someone else, voids it.
    return [user.pk, user.username]


def _known_to_this_device(request: HttpRequest, username: str) -> bool:
    device = known_device(request)
    if device is None or device[1] != username:
        return False
    return get_user_model().objects.filter(pk=device[0], username=username).exists()


def lockout_parameters(request: HttpRequest, credentials: dict | None) -> list:
    if _is_api(credentials):
        return ["ip_address"]
    username = (credentials or {}).get("username")
    if username and _known_to_this_device(request, username):
        return ["ip_address"]
    return ["ip_address", "username"]


class SignInHandler(AxesDatabaseHandler):
    """django-axes' database handler, with the API's count kept apart from the web's."""

    def filter_user_attempts(self, request: HttpRequest, credentials: dict | None = None):
        api = {"username": FAILED_API_TOKEN["username"]}
        return [
            attempts.filter(**api) if _is_api(credentials) else attempts.exclude(**api)
            for attempts in super().filter_user_attempts(request, credentials)
        ]


def prune_sign_in_records(*, max_age: timedelta) -> int:
    """Delete django-axes' records of sign-ins and failures older than `max_age`."""
    cutoff = timezone.now() - max_age
    return sum(
        model.objects.filter(attempt_time__lt=cutoff).delete()[1].get(model._meta.label, 0)
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


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
        if (
            user is not None
            and user.is_authenticated
            and known_device(request) != _device_cookie(user)
        ):
            response.set_cookie(
                DEVICE_COOKIE,
                signing.dumps(_device_cookie(user), salt=_SALT),
                max_age=_YEAR,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

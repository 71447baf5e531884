"""Writes of the bots' side: tokens, the people a client knows, sign-in links."""

import hashlib
import secrets
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from profiles.models import Interaction
from profiles.services import record_interaction
from users.models import new_chat_username

from .models import ApiToken, Client, Identity, SignInLink

# A token or link has 256 random bits, so a plain SHA-256 is a safe way to store it (no salt
# or slow hash needed: there is nothing to guess) and lets a lookup use the index.
TOKEN_PREFIX = "dp_"
# Writing last_used_at on every call would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_api_token(*, client_name: str) -> tuple[ApiToken, str]:
    """Create a token for the client of that name (created if new); the raw value is
    returned once and never stored. A second token for the same name is the same client."""
    client, _ = Client.objects.get_or_create(name=client_name)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(client=client, key_hash=_hash(raw), prefix=raw[:10])
    return token, raw


# Valid tokens this process has seen: key hash -> (valid until, token). Saves a query on every
# API call; a revocation reaches other processes within API_TOKEN_CACHE_SECONDS.
_valid_tokens: dict[str, tuple[float, ApiToken]] = {}


def revoke_api_token(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    _valid_tokens.pop(token.key_hash, None)


def authenticate_api_token(raw: str) -> ApiToken | None:
    """Return the active token matching `raw` and note its use, or None."""
    key = _hash(raw)
    cached = _valid_tokens.get(key)
    if cached and cached[0] > time.monotonic():
        token = cached[1]
    else:
        token = ApiToken.objects.filter(key_hash=key, revoked_at=None).first()
        if token is None:
            _valid_tokens.pop(key, None)
            return None
        _valid_tokens[key] = (time.monotonic() + settings.API_TOKEN_CACHE_SECONDS, token)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _identity(client_id: int, external_id: str) -> tuple[Identity, bool]:
    """The client's person with that id, created (a new account) the first time it is used."""
    identity = (
        Identity.objects.select_related("user")
        .filter(client_id=client_id, external_id=external_id)
        .first()
    )
    if identity is not None:
        return identity, False
    try:
        with transaction.atomic():  # a savepoint: a concurrent first turn may win the race
            user = get_user_model().objects.create_user(username=new_chat_username())
            return Identity.objects.create(
                client_id=client_id, external_id=external_id, user=user
            ), True
    except IntegrityError:
        return Identity.objects.get(client_id=client_id, external_id=external_id), False


def record_turn(
    *, client_id: int, external_id: str, user_message: str, assistant_response: str
) -> tuple[Interaction, bool]:
    """Record a turn for the client's person `external_id`; True when the person is new.

    The person (if new) and the turn are written in one transaction: both or neither.
    """
    turn = {"user_message": user_message, "assistant_response": assistant_response}
    try:
        return _record_turn(client_id, external_id, **turn)
    except IntegrityError:
        # The person was erased after their identity was read (the erasure locks them, so
        # this turn waited for it to commit). The identity went with them: this time the turn
        # starts a new, empty person, as it would have a moment later.
        return _record_turn(client_id, external_id, **turn)


@transaction.atomic
def _record_turn(
    client_id: int, external_id: str, *, user_message: str, assistant_response: str
) -> tuple[Interaction, bool]:
    identity, created = _identity(client_id, external_id)
    interaction = record_interaction(
        user=identity.user, user_message=user_message, assistant_response=assistant_response
    )
    return interaction, created


class SignInLinkRefused(Exception):
    """The person may not be signed in by a link: a staff or deactivated account."""


def create_sign_in_link(*, identity: Identity) -> tuple[SignInLink, str]:
    """A one-time link key for the person behind `identity`; the raw key is returned once.

    Refused (SignInLinkRefused) for staff and deactivated accounts: a chat must never be a
    way into the admin or back into a closed account, whoever asks for the link.
    """
    user = identity.user
    if user.is_staff or user.is_superuser or not user.is_active:
        raise SignInLinkRefused("Sign-in links are not issued for staff or deactivated accounts.")
    raw = secrets.token_urlsafe(32)
    link = SignInLink.objects.create(
        identity=identity,
        key_hash=_hash(raw),
        expires_at=timezone.now() + timedelta(seconds=settings.SIGN_IN_LINK_MAX_AGE),
    )
    return link, raw


def find_sign_in_link(raw: str) -> SignInLink | None:
    """The link with this key, used or not, or None for a key that was never issued."""
    return SignInLink.objects.select_related("identity__user").filter(key_hash=_hash(raw)).first()


def is_usable(link: SignInLink, now: datetime | None = None) -> bool:
    return link.used_at is None and link.expires_at > (now or timezone.now())


def use_sign_in_link(raw: str) -> AbstractBaseUser | None:
    """Spend the link: the person it signs in, or None if it is unknown, used or expired.

    The claim is one conditional UPDATE, so two clicks at once cannot both succeed.
    """
    now = timezone.now()
    claimed = SignInLink.objects.filter(
        key_hash=_hash(raw), used_at=None, expires_at__gt=now
    ).update(used_at=now)
    if not claimed:
        return None
    user = find_sign_in_link(raw).identity.user
    return user if user.is_active else None

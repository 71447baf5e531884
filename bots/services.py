"""Writes of the bots' side: tokens, the people a client knows, sign-in links."""

import hashlib
import json
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from profiles.services import erase_user, record_interactions, refresh_lock_sql
from users.models import new_chat_username

from .models import ApiToken, Client, IdempotencyKey, Identity, SignInLink

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


def _identity(client_id: int, external_id: str) -> tuple[int, int, bool]:
    """(identity id, user id, created) of the client's person with that id, created (a new
    account) the first time it is used. Only the ids are read: a turn needs no user row."""
    found = Identity.objects.filter(client_id=client_id, external_id=external_id)
    try:  # get(), unlike first(), does not order by the client's name: one table, no join
        return *found.values_list("pk", "user_id").get(), False
    except Identity.DoesNotExist:
        pass
    try:
        with transaction.atomic():  # a savepoint: a concurrent first turn may win the race
            user = get_user_model().objects.create_user(username=new_chat_username())
            identity = Identity.objects.create(
                client_id=client_id, external_id=external_id, user=user
            )
            return identity.pk, user.pk, True
    except IntegrityError:
        return *found.values_list("pk", "user_id").get(), False


class KeyReused(Exception):
    """An Idempotency-Key sent again with a different turn."""


@dataclass(frozen=True)
class RecordedTurn:
    id: int
    created_at: datetime
    person_created: bool
    replayed: bool = False


# Written out: the hot path of every bot turn, and the ORM takes longer to compile this
# than the database to run it.
_LOCKED_USER_ID = (
    f'SELECT user_id, {{lock}} FROM "{Identity._meta.db_table}" '
    "WHERE client_id = %s AND external_id = %s"
)


def record_turn(
    *,
    client_id: int,
    external_id: str,
    user_message: str,
    assistant_response: str,
    idempotency_key: str | None = None,
) -> RecordedTurn:
    """Record a turn for the client's person `external_id` (created if new), in one
    transaction. A key this client sent for this person within API_IDEMPOTENCY_WINDOW_HOURS
    answers the turn stored then and stores nothing; with another turn it is KeyReused.
    """
    args = (client_id, external_id, user_message, assistant_response, idempotency_key)
    if idempotency_key is None:
        # The common turn: the person's id with their refresh lock, then the turn (and, only
        # when no refresh is queued yet, the request for one), in one transaction.
        turn = {"user_message": user_message, "assistant_response": assistant_response}
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(_LOCKED_USER_ID.format(lock=refresh_lock_sql("user_id")), args[:2])
                if found := cursor.fetchone():
                    (interaction,) = record_interactions(
                        user_id=found[0], turns=[turn], locked=True
                    )
                    return RecordedTurn(interaction.pk, interaction.created_at, False)
        except IntegrityError:
            pass  # erased after the identity was read: as below, a new person
    try:
        return _record_turn(*args)
    except IntegrityError:
        # Either the person was erased after their identity was read (the erasure locks them,
        # so this turn waited for it to commit; the identity went with them, so this time the
        # turn starts a new, empty person), or a concurrent request with the same key stored
        # its turn first (this one waited for it to commit, so this time it answers that one).
        return _record_turn(*args)


@transaction.atomic
def _record_turn(
    client_id: int,
    external_id: str,
    user_message: str,
    assistant_response: str,
    key: str | None,
) -> RecordedTurn:
    identity_id, user_id, created = _identity(client_id, external_id)
    turn = {"user_message": user_message, "assistant_response": assistant_response}
    if key is not None:
        body_hash = _hash(json.dumps([user_message, assistant_response]))
        keys = IdempotencyKey.objects.filter(identity_id=identity_id, key=key)
        earlier = keys.select_related("interaction").first()
        if earlier is not None and earlier.created_at > _idempotency_cutoff():
            if earlier.body_hash != body_hash:
                raise KeyReused
            return RecordedTurn(
                earlier.interaction_id,
                earlier.interaction.created_at,
                earlier.person_created,
                replayed=True,
            )
        if earlier is not None:  # expired: the key is free again
            earlier.delete()
    (interaction,) = record_interactions(user_id=user_id, turns=[turn])
    if key is not None:
        IdempotencyKey.objects.create(
            identity_id=identity_id,
            key=key,
            body_hash=body_hash,
            interaction=interaction,
            person_created=created,
        )
    return RecordedTurn(interaction.pk, interaction.created_at, created)


def import_history(
    *, client_id: int, external_id: str, turns: Sequence[Mapping]
) -> tuple[int, bool]:
    """Store a person's earlier turns in the order given, in one transaction with one refresh
    request; returns how many were stored and whether the person is new."""
    try:
        return _import_history(client_id, external_id, turns)
    except IntegrityError:  # erased meanwhile: as in record_turn, start a new person
        return _import_history(client_id, external_id, turns)


@transaction.atomic
def _import_history(client_id: int, external_id: str, turns: Sequence[Mapping]) -> tuple[int, bool]:
    _, user_id, created = _identity(client_id, external_id)
    return len(record_interactions(user_id=user_id, turns=turns)), created


def erase_person(*, client_id: int, external_id: str) -> bool:
    """Erase the client's person and everything stored about them, as deleting the account on
    the website does; False if the client knows no such person."""
    found = Identity.objects.filter(client_id=client_id, external_id=external_id)
    user_id = found.values_list("user_id", flat=True).first()
    return user_id is not None and erase_user(user_id=user_id)


def _idempotency_cutoff() -> datetime:
    return timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_WINDOW_HOURS)


def prune_idempotency_keys() -> int:
    """Delete the idempotency keys older than the window; returns how many."""
    return IdempotencyKey.objects.filter(created_at__lte=_idempotency_cutoff()).delete()[0]


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

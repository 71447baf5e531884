"""Writes to profiles and interactions: the contract views, the API and the admin use."""

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import F, Max, Min, Window
from django.db.models.functions import Length, RowNumber
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import Interaction, ProfileRevision, RefreshState
from .profilers import Turn, get_profiler
from .text import clean_text, normalise_profile, truncate_at_word

__all__ = [
    "clear_profile",
    "erase_user",
    "finish_refresh",
    "prune_interactions",
    "record_interaction",
    "record_interactions",
    "refresh_profile",
    "renew_refresh_lease",
    "request_refresh",
    "revert_profile",
    "start_refresh",
    "update_profile",
]

logger = logging.getLogger(__name__)

Source = ProfileRevision.Source

# A refresh that finds the profile changed under it starts again this many times at most.
REFRESH_CONFLICT_RETRIES = 5


def record_interaction(
    *, user: AbstractBaseUser, user_message: str, assistant_response: str
) -> Interaction:
    """Store one conversation turn and ask for a profile refresh (see record_interactions)."""
    turn = {"user_message": user_message, "assistant_response": assistant_response}
    return record_interactions(user_id=user.pk, turns=[turn])[0]


def record_interactions(
    *, user_id: int, turns: Sequence[Mapping], locked: bool = False
) -> list[Interaction]:
    """Store conversation turns (`user_message`, `assistant_response`, optionally their
    `created_at`) in the order given, with one profile refresh request for all of them.

    The turns are saved before anything slow happens, so a failing profiler or queue never
    loses them: the refresh task is queued after the commit and its errors are logged.
    `locked`: the caller already took refresh_lock_sql() in its open transaction.
    """
    interactions = [
        Interaction(
            user_id=user_id,
            user_message=clean_text(turn["user_message"]),
            assistant_response=clean_text(turn["assistant_response"]),
            **({"created_at": turn["created_at"]} if turn.get("created_at") else {}),
        )
        for turn in turns
    ]
    with transaction.atomic(savepoint=False):
        if not locked:
            _lock_refresh(user_id)
        if connection.vendor == "postgresql":
            state = _insert_reading_state(user_id, interactions)
        else:
            Interaction.objects.bulk_create(interactions)
            state = _refresh_state(user_id)
        _request_refresh(user_id, *state)
    return interactions


# The turns' columns but `pending`, which its database default sets.
_INSERTED = ("user", "user_message", "assistant_response", "created_at")


def _insert_reading_state(user_id: int, interactions: list[Interaction]) -> tuple:
    """PostgreSQL: insert the turns and read their person's refresh state in one statement
    (one round trip, no query compiling); run after the lock, its snapshot sees any refresh
    that finished before it."""
    quote = connection.ops.quote_name
    fields = [Interaction._meta.get_field(name) for name in _INSERTED]
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"WITH t AS (INSERT INTO {quote(Interaction._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * len(interactions))} RETURNING id) "
        f"SELECT t.id, s.queued_at, s.lease_until FROM t "
        f"LEFT JOIN {quote(RefreshState._meta.db_table)} s ON s.user_id = %s ORDER BY t.id"
    )
    params = [
        f.get_db_prep_save(getattr(i, f.attname), connection) for i in interactions for f in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, user_id])
        rows = cursor.fetchall()
    for interaction, (pk, *_) in zip(interactions, rows, strict=True):
        interaction.pk = pk
        interaction._state.adding = False
    return rows[0][1:]


def _refresh_state(user_id: int) -> tuple:
    """(queued_at, lease_until) of the person's refresh; read after the lock, it sees any
    refresh that finished before it."""
    state = RefreshState.objects.filter(user_id=user_id)
    return state.values_list("queued_at", "lease_until").first() or (None, None)


# A per-person advisory lock (PostgreSQL) orders turns against the end of a refresh: turns
# take it shared, so they never wait for each other; finish_refresh takes it exclusive, so it
# sees every turn committed before it, and every later turn sees what it left. The two-int
# form is a key space of its own: it cannot meet schemaguard's one-bigint migrate lock. The
# id is cut to 31 bits: people 2**31 apart share a lock, which only makes one wait.
REFRESH_LOCK_NAMESPACE = 0x70726F66  # "prof"


def refresh_lock_sql(user_id_sql: str = "%s", *, exclusive: bool = False) -> str:
    """An SQL expression that takes the refresh lock of the person whose id `user_id_sql`
    gives until the transaction ends, shared (as turns do) unless `exclusive`; NULL but on
    PostgreSQL. Folded into a lookup it saves a round trip: then pass record_interactions
    locked=True."""
    if connection.vendor != "postgresql":
        return "NULL"
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    return f"{function}({REFRESH_LOCK_NAMESPACE}, (({user_id_sql}) & 2147483647)::int4)"


def _lock_refresh(user_id: int, *, exclusive: bool = False) -> None:
    # SQLite has one writer at a time: its transactions are serial already.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {refresh_lock_sql(exclusive=exclusive)}", [user_id])


# Queue unless a refresh is queued under a live lease (a state queued by a release without
# leases counts from when it was queued). The person's row is locked first, as erase_user
# does (person, then state: no deadlock with an erasure; nothing is written for a person
# already gone). Of concurrent turns that find no refresh queued, one gets the row back.
_REQUEST_REFRESH = """
INSERT INTO {table} AS s (user_id, requested_at, queued_at, lease_until, refreshes)
SELECT id, %(now)s, %(now)s, %(lease_until)s, 0 FROM {users} WHERE id = %(user_id)s {lock}
ON CONFLICT (user_id) DO UPDATE SET
    requested_at = excluded.requested_at,
    queued_at = excluded.queued_at,
    lease_until = excluded.lease_until
WHERE s.queued_at IS NULL
    OR s.lease_until < %(now)s OR (s.lease_until IS NULL AND s.queued_at < %(stale)s)
RETURNING user_id
"""


def request_refresh(*, user_id: int) -> bool:
    """Ask for a refresh of one person's profile: the one way to get one.

    Queues a task unless one is queued or running under a live lease; that one (or the one it
    queues after itself) sees this request. A lapsed lease means its worker died or its job
    was lost: this request takes over. Returns True when a task was queued.
    """
    with transaction.atomic(savepoint=False):
        _lock_refresh(user_id)
        return _request_refresh(user_id, *_refresh_state(user_id))


def _request_refresh(
    user_id: int, queued_at: datetime | None, lease_until: datetime | None
) -> bool:
    """request_refresh in the caller's transaction, given the state read under the lock."""
    now = timezone.now()
    lapsed = lease_until < now if lease_until else queued_at and queued_at < now - _lease()
    if queued_at and not lapsed:  # the common case: a burst's later turns write nothing
        return False
    run_after = _run_after(now)
    adapt = connection.ops.adapt_datetimefield_value
    quote = connection.ops.quote_name
    sql = _REQUEST_REFRESH.format(
        table=quote(RefreshState._meta.db_table),
        users=quote(get_user_model()._meta.db_table),
        lock="FOR KEY SHARE" if connection.vendor == "postgresql" else "",
    )
    params = {
        "user_id": user_id,
        "now": adapt(now),
        "lease_until": adapt((run_after or now) + _lease()),
        "stale": adapt(now - _lease()),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.fetchone() is None:  # another turn queued it, or the person is gone
            return False
    if queued_at:
        logger.warning(
            "Refresh of user %s lost its lease (worker died or job lost); queuing it again",
            user_id,
        )
    transaction.on_commit(lambda: _enqueue(user_id, run_after), robust=True)
    return True


def start_refresh(*, user_id: int) -> None:
    """Renew the lease of a starting refresh: its task may have waited in the queue past its
    due time."""
    renew_refresh_lease(user_id=user_id)


def renew_refresh_lease(*, user_id: int, due: datetime | None = None) -> None:
    """Hold off takeovers of a queued or running refresh until `due` (default: now) plus
    PROFILE_REFRESH_LEASE_SECONDS."""
    RefreshState.objects.filter(user_id=user_id, queued_at__isnull=False).update(
        lease_until=(due or timezone.now()) + _lease()
    )


def finish_refresh(*, user_id: int, succeeded: bool) -> bool:
    """End a refresh; if it succeeded and turns it has not shown a profiler are waiting (they
    came in meanwhile), queue one more. Returns True when it did.

    A failed refresh queues none: a profiler that keeps failing would loop. The next turn
    asks again, and its refresh shows the waiting turns too.
    """
    with transaction.atomic():
        # Exclusive: the turns committed before it are seen below, the later ones see its end.
        _lock_refresh(user_id, exclusive=True)
        state = RefreshState.objects.select_for_update().filter(user_id=user_id).first()
        if state is None:
            return False
        again = succeeded and Interaction.objects.filter(user_id=user_id, pending=True).exists()
        now = timezone.now()
        run_after = _run_after(now) if again else None
        state.queued_at = now if again else None
        state.lease_until = (run_after or now) + _lease() if again else None
        if again:
            state.requested_at = now
        state.refreshes += 1
        state.save(update_fields=["requested_at", "queued_at", "lease_until", "refreshes"])
        if again:
            transaction.on_commit(lambda: _enqueue(user_id, run_after))
    return again


def _lease() -> timedelta:
    return timedelta(seconds=settings.PROFILE_REFRESH_LEASE_SECONDS)


def _run_after(now: datetime) -> datetime | None:
    """When a refresh queued now is due; None for at once."""
    from .tasks import refresh_profile_task  # the task module imports this one

    if refresh_profile_task.get_backend().supports_defer and settings.PROFILE_REFRESH_DEBOUNCE:
        # A short wait lets the rest of a burst arrive before the profiler runs.
        return now + timedelta(seconds=settings.PROFILE_REFRESH_DEBOUNCE)
    return None


def _enqueue(user_id: int, run_after: datetime | None) -> None:
    from .tasks import refresh_profile_task

    task = refresh_profile_task
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(user_id)


def _lock_user(user_id: int) -> AbstractBaseUser:
    return (
        get_user_model()
        .objects.select_for_update()
        .only("pk", "user_profile", "profile_updated_at")
        .get(pk=user_id)
    )


def _latest_revision_id(user_id: int) -> int:
    latest = ProfileRevision.objects.filter(user_id=user_id).order_by("-id").first()
    return latest.pk if latest else 0


def _save_locked(
    user: AbstractBaseUser, text: str, source: str, profiler: str
) -> ProfileRevision | None:
    """Store `text` as the profile of a user whose row the caller has locked."""
    if source not in Source.values:
        raise ValueError(f"Unknown profile source {source!r}")
    text = normalise_profile(text)
    if text == (user.user_profile or ""):
        return None
    revision = ProfileRevision.objects.create(
        user=user, text=text, source=source, profiler=profiler
    )
    user.user_profile = text or None
    user.profile_updated_at = revision.created_at
    user.save(update_fields=["user_profile", "profile_updated_at"])
    return revision


@transaction.atomic
def update_profile(
    *, user: AbstractBaseUser, text: str, source: str, profiler: str = ""
) -> ProfileRevision | None:
    """Replace the profile and record a revision, in one transaction.

    The text is stripped, freed of NULs and cut to 4,000 characters at a word boundary.
    Returns None, writing nothing, when the stored profile would not change.
    """
    locked = _lock_user(user.pk)
    revision = _save_locked(locked, text, source, profiler)
    user.user_profile, user.profile_updated_at = locked.user_profile, locked.profile_updated_at
    return revision


def revert_profile(*, revision: ProfileRevision, source: str) -> ProfileRevision | None:
    """Make an earlier revision's text the current profile again; `source` is a Source."""
    return update_profile(user=revision.user, text=revision.text, source=source)


def clear_profile(*, user: AbstractBaseUser, source: str) -> ProfileRevision | None:
    """Empty the profile (stored as NULL); the history keeps what it was."""
    return update_profile(user=user, text="", source=source)


def _next_batch(user_id: int, context_turns: int) -> tuple[list[Turn], list[int]]:
    """The oldest turns no profiler has been shown, up to PROFILER_BATCH_CHARS characters
    (at least one, cut to the budget), with the newest `context_turns` turns it has been
    shown, in the order they were recorded; and the ids of the unseen ones."""
    budget = settings.PROFILER_BATCH_CHARS
    pending = Interaction.objects.filter(user_id=user_id, pending=True).order_by("pk")
    sizes = pending.annotate(size=Length("user_message") + Length("assistant_response"))
    ids, total = [], 0
    for pk, size in sizes.values_list("pk", "size").iterator(chunk_size=100):
        if ids and total + size > budget:
            break
        ids.append(pk)
        total += size
    if not ids:
        return [], []
    batch = []
    rows = Interaction.objects.filter(pk__in=ids)
    for pk, message, response in rows.values_list("pk", "user_message", "assistant_response"):
        message = truncate_at_word(message, budget)
        batch.append((pk, message, truncate_at_word(response, budget - len(message))))
    # The newest shown, not just those before the batch: a turn that committed late may be
    # older than turns shown before it.
    shown = Interaction.objects.filter(user_id=user_id, pending__isnull=True)
    context = shown.values_list("pk", "user_message", "assistant_response")[:context_turns]
    return [Turn(m, r) for _, m, r in sorted([*context, *batch])], ids


def refresh_profile(*, user_id: int) -> None:
    """Show the configured profiler every turn it has not seen yet, oldest first, in batches
    of at most PROFILER_BATCH_CHARS characters, the profile carried from batch to batch.

    The profiler may be slow (an LLM), so no lock is held while it runs. Instead the latest
    revision id is read first and checked again under the row lock before saving: if anyone
    changed the profile meanwhile (another refresh, the person, staff), the batch starts
    over from the new profile, so no one's work is lost. Raises ProfilerError on failure;
    the batches saved before it stay seen, the failed one is shown again next time.
    """
    profiler = get_profiler()
    User = get_user_model()
    conflicts = 0
    while conflicts < REFRESH_CONFLICT_RETRIES:
        # Read the version before the data: a change committed in between is then caught.
        version = _latest_revision_id(user_id)
        current = User.objects.filter(pk=user_id).values_list("user_profile", flat=True).first()
        turns, ids = _next_batch(user_id, profiler.context_turns)
        if not ids:  # all seen, or the user is gone
            return
        text = profiler.profile(current_profile=current or "", interactions=turns)
        with transaction.atomic():
            try:
                user = _lock_user(user_id)
            except User.DoesNotExist:
                return
            saved = _latest_revision_id(user_id) == version
            if saved:
                _save_locked(user, text, Source.PROFILER, profiler.name)
                Interaction.objects.filter(pk__in=ids).update(pending=None)
        if not saved:
            conflicts += 1
            logger.info("Profile of user %s changed during refresh; starting over", user_id)
    logger.warning(
        "Profile refresh of user %s gave up after %d conflicting changes; the next "
        "interaction's refresh will include this one",
        user_id,
        REFRESH_CONFLICT_RETRIES,
    )


@transaction.atomic
def erase_user(*, user_id: int) -> bool:
    """Delete a person and everything stored about them; False if there was no such person.

    The person's row is locked first: a turn being stored for them waits, then fails on the
    missing person instead of slipping in between the deletion of the turns and of the row.
    """
    from .tasks import refresh_profile_task  # the task module imports this one

    User = get_user_model()
    if not User.objects.select_for_update().filter(pk=user_id).exists():
        return False
    # Turns, revisions, refresh state, bot identities and their sign-in links cascade.
    User.objects.filter(pk=user_id).delete()
    # As late as possible: a refresh request in flight (deleting its state above waited for
    # it) queues its task just after it commits.
    DBTaskResult.objects.filter(
        task_path=refresh_profile_task.module_path,
        status=TaskResultStatus.READY,
        args_kwargs__args__0=user_id,
    ).delete()
    return True


def prune_interactions(*, keep_latest: int, max_age: timedelta, users_per_batch: int = 1000) -> int:
    """Delete the interactions older than `max_age`, except each person's `keep_latest`
    newest ones, which are kept whatever their age. Profiles and revisions are never touched.

    Works through the people in id ranges, one short transaction each, so no lock is held for
    long and the work grows with the table, not with its square. Returns how many it deleted.
    """
    cutoff = timezone.now() - max_age
    bounds = Interaction.objects.filter(created_at__lt=cutoff).aggregate(
        first=Min("user_id"), last=Max("user_id")
    )
    if bounds["first"] is None:
        return 0
    deleted = 0
    for start in range(bounds["first"], bounds["last"] + 1, users_per_batch):
        people = Interaction.objects.filter(user_id__gte=start, user_id__lt=start + users_per_batch)
        newest_first = [F("created_at").desc(), F("id").desc()]
        ranked = people.annotate(
            rank=Window(RowNumber(), partition_by=F("user_id"), order_by=newest_first)
        )
        # The age test after the ranking: Django would filter before ranking otherwise.
        beyond = ranked.filter(rank__gt=keep_latest).values_list("id", "created_at")
        doomed = [pk for pk, created_at in beyond if created_at < cutoff]
        if doomed:
            with transaction.atomic():
                deleted += Interaction.objects.filter(pk__in=doomed).delete()[0]
    return deleted

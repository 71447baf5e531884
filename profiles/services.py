"""Writes to profiles and interactions: the contract views, the API and the admin use."""

import logging
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import F, Max, Min, Window
from django.db.models.functions import Length, RowNumber
from django.db.models.sql import InsertQuery
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


def record_interactions(*, user_id: int, turns: Sequence[Mapping]) -> list[Interaction]:
    """Store conversation turns (`user_message`, `assistant_response`, optionally their
    `created_at`) in the order given, with one profile refresh request for all of them.

    The turns are saved before anything slow happens, so a failing profiler or queue never
    loses them: the refresh task is queued after the commit and its errors are logged. On
    PostgreSQL the turns and the request are one statement: one round trip, one transaction.
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
    if connection.vendor != "postgresql":
        with transaction.atomic(savepoint=False):
            Interaction.objects.bulk_create(interactions)
            request_refresh(user_id=user_id)
        return interactions
    _, run_after, params = _refresh_params(user_id)
    query = InsertQuery(Interaction)
    fields = [f for f in Interaction._meta.concrete_fields if not f.primary_key]
    query.insert_values(fields, interactions)  # as bulk_create does: defaults, DEFAULT
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [Interaction._meta.pk]
    ((insert, values),) = compiler.as_sql()
    # The insert's own placeholders, named so they mix with the refresh request's.
    names = iter(range(len(values)))
    insert = re.sub("%s", lambda _: f"%(v{next(names)})s", insert)
    params.update({f"v{n}": value for n, value in enumerate(values)})
    # No r for a person already gone; the commit then fails on the turns' foreign key.
    sql = f"WITH {_refresh_ctes()}, t AS ({insert}) SELECT t.id, r.queued, r.lost "
    with connection.cursor() as cursor:  # one statement: a transaction of its own
        cursor.execute(sql + "FROM t LEFT JOIN r ON true ORDER BY t.id", params)
        rows = cursor.fetchall()
        for interaction, (pk, *_) in zip(interactions, rows, strict=True):
            interaction.pk = pk
            interaction._state.adding = False
        _queue_refresh(user_id, run_after, *rows[0][1:])
    return interactions


# One statement, so a turn costs one round trip for its refresh request. It applies the rule
# of request_refresh: queue when the state is new, idle (queued_at null) or its lease lapsed
# (a state queued by a release without leases counts from when it was queued). On PostgreSQL
# it first locks the person as erase_user does (person, then state: no deadlock with an
# erasure; nothing is written for a person already gone) and reads the old state, to report
# a lapsed lease. SQLite has no row locks (one writer at a time) and cannot report it.
_REQUEST_REFRESH = """
INSERT INTO {table} AS s (user_id, requested_at, queued_at, lease_until, refreshes)
SELECT %(user_id)s, %(now)s, %(now)s, %(lease_until)s, 0 {source}
ON CONFLICT (user_id) DO UPDATE SET
    requested_at = excluded.requested_at,
    queued_at = CASE WHEN {queue} THEN excluded.queued_at ELSE s.queued_at END,
    lease_until = CASE WHEN {queue} THEN excluded.lease_until ELSE s.lease_until END
RETURNING queued_at = %(now)s AS queued, {lost} AS lost
"""
_LAPSED = "(q.lease_until < %(now)s OR (q.lease_until IS NULL AND q.queued_at < %(stale)s))"


def _refresh_sql(source: str, lost: str) -> str:
    table = connection.ops.quote_name(RefreshState._meta.db_table)
    queue = "s.queued_at IS NULL OR " + _LAPSED.replace("q.", "s.")
    return _REQUEST_REFRESH.format(table=table, source=source, queue=queue, lost=lost)


def _refresh_ctes() -> str:
    """PostgreSQL: the refresh request as common table expressions; `r` is its answer."""
    quote = connection.ops.quote_name
    users = quote(get_user_model()._meta.db_table)
    table = quote(RefreshState._meta.db_table)
    upsert = _refresh_sql(
        "FROM u LEFT JOIN q ON true", f"(SELECT q.queued_at IS NOT NULL AND {_LAPSED} FROM q)"
    )
    return f"""u AS MATERIALIZED (
        SELECT id FROM {users} WHERE id = %(user_id)s FOR KEY SHARE
    ), q AS MATERIALIZED (
        SELECT * FROM {table} WHERE user_id = (SELECT id FROM u) FOR UPDATE
    ), r AS ({upsert})"""


def _refresh_params(user_id: int) -> tuple[datetime, datetime | None, dict]:
    now = timezone.now()
    run_after = _run_after(now)
    adapt = connection.ops.adapt_datetimefield_value
    return (
        now,
        run_after,
        {
            "user_id": user_id,
            "now": adapt(now),
            "lease_until": adapt((run_after or now) + _lease()),
            "stale": adapt(now - _lease()),
        },
    )


def _queue_refresh(user_id: int, run_after: datetime | None, queue, lost) -> bool:
    if lost:
        logger.warning(
            "Refresh of user %s lost its lease (worker died or job lost); queuing it again",
            user_id,
        )
    if queue:
        transaction.on_commit(lambda: _enqueue(user_id, run_after), robust=True)
    return bool(queue)


def request_refresh(*, user_id: int) -> bool:
    """Ask for a refresh of one person's profile: the one way to get one.

    Queues a task unless one is queued or running under a live lease; that one (or the one it
    queues after itself) sees this request. A lapsed lease means its worker died or its job
    was lost: this request takes over. Returns True when a task was queued.
    """
    _, run_after, params = _refresh_params(user_id)
    if connection.vendor == "postgresql":
        sql = f"WITH {_refresh_ctes()} SELECT queued, lost FROM r"
    else:
        # "WHERE true" tells SQLite's parser that ON CONFLICT is not a join constraint.
        sql = _refresh_sql("WHERE true", "NULL")
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone() or (False, False)  # nothing: the person is gone
        return _queue_refresh(user_id, run_after, *found)


def start_refresh(*, user_id: int) -> datetime | None:
    """Note what a starting refresh will see: the last request it covers (None: no state).

    Renews the lease first: the task may have waited in the queue past its due time.
    """
    renew_refresh_lease(user_id=user_id)
    return (
        RefreshState.objects.filter(user_id=user_id).values_list("requested_at", flat=True).first()
    )


def renew_refresh_lease(*, user_id: int, due: datetime | None = None) -> None:
    """Hold off takeovers of a queued or running refresh until `due` (default: now) plus
    PROFILE_REFRESH_LEASE_SECONDS."""
    RefreshState.objects.filter(user_id=user_id, queued_at__isnull=False).update(
        lease_until=(due or timezone.now()) + _lease()
    )


def finish_refresh(*, user_id: int, covered: datetime | None) -> bool:
    """End a refresh that covered the requests up to `covered`; queue one more if a turn
    came in meanwhile. Returns True when it did."""
    with transaction.atomic():
        state = RefreshState.objects.select_for_update().filter(user_id=user_id).first()
        if state is None:
            return False
        again = covered is not None and state.requested_at > covered
        now = timezone.now()
        run_after = _run_after(now) if again else None
        state.queued_at = now if again else None
        state.lease_until = (run_after or now) + _lease() if again else None
        state.refreshes += 1
        state.save(update_fields=["queued_at", "lease_until", "refreshes"])
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

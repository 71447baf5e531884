"""Writes to profiles and interactions: the contract views, the API and the admin use."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Max, Min, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import Interaction, ProfileRevision, RefreshState
from .profilers import Turn, get_profiler
from .text import clean_text, normalise_profile

__all__ = [
    "clear_profile",
    "erase_user",
    "finish_refresh",
    "prune_interactions",
    "record_interaction",
    "refresh_profile",
    "renew_refresh_lease",
    "request_refresh",
    "revert_profile",
    "start_refresh",
    "update_profile",
]

logger = logging.getLogger(__name__)

Source = ProfileRevision.Source

# How many recent interactions a profiler sees. The LLM prompt keeps fewer of them.
PROFILER_HISTORY = 20
# A refresh that finds the profile changed under it starts again this many times at most.
REFRESH_CONFLICT_RETRIES = 5


def record_interaction(
    *, user: AbstractBaseUser, user_message: str, assistant_response: str
) -> Interaction:
    """Store one conversation turn and ask for a profile refresh after the commit.

    The interaction is saved before anything slow happens, so a failing profiler never
    loses it; scheduling errors are logged, never raised.
    """
    interaction = Interaction.objects.create(
        user=user,
        user_message=clean_text(user_message),
        assistant_response=clean_text(assistant_response),
    )
    transaction.on_commit(lambda: request_refresh(user_id=user.pk), robust=True)
    return interaction


def request_refresh(*, user_id: int) -> bool:
    """Ask for a refresh of one person's profile: the one way to get one.

    Queues a task unless one is queued or running under a live lease; that one (or the one it
    queues after itself) sees this request. A lapsed lease means its worker died or its job
    was lost: this request takes over. Returns True when a task was queued.
    """
    now = timezone.now()
    run_after = _run_after(now)
    lease_until = (run_after or now) + _lease()
    with transaction.atomic():
        state, created = RefreshState.objects.select_for_update().get_or_create(
            user_id=user_id,
            defaults={"requested_at": now, "queued_at": now, "lease_until": lease_until},
        )
        lost = False
        if not created and state.queued_at is not None:
            # A state queued by a release without leases counts from when it was queued.
            lost = (state.lease_until or state.queued_at + _lease()) < now
        queue = created or state.queued_at is None or lost
        if not created:
            if lost:
                logger.warning(
                    "Refresh of user %s lost its lease (worker died or job lost); queuing it again",
                    user_id,
                )
            state.requested_at = now
            if queue:
                state.queued_at, state.lease_until = now, lease_until
            state.save(update_fields=["requested_at", "queued_at", "lease_until"])
        if queue:
            transaction.on_commit(lambda: _enqueue(user_id, run_after))
    return queue


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


def refresh_profile(*, user_id: int) -> None:
    """Run the configured profiler on the current profile and recent interactions.

    The profiler may be slow (an LLM), so no lock is held while it runs. Instead the latest
    revision id is read first and checked again under the row lock before saving: if anyone
    changed the profile meanwhile (another refresh, the person, staff), the refresh starts
    over from the new profile, so no one's work is lost. Raises ProfilerError on failure.
    """
    profiler = get_profiler()
    User = get_user_model()
    for _ in range(REFRESH_CONFLICT_RETRIES):
        # Read the version before the data: a change committed in between is then caught.
        version = _latest_revision_id(user_id)
        current = User.objects.filter(pk=user_id).values_list("user_profile", flat=True).first()
        recent = Interaction.objects.filter(user_id=user_id)
        turns = [
            Turn(user_message=m, assistant_response=a)
            for m, a in recent.values_list("user_message", "assistant_response")[:PROFILER_HISTORY]
        ][::-1]
        if not turns:  # the user is gone, or has never talked to the assistant
            return
        text = profiler.profile(current_profile=current or "", interactions=turns)
        with transaction.atomic():
            try:
                user = _lock_user(user_id)
            except User.DoesNotExist:
                return
            if _latest_revision_id(user_id) == version:
                _save_locked(user, text, Source.PROFILER, profiler.name)
                return
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

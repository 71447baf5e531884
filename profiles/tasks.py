"""Background profile refreshes through the Django tasks API."""

import logging
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks import task

from . import services
from .profilers import ProfilerError

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff with jitter: about 1x, 2x, 4x ... PROFILER_RETRY_DELAY."""
    base = settings.PROFILER_RETRY_DELAY * 2 ** (attempt - 1)
    return timedelta(seconds=base * random.uniform(0.5, 1.5))


@contextmanager
def lease_renewed(user_id: int) -> Iterator[None]:
    """Renew the refresh's lease from a thread while the block runs: a profiler may take
    longer than the lease, and only a dead worker should lose it."""
    stop = threading.Event()
    interval = max(settings.PROFILE_REFRESH_LEASE_SECONDS / 4, 0.1)

    def renew() -> None:
        try:
            while not stop.wait(interval):
                try:
                    services.renew_refresh_lease(user_id=user_id)
                except DatabaseError as exc:  # the next beat tries again
                    logger.warning("Could not renew the refresh lease of user %s: %s", user_id, exc)
        finally:
            connection.close()  # this thread's own connection

    beat = threading.Thread(target=renew, name=f"refresh-lease-{user_id}", daemon=True)
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join()


@task()
def refresh_profile_task(user_id: int, attempt: int = 1) -> None:
    """Refresh one person's profile; on a profiler failure retry later, a bounded number of
    times. Turns recorded while it runs get exactly one more refresh after a successful one.

    Retries need a backend that can run a task later (the database queue). In-process
    (immediate) runs do not wait and retry: the next interaction's refresh covers the miss.
    Any other exception ends the refresh too, so the next turn can queue one, and is raised
    for the queue to record.
    """
    services.start_refresh(user_id=user_id)
    retrying = succeeded = False
    try:
        with lease_renewed(user_id):
            services.refresh_profile(user_id=user_id)
        succeeded = True
    except ProfilerError as exc:
        retrying = retry_later(user_id, attempt, exc)
    except Exception:
        logger.exception(
            "Profile refresh of user %s failed unexpectedly; the profile stays as it was",
            user_id,
        )
        raise
    finally:
        if not retrying:
            services.finish_refresh(user_id=user_id, succeeded=succeeded)


def retry_later(user_id: int, attempt: int, exc: ProfilerError) -> bool:
    """Queue the refresh again after a backoff, if the queue can wait and attempts are left;
    True when it did (the retry then finishes the refresh)."""
    if refresh_profile_task.get_backend().supports_defer and attempt <= settings.PROFILER_RETRIES:
        delay = retry_delay(attempt)
        logger.warning(
            "Profile refresh of user %s failed (attempt %d): %s; retrying in %.0f s",
            user_id,
            attempt,
            exc,
            delay.total_seconds(),
        )
        run_after = timezone.now() + delay
        services.renew_refresh_lease(user_id=user_id, due=run_after)
        refresh_profile_task.using(run_after=run_after).enqueue(user_id, attempt + 1)
        return True
    logger.error(
        "Profile refresh of user %s failed (attempt %d): %s; giving up, the profile "
        "stays as it was",
        user_id,
        attempt,
        exc,
    )
    return False

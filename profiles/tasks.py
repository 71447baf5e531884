"""Background profile refreshes through the Django tasks API."""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import services
from .profilers import ProfilerError

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff with jitter: about 1x, 2x, 4x ... PROFILER_RETRY_DELAY."""
    base = settings.PROFILER_RETRY_DELAY * 2 ** (attempt - 1)
    return timedelta(seconds=base * random.uniform(0.5, 1.5))


@task()
def refresh_profile_task(user_id: int, attempt: int = 1) -> None:
    """Refresh one person's profile; on a profiler failure retry later, a bounded number of
    times. Turns recorded while it runs get exactly one more refresh after it.

    Retries need a backend that can run a task later (the database queue). In-process
    (immediate) runs do not wait and retry: the next interaction's refresh covers the miss.
    """
    covered = services.start_refresh(user_id=user_id)
    try:
        services.refresh_profile(user_id=user_id)
    except ProfilerError as exc:
        backend = refresh_profile_task.get_backend()
        if backend.supports_defer and attempt <= settings.PROFILER_RETRIES:
            delay = retry_delay(attempt)
            logger.warning(
                "Profile refresh of user %s failed (attempt %d): %s; retrying in %.0f s",
                user_id,
                attempt,
                exc,
                delay.total_seconds(),
            )
            refresh_profile_task.using(run_after=timezone.now() + delay).enqueue(
                user_id, attempt + 1
            )
            return  # still queued: the retry finishes the refresh
        logger.error(
            "Profile refresh of user %s failed (attempt %d): %s; giving up, the profile "
            "stays as it was",
            user_id,
            attempt,
            exc,
        )
    services.finish_refresh(user_id=user_id, covered=covered)

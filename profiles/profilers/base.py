"""The profiler contract: plain data in, profile text out.

A profiler knows nothing of requests, views or the ORM. It gets the current profile and the
turns it has not seen yet (oldest first) as plain values and returns the new profile text. The
service layer cleans, cuts and stores what it returns. Which profiler runs is the dotted
path in `settings.PROFILER` (the `PROFILER` environment variable picks `rules` or `llm`).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.checks import CheckMessage
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Turn:
    """One recorded exchange: what the person wrote and what the assistant answered."""

    user_message: str
    assistant_response: str


class ProfilerError(Exception):
    """The profiler could not produce a profile; the stored profile must stay as it was.

    Messages must never contain the person's text: they are logged.
    """


class BaseProfiler:
    """Subclass this and implement `profile`.

    `name` is stored on every revision the profiler writes, so a profile's history shows
    which profiler produced it.
    """

    name = "base"
    # How many turns it has already seen a profiler is shown again beside the unseen ones:
    # one that rebuilds lines from the recent conversation (the rules profiler) needs some.
    context_turns = 0

    def profile(self, *, current_profile: str, interactions: Sequence[Turn]) -> str:
        """Return the updated profile, or raise ProfilerError.

        `current_profile` is "" when there is none; `interactions` holds the turns not
        seen yet and up to `context_turns` of the newest turns already seen, in the order
        they were recorded, and is never empty.
        """
        raise NotImplementedError

    @classmethod
    def check(cls) -> list[CheckMessage]:
        """System check messages about what this profiler needs (settings, a worker)."""
        return []


def get_profiler() -> BaseProfiler:
    """Instantiate the profiler named by `settings.PROFILER`."""
    return import_string(settings.PROFILER)()

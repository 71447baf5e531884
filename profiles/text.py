"""Plain-text rules shared by services and profilers (no ORM, no requests)."""

import logging

from users.models import PROFILE_MAX_LENGTH

logger = logging.getLogger(__name__)


def clean_text(text: str) -> str:
    """Remove NUL characters, which PostgreSQL text columns cannot store; keep all else."""
    return text.replace("\x00", "")


def truncate_at_word(text: str, limit: int = PROFILE_MAX_LENGTH) -> str:
    """Cut `text` to at most `limit` characters, at the last word boundary when there is one."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    boundary = max(cut.rfind(" "), cut.rfind("\n"), cut.rfind("\t"))
    # A single enormous "word" has no boundary worth keeping: cut it hard.
    end = boundary if boundary > limit // 2 else limit
    return text[:end].rstrip()


def normalise_profile(text: str) -> str:
    """Return the profile as it is stored: no NULs, no outer blanks, at most 4,000 characters."""
    text = clean_text(text).strip()
    cut = truncate_at_word(text)
    if cut != text:
        logger.info("Profile cut from %d to %d characters", len(text), len(cut))
    return cut

"""Plain-text rules shared by services and profilers (no queries, no requests)."""

import logging

from django.contrib.auth import get_user_model

logger = logging.getLogger(__name__)

# Declared on the model field; forms, the API schema and the LLM prompt read it from here.
PROFILE_MAX_LENGTH = get_user_model()._meta.get_field("user_profile").max_length


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str) -> str:
    """Normalise line endings to \n and remove NUL characters, which PostgreSQL text columns
    cannot store; keep everything else as it was written."""
    return normalise_newlines(text).replace("\x00", "")


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


def check_storable(text: str) -> str:
    """Refuse text that cannot be stored as UTF-8 (a lone surrogate); never alter it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (it holds a lone surrogate)") from None
    return text

"""The instruction an LLM gets to update a profile (plain text in, plain text out)."""

from collections.abc import Sequence

from .profilers.base import Turn
from .text import PROFILE_MAX_LENGTH, truncate_at_word

HISTORY_TURNS = 5
TURN_CHARS = 1000
LATEST_CHARS = 4000

SYSTEM_PROMPT = (
    "You maintain a short profile of one person for an assistant that talks with them. "
    "You answer with the updated profile text only, no preamble."
)

INSTRUCTIONS = f"""\
Update the profile of the person below after their latest conversation turn.

Capture what helps an assistant personalise its answers:
- communication style (length, tone, formality, questions);
- topics of interest and recurring themes;
- emotional patterns (what frustrates, worries or pleases them);
- presentation preferences (brevity, detail, lists, examples, code, language);
- useful context they have shared about themselves.

Rules:
- Update incrementally: keep what is still true, add what is new, drop what the latest
  turn contradicts. Do not restate the conversation.
- Keep any text the person wrote into their profile themselves, as they wrote it.
- Be concise: short plain sentences, at most {PROFILE_MAX_LENGTH:,} characters in all.
- Write in the language the person writes in.
- Record only what the conversation supports; never invent facts."""


def _trim(text: str, limit: int) -> str:
    short = truncate_at_word(text, limit)
    return short if short == text else short + " [...]"


def build_profile_prompt(
    *,
    current_profile: str,
    history: Sequence[Turn],
    user_message: str,
    assistant_response: str,
) -> str:
    """Return the user prompt for the LLM: instructions, profile, bounded history, latest turn."""
    recent = list(history)[-HISTORY_TURNS:]
    parts = [INSTRUCTIONS, "", "Current profile:", current_profile.strip() or "(empty)"]
    if recent:
        parts += ["", f"Earlier turns (oldest first, last {len(recent)}):"]
        for turn in recent:
            parts.append(f"Person: {_trim(turn.user_message, TURN_CHARS)}")
            parts.append(f"Assistant: {_trim(turn.assistant_response, TURN_CHARS)}")
    parts += [
        "",
        "Latest turn:",
        f"Person: {_trim(user_message, LATEST_CHARS)}",
        f"Assistant: {_trim(assistant_response, TURN_CHARS)}",
        "",
        "Updated profile:",
    ]
    return "\n".join(parts)

"""Reads shared by the pages, the API and the admin."""

import json
from collections.abc import Iterable, Iterator

from django.contrib.auth.base_user import AbstractBaseUser

# Rows per round trip of the server-side cursors. A turn may hold 2 x 200,000 characters and
# is held a few times over while it is encoded: 10 keep a worker's peak near 10 MB. A revision
# holds at most 4,000.
TURNS_PER_FETCH = 10
REVISIONS_PER_FETCH = 500


def _json(value, depth: int) -> str:
    # A line break inside a JSON string is escaped, so every one here is layout.
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + "  " * depth)


def _array(rows: Iterable[dict]) -> Iterator[str]:
    yield "["
    empty = True
    for row in rows:
        yield ("\n    " if empty else ",\n    ") + _json(row, 2)
        empty = False
    yield "]" if empty else "\n  ]"


def export_user_data(user: AbstractBaseUser) -> Iterator[str]:
    """Everything stored about one person as a JSON document, in pieces: the history is read
    a few rows at a time, so any amount of it streams in constant memory."""
    account = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }
    revisions = user.profile_revisions.order_by("created_at", "id").values_list(
        "created_at", "source", "profiler", "text"
    )
    interactions = user.interactions.order_by("created_at", "id").values_list(
        "created_at", "user_message", "assistant_response"
    )
    yield '{\n  "account": ' + _json(account, 1)
    yield ',\n  "user_profile": ' + _json(user.user_profile, 1)
    yield ',\n  "revisions": '
    yield from _array(
        {"created_at": at.isoformat(), "source": source, "profiler": profiler, "text": text}
        for at, source, profiler, text in revisions.iterator(chunk_size=REVISIONS_PER_FETCH)
    )
    yield ',\n  "interactions": '
    yield from _array(
        {"created_at": at.isoformat(), "user_message": message, "assistant_response": response}
        for at, message, response in interactions.iterator(chunk_size=TURNS_PER_FETCH)
    )
    yield "\n}\n"

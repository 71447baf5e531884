"""Deploy phases: post_deploy migrations wait until no running release still needs the old shape.

A migration with `post_deploy = True` (a contract step: drop a column or a table, make a column
NOT NULL) is held back by `migrate` while any release seen in the last
SCHEMAGUARD['RELEASE_SEEN_SECONDS'] lacks it; so is every migration that depends on it. A release
is the set of migration files a process was deployed with: a release whose files include the
drop is one whose models no longer use the column.
"""

import hashlib
import logging
import time
from datetime import timedelta
from functools import cache

from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .conf import setting

logger = logging.getLogger("schemaguard")

RECORD_EVERY = 60.0  # seconds; a process writes its release at most this often
_last_recorded = float("-inf")

Node = tuple[str, str]


@cache
def this_release() -> tuple[str, list[str]]:
    """(fingerprint, sorted "app.name" list) of the migration files this process has."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = sorted(f"{app}.{name}" for app, name in loader.graph.nodes)
    return hashlib.sha256("\n".join(names).encode()).hexdigest(), names


def record_release(force: bool = False) -> None:
    """Note that this release is running (at most once a minute); never raise."""
    global _last_recorded
    if not force and time.monotonic() - _last_recorded < RECORD_EVERY:
        return
    _last_recorded = time.monotonic()
    from .models import Release

    fingerprint, names = this_release()
    now = timezone.now()
    try:
        Release.objects.update_or_create(
            fingerprint=fingerprint,
            defaults={"migrations": names, "last_seen": now},
            create_defaults={"migrations": names, "first_seen": now, "last_seen": now},
        )
    except DatabaseError as exc:  # before schemaguard's table exists, say
        logger.info("Could not record this release: %s", exc)
        if connection.in_atomic_block:
            raise


def is_post_deploy(migration) -> bool:
    return bool(getattr(migration, "post_deploy", False))


def held_back(loader: MigrationLoader, pending: list[Node]) -> set[Node]:
    """The pending post_deploy migrations and every pending one that depends on them."""
    held = {node for node in pending if is_post_deploy(loader.graph.nodes[node])}
    for node in pending:
        if any(parent in held for parent in loader.graph.forwards_plan(node)[:-1]):
            held.add(node)
    return held


def still_running_without(nodes: set[Node]) -> dict[Node, list[str]]:
    """For each node, the releases seen lately that do not know it ("release abc (seen 20 s
    ago)"); a node with none may be applied."""
    from .models import Release

    if not nodes:
        return {}
    seen = setting("RELEASE_SEEN_SECONDS")
    since = timezone.now() - timedelta(seconds=seen)
    try:
        recent = list(Release.objects.filter(last_seen__gte=since))
    except DatabaseError:  # schemaguard's own table is not there yet: nothing recorded
        if connection.in_atomic_block:
            raise
        recent = []
    blocking = {}
    for node in nodes:
        label = f"{node[0]}.{node[1]}"
        lacking = [
            f"{release} (seen {(timezone.now() - release.last_seen).seconds} s ago)"
            for release in recent
            if label not in release.migrations
        ]
        if lacking:
            blocking[node] = lacking
    return blocking

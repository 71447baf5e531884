"""PostgreSQL lock helpers for the lock-safe migrate: advisory lock, timeouts, blockers."""

import hashlib
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

logger = logging.getLogger("schemaguard")

# One key per database: advisory locks are scoped to the database they are taken in.
MIGRATE_LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"schemaguard.migrate").digest()[:8], "big", signed=True
)
LOCK_TIMEOUT_SQLSTATE = "55P03"  # lock_not_available

BLOCKERS_SQL = """
SELECT DISTINCT a.pid, a.state, a.xact_start, c.relname, l.mode,
       left(regexp_replace(a.query, '\\s+', ' ', 'g'), 120)
FROM pg_locks l
JOIN pg_class c ON c.oid = l.relation
JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.granted AND l.pid <> pg_backend_pid() AND a.datname = current_database()
  AND c.relkind IN ('r', 'p') AND (cardinality(%s::text[]) = 0 OR c.relname = ANY(%s))
ORDER BY a.xact_start NULLS LAST, a.pid
"""


def is_lock_timeout(exc: BaseException) -> bool:
    """Is this (or what caused it) PostgreSQL's "canceling statement due to lock timeout"?"""
    while exc is not None:
        if getattr(exc, "sqlstate", None) == LOCK_TIMEOUT_SQLSTATE:
            return True
        exc = exc.__cause__
    return False


def blockers(cursor, tables: Iterable[str] = ()) -> list[str]:
    """Describe the other sessions holding locks on `tables` (on any table when empty)."""
    names = sorted(set(tables))
    cursor.execute(BLOCKERS_SQL, [names, names])
    return [
        f"pid {pid} ({state}, in a transaction since "
        f"{f'{since:%Y-%m-%d %H:%M:%S %Z}' if since else 'unknown'}, holds {mode} on {table}): "
        f"{query!r}"
        for pid, state, since, table, mode, query in cursor.fetchall()
    ]


@contextmanager
def migrate_lock(connection) -> Iterator[None]:
    """Hold the database's migrate advisory lock, on a connection of its own, for the block.

    A dedicated connection means the lock lives exactly as long as this process's run (it
    is released even if the process dies) whatever the migrations do with theirs.
    """
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        cursor = raw.cursor()
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATE_LOCK_KEY])
        if not cursor.fetchone()[0]:
            cursor.execute(
                "SELECT a.pid, a.backend_start FROM pg_locks l JOIN pg_stat_activity a "
                "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                "AND l.classid = %s::oid AND l.objid = %s::oid AND l.objsubid = 1",
                [(MIGRATE_LOCK_KEY >> 32) & 0xFFFFFFFF, MIGRATE_LOCK_KEY & 0xFFFFFFFF],
            )
            holder = cursor.fetchone()
            logger.warning(
                "Another migrate is running on this database%s; waiting for it to finish.",
                f" (pid {holder[0]}, connected {holder[1]:%H:%M:%S})" if holder else "",
            )
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATE_LOCK_KEY])
            logger.warning("The other migrate finished; continuing.")
        yield
    finally:
        raw.close()  # releases the advisory lock


@contextmanager
def session_timeouts(connection, *, lock_timeout: float, statement_timeout: float):
    """Set lock_timeout and statement_timeout (seconds, 0 = off) for this session only."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, false)", [f"{int(lock_timeout * 1000)}ms"]
        )
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, false)",
            [f"{int(statement_timeout * 1000)}ms"],
        )
    try:
        yield
    finally:
        if connection.connection is not None and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
                cursor.execute("RESET statement_timeout")

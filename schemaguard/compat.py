"""`lintmigrations --compat`: measure what the pending migrations do, on a scratch database.

The pending migrations are applied one at a time to a scratch PostgreSQL database that starts
where the real one is. After each pre-deploy migration the live schema check runs with the
models of the release before the plan (the one still serving during the deploy): a column it
needs that is gone, renamed or retyped, or a new NOT NULL column without a default it does not
know, breaks that release. This sees what rules cannot read (SQL built inside RunPython, say).
Each migration also reports the tables it rewrote (their file node changed) and the strongest
lock it took on each table that existed before it.
"""

import os
from dataclasses import dataclass, field

from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from .phases import is_post_deploy
from .schema import Problem, model_problems

LOCK_STRENGTH = [
    "AccessShareLock",
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
]
TABLES_SQL = (
    "SELECT relname, relfilenode FROM pg_class "
    "WHERE relkind IN ('r', 'p') AND relnamespace = 'public'::regnamespace"
)
OWN_LOCKS_SQL = (
    "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
    "WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND c.relkind IN ('r', 'p')"
)


@dataclass
class Measured:
    migration: str
    post_deploy: bool
    locks: dict[str, str] | None = field(default_factory=dict)  # None: not atomic, not seen
    rewritten: list[str] = field(default_factory=list)
    breaks_old_release: list[Problem] = field(default_factory=list)
    acknowledged: str = ""

    def __str__(self) -> str:
        if self.locks is None:
            locks = "locks not measured (atomic = False)"
        else:
            locks = ", ".join(f"{t} {m}" for t, m in sorted(self.locks.items())) or "none"
        lines = [
            f"{self.migration}{' (post_deploy)' if self.post_deploy else ''}: "
            f"locks on existing tables: {locks}; rewrote: {', '.join(self.rewritten) or 'none'}"
        ]
        for problem in self.breaks_old_release:
            lines.append(
                f"  {'ACKNOWLEDGED' if self.acknowledged else 'ERROR'} [compat] the release "
                f"before this plan breaks: {problem.code} {problem.message}"
            )
        return "\n".join(lines)

    @property
    def blocking(self) -> bool:
        return bool(self.breaks_old_release) and not self.acknowledged


def measure(connection, loader: MigrationLoader, pending: list[tuple[str, str]]) -> list[Measured]:
    """Apply `pending` to a scratch copy of the schema, one migration at a time."""
    applied = list(loader.applied_migrations)
    old_state = loader.graph.make_state(
        nodes=applied, at_end=True, real_apps=loader.unmigrated_apps
    )
    old_models = list(old_state.apps.get_models(include_auto_created=True))
    name = f"{connection.settings_dict['NAME']}_compat_{os.getpid()}"[:63]
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
    # The scratch database stands in for this alias while measuring: RunPython code queries
    # through the default manager, and transaction.atomic() looks connections up by alias.
    scratch = connection.__class__({**connection.settings_dict, "NAME": name}, connection.alias)
    connections[connection.alias] = scratch
    try:
        executor = MigrationExecutor(scratch)
        executor.migrate(applied)  # where the real database is now
        results = []
        state = executor.loader.project_state(applied, at_end=True) if applied else None
        for node in pending:
            migration = executor.loader.graph.nodes[node]
            state = state or executor.loader.project_state(node, at_end=False)
            result = Measured(f"{node[0]}.{node[1]}", is_post_deploy(migration))
            before = _tables(scratch)
            if migration.atomic:
                with scratch.schema_editor(atomic=True) as editor:
                    state = migration.apply(state, editor)
                    result.locks = _own_locks(scratch, before)
            else:
                with scratch.schema_editor(atomic=False) as editor:
                    state = migration.apply(state, editor)
                result.locks = None
            MigrationRecorder(scratch).record_applied(*node)
            after = _tables(scratch)
            result.rewritten = sorted(t for t, fn in before.items() if after.get(t, fn) != fn)
            if not result.post_deploy:
                result.breaks_old_release = [
                    p for p in model_problems(scratch, old_models) if p.serious
                ]
                result.acknowledged = str(
                    (getattr(migration, "allow_unsafe", None) or {}).get("compat") or ""
                ).strip()
            results.append(result)
        return results
    finally:
        scratch.close()
        connections[connection.alias] = connection
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def _tables(connection) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(TABLES_SQL)
        return dict(cursor.fetchall())


def _own_locks(connection, existing: dict[str, int]) -> dict[str, str]:
    strongest: dict[str, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(OWN_LOCKS_SQL)
        for table, mode in cursor.fetchall():
            if table in existing and table != "django_migrations":
                current = strongest.get(table, LOCK_STRENGTH[0])
                if LOCK_STRENGTH.index(mode) >= LOCK_STRENGTH.index(current):
                    strongest[table] = mode
    return strongest

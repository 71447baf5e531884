"""Run schemaguard over the conformance suite on a scratch PostgreSQL database.

    DJANGO_SETTINGS_MODULE=tests.schemaguard.conformance.settings \
    DATABASE_URL=postgres://.../scratch python -m tests.schemaguard.conformance.run 50000

Each migration of each suite app is linted as the pending plan, then applied; after each,
every empty table gets ROWS rows (best effort: a column type it cannot fill leaves the
table empty). A migration that fails on the filled tables (as an unsafe one may) is
retried on emptied tables, so the ones after it still run. Prints one JSON line per
migration, then the summary.
"""

import json
import sys

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import DatabaseError, connection, transaction  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

from schemaguard.lint import Linter  # noqa: E402
from tests.schemaguard.conformance.verdicts import expected  # noqa: E402

NOT_A_VERDICT = {"stale-allow-unsafe", "allow-unsafe-reason"}
VALUES = {
    "smallint": "(i % 30000)",
    "integer": "i",
    "bigint": "i",
    "numeric": "(i % 1000)",
    "real": "i",
    "double precision": "i",
    "text": "'v' || i",
    "boolean": "false",
    "date": "current_date",
    "timestamp with time zone": "now()",
    "timestamp without time zone": "now()",
    "time without time zone": "'00:00'",
    "interval": "'1 day'",
    "uuid": "gen_random_uuid()",
    "json": "'{}'",
    "jsonb": "'{}'",
    "tsvector": "to_tsvector('v' || i)",
    "inet": "'127.0.0.1'",
}
TABLES = (
    "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p') AND NOT relispartition "
    "AND relnamespace = 'public'::regnamespace"
)


def tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(TABLES)
        return {row[0] for row in cursor.fetchall()}


def fill(table: str, rows: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
        if cursor.fetchone()[0]:
            return
        cursor.execute(
            "SELECT column_name, data_type, character_maximum_length FROM "
            "information_schema.columns WHERE table_schema = 'public' AND table_name = %s "
            "AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO' "
            "AND is_generated = 'NEVER'",
            [table],
        )
        columns, values = [], []
        for name, kind, length in cursor.fetchall():
            if kind in ("character varying", "character"):
                value = f"left('v' || i, {length or 20})"
            elif kind in VALUES:
                value = VALUES[kind]
            else:
                return
            columns.append(f'"{name}"')
            values.append(value)
    names = f"({', '.join(columns)})" if columns else ""
    select = ", ".join(values) if values else ""
    sql = (
        f'INSERT INTO "{table}" {names} SELECT {select} FROM generate_series(1, %s) i'
        if columns
        else f'INSERT INTO "{table}" SELECT FROM generate_series(1, %s) i'
    )
    if not columns:
        sql = f'INSERT INTO "{table}" DEFAULT VALUES'  # one row; identity columns only
        sql = f'INSERT INTO "{table}" SELECT FROM generate_series(1, %s) i'
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [rows])
            cursor.execute(f'ANALYZE "{table}"')
    except DatabaseError:
        pass


def empty(names: set[str]) -> None:
    with connection.cursor() as cursor:
        for table in names:
            try:
                with transaction.atomic():
                    cursor.execute(f'TRUNCATE "{table}" CASCADE')
            except DatabaseError:
                pass


def app_tables(node) -> set[str]:
    try:
        state = MigrationExecutor(connection).loader.project_state(node, at_end=False)
        config = state.apps.get_app_config(node[0])
        return {model._meta.db_table for model in config.get_models()}
    except Exception:  # noqa: BLE001  (a broken state: the prefix match alone)
        return set()


def apply(node) -> bool:
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([node])
        return True
    except Exception:  # noqa: BLE001
        return False


def main(rows: int) -> None:
    labels = settings.SCHEMAGUARD["APPS"]
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    others = [n for n in graph.leaf_nodes() if n[0] not in labels]
    executor.migrate(others)
    baseline = tables()
    results = []
    for app in sorted(labels):
        leaves = [n for n in graph.leaf_nodes() if n[0] == app]
        nodes = [n for leaf in leaves for n in graph.forwards_plan(leaf) if n[0] == app]
        for node in dict.fromkeys(nodes):
            label = f"{node[0]}.{node[1]}"
            verdict, reason = expected(label, graph.nodes[node])
            try:
                loader = MigrationExecutor(connection).loader
                findings = Linter(connection, loader).lint([node])
                codes = sorted({f.code for f in findings if f.code not in NOT_A_VERDICT})
                crashed = "lint-error" in codes
            except Exception as exc:  # noqa: BLE001  (counted: a crash)
                codes, crashed = [f"crash: {type(exc).__name__}: {exc}"], True
            applied = apply(node)
            if not applied:  # retried on the app's tables emptied
                empty(
                    {t for t in tables() - baseline if t in app_tables(node) or t.startswith(app)}
                )
                applied = apply(node)
                if not applied:
                    MigrationExecutor(connection).recorder.record_applied(*node)
            for _ in range(2):  # parents first, then tables that reference them
                for table in sorted(tables() - baseline):
                    fill(table, rows)
            result = {
                "migration": label,
                "expected": verdict,
                "reason": reason,
                "codes": codes,
                "crashed": crashed,
                "applied": applied,
            }
            results.append(result)
            print(json.dumps(result), flush=True)
    unsafe = [r for r in results if r["expected"] == "unsafe"]
    safe = [r for r in results if r["expected"] == "safe"]
    summary = {
        "rows": rows,
        "unsafe": len(unsafe),
        "caught": sum(bool(r["codes"]) for r in unsafe),
        "safe": len(safe),
        "flagged": sum(bool(r["codes"]) for r in safe),
        "crashes": sum(r["crashed"] for r in results),
    }
    print(json.dumps({"summary": summary}), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 0)

"""Migration checks: what a migration does to a live database and to the release still serving.

Each rule has a stable code, says why the operation is dangerous and what to do instead.
Lock and rewrite findings are graded by the real table (rows and size from the catalog):
an error above SCHEMAGUARD_SMALL_TABLE_ROWS, a warning below, an error when the size cannot
be known. A migration acknowledges a finding with `allow_unsafe = {"<code>": "<why>"}`;
`post_deploy = True` marks a contract step that must wait for the old release to stop.
Works on any Django project's migrations through the migration loader; imports no app.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django import db
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

ERROR, WARNING = "error", "warning"

# code: (why it is dangerous, what to do instead)
RULES = {
    "drop-column": (
        "the release still serving during the deploy selects this column: every query that "
        "names it fails (UndefinedColumn) until the old release is gone",
        "remove the field from the code first; drop the column in a migration marked "
        "`post_deploy = True`, which `migrate` holds back until no old release runs",
    ),
    "drop-not-null-column": (
        "while the drop is held back, the new release inserts rows without this NOT NULL "
        "column and every insert fails",
        "in an earlier, pre-deploy migration make the column nullable (null=True) or give it "
        "a database default (db_default); then drop it post-deploy",
    ),
    "drop-table": (
        "the release still serving reads and writes this table until it stops",
        "stop using the model first; delete it in a migration marked `post_deploy = True`",
    ),
    "rename-column": (
        "the old release knows the column by its old name, the new one by the new name: "
        "one of them fails whichever runs, and the rename takes an ACCESS EXCLUSIVE lock",
        "expand/contract: add the new column, write both and backfill, switch reads, then "
        "drop the old one post-deploy (or rename in the state only with "
        "SeparateDatabaseAndState and keep db_column)",
    ),
    "rename-table": (
        "the old release queries the old table name and fails until it stops",
        "keep the table name (Meta.db_table) and rename the model in the state only "
        "(SeparateDatabaseAndState), or copy to a new table over several deploys",
    ),
    "add-not-null-column": (
        "a NOT NULL column without a database default: the old release's inserts do not name "
        "it and fail (Django's `default` is not kept in the database)",
        "add it with null=True, or with a database default (db_default=...)",
    ),
    "volatile-default": (
        "a database default that is an expression may be volatile: PostgreSQL then rewrites "
        "the whole table under an ACCESS EXCLUSIVE lock",
        "add the column nullable without a default, backfill in batches, then set the default",
    ),
    "alter-column-type": (
        "changing a column's type rewrites the table (and its indexes) under an ACCESS "
        "EXCLUSIVE lock; the old release may also misread the new type",
        "add a new column of the new type, backfill in batches, switch, drop the old one "
        "post-deploy",
    ),
    "set-not-null": (
        "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, and the old "
        "release may still write NULL",
        "add a CHECK (col IS NOT NULL) NOT VALID constraint, VALIDATE CONSTRAINT (no write "
        "lock), then SET NOT NULL in a `post_deploy = True` migration",
    ),
    "create-index": (
        "a plain CREATE INDEX blocks all writes to the table while it builds",
        "AddIndexConcurrently (django.contrib.postgres.operations) in a migration with "
        "atomic = False",
    ),
    "add-unique": (
        "a unique constraint builds an index and blocks writes while it does",
        "AddIndexConcurrently with a unique index, then add the constraint USING INDEX",
    ),
    "add-check": (
        "adding a CHECK constraint scans the table under a lock that blocks writes",
        "AddConstraintNotValid, then ValidateConstraint in a later migration "
        "(django.contrib.postgres.operations)",
    ),
    "add-foreign-key": (
        "adding a foreign key validates every row while both tables are locked against writes",
        "add the field with db_constraint=False, then the constraint NOT VALID and VALIDATE "
        "CONSTRAINT in separate migrations (RunSQL with a reverse)",
    ),
    "runpython-no-reverse": (
        "RunPython without reverse_code: the migration can never be rolled back",
        "give it a reverse: a function, or migrations.RunPython.noop",
    ),
    "runsql-no-reverse": (
        "RunSQL without reverse_sql: the migration can never be rolled back",
        "give it reverse_sql (migrations.RunSQL.noop at least)",
    ),
    "data-with-ddl": (
        "a data change in the same migration as schema changes holds the schema locks for "
        "as long as the data takes, and cannot be retried on its own",
        "move the RunPython (or DML RunSQL) into its own migration",
    ),
    "allow-unsafe-reason": (
        "an acknowledgement without a reason says nothing to the next reader",
        "write why the operation is safe here: allow_unsafe = {'<code>': '<why>'}",
    ),
    "stale-allow-unsafe": (
        "the migration acknowledges a rule that does not fire on it",
        "remove the stale entry from allow_unsafe",
    ),
}
# Findings about locks and rewrites: graded by the size of the table.
SIZED = {
    "volatile-default",
    "alter-column-type",
    "set-not-null",
    "create-index",
    "add-unique",
    "add-check",
    "add-foreign-key",
}
# Contract steps: fine only in a post_deploy migration.
CONTRACT = {"drop-column", "drop-table", "set-not-null"}


@dataclass
class Finding:
    code: str
    migration: str  # "app_label.name"
    operation: str  # "#2 RemoveField(model=user, name=user_profile)"
    table: str = ""
    level: str = ERROR
    detail: str = ""  # size, or why it was graded so
    acknowledged: str = ""  # the reason, when the migration acknowledged it

    @property
    def why(self) -> str:
        return RULES[self.code][0]

    @property
    def instead(self) -> str:
        return RULES[self.code][1]

    @property
    def blocking(self) -> bool:
        return self.level == ERROR and not self.acknowledged

    def __str__(self) -> str:
        where = f" on {self.table}" if self.table else ""
        text = (
            f"{self.level.upper()} [{self.code}] {self.migration} {self.operation}{where}"
            f"{f' ({self.detail})' if self.detail else ''}: {self.why}. Instead: {self.instead}."
        )
        if self.acknowledged:
            text += f" Acknowledged: {self.acknowledged}"
        return text


def is_post_deploy(migration) -> bool:
    return bool(getattr(migration, "post_deploy", False))


# RunSQL: the statements that matter, found in the SQL text (comments removed).
SQL_RULES = [
    (r"\bDROP\s+COLUMN\b", "drop-column"),
    (r"\bDROP\s+TABLE\b", "drop-table"),
    (r"\bRENAME\s+COLUMN\b|\bRENAME\s+(?!TO\b)\w+\s+TO\b", "rename-column"),
    (r"\bALTER\s+TABLE\s+\S+\s+RENAME\s+TO\b", "rename-table"),
    (r"\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b", "alter-column-type"),
    (r"\bSET\s+NOT\s+NULL\b", "set-not-null"),
    (r"\bCREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY\b)", "create-index"),
    (r"\bADD\s+(CONSTRAINT\s+\S+\s+)?FOREIGN\s+KEY\b(?![^;]*\bNOT\s+VALID\b)", "add-foreign-key"),
    (r"\bADD\s+(CONSTRAINT\s+\S+\s+)?UNIQUE\b(?![^;]*\bUSING\s+INDEX\b)", "add-unique"),
    (r"\bADD\s+(CONSTRAINT\s+\S+\s+)?CHECK\b(?![^;]*\bNOT\s+VALID\b)", "add-check"),
]
DML = re.compile(r"^\s*(UPDATE|INSERT|DELETE)\b", re.IGNORECASE | re.MULTILINE)
TABLE_IN_SQL = re.compile(
    r"\b(?:ALTER\s+TABLE(?:\s+ONLY)?(?:\s+IF\s+EXISTS)?|DROP\s+TABLE(?:\s+IF\s+EXISTS)?|ON)"
    r"\s+\"?([\w.]+)\"?",
    re.IGNORECASE,
)


def _sql_text(sql) -> str:
    if isinstance(sql, (list, tuple)):
        return ";\n".join(s if isinstance(s, str) else s[0] for s in sql)
    return str(sql)


def _sql_findings(sql: str) -> list[tuple[str, str]]:
    """(code, table) for each dangerous statement in `sql`."""
    sql = re.sub(r"--[^\n]*|/\*.*?\*/", "", sql, flags=re.DOTALL)
    found = []
    for statement in sql.split(";"):
        tables = TABLE_IN_SQL.findall(statement)
        for pattern, code in SQL_RULES:
            if re.search(pattern, statement, re.IGNORECASE):
                found.append((code, tables[0] if tables else ""))
    return found


def _field_sql_type(field, connection) -> str | None:
    try:
        return field.db_type(connection)
    except Exception:  # a field needing a connection feature the linting one lacks
        return None


def _has_db_default(field) -> bool:
    return getattr(field, "db_default", models.NOT_PROVIDED) is not models.NOT_PROVIDED


class Linter:
    """Find the risks in a sequence of migrations (a plan, in the order it would run)."""

    def __init__(self, connection=None, loader: MigrationLoader | None = None) -> None:
        self.connection = connection
        self.loader = loader or MigrationLoader(connection, ignore_no_migrations=True)
        self.sizes: dict[str, tuple[int, int] | None] = {}

    # Which migrations are checked

    def checked(self, node: tuple[str, str]) -> bool:
        app_label, name = node
        apps_to_check = getattr(settings, "SCHEMAGUARD_APPS", None)
        if apps_to_check is None:
            apps_to_check = _project_apps()
        if app_label not in apps_to_check:
            return False
        exempt_until = getattr(settings, "SCHEMAGUARD_EXEMPT_UNTIL", {}).get(app_label)
        if exempt_until:
            exempt = self.loader.graph.forwards_plan((app_label, exempt_until))  # and ancestors
            if node in exempt:
                return False
        return True

    # The rules

    def lint(self, nodes: Iterable[tuple[str, str]], *, new_tables_carry: bool = True):
        """Every finding for these migrations, in order. Tables created by an earlier
        migration of `nodes` are new and empty (when `new_tables_carry`), so no lock or
        rewrite finding is reported on them."""
        findings: list[Finding] = []
        new_tables: set[str] = set()
        for node in nodes:
            if not new_tables_carry:
                new_tables = set()
            migration = self.loader.graph.nodes[node]
            if not self.checked(node):
                continue
            state = self.loader.project_state(node, at_end=False)
            findings += self._lint_migration(migration, state, new_tables)
        return findings

    def _lint_migration(self, migration, state: ProjectState, new_tables: set[str]):
        label = f"{migration.app_label}.{migration.name}"
        raw: list[Finding] = []
        schema_ops = data_ops = 0
        for index, operation in enumerate(migration.operations, 1):
            described = f"#{index} {operation.describe()}"
            for code, table in self._operation_findings(migration, operation, state, new_tables):
                raw.append(Finding(code, label, described, table))
            if isinstance(operation, migrations.RunSQL):
                data_ops += bool(DML.search(_sql_text(operation.sql)))
            elif isinstance(operation, migrations.RunPython):
                data_ops += 1
            else:
                schema_ops += 1
            operation.state_forwards(migration.app_label, state)
        if data_ops and schema_ops:
            raw.append(Finding("data-with-ddl", label, f"{data_ops} data operation(s)"))
        return self._grade_and_acknowledge(migration, label, raw)

    def _operation_findings(self, migration, operation, state, new_tables):
        app_label = migration.app_label
        post_deploy = is_post_deploy(migration)

        def model_table(model_name):
            # From the model state, without rendering the apps (slow).
            model_state = state.models.get((app_label, model_name.lower()))
            if model_state is None:
                return ""
            return model_state.options.get("db_table") or f"{app_label}_{model_name.lower()}"

        found = []
        if isinstance(operation, migrations.CreateModel):
            new_tables.add(
                operation.options.get("db_table") or f"{app_label}_{operation.name_lower}"
            )
            return found
        if isinstance(operation, migrations.RunPython):
            if operation.reverse_code is None:
                found.append(("runpython-no-reverse", ""))
            return found
        if isinstance(operation, migrations.RunSQL):
            if operation.reverse_sql is None:
                found.append(("runsql-no-reverse", ""))
            found += _sql_findings(_sql_text(operation.sql))
            return found
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            for inner in operation.database_operations:
                found += self._operation_findings(migration, inner, state.clone(), new_tables)
            return found
        name = getattr(operation, "model_name", None) or getattr(operation, "name", "")
        table = model_table(name) if name else ""
        if isinstance(operation, migrations.DeleteModel):
            found.append(("drop-table", table))
        elif isinstance(operation, (migrations.RenameModel, migrations.AlterModelTable)):
            if table not in new_tables:
                found.append(("rename-table", table))
        elif isinstance(operation, migrations.RemoveField):
            found.append(("drop-column", table))
            old = state.models[(app_label, operation.model_name_lower)].fields[operation.name]
            if post_deploy and not old.null and not _has_db_default(old) and not old.many_to_many:
                found.append(("drop-not-null-column", table))
        elif isinstance(operation, migrations.RenameField):
            if table not in new_tables:
                found.append(("rename-column", table))
        elif isinstance(operation, migrations.AddField):
            field = operation.field
            if table in new_tables or field.many_to_many:
                return found
            if not field.null and not _has_db_default(field):
                found.append(("add-not-null-column", table))
            # A literal (kept as it is, or as Value) is stored once: no rewrite.
            db_default = getattr(field, "db_default", models.NOT_PROVIDED)
            if hasattr(db_default, "resolve_expression") and not isinstance(
                db_default, models.Value
            ):
                found.append(("volatile-default", table))
            if field.is_relation and getattr(field, "db_constraint", False):
                found.append(("add-foreign-key", table))
            if field.unique and not field.primary_key:
                found.append(("add-unique", table))
            elif getattr(field, "db_index", False) or field.is_relation:
                found.append(("create-index", table))
        elif isinstance(operation, migrations.AlterField):
            if table in new_tables:
                return found
            old = state.models[(app_label, operation.model_name_lower)].fields[operation.name]
            new = operation.field
            # The column types as this backend would create them (no connection needed).
            if _field_sql_type(old, db.connection) != _field_sql_type(new, db.connection):
                found.append(("alter-column-type", table))
            if old.null and not new.null:
                found.append(("set-not-null", table))
            if new.is_relation and getattr(new, "db_constraint", False) and not old.is_relation:
                found.append(("add-foreign-key", table))
            if new.unique and not old.unique and not new.primary_key:
                found.append(("add-unique", table))
            elif getattr(new, "db_index", False) and not getattr(old, "db_index", False):
                found.append(("create-index", table))
        elif isinstance(operation, migrations.AddIndex):
            # AddIndexConcurrently (django.contrib.postgres) subclasses AddIndex.
            if type(operation).__name__ != "AddIndexConcurrently":
                found.append(("create-index", table))
        elif isinstance(operation, migrations.AddConstraint):
            if table in new_tables or type(operation).__name__ == "AddConstraintNotValid":
                return found
            constraint = operation.constraint
            if isinstance(constraint, models.UniqueConstraint):
                found.append(("add-unique", table))
            elif isinstance(constraint, models.CheckConstraint):
                found.append(("add-check", table))
        elif isinstance(operation, migrations.AlterUniqueTogether) and operation.unique_together:
            found.append(("add-unique", table))
        return [(code, t) for code, t in found if not (code in SIZED and t in new_tables)]

    # Grading and acknowledgements

    def _grade_and_acknowledge(self, migration, label: str, raw: list[Finding]):
        post_deploy = is_post_deploy(migration)
        findings = []
        for finding in raw:
            if finding.code in CONTRACT and not post_deploy:
                finding.detail = "a contract step outside a post_deploy migration"
            elif finding.code in CONTRACT and finding.code not in SIZED:
                continue  # a drop in its place: held back until no old release needs it
            elif finding.code in SIZED:
                self._grade(finding)
            findings.append(finding)
        allowed = getattr(migration, "allow_unsafe", None) or {}
        fired = {f.code for f in findings}
        for code, reason in allowed.items():
            if not str(reason or "").strip():
                findings.append(Finding("allow-unsafe-reason", label, f"allow_unsafe[{code!r}]"))
            elif code not in fired:
                findings.append(
                    Finding("stale-allow-unsafe", label, f"allow_unsafe[{code!r}]", level=WARNING)
                )
        for finding in findings:
            reason = str(allowed.get(finding.code) or "").strip()
            if reason and finding.code not in ("allow-unsafe-reason", "stale-allow-unsafe"):
                finding.acknowledged = reason
        return findings

    def _grade(self, finding: Finding) -> None:
        limit = int(getattr(settings, "SCHEMAGUARD_SMALL_TABLE_ROWS", 10_000))
        size = self._table_size(finding.table) if finding.table else None
        if size is None:
            finding.detail = "table size unknown: no PostgreSQL database to ask"
            return
        rows, nbytes = size
        # Never analysed, a table's estimate is unknown; the count stops past the limit.
        counted = f"over {limit:,}" if rows > limit else f"~{rows:,}"
        finding.detail = f"{counted} rows, {nbytes / 1_048_576:.1f} MB"
        if rows <= limit:
            finding.level = WARNING
            finding.detail += f"; small (SCHEMAGUARD_SMALL_TABLE_ROWS={limit:,})"

    def _table_size(self, table: str) -> tuple[int, int] | None:
        """Estimated rows (never below an exact count up to the limit) and total bytes."""
        if self.connection is None or self.connection.vendor != "postgresql":
            return None
        if table not in self.sizes:
            limit = int(getattr(settings, "SCHEMAGUARD_SMALL_TABLE_ROWS", 10_000))
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT c.reltuples::bigint, pg_total_relation_size(c.oid) FROM pg_class c "
                    "WHERE c.oid = to_regclass(%s)",
                    [self.connection.ops.quote_name(table)],
                )
                row = cursor.fetchone()
                if row is None:  # not in this database (yet): created by the plan
                    self.sizes[table] = (0, 0)
                    return self.sizes[table]
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM "
                    f"{self.connection.ops.quote_name(table)} LIMIT %s) t",
                    [limit + 1],
                )
                counted = cursor.fetchone()[0]
            self.sizes[table] = (max(row[0], counted), row[1])
        return self.sizes[table]


def _project_apps() -> set[str]:
    """Apps whose code lives in this project (not installed packages)."""
    from django.apps import apps

    base = str(settings.BASE_DIR)
    return {
        config.label
        for config in apps.get_app_configs()
        if str(config.path).startswith(base) and "site-packages" not in str(config.path)
    }


def report(findings: list[Finding], stdout, stderr, style) -> bool:
    """Print the findings (nothing when there are none); return True when one is an
    unacknowledged error."""
    if not findings:
        return False
    for finding in findings:
        if finding.blocking:
            stderr.write(style.ERROR(str(finding)))
        else:
            stdout.write(str(finding) if finding.acknowledged else style.WARNING(str(finding)))
    blocking = sum(f.blocking for f in findings)
    acknowledged = sum(bool(f.acknowledged) for f in findings)
    warnings = sum(f.level == WARNING and not f.acknowledged for f in findings)
    summary = (
        f"schemaguard: {blocking} error(s), {acknowledged} acknowledged, {warnings} warning(s)."
    )
    (stderr if blocking else stdout).write(summary)
    return bool(blocking)

"""Migration checks: what a migration does to a live database and to the release still serving.

For each migration the SQL Django will run (the schema editor's, as `sqlmigrate` prints it,
and RunSQL's text) is parsed with PostgreSQL's own parser and judged by the rules in
`schemaguard.rules`; operation rules add what SQL cannot show (RunPython, deploy phases).
Lock and rewrite findings are graded by the real table (rows and size from the catalog): an
error above SMALL_TABLE_ROWS, a warning below, an error when the size cannot be known.
A migration acknowledges a finding with `allow_unsafe = {"<code>": "<why>"}`;
`post_deploy = True` marks a contract step that must wait for the old release to stop.
An internal error on one migration is a `lint-error` finding on it, never a crash.
Works on any Django project's migrations through the migration loader; imports no app.
"""

import os
import site
import sysconfig
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connections, migrations, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from pglast import ast
from pglast.enums import AlterTableType, ConstrType, ObjectType, ReindexObjectType

from .conf import setting
from .phases import is_post_deploy
from .rules import CMD, ERROR, RULES, WARNING, Constraint, Context, Plan, rules_on
from .sql import (
    Catalog,
    OfflineCatalog,
    Rendered,
    default_expression,
    dotted,
    is_dml,
    is_harmless,
    is_null_constant,
    not_null_columns,
    offline_connection,
    parse,
    relation_name,
    runsql_text,
)

__all__ = ["ERROR", "WARNING", "Finding", "Linter", "is_post_deploy", "report"]


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
        return RULES[self.code].why

    @property
    def instead(self) -> str:
        return RULES[self.code].instead

    @property
    def blocking(self) -> bool:
        return self.level == ERROR and not self.acknowledged

    def __str__(self) -> str:
        where = f" on {self.table}" if self.table else ""
        operation = f" {self.operation}" if self.operation else ""
        text = (
            f"{self.level.upper()} [{self.code}] {self.migration}{operation}{where}"
            f"{f' ({self.detail})' if self.detail else ''}: {self.why}. Instead: {self.instead}."
        )
        if self.acknowledged:
            text += f" Acknowledged: {self.acknowledged}"
        return text


def _error_text(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}"[:300]


class Linter:
    """Find the risks in a sequence of migrations (a plan, in the order it would run)."""

    def __init__(self, connection=None, loader: MigrationLoader | None = None) -> None:
        self.connection = connection
        self.loader = loader or MigrationLoader(connection, ignore_no_migrations=True)
        self.sizes: dict[str, tuple[int, int] | None] = {}
        live = connection is not None and connection.vendor == "postgresql"
        self.render_connection = (
            connection if live else offline_connection(getattr(connection, "alias", "default"))
        )
        self.catalog = Catalog(connection) if live else OfflineCatalog()
        self._state = None  # the project state after the nodes in self._applied
        self._applied: set = set()
        self._exempt: dict[str, set] = {}
        self._project_apps: set[str] | None = None
        self._transactions = 0

    # Which migrations are checked

    def checked(self, node: tuple[str, str]) -> bool:
        app_label, _name = node
        apps_to_check = setting("APPS")
        if apps_to_check is None:
            if self._project_apps is None:
                self._project_apps = _project_apps()
            apps_to_check = self._project_apps
        if app_label not in apps_to_check:
            return False
        exempt_until = setting("EXEMPT_UNTIL").get(app_label)
        if exempt_until:
            if app_label not in self._exempt:  # the exempt migration and its ancestors
                self._exempt[app_label] = set(
                    self.loader.graph.forwards_plan((app_label, exempt_until))
                )
            if node in self._exempt[app_label]:
                return False
        return True

    # The run

    def lint(self, nodes: Iterable[tuple[str, str]], *, new_tables_carry: bool = True):
        """Every finding for these migrations, in order. Tables created by an earlier
        migration of `nodes` are new and empty (when `new_tables_carry`), so nothing is
        reported on them."""
        findings: list[Finding] = []
        plan = Plan()
        for node in self._in_order(nodes):
            label = f"{node[0]}.{node[1]}"
            if not new_tables_carry:
                plan.new_tables = set()
            migration = None
            try:
                if not self.checked(node):
                    continue
                migration = self.loader.graph.nodes[node]
                findings += self._lint_migration(migration, self._state_before(node), plan)
                self._applied.add(node)
            except Exception as exc:  # noqa: BLE001  (one migration's error hides no other)
                self._state = None
                error = Finding("lint-error", label, "", detail=_error_text(exc))
                findings += self._grade_and_acknowledge(migration, label, [error])
        return findings

    def _in_order(self, nodes: Iterable) -> list:
        """`nodes` in an order the graph allows (parents first)."""
        nodes = list(dict.fromkeys(nodes))
        graph = self.loader.graph
        try:
            order = {}
            for leaf in sorted(graph.leaf_nodes()):
                for node in graph.forwards_plan(leaf):
                    order.setdefault(node, len(order))
            return sorted(nodes, key=lambda n: order.get(n, len(order)))
        except Exception:  # noqa: BLE001  (a broken graph: each node then reports its error)
            return nodes

    def _state_before(self, node):
        """The project state just before `node`, reusing the one kept from the last node."""
        graph = self.loader.graph
        if self._state is None:
            self._state = ProjectState(real_apps=self.loader.unmigrated_apps)
            self._applied = set()
        parents = [parent.key for parent in graph.node_map[node].parents]
        if not all(p in self._applied for p in parents):
            for missing in graph.forwards_plan(node)[:-1]:
                if missing not in self._applied:
                    migration = graph.nodes[missing]
                    for operation in migration.operations:
                        try:
                            operation.state_forwards(migration.app_label, self._state)
                        except Exception:  # noqa: BLE001, S112  (reported when it is linted)
                            continue
                    self._applied.add(missing)
        return self._state

    # One migration

    def _lint_migration(self, migration, state, plan: Plan) -> list[Finding]:
        label = f"{migration.app_label}.{migration.name}"
        raw: list[Finding] = []
        data_ops = schema_ops = 0
        self._transactions += 1
        for index, operation in enumerate(migration.operations, 1):
            described = f"#{index} {_describe(operation)}"
            before = state.clone()
            ctx = Context(
                migration,
                plan,
                self.catalog,
                state=before,
                connection=self.render_connection,
                transaction=self._transactions,
                in_transaction=migration.atomic,
            )
            found: dict[tuple[str, str], Finding] = {}
            changes_schema = False  # of a table that existed before the migration
            try:
                operation.state_forwards(migration.app_label, state)
                for rule in rules_on(type(operation)):
                    self._hit(found, rule, rule.check(operation, ctx), label, described, "")
                rendered = self._render(operation, migration.app_label, before, state)
                for piece in rendered:
                    for statement in piece.statements:
                        changes_schema |= self._judge(statement, ctx, found, label, described)
            except Exception as exc:  # noqa: BLE001  (this operation is unknown; go on)
                rendered = []
                found[("lint-error", "")] = Finding(
                    "lint-error", label, described, detail=_error_text(exc)
                )
            schema_ops += changes_schema
            raw += found.values()
            if isinstance(operation, migrations.RunPython):
                data_ops += 1
            data_ops += any(piece.source == "runsql" and piece.is_data for piece in rendered)
        if migration.atomic:  # a default dropped and set again in one transaction: never missing
            raw = [
                f
                for f in raw
                if not any(
                    f.code == "add-not-null-column"
                    and f.table == table
                    and f.detail == f"the default of {column} is dropped right after it is added"
                    for table, column in plan.restored_defaults
                )
            ]
        plan.restored_defaults = set()
        if data_ops and schema_ops:
            raw.append(Finding("data-with-ddl", label, f"{data_ops} data operation(s)"))
        return self._grade_and_acknowledge(migration, label, raw)

    def _hit(self, found, rule, result, label, described, table) -> None:
        if not result:
            return
        detail = result if isinstance(result, str) else ""
        found.setdefault(
            (rule.code, table), Finding(rule.code, label, described, table, detail=detail)
        )

    def _render(self, operation, app_label, from_state, to_state) -> list[Rendered]:
        """The statements this operation sends to the database, parsed."""
        if isinstance(operation, migrations.RunSQL):
            if self.render_connection is None:
                raise RuntimeError("no PostgreSQL driver (psycopg) to render the SQL with")
            quote = self.render_connection.schema_editor().quote_value
            return [Rendered(parse(runsql_text(operation.sql, quote)), "runsql")]
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            pieces = []
            for inner in operation.database_operations:
                inner_to = from_state.clone()
                inner.state_forwards(app_label, inner_to)
                pieces += self._render(inner, app_label, from_state, inner_to)
                from_state = inner_to
            return pieces
        if not operation.reduces_to_sql:
            return []  # RunPython: nothing to read; its code runs only when migrating
        if self.render_connection is None:
            raise RuntimeError("no PostgreSQL driver (psycopg) to render the SQL with")
        connection = self.render_connection
        with (
            _rolled_back(connection, operation),
            connection.schema_editor(collect_sql=True, atomic=False) as editor,
        ):
            editor._constraint_names = _assume_constraints(editor._constraint_names)
            operation.database_forwards(app_label, editor, from_state, to_state)
        return [Rendered(parse("\n".join(editor.collected_sql)), "django")]

    def _judge(self, statement, ctx: Context, found, label, described) -> bool:
        """Run the SQL rules on one statement, then note what it changed. True when it is a
        schema change on a table the plan did not create."""
        if not ctx.migration.atomic and ctx.in_transaction is not True:
            self._transactions += 1  # autocommit: each statement its own transaction
            ctx.transaction = self._transactions
        if isinstance(statement, ast.TransactionStmt):
            kind = statement.kind.name
            ctx.in_transaction = ctx.migration.atomic or kind in (
                "TRANS_STMT_BEGIN",
                "TRANS_STMT_START",
            )
            return False
        ctx.table = self._table_of(statement, ctx)
        new = ctx.plan.new_tables
        creates = isinstance(statement, (ast.CreateStmt, ast.CreateTableAsStmt))
        changes_schema = (
            ctx.table not in new
            and not creates
            and not is_dml(statement)
            and not is_harmless(statement)
        )
        for rule in rules_on(type(statement)):
            if ctx.table not in new:
                self._hit(found, rule, rule.check(statement, ctx), label, described, ctx.table)
        if isinstance(statement, ast.AlterTableStmt):
            for cmd in statement.cmds or ():
                if ctx.table not in new:
                    for rule in rules_on(CMD):
                        self._hit(found, rule, rule.check(cmd, ctx), label, described, ctx.table)
                _track_cmd(cmd, ctx)
        _track_statement(statement, ctx)
        return changes_schema

    def _table_of(self, statement, ctx: Context) -> str:
        if isinstance(statement, ast.DropStmt):
            name = dotted(statement.objects[0]) if statement.objects else ""
            if statement.removeType == ObjectType.OBJECT_INDEX:
                return self._index_table(name, ctx) or name
            return name
        if isinstance(statement, ast.ReindexStmt):
            name = relation_name(statement.relation)
            if statement.kind == ReindexObjectType.REINDEX_OBJECT_INDEX:
                return self._index_table(name, ctx) or name
            return name
        return relation_name(getattr(statement, "relation", None))

    def _index_table(self, index: str, ctx: Context) -> str | None:
        if index in ctx.plan.indexes:
            return ctx.plan.indexes[index]
        for model_state in ctx.state.models.values() if ctx.state is not None else ():
            for model_index in model_state.options.get("indexes", []):
                if model_index.name == index:
                    return model_state.options.get("db_table") or (
                        f"{model_state.app_label}_{model_state.name_lower}"
                    )
        return self.catalog.index_table(index)

    # Grading and acknowledgements

    def _grade_and_acknowledge(self, migration, label: str, raw: list[Finding]):
        post_deploy = migration is not None and is_post_deploy(migration)
        findings = []
        for finding in raw:
            rule = RULES[finding.code]
            if rule.contract and not post_deploy:
                finding.detail = "; ".join(
                    filter(
                        None, [finding.detail, "a contract step outside a post_deploy migration"]
                    )
                )
                if rule.sized:
                    self._grade(finding)
                    finding.level = ERROR  # a contract step is never small enough
            elif rule.contract and not rule.sized:
                continue  # a drop in its place: held back until no old release needs it
            elif rule.sized:
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
        limit = int(setting("SMALL_TABLE_ROWS"))
        size = self._table_size(finding.table) if finding.table else None
        detail = [finding.detail] if finding.detail else []
        if size is None:
            finding.detail = "; ".join(
                detail + ["table size unknown: no PostgreSQL database to ask"]
            )
            return
        rows, nbytes = size
        # Never analysed, a table's estimate is unknown; the count stops past the limit.
        counted = f"over {limit:,}" if rows > limit else f"~{rows:,}"
        detail.append(f"{counted} rows, {nbytes / 1_048_576:.1f} MB")
        if rows <= limit:
            finding.level = WARNING
            detail.append(f"small (SMALL_TABLE_ROWS={limit:,})")
        finding.detail = "; ".join(detail)

    def _table_size(self, table: str) -> tuple[int, int] | None:
        """Estimated rows (never below an exact count up to the limit) and total bytes."""
        if self.connection is None or self.connection.vendor != "postgresql":
            return None
        if table not in self.sizes:
            limit = int(setting("SMALL_TABLE_ROWS"))
            quoted = self.catalog.quote(table)
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT c.reltuples::bigint, pg_total_relation_size(c.oid), c.relkind "
                    "FROM pg_class c WHERE c.oid = to_regclass(%s)",
                    [quoted],
                )
                row = cursor.fetchone()
                if row is None:  # not in this database (yet): created by the plan
                    self.sizes[table] = (0, 0)
                    return self.sizes[table]
                counted = 0
                if row[2] in ("r", "p", "m"):
                    cursor.execute(
                        f"SELECT count(*) FROM (SELECT 1 FROM {quoted} LIMIT %s) t", [limit + 1]
                    )
                    counted = cursor.fetchone()[0]
            self.sizes[table] = (max(row[0], counted), row[1])
        return self.sizes[table]


def _describe(operation) -> str:
    try:
        return operation.describe()
    except Exception:  # noqa: BLE001
        return type(operation).__name__


@contextmanager
def _rolled_back(connection, operation):
    """Render a third-party operation inside a transaction that is rolled back.

    The schema editor only collects SQL, but an operation may run SQL through a cursor of
    its own while it is read (as `sqlmigrate` would let it); whatever it does is undone.
    Django's own operations (some refuse to run inside a transaction) are read as they are.
    """
    if type(operation).__module__.startswith("django.") or connection.alias not in connections:
        yield
        return
    if connections[connection.alias] is not connection:
        yield
        return
    with transaction.atomic(using=connection.alias):
        try:
            yield
        finally:
            transaction.set_rollback(True, using=connection.alias)


def _assume_constraints(find):
    """Django's constraint lookup for rendering: where the database (not there yet, or not
    reachable) knows none, assume the one the model state says exists, by a stand-in name."""

    def constraint_names(model, column_names=None, *args, **kwargs):
        names = find(model, column_names, *args, **kwargs)
        if names:
            return names
        return [f"{model._meta.db_table}_{'_'.join(column_names or ['pk'])}_schemaguard"]

    return constraint_names


def _track_cmd(cmd, ctx: Context) -> None:
    """Remember what an ALTER TABLE subcommand did, for the statements after it."""
    plan, table = ctx.plan, ctx.table
    if cmd.subtype == AlterTableType.AT_AddColumn:
        column = cmd.def_
        plan.column_types[(table, column.colname)] = column.typeName
        default = default_expression(column)
        not_null = column.is_not_null or any(
            c.contype == ConstrType.CONSTR_NOTNULL for c in column.constraints or ()
        )
        if not_null and default is not None and not is_null_constant(default):
            plan.defaulted_not_null.add((table, column.colname))
    elif cmd.subtype == AlterTableType.AT_ColumnDefault and cmd.def_ is not None:
        if (table, cmd.name) in plan.defaulted_not_null:
            plan.restored_defaults.add((table, cmd.name))
    elif cmd.subtype == AlterTableType.AT_AlterColumnType:
        plan.column_types[(table, cmd.name)] = cmd.def_.typeName
    elif cmd.subtype == AlterTableType.AT_AddConstraint and cmd.def_.conname:
        constraint = cmd.def_
        kind = {ConstrType.CONSTR_CHECK: "check", ConstrType.CONSTR_FOREIGN: "foreign-key"}.get(
            constraint.contype
        )
        if kind:
            plan.constraints[(table, constraint.conname)] = Constraint(
                kind,
                not_null_columns(constraint.raw_expr) if kind == "check" else set(),
                not constraint.skip_validation,
                ctx.transaction,
            )
    elif cmd.subtype == AlterTableType.AT_ValidateConstraint:
        if (table, cmd.name) in plan.constraints:
            plan.constraints[(table, cmd.name)].validated = True
    elif cmd.subtype == AlterTableType.AT_DropConstraint:
        plan.constraints.pop((table, cmd.name), None)


def _track_statement(statement, ctx: Context) -> None:
    plan = ctx.plan
    if isinstance(statement, (ast.CreateStmt, ast.CreateTableAsStmt)):
        relation = (
            statement.relation if isinstance(statement, ast.CreateStmt) else statement.into.rel
        )
        table = relation_name(relation)
        plan.new_tables.add(table)
        for element in getattr(statement, "tableElts", None) or ():
            if isinstance(element, ast.ColumnDef):
                plan.column_types[(table, element.colname)] = element.typeName
    elif isinstance(statement, ast.RenameStmt) and statement.renameType == ObjectType.OBJECT_TABLE:
        if ctx.table in plan.new_tables:
            plan.new_tables.add(statement.newname)
    elif isinstance(statement, ast.IndexStmt) and statement.idxname:
        plan.indexes[statement.idxname] = ctx.table


def _project_apps() -> set[str]:
    """Apps whose code lives in this project, not in an installed package."""
    from django.apps import apps

    paths = sysconfig.get_paths()
    installed = {paths["purelib"], paths["platlib"], *site.getsitepackages()}
    installed = {os.path.realpath(path) + os.sep for path in installed}
    labels = set()
    for config in apps.get_app_configs():
        path = os.path.realpath(config.path) + os.sep
        if any(path.startswith(prefix) for prefix in installed):
            continue
        if "site-packages" in path or "dist-packages" in path:
            continue
        labels.add(config.label)
    return labels


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


def sql_findings(sql: str, *, atomic: bool = True, connection=None) -> list[tuple[str, str]]:
    """(code, table) for each rule the statements of `sql` break, read as one RunSQL in a
    migration of its own (graded by nothing): the SQL rules on their own, for tests."""
    from types import SimpleNamespace

    linter = Linter(connection, loader=SimpleNamespace())
    migration = SimpleNamespace(app_label="sql", name="sql", atomic=atomic, post_deploy=False)
    ctx = Context(migration, Plan(), linter.catalog, connection=linter.render_connection)
    ctx.in_transaction = atomic
    found: dict = {}
    for statement in parse(sql):
        linter._judge(statement, ctx, found, "sql.sql", "")
    return [(finding.code, finding.table) for finding in found.values()]

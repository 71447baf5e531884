"""The rules: each a code, why it matters, what to do instead, and one small function.

A SQL rule judges one parse tree node (pglast) of the statements a migration will run; an
operation rule judges one Django operation, for what SQL cannot show. A function returns
something true to report (a string is kept as the finding's detail). Adding a rule is one
decorated function here and one case in tests/schemaguard/test_rules.py.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import migrations
from django.db.models import NOT_PROVIDED
from pglast import ast
from pglast.enums import AlterTableType as T
from pglast.enums import ConstrType as C
from pglast.enums import ObjectType

from .sql import (
    NOT_VOLATILE,
    SERIAL,
    VOLATILE,
    Catalog,
    default_expression,
    dotted,
    is_null_constant,
    rewrites,
    type_key,
    type_of,
    walk,
)

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    why: str
    instead: str
    sized: bool = False  # a lock or a rewrite: graded by the table's size
    contract: bool = False  # fine in a post_deploy migration, once no old release runs
    on: tuple = ()  # the parse tree node types or Django operation types it judges
    check: Callable[[Any, "Context"], Any] | None = None


RULES: dict[str, Rule] = {}


def rule(code: str, *, why: str, instead: str, on=(), sized=False, contract=False):
    """Register a rule; decorate its check function (or call with nothing for a rule the
    linter raises itself)."""
    on = on if isinstance(on, tuple) else (on,)

    def register(check=None):
        RULES[code] = Rule(code, why, instead, sized, contract, on, check)
        return check

    return register


@dataclass
class Constraint:
    kind: str  # "check", "foreign-key"
    not_null: set[str]
    validated: bool
    transaction: int


@dataclass
class Plan:
    """What the statements checked so far did: facts later statements depend on."""

    new_tables: set[str] = field(default_factory=set)
    constraints: dict[tuple[str, str], Constraint] = field(default_factory=dict)
    defaulted_not_null: set[tuple[str, str]] = field(default_factory=set)
    column_types: dict[tuple[str, str], Any] = field(default_factory=dict)
    indexes: dict[str, str] = field(default_factory=dict)  # index name -> table
    # (table, column) whose database default a later statement of the migration set again
    restored_defaults: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class Context:
    """Where a node is judged: its migration, the plan so far, the live catalog."""

    migration: Any
    plan: Plan
    catalog: Catalog
    state: Any = None  # the ProjectState before the operation
    connection: Any = None  # the backend the SQL was rendered for
    transaction: int = 0
    in_transaction: bool = True
    table: str = ""

    def old_type(self, table: str, column: str):
        """The column's type before this statement (TypeName), or None when unknown."""
        known = self.plan.column_types.get((table, column))
        if known is not None:
            return known
        for text in (self._state_type(table, column), self.catalog.column_type(table, column)):
            if text:
                try:
                    return type_of(text)
                except Exception:  # noqa: BLE001, S112  (a type we cannot read: unknown)
                    continue
        return None

    def _state_type(self, table: str, column: str) -> str | None:
        if self.state is None or self.connection is None:
            return None
        for model in self.state.apps.get_models(include_auto_created=True):
            if model._meta.db_table == table:
                for model_field in model._meta.local_fields:
                    if model_field.column == column:
                        return model_field.db_type(self.connection)
        return None

    def volatile_function(self, expression) -> str | None:
        """The first function in `expression` that may be volatile, or None."""
        for node in walk(expression):
            if isinstance(node, ast.FuncCall):
                name = dotted(node.funcname).lower().removeprefix("pg_catalog.")
                kind = self.catalog.volatility(name)
                if kind is None:
                    short = name.rpartition(".")[2]
                    kind = "v" if short in VOLATILE else "s" if short in NOT_VOLATILE else "?"
                if kind in ("v", "?"):
                    return name
        return None


def _inline(column_def, *kinds) -> list:
    return [c for c in column_def.constraints or () if c.contype in kinds]


def _added_in_this_transaction(cmd, ctx: Context, kind: str) -> str | None:
    if cmd.subtype != T.AT_ValidateConstraint:
        return None
    added = ctx.plan.constraints.get((ctx.table, cmd.name))
    if added and added.kind == kind and added.transaction == ctx.transaction:
        return "validated in the transaction that added it NOT VALID: the lock is held throughout"
    return None


# SQL rules: ALTER TABLE subcommands (ctx.table is the table altered)

CMD = ast.AlterTableCmd


@rule(
    "drop-column",
    on=CMD,
    contract=True,
    why="the release still serving during the deploy selects this column: every query that "
    "names it fails (UndefinedColumn) until the old release is gone",
    instead="remove the field from the code first; drop the column in a migration marked "
    "`post_deploy = True`, which `migrate` holds back until no old release runs",
)
def drop_column(cmd, ctx):
    return cmd.subtype == T.AT_DropColumn


@rule(
    "add-not-null-column",
    on=CMD,
    why="a NOT NULL column without a database default: the old release's inserts do not name "
    "it and fail (Django's `default` is not kept in the database)",
    instead="add it with null=True, or with a database default (db_default=...)",
)
def add_not_null_column(cmd, ctx):
    if cmd.subtype == T.AT_ColumnDefault and cmd.def_ is None:  # DROP DEFAULT
        if (ctx.table, cmd.name) in ctx.plan.defaulted_not_null:
            return f"the default of {cmd.name} is dropped right after it is added"
        return None
    if cmd.subtype != T.AT_AddColumn:
        return None
    column = cmd.def_
    if not (column.is_not_null or _inline(column, C.CONSTR_NOTNULL, C.CONSTR_PRIMARY)):
        return None
    if _inline(column, C.CONSTR_GENERATED, C.CONSTR_IDENTITY):
        return None
    if type_key(column.typeName)[0] in SERIAL or dotted(column.typeName.names) in SERIAL:
        return None
    default = default_expression(column)
    return default is None or is_null_constant(default)


@rule(
    "volatile-default",
    on=CMD,
    sized=True,
    why="a column added with a volatile default (random(), gen_random_uuid(), a serial's "
    "nextval()) gets a value computed for every row: PostgreSQL rewrites the whole table "
    "under an ACCESS EXCLUSIVE lock",
    instead="add the column nullable without a default, backfill in batches, then set the default",
)
def volatile_default(cmd, ctx):
    if cmd.subtype != T.AT_AddColumn:
        return None
    column = cmd.def_
    type_name = dotted(column.typeName.names).lower()
    if type_name in SERIAL:
        return f"{type_name}: nextval() for every row"
    default = default_expression(column)
    function = ctx.volatile_function(default) if default is not None else None
    return f"{function}() is volatile" if function else None


@rule(
    "add-generated-column",
    on=CMD,
    sized=True,
    why="a stored generated or identity column is computed for every existing row: "
    "PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock",
    instead="add a plain nullable column, fill it in batches (a trigger for new rows), then switch",
)
def add_generated_column(cmd, ctx):
    if cmd.subtype != T.AT_AddColumn:
        return None
    column = cmd.def_
    if column.identity not in ("", "\x00", None) or _inline(column, C.CONSTR_IDENTITY):
        return "identity"
    return any(c.generated_kind != "v" for c in _inline(column, C.CONSTR_GENERATED))


@rule(
    "alter-column-type",
    on=CMD,
    sized=True,
    why="this type change rewrites the table (and its indexes) under an ACCESS EXCLUSIVE "
    "lock; the old release may also misread the new type",
    instead="add a new column of the new type, backfill in batches, switch, drop the old one "
    "post-deploy (a longer varchar, varchar to text or a larger numeric precision need none "
    "of this: PostgreSQL does those without a rewrite)",
)
def alter_column_type(cmd, ctx):
    if cmd.subtype != T.AT_AlterColumnType:
        return None
    new = cmd.def_.typeName
    using = cmd.def_.raw_default
    while isinstance(using, ast.TypeCast):
        using = using.arg
    if using is not None and not (
        isinstance(using, ast.ColumnRef) and dotted(using.fields) == cmd.name
    ):
        return "USING computes every row"
    old = ctx.old_type(ctx.table, cmd.name)
    if old is None:
        return "the column's current type is unknown"
    if rewrites(old, new, ctx.catalog.utc()):
        return f"{_type_text(old)} to {_type_text(new)}"
    return None


def _type_text(type_name) -> str:
    name, mods, dims = type_key(type_name)
    limits = f"({', '.join(map(str, mods))})" if mods else ""
    return f"{name}{limits}{'[]' * dims}"


@rule(
    "set-not-null",
    on=CMD,
    sized=True,
    contract=True,
    why="SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, and the old "
    "release may still write NULL",
    instead="add a CHECK (col IS NOT NULL) NOT VALID constraint, VALIDATE CONSTRAINT (no write "
    "lock) in a later migration, then SET NOT NULL: a validated check spares the scan",
)
def set_not_null(cmd, ctx):
    if cmd.subtype == T.AT_AddConstraint and cmd.def_.contype == C.CONSTR_NOTNULL:
        columns = [n.sval for n in cmd.def_.keys or ()]
        if cmd.def_.skip_validation:
            return None
    elif cmd.subtype == T.AT_SetNotNull:
        columns = [cmd.name]
    else:
        return None
    for column in columns:
        backed = any(
            table == ctx.table and column in c.not_null and c.validated
            for (table, _name), c in ctx.plan.constraints.items()
        )
        if not backed and not ctx.catalog.not_null_checked(ctx.table, column):
            return True
    return None


@rule(
    "add-foreign-key",
    on=CMD,
    sized=True,
    why="adding a foreign key validates every row while both tables are locked against writes",
    instead="add the field with db_constraint=False, then the constraint NOT VALID and VALIDATE "
    "CONSTRAINT in separate migrations (RunSQL with a reverse)",
)
def add_foreign_key(cmd, ctx):
    if cmd.subtype == T.AT_AddColumn:
        return bool(_inline(cmd.def_, C.CONSTR_FOREIGN))
    if cmd.subtype == T.AT_AddConstraint and cmd.def_.contype == C.CONSTR_FOREIGN:
        return not cmd.def_.skip_validation
    return _added_in_this_transaction(cmd, ctx, "foreign-key")


@rule(
    "add-unique",
    on=CMD,
    sized=True,
    why="a unique constraint or primary key builds an index and blocks writes while it does",
    instead="AddIndexConcurrently with a unique index, then add the constraint USING INDEX",
)
def add_unique(cmd, ctx):
    if cmd.subtype == T.AT_AddColumn:
        return bool(_inline(cmd.def_, C.CONSTR_UNIQUE, C.CONSTR_PRIMARY))
    if cmd.subtype == T.AT_AddConstraint and cmd.def_.contype in (
        C.CONSTR_UNIQUE,
        C.CONSTR_PRIMARY,
    ):
        return not cmd.def_.indexname
    return None


@rule(
    "add-check",
    on=CMD,
    sized=True,
    why="adding a CHECK constraint scans the table under a lock that blocks writes",
    instead="AddConstraintNotValid, then ValidateConstraint in a later migration "
    "(django.contrib.postgres.operations)",
)
def add_check(cmd, ctx):
    if cmd.subtype == T.AT_AddColumn:
        return bool(_inline(cmd.def_, C.CONSTR_CHECK))  # checked on every row, even NULLs
    if cmd.subtype == T.AT_AddConstraint and cmd.def_.contype == C.CONSTR_CHECK:
        return not cmd.def_.skip_validation
    return _added_in_this_transaction(cmd, ctx, "check")


@rule(
    "add-exclusion-constraint",
    on=CMD,
    sized=True,
    why="an exclusion constraint builds its index and checks every row while writes are "
    "blocked; it cannot be built concurrently",
    instead="build it on a new or small table, or enforce the rule in the application until "
    "a maintenance window",
)
def add_exclusion_constraint(cmd, ctx):
    return cmd.subtype == T.AT_AddConstraint and cmd.def_.contype == C.CONSTR_EXCLUSION


@rule(
    "detach-partition",
    on=CMD,
    sized=True,
    why="DETACH PARTITION takes an ACCESS EXCLUSIVE lock on the parent table",
    instead="DETACH PARTITION ... CONCURRENTLY in a migration with atomic = False",
)
def detach_partition(cmd, ctx):
    return cmd.subtype == T.AT_DetachPartition and not cmd.def_.concurrent


# SQL rules: whole statements (ctx.table is the table concerned, when known)


@rule(
    "rename-column",
    on=ast.RenameStmt,
    why="the old release knows the column by its old name, the new one by the new name: "
    "one of them fails whichever runs (UndefinedColumn), and the rename takes an ACCESS "
    "EXCLUSIVE lock",
    instead="expand/contract: add the new column, write both and backfill, switch reads, then "
    "drop the old one post-deploy (or rename in the state only with "
    "SeparateDatabaseAndState and keep db_column)",
)
def rename_column(statement, ctx):
    return statement.renameType == ObjectType.OBJECT_COLUMN


@rule(
    "rename-table",
    on=ast.RenameStmt,
    why="the old release queries the old table name and fails until it stops",
    instead="keep the table name (Meta.db_table) and rename the model in the state only "
    "(SeparateDatabaseAndState), or copy to a new table over several deploys",
)
def rename_table(statement, ctx):
    return statement.renameType == ObjectType.OBJECT_TABLE


@rule(
    "drop-table",
    on=ast.DropStmt,
    contract=True,
    why="the release still serving reads and writes this table until it stops",
    instead="stop using the model first; delete it in a migration marked `post_deploy = True`",
)
def drop_table(statement, ctx):
    return statement.removeType == ObjectType.OBJECT_TABLE


@rule(
    "create-index",
    on=ast.IndexStmt,
    sized=True,
    why="a plain CREATE INDEX blocks all writes to the table while it builds",
    instead="AddIndexConcurrently (django.contrib.postgres.operations) in a migration with "
    "atomic = False",
)
def create_index(statement, ctx):
    return not statement.concurrent


@rule(
    "drop-index",
    on=ast.DropStmt,
    sized=True,
    why="DROP INDEX takes an ACCESS EXCLUSIVE lock on its table: it waits behind every "
    "running query and every query waits behind it",
    instead="RemoveIndexConcurrently (django.contrib.postgres.operations) in a migration with "
    "atomic = False",
)
def drop_index(statement, ctx):
    return statement.removeType == ObjectType.OBJECT_INDEX and not statement.concurrent


@rule(
    "reindex",
    on=ast.ReindexStmt,
    sized=True,
    why="REINDEX blocks writes to the table (and reads through the index) while it rebuilds",
    instead="REINDEX ... CONCURRENTLY in a migration with atomic = False",
)
def reindex(statement, ctx):
    return not any(option.defname == "concurrently" for option in statement.params or ())


@rule(
    "concurrently-in-transaction",
    on=(ast.IndexStmt, ast.DropStmt, ast.ReindexStmt, CMD),
    why="a CONCURRENTLY statement cannot run inside a transaction block: PostgreSQL refuses "
    "it and the migration fails",
    instead="set atomic = False on the migration (and keep it to this one operation)",
)
def concurrently_in_transaction(node, ctx):
    if not ctx.in_transaction:
        return False
    if isinstance(node, ast.ReindexStmt):
        return any(option.defname == "concurrently" for option in node.params or ())
    if isinstance(node, CMD):
        return node.subtype == T.AT_DetachPartition and bool(node.def_.concurrent)
    return bool(node.concurrent)


# Operation rules: what the SQL cannot show


@rule(
    "runpython-no-reverse",
    on=migrations.RunPython,
    why="RunPython without reverse_code: the migration can never be rolled back",
    instead="give it a reverse: a function, or migrations.RunPython.noop",
)
def runpython_no_reverse(operation, ctx):
    return operation.reverse_code is None


@rule(
    "runsql-no-reverse",
    on=migrations.RunSQL,
    why="RunSQL without reverse_sql: the migration can never be rolled back",
    instead="give it reverse_sql (migrations.RunSQL.noop at least)",
)
def runsql_no_reverse(operation, ctx):
    return operation.reverse_sql is None


@rule(
    "drop-not-null-column",
    on=migrations.RemoveField,
    why="while the drop is held back, the new release inserts rows without this NOT NULL "
    "column and every insert fails",
    instead="in an earlier, pre-deploy migration make the column nullable (null=True) or give "
    "it a database default (db_default); then drop it post-deploy",
)
def drop_not_null_column(operation, ctx):
    if not getattr(ctx.migration, "post_deploy", False) or ctx.state is None:
        return False
    model = ctx.state.models.get((ctx.migration.app_label, operation.model_name_lower))
    old = model.fields.get(operation.name) if model else None
    if old is None or old.null or old.many_to_many:
        return False
    return getattr(old, "db_default", NOT_PROVIDED) is NOT_PROVIDED


# Rules the linter raises itself

rule(
    "data-with-ddl",
    why="a data change in the same migration as schema changes (or one RunSQL doing both) "
    "holds the schema locks for as long as the data takes, and cannot be retried on its own",
    instead="move the RunPython (or DML RunSQL) into its own migration",
)()
rule(
    "lint-error",
    why="schemaguard could not check this migration (an internal error or SQL PostgreSQL "
    "cannot parse): its risks are unknown",
    instead="read the migration yourself, fix it if the SQL is wrong, and report the error; "
    "acknowledge with allow_unsafe = {'lint-error': '<why it is safe>'} to deploy anyway",
)()
rule(
    "allow-unsafe-reason",
    why="an acknowledgement without a reason says nothing to the next reader",
    instead="write why the operation is safe here: allow_unsafe = {'<code>': '<why>'}",
)()
rule(
    "stale-allow-unsafe",
    why="the migration acknowledges a rule that does not fire on it",
    instead="remove the stale entry from allow_unsafe",
)()


def rules_on(node_type) -> list[Rule]:
    """The rules judging this node or operation type (cached per type)."""
    if node_type not in _BY_TYPE:
        _BY_TYPE[node_type] = [
            r for r in RULES.values() if r.check and any(issubclass(node_type, t) for t in r.on)
        ]
    return _BY_TYPE[node_type]


_BY_TYPE: dict[type, list[Rule]] = {}

"""The SQL a migration will run: rendered by Django's schema editor, parsed by PostgreSQL's parser.

Each operation's statements come from the schema editor in collect-SQL mode (as `sqlmigrate`
prints them), a RunSQL's from its text; pglast (libpg_query, PostgreSQL's own parser) turns
them into parse trees for the rules. Without a reachable PostgreSQL database the SQL is
rendered by an unconnected PostgreSQL backend whose introspection finds nothing.
"""

from collections.abc import Iterator
from functools import cached_property

from django.db import DatabaseError, migrations
from pglast import ast, parse_sql
from pglast.enums import ConstrType

# Operations whose SQL Django renders without running anything: all but these.
NOT_RENDERED = (migrations.RunPython, migrations.RunSQL, migrations.SeparateDatabaseAndState)


class _NullCursor:
    """What an unconnected backend's introspection reads: nothing."""

    rowcount = 0
    description = ()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, *args, **kwargs):
        return None

    def fetchone(self):
        return None

    def fetchall(self):
        return []

    def close(self):
        pass


def offline_connection(alias: str = "default"):
    """A PostgreSQL backend that renders SQL without a server; None without psycopg.

    It keeps the alias of the database it stands in for: routers are asked about that one.
    """
    try:
        from django.db.backends.postgresql.base import DatabaseWrapper
    except Exception:  # noqa: BLE001  (no PostgreSQL driver installed)
        return None
    connection = DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "schemaguard_offline",
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "OPTIONS": {},
            "TIME_ZONE": None,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TEST": {},
        },
        alias=alias,
    )
    connection.pg_version = 170000
    connection.cursor = _NullCursor
    connection.ops.compose_sql = _compose_sql
    connection.ensure_connection = lambda: None
    return connection


def _compose_sql(sql: str, params) -> str:
    """Parameters quoted into the SQL as psycopg would, without a server."""
    from psycopg.sql import quote

    return sql % tuple(quote(param) for param in params) if params else sql


def runsql_text(sql, quote) -> str:
    """A RunSQL's statements as one text (parameters filled in, as Django would send them)."""
    if isinstance(sql, (list, tuple)):
        parts = []
        for item in sql:
            if isinstance(item, (list, tuple)):
                text, params = item[0], item[1] if len(item) > 1 else None
                parts.append(text % tuple(map(quote, params)) if params else text)
            else:
                parts.append(item)
        return ";\n".join(part.rstrip().rstrip(";") for part in parts)
    return str(sql)


def parse(sql: str) -> list:
    """The statements of `sql` as pglast parse trees (raises pglast.parser.ParseError)."""
    if not sql.strip():
        return []
    return [raw.stmt for raw in parse_sql(sql)]


def walk(node) -> Iterator:
    """Every parse tree node under `node`, itself included."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Node):
            yield current
            stack.extend(getattr(current, name, None) for name in current)
        elif isinstance(current, (tuple, list)):
            stack.extend(current)


def relation_name(relation) -> str:
    if relation is None:
        return ""
    if relation.schemaname and relation.schemaname != "public":
        return f"{relation.schemaname}.{relation.relname}"
    return relation.relname


def dotted(names) -> str:
    values = [n.sval for n in names or () if isinstance(n, ast.String)]
    if len(values) > 1 and values[0] == "public":
        values = values[1:]
    return ".".join(values)


# Types: when does ALTER COLUMN ... TYPE rewrite the table?

ALIASES = {
    "int": "int4",
    "integer": "int4",
    "bigint": "int8",
    "smallint": "int2",
    "character varying": "varchar",
    "character": "bpchar",
    "char": "bpchar",
    "decimal": "numeric",
    "boolean": "bool",
    "double precision": "float8",
    "real": "float4",
    "bit varying": "varbit",
    "serial": "int4",
    "bigserial": "int8",
    "smallserial": "int2",
    "serial4": "int4",
    "serial8": "int8",
    "serial2": "int2",
}
SERIAL = {"serial", "bigserial", "smallserial", "serial2", "serial4", "serial8"}
# A longer or removed limit is checked by a no-op: PostgreSQL keeps the rows as they are.
LENGTHENED = {"varchar", "varbit"}
PRECISION = {"timestamp", "timestamptz", "time", "timetz", "interval"}
# Binary coercible to the other without any check (pg_cast castmethod 'b'), when unlimited.
BINARY = {
    ("varchar", "text"),
    ("text", "varchar"),
    ("cidr", "inet"),
    ("xml", "text"),
    ("varchar", "varchar"),
    ("varbit", "varbit"),
}


def type_of(text: str):
    """Parse a type as PostgreSQL writes it ("character varying(50)") into a TypeName."""
    return parse_sql(f"SELECT NULL::{text}")[0].stmt.targetList[0].val.typeName


def type_key(type_name) -> tuple[str, tuple, int]:
    """(canonical name, typmods, array dimensions) of a TypeName."""
    names = [n.sval for n in type_name.names if isinstance(n, ast.String)]
    name = names[-1].lower() if names else ""
    name = ALIASES.get(name, name)
    mods = []
    for mod in type_name.typmods or ():
        value = getattr(mod, "val", None)
        mods.append(getattr(value, "ival", None) if value is not None else None)
    return name, tuple(mods), len(type_name.arrayBounds or ())


def rewrites(old, new, utc: bool | None) -> bool:
    """Does changing a column from type `old` to `new` (TypeNames) rewrite the table?

    PostgreSQL's ALTER TABLE: no rewrite when the old type is binary coercible to the new one
    and the USING expression is the column itself; a longer varchar/varbit, a larger numeric
    precision with the same scale or a removed limit are checked by no-op functions.
    """
    (old_name, old_mods, old_dims), (new_name, new_mods, new_dims) = type_key(old), type_key(new)
    if old_dims != new_dims:
        return True
    if (old_name, old_mods) == (new_name, new_mods):
        return False
    if old_name == new_name:
        if not new_mods:  # the limit removed
            return False
        if old_name in LENGTHENED | PRECISION:
            return bool(old_mods) and not (None in new_mods or new_mods[0] >= old_mods[0])
        if old_name == "numeric" and old_mods:
            old_scale = old_mods[1] if len(old_mods) > 1 else 0
            new_scale = new_mods[1] if len(new_mods) > 1 else 0
            return not (new_scale == old_scale and new_mods[0] >= old_mods[0])
        return True
    if {old_name, new_name} == {"timestamp", "timestamptz"} and old_mods == new_mods:
        return not utc  # only with the session's time zone UTC (PostgreSQL 12+)
    return (old_name, new_name) not in BINARY or bool(new_mods)


def default_expression(column_def):
    """The DEFAULT expression of a ColumnDef, or None."""
    for constraint in column_def.constraints or ():
        if constraint.contype == ConstrType.CONSTR_DEFAULT:
            return constraint.raw_expr
    return None


def is_null_constant(expr) -> bool:
    while isinstance(expr, ast.TypeCast):
        expr = expr.arg
    return isinstance(expr, ast.A_Const) and bool(expr.isnull)


def not_null_columns(expr) -> set[str]:
    """The columns a CHECK expression proves NOT NULL ("a IS NOT NULL AND b IS NOT NULL")."""
    if (
        isinstance(expr, ast.NullTest)
        and expr.nulltesttype.name == "IS_NOT_NULL"
        and isinstance(expr.arg, ast.ColumnRef)
    ):
        return {dotted(expr.arg.fields)}
    if isinstance(expr, ast.BoolExpr) and expr.boolop.name == "AND_EXPR":
        return set().union(*(not_null_columns(arg) for arg in expr.args))
    return set()


# Functions whose volatility is known without a database to ask (pg_proc.provolatile).
VOLATILE = {
    "random",
    "random_normal",
    "gen_random_uuid",
    "uuidv4",
    "uuidv7",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "gen_random_bytes",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "setval",
    "txid_current",
}
NOT_VOLATILE = {
    "now",
    "statement_timestamp",
    "transaction_timestamp",
    "pi",
    "lower",
    "upper",
    "length",
    "concat",
    "abs",
    "round",
    "md5",
    "to_jsonb",
    "jsonb_build_object",
    "jsonb_build_array",
    "json_build_object",
    "array_remove",
    "make_interval",
    "current_setting",
    "left",
    "right",
    "replace",
    "trim",
    "coalesce",
    "greatest",
    "least",
    "date_trunc",
}


class Catalog:
    """What the live PostgreSQL database knows: functions, columns, constraints (cached)."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self._cache: dict = {}

    def _query(self, key, sql, params):
        if key not in self._cache:
            try:
                with self.connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    self._cache[key] = cursor.fetchall()
            except DatabaseError:
                if self.connection.in_atomic_block:
                    raise
                self._cache[key] = None
        return self._cache[key]

    def volatility(self, name: str) -> str | None:
        """'v', 's' or 'i' (the most volatile of the overloads); None when unknown."""
        schema, _, function = name.rpartition(".")
        rows = self._query(
            ("proc", name),
            "SELECT p.provolatile FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE p.proname = %s AND (%s = '' OR n.nspname = %s)",
            [function, schema, schema],
        )
        if not rows:
            return None
        kinds = {row[0] for row in rows}
        return "v" if "v" in kinds else "s" if "s" in kinds else "i"

    def column_type(self, table: str, column: str) -> str | None:
        rows = self._query(
            ("type", table, column),
            "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
            "WHERE a.attrelid = to_regclass(%s) AND a.attname = %s AND NOT a.attisdropped",
            [self.quote(table), column],
        )
        return rows[0][0] if rows else None

    def not_null_checked(self, table: str, column: str) -> bool:
        """Is there a validated CHECK constraint proving the column NOT NULL?"""
        rows = self._query(
            ("checks", table),
            "SELECT pg_get_expr(conbin, conrelid) FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype = 'c' AND convalidated",
            [self.quote(table)],
        )
        for (expression,) in rows or ():
            try:
                tree = parse_sql(f"SELECT {expression}")[0].stmt.targetList[0].val
            except Exception:  # noqa: BLE001, S112  (an expression we cannot read proves nothing)
                continue
            if column in not_null_columns(tree):
                return True
        return False

    def index_table(self, index: str) -> str | None:
        rows = self._query(
            ("index", index),
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
            "WHERE i.indexrelid = to_regclass(%s)",
            [self.quote(index)],
        )
        return rows[0][0] if rows else None

    def utc(self) -> bool | None:
        rows = self._query(("tz",), "SELECT current_setting('TimeZone')", [])
        return rows[0][0] in ("UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z") if rows else None

    def quote(self, table: str) -> str:
        return ".".join(self.connection.ops.quote_name(part) for part in table.split("."))


class OfflineCatalog(Catalog):
    """No database to ask."""

    def __init__(self) -> None:
        super().__init__(None)

    def _query(self, key, sql, params):
        return None

    def quote(self, table: str) -> str:
        return table


class Rendered:
    """One operation's statements (in order) as Django will send them, parsed."""

    def __init__(self, statements: list, source: str) -> None:
        self.statements = statements
        self.source = source  # "django" or "runsql"

    @cached_property
    def is_data(self) -> bool:
        return any(is_dml(s) for s in self.statements)


DML = (ast.UpdateStmt, ast.InsertStmt, ast.DeleteStmt, ast.MergeStmt, ast.TruncateStmt)
HARMLESS = (ast.SelectStmt, ast.VariableSetStmt, ast.TransactionStmt, ast.CommentStmt)


def is_dml(statement) -> bool:
    if isinstance(statement, DML):
        return True
    if isinstance(statement, (ast.SelectStmt, ast.ExplainStmt, ast.CopyStmt)):
        return (
            isinstance(statement, ast.CopyStmt)
            and statement.is_from
            or any(isinstance(node, DML) for node in walk(statement))
        )
    return False


def is_harmless(statement) -> bool:
    return isinstance(statement, HARMLESS) and not is_dml(statement)

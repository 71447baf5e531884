"""Compare the models in the app registry with the live database schema.

Works on any Django project: it reads models from the app registry, migrations from the
migration loader and tables from database introspection, and knows no app by name.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import router
from django.db.migrations.loader import MigrationLoader

from .phases import held_back

# Column types that are the same kind of value; a model field and its column must agree.
TYPE_FAMILIES = {
    "integer": {
        "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
        "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
    },
    "text": {
        "CharField", "TextField", "SlugField", "EmailField", "URLField", "FilePathField",
        "FileField", "ImageField",
    },
    "boolean": {"BooleanField", "NullBooleanField"},
    "timestamp": {"DateTimeField"},
    "date": {"DateField"},
    "time": {"TimeField"},
    "number": {"DecimalField", "FloatField"},
    "uuid": {"UUIDField"},
    "json": {"JSONField"},
    "binary": {"BinaryField"},
    "interval": {"DurationField"},
    "address": {"GenericIPAddressField", "IPAddressField"},
}  # fmt: skip
FAMILY = {name: family for family, names in TYPE_FAMILIES.items() for name in names}


@dataclass(frozen=True)
class Problem:
    """One way the live database differs from what the code expects."""

    code: str  # E001 unapplied, E002 table, E003 column, E004 nullability, E005 type, ...
    message: str
    serious: bool = True  # False: worth knowing, harmless (an extra nullable column)


# Where a backend has no native column type for these, it stores them as text or integers
# (SQLite: a UUID is char(32), a duration a bigint, an IP address char(39)).
NATIVE_TYPES = {
    "uuid": ("uuid", "text"),
    "address": ("inet", "text"),
    "interval": ("interval", "integer"),
}


def _field_family(field, connection) -> str | None:
    target = field.target_field if field.is_relation else field
    family = FAMILY.get(target.get_internal_type())
    if family in NATIVE_TYPES:
        native, stored_as = NATIVE_TYPES[family]
        if not (target.db_type(connection) or "").startswith(native):
            return stored_as
    return family


def _column_family(info, connection) -> str | None:
    try:
        return FAMILY.get(connection.introspection.get_field_type(info.type_code, info))
    except KeyError:  # a column type Django has no field for
        return None


def unapplied_migrations(connection) -> list[Problem]:
    """Every migration of the graph not recorded as applied, by app and name.

    Not Django's migration plan to the leaves: that skips one recorded out of order (an
    unapplied migration below an applied one, as a hand-edited history leaves it). Held-back
    post_deploy migrations (and what depends on them) are not reported.
    """
    loader = MigrationLoader(connection)
    missing = [node for node in loader.graph.nodes if node not in loader.applied_migrations]
    # A release is built to run before its post_deploy migrations: those are not missing.
    held = held_back(loader, missing)
    return [
        Problem("E001", f"Migration {app}.{name} is not applied.")
        for app, name in sorted(missing)
        if (app, name) not in held
    ]


def _model_problems(model, columns_by_name, connection) -> list[Problem]:
    table = model._meta.db_table
    label = model._meta.label
    problems = []
    known = set()
    for field in model._meta.local_concrete_fields:
        column = field.column
        known.add(column)
        info = columns_by_name.get(column)
        where = f"{table}.{column} ({label}.{field.name})"
        if info is None:
            problems.append(Problem("E003", f"Column {where} is missing."))
            continue
        if bool(info.null_ok) != bool(field.null):
            want, have = ("NULL", "NOT NULL") if field.null else ("NOT NULL", "NULL")
            problems.append(
                Problem("E004", f"Column {where} is {have} in the database; the model says {want}.")
            )
        want_family = _field_family(field, connection)
        have_family = _column_family(info, connection)
        if want_family and have_family and want_family != have_family:
            problems.append(
                Problem(
                    "E005",
                    f"Column {where} holds {have_family} values; the model expects {want_family}.",
                )
            )
    for name, info in columns_by_name.items():
        if name in known:
            continue
        if not info.null_ok and info.default is None and not getattr(info, "is_autofield", False):
            problems.append(
                Problem(
                    "E006",
                    f"Column {table}.{name} is NOT NULL without a default and no field of "
                    f"{label} knows it: inserts into {table} will fail.",
                )
            )
        else:
            problems.append(
                Problem(
                    "I001",
                    f"Column {table}.{name} is not in the model {label} (harmless: it is "
                    "nullable or has a default, as after a newer release's migration).",
                    serious=False,
                )
            )
    return problems


def find_problems(connection) -> list[Problem]:
    """Every difference between the migrations and models and the live schema.

    Raises DatabaseError when the database cannot be reached.
    """
    return unapplied_migrations(connection) + model_problems(
        connection, apps.get_models(include_auto_created=True)
    )


def model_problems(connection, models) -> list[Problem]:
    """How the live tables differ from what `models` (these or a past release's) expect."""
    problems = []
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in models:
            meta = model._meta
            if not meta.managed or meta.proxy or meta.swapped:
                continue
            if not router.allow_migrate_model(connection.alias, model):
                continue
            if meta.db_table not in tables:
                problems.append(
                    Problem("E002", f"Table {meta.db_table} ({meta.label}) is missing.")
                )
                continue
            description = connection.introspection.get_table_description(cursor, meta.db_table)
            columns = {info.name: info for info in description}
            problems += _model_problems(model, columns, connection)
    return problems

"""Compare the models in the app registry with the live database schema.

Works on any Django project: it reads models from the app registry, migrations from the
migration loader and tables from database introspection, and knows no app by name.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import router
from django.db.migrations.executor import MigrationExecutor

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


def _field_family(field) -> str | None:
    target = field.target_field if field.is_relation else field
    return FAMILY.get(target.get_internal_type())


def _column_family(info, connection) -> str | None:
    try:
        return FAMILY.get(connection.introspection.get_field_type(info.type_code, info))
    except KeyError:  # a column type Django has no field for
        return None


def unapplied_migrations(connection) -> list[Problem]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [
        Problem("E001", f"Migration {m.app_label}.{m.name} is not applied.")
        for m, backwards in plan
        if not backwards
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
        want_family, have_family = _field_family(field), _column_family(info, connection)
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
    problems = unapplied_migrations(connection)
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
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

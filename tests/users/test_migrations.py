"""The outage, replayed: code that knows `user_profile` against a database that does not."""

from io import StringIO

import psycopg.errors
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import ProgrammingError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("users", "0001_initial")
AFTER = ("users", "0002_user_user_profile")


def profile_column():
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "users_user")
    return next((c for c in columns if c.name == "user_profile"), None)


def applied_migrations():
    return set(MigrationRecorder(connection).applied_migrations())


@pytest.fixture
def production_copy():
    """A database at `users 0001` holding users, like production before the fix."""
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old_user = executor.loader.project_state([BEFORE]).apps.get_model("users", "User")
    old_user.objects.bulk_create(old_user(username=f"old{i}", password="!") for i in range(3))
    yield
    call_command("migrate", verbosity=0)


def test_current_code_on_old_schema_fails_with_undefined_column(production_copy):
    with pytest.raises(ProgrammingError) as excinfo:
        list(get_user_model().objects.all())

    assert isinstance(excinfo.value.__cause__, psycopg.errors.UndefinedColumn)
    assert "column users_user.user_profile does not exist" in str(excinfo.value)


def test_migrate_adds_nullable_column_and_keeps_users(production_copy):
    assert profile_column() is None

    call_command("migrate", "users", "0002", verbosity=0)

    column = profile_column()
    assert column is not None
    assert column.null_ok is True
    assert connection.introspection.get_field_type(column.type_code, column) == "TextField"
    users = get_user_model().objects.order_by("username")  # columns of later migrations aside
    assert list(users.values_list("username", "user_profile")) == [
        ("old0", None),
        ("old1", None),
        ("old2", None),
    ]


def test_rollback_removes_column_and_forward_again_restores_it(production_copy):
    call_command("migrate", "users", "0002", verbosity=0)
    get_user_model().objects.filter(username="old0").update(user_profile="likes tea")

    call_command("migrate", "users", "0001", verbosity=0)
    assert profile_column() is None
    assert AFTER not in applied_migrations()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM users_user")
        assert cursor.fetchone() == (3,)

    call_command("migrate", "users", "0002", verbosity=0)
    assert profile_column() is not None
    assert get_user_model().objects.filter(user_profile__isnull=False).count() == 0


def test_second_migrate_is_a_no_op(capsys):
    call_command("migrate", verbosity=1)
    before = applied_migrations()
    capsys.readouterr()

    call_command("migrate", verbosity=1)

    assert "No migrations to apply." in capsys.readouterr().out
    assert applied_migrations() == before


def test_models_and_migrations_agree():
    # Raises SystemExit(1) when a model change has no migration: the outage's root cause.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_user_profile_migration_sql_is_a_plain_nullable_add_column():
    out = StringIO()
    call_command("sqlmigrate", "users", "0002", stdout=out)
    sql = out.getvalue()
    assert 'ALTER TABLE "users_user" ADD COLUMN "user_profile" text NULL;' in sql
    assert "DEFAULT" not in sql.upper()

import uuid

import psycopg
import pytest

from tests.conftest import database_url, run_manage


@pytest.fixture
def scratch_db(django_db_setup, django_db_blocker):
    """An empty database of its own on the test server; yields its URL, dropped afterwards."""
    name = f"test_sg_{uuid.uuid4().hex[:10]}"
    admin = database_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield database_url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def before_user_profile(scratch_db):
    """A database at `users 0001` with 1,000 users: production before the column arrived."""
    result = run_manage("migrate", "users", "0001", "--noinput", DATABASE_URL=scratch_db)
    assert result.returncode == 0, result.stderr
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO users_user (password, is_superuser, username, first_name, last_name,"
            " email, is_staff, is_active, date_joined) SELECT '!', false, 'user' || i, '', '',"
            " '', false, true, now() FROM generate_series(1, 1000) AS i"
        )
    return scratch_db


def has_profile_column(url: str) -> bool:
    with psycopg.connect(url) as conn:
        return bool(
            conn.execute(
                "SELECT 1 FROM information_schema.columns"
                " WHERE table_name = 'users_user' AND column_name = 'user_profile'"
            ).fetchone()
        )


def applied(url: str, app: str, name: str) -> bool:
    with psycopg.connect(url) as conn:
        return bool(
            conn.execute(
                "SELECT 1 FROM django_migrations WHERE app = %s AND name = %s", [app, name]
            ).fetchone()
        )

"""Drift between the models and the live schema, found by the check and by /readyz.

Each test changes the schema inside the test's transaction (PostgreSQL DDL is
transactional), so the change is rolled back afterwards.
"""

from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from schemaguard.checks import check_live_schema
from schemaguard.schema import find_problems
from tests.conftest import run_manage

pytestmark = pytest.mark.django_db


def sql(*statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def messages():
    return {(m.id, m.msg) for m in check_live_schema(databases=["default"])}


def ready(client):
    response = client.get("/readyz")
    return response.status_code, response.json()


def test_matching_schema_has_no_problems(client):
    assert find_problems(connection) == []
    assert ready(client) == (HTTPStatus.OK, {"status": "ok"})
    call_command("check", "--deploy", "--database", "default")


def test_missing_column_is_named_by_check_and_readyz(client):
    sql("ALTER TABLE users_user DROP COLUMN user_profile")
    expected = "Column users_user.user_profile (users.User.user_profile) is missing."

    assert ("schemaguard.E003", f"[default] {expected}") in messages()
    with pytest.raises(SystemCheckError, match=r"users_user\.user_profile"):
        call_command("check", "--deploy", "--database", "default")
    status, body = ready(client)
    assert status == HTTPStatus.SERVICE_UNAVAILABLE
    assert {"code": "E003", "message": expected} in body["problems"]


def test_nullability_difference_is_an_error(client):
    sql(
        "ALTER TABLE users_user ALTER COLUMN email DROP NOT NULL",
        "ALTER TABLE users_user ALTER COLUMN user_profile SET NOT NULL",
    )

    found = {msg for code, msg in messages() if code == "schemaguard.E004"}
    assert found == {
        "[default] Column users_user.email (users.User.email) is NULL in the database; "
        "the model says NOT NULL.",
        "[default] Column users_user.user_profile (users.User.user_profile) is NOT NULL in "
        "the database; the model says NULL.",
    }
    assert ready(client)[0] == HTTPStatus.SERVICE_UNAVAILABLE


def test_type_family_difference_is_an_error():
    sql("ALTER TABLE users_user ALTER COLUMN user_profile TYPE integer USING NULL")

    assert (
        "schemaguard.E005",
        "[default] Column users_user.user_profile (users.User.user_profile) holds integer "
        "values; the model expects text.",
    ) in messages()


def test_unknown_not_null_column_without_default_is_an_error(client):
    sql(
        "ALTER TABLE users_user ADD COLUMN legacy_flag integer NOT NULL DEFAULT 0",
        "ALTER TABLE users_user ALTER COLUMN legacy_flag DROP DEFAULT",
    )

    assert (
        "schemaguard.E006",
        "[default] Column users_user.legacy_flag is NOT NULL without a default and no field "
        "of users.User knows it: inserts into users_user will fail.",
    ) in messages()
    status, body = ready(client)
    assert status == HTTPStatus.SERVICE_UNAVAILABLE
    assert "users_user.legacy_flag" in body["problems"][0]["message"]


def test_extra_nullable_column_and_extra_table_are_fine(client):
    sql(
        "ALTER TABLE users_user ADD COLUMN nickname text NULL",
        "ALTER TABLE users_user ADD COLUMN score integer NOT NULL DEFAULT 0",
        "CREATE TABLE newer_release_table (id serial PRIMARY KEY)",
    )

    assert {code for code, _ in messages()} == {"schemaguard.I001"}
    assert ready(client) == (HTTPStatus.OK, {"status": "ok"})
    call_command("check", "--deploy", "--database", "default")


def test_unapplied_migration_and_missing_table_are_errors(client):
    sql(
        "DELETE FROM django_migrations"
        " WHERE app = 'users' AND name = '0002_user_user_profile'",  # not the latest
        "ALTER TABLE bots_apitoken RENAME TO bots_apitoken_old",
    )

    found = messages()
    assert (
        "schemaguard.E001",
        "[default] Migration users.0002_user_user_profile is not applied.",
    ) in found
    assert (
        "schemaguard.E002",
        "[default] Table bots_apitoken (bots.ApiToken) is missing.",
    ) in found
    codes = {p["code"] for p in ready(client)[1]["problems"]}
    assert codes == {"E001", "E002"}


def test_check_only_runs_when_asked_for_a_database():
    sql("ALTER TABLE users_user DROP COLUMN user_profile")

    call_command("check", "--deploy")  # no --database: the live schema is not compared
    call_command("check", "--database", "default")  # not --deploy: what migrate runs
    with pytest.raises(SystemCheckError):
        call_command("check", "--deploy", "--database", "default")


def test_a_freshly_migrated_sqlite_database_is_ready_and_passes_the_check(tmp_path):
    """`make run`'s database: UUIDs, IP addresses and durations are stored as text or numbers
    there, and that is not drift."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert run_manage("migrate", "--noinput", DATABASE_URL=url).returncode == 0

    check = run_manage("check", "--deploy", "--database", "default", DATABASE_URL=url)
    ready = run_manage(
        "shell",
        "-c",
        "from django.test import Client; r = Client().get('/readyz');"
        "print(r.status_code, r.json())",
        DATABASE_URL=url,
    )

    assert "schemaguard" not in check.stdout + check.stderr
    assert check.returncode == 0, check.stderr
    assert ready.stdout.strip().splitlines()[-1] == "200 {'status': 'ok'}", ready.stderr

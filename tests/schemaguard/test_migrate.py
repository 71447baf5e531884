"""The lock-safe migrate command, against real PostgreSQL sessions and processes."""

import subprocess
import time

import psycopg
import pytest

from tests.conftest import manage_command, run_manage
from tests.schemaguard.conftest import applied, has_profile_column

pytestmark = pytest.mark.django_db(transaction=True)

ADD_PROFILE = ("users", "0002_user_user_profile")


class Blocker:
    """A long report: a transaction that has read users_user and stays open."""

    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url)
        self.conn.execute("SELECT count(*) FROM users_user").fetchone()
        self.pid = self.conn.info.backend_pid

    def end(self) -> None:
        self.conn.commit()
        self.conn.close()


# Since when the migration's ALTER TABLE has been queued for its lock on users_user, if it is.
MIGRATION_WAITING_SINCE = """
    SELECT waitstart FROM pg_locks
    WHERE relation = 'users_user'::regclass AND mode = 'AccessExclusiveLock' AND NOT granted
"""


def read_behind_the_waiting_migration(url: str) -> None:
    """Once the migration waits for its lock, read users_user a few times. Each read queues
    behind the waiting ALTER TABLE: without its lock timeout, for as long as the blocker
    lives, which the generous statement_timeout turns into an error."""
    with psycopg.connect(url, autocommit=True) as conn:

        def waiting_since():
            row = conn.execute(MIGRATION_WAITING_SINCE).fetchone()
            return row and row[0]  # waitstart is NULL for a moment after the wait begins

        def wait_for(condition, failure: str):
            deadline = time.monotonic() + 60
            while not (result := condition()):
                assert time.monotonic() < deadline, failure
                time.sleep(0.05)
            return result

        first = wait_for(waiting_since, "the migration never waited for its lock")
        conn.execute("SET statement_timeout = '30s'")
        for _ in range(5):
            conn.execute("SELECT id, username FROM users_user WHERE id = 1").fetchone()
        # The migration reports who blocks it between attempts: keep the blocker for one more.
        conn.execute("SET statement_timeout = 0")
        wait_for(lambda: waiting_since() not in (None, first), "the migration never retried")


def test_blocked_migration_lets_reads_through_and_succeeds_after_blocker(before_user_profile):
    url = before_user_profile
    blocker = Blocker(url)
    migrate = subprocess.Popen(
        **manage_command(
            "migrate",
            "--noinput",
            DATABASE_URL=url,
            MIGRATE_LOCK_TIMEOUT="1",
            MIGRATE_RETRIES="30",
            MIGRATE_RETRY_DELAY="0.2",
        )
    )
    try:
        read_behind_the_waiting_migration(url)  # while the report is still open
    finally:
        blocker.end()
    out, err = migrate.communicate(timeout=60)

    assert migrate.returncode == 0, err
    assert has_profile_column(url)
    assert "Migration users.0002_user_user_profile could not get its lock within 1 s" in out
    assert f"pid {blocker.pid} (idle in transaction" in out
    assert "holds AccessShareLock on users_user" in out
    assert "Applying users.0002_user_user_profile... OK" in out


def test_retries_exhausted_exit_non_zero_with_nothing_half_applied(before_user_profile):
    url = before_user_profile
    blocker = Blocker(url)
    try:
        result = run_manage(
            "migrate",
            "--noinput",
            DATABASE_URL=url,
            MIGRATE_LOCK_TIMEOUT="0.3",
            MIGRATE_RETRIES="2",
            MIGRATE_RETRY_DELAY="0.05",
        )
    finally:
        blocker.end()

    assert result.returncode == 1
    assert "Gave up applying users.0002_user_user_profile after 3 attempts" in result.stderr
    assert f"pid {blocker.pid}" in result.stderr
    assert "schema and migration history are as they were before it" in result.stderr
    assert result.stdout.count("Retrying in") == 2
    assert not has_profile_column(url)
    assert not applied(url, *ADD_PROFILE)
    assert run_manage("migrate", "--check", DATABASE_URL=url).returncode == 1


def test_four_concurrent_migrates_apply_once_and_all_succeed(scratch_db):
    runs = [
        subprocess.Popen(**manage_command("migrate", "--noinput", DATABASE_URL=scratch_db))
        for _ in range(4)
    ]
    results = [(run.wait(timeout=180), *run.communicate()) for run in runs]

    assert [code for code, _, _ in results] == [0, 0, 0, 0], [err for _, _, err in results]
    outputs = [out for _, out, _ in results]
    assert sum("Applying users.0001_initial... OK" in out for out in outputs) == 1
    assert sum("No migrations to apply." in out for out in outputs) == 3
    assert sum("Another migrate is running on this database" in out for out in outputs) >= 1
    with psycopg.connect(scratch_db) as conn:
        rows, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT (app, name)) FROM django_migrations"
        ).fetchone()
    assert rows == distinct
    assert has_profile_column(scratch_db)


def test_migrate_runs_on_an_empty_database_with_the_schema_check_installed(scratch_db):
    migrate = run_manage("migrate", "--noinput", DATABASE_URL=scratch_db)
    check = run_manage("check", "--deploy", "--database", "default", DATABASE_URL=scratch_db)

    assert migrate.returncode == 0, migrate.stderr
    assert check.returncode == 0, check.stderr
    assert "schemaguard" not in check.stdout + check.stderr


def test_migrate_is_not_stopped_by_drift_it_is_about_to_fix(before_user_profile):
    # The live check would report the missing column, but migrate never runs deploy checks.
    result = run_manage("migrate", "--noinput", DATABASE_URL=before_user_profile)

    assert result.returncode == 0, result.stderr
    assert has_profile_column(before_user_profile)


def test_django_options_keep_working(before_user_profile):
    url = before_user_profile

    plan = run_manage("migrate", "--plan", DATABASE_URL=url)
    assert "users.0002_user_user_profile" in plan.stdout
    assert run_manage("migrate", "--check", DATABASE_URL=url).returncode == 1
    fake = run_manage("migrate", "users", "0002", "--fake", DATABASE_URL=url)
    assert "Applying users.0002_user_user_profile... FAKED" in fake.stdout
    assert applied(url, *ADD_PROFILE)
    assert not has_profile_column(url)


def test_other_databases_get_plain_django_migrate(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"

    result = run_manage("migrate", "--noinput", DATABASE_URL=url, MIGRATE_LOCK_TIMEOUT="0.1")

    assert result.returncode == 0, result.stderr
    assert "Applying users.0002_user_user_profile... OK" in result.stdout
    output = result.stdout + result.stderr
    assert "lock" not in output.replace("Applying", "")  # no advisory lock, no lock_timeout


def test_a_full_migrate_fails_when_the_live_schema_does_not_match(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert "The live schema matches the models." in run_manage("migrate", DATABASE_URL=url).stdout
    import sqlite3

    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        db.execute("ALTER TABLE users_user DROP COLUMN user_profile")

    result = run_manage("migrate", "--noinput", DATABASE_URL=url)
    targeted = run_manage("migrate", "users", "--noinput", DATABASE_URL=url)

    assert result.returncode == 1
    assert "does not match the models" in result.stderr
    assert "E003 Column users_user.user_profile (users.User.user_profile) is missing" in (
        result.stderr
    )
    assert targeted.returncode == 0, targeted.stderr  # a chosen target may leave it out of step

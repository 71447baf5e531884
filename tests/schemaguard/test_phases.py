"""Deploy phases end to end: a drop waits for the old release to stop; --compat measures."""

import json
from http import HTTPStatus

import psycopg
import pytest
from django.test import Client
from django_tasks import task

from schemaguard import phases
from schemaguard.models import Release
from tests.schemaguard.scratch import ScratchApp

pytestmark = pytest.mark.django_db(transaction=True)

ITEM = """
migrations.CreateModel(
    name="Item",
    fields=[
        ("id", models.BigAutoField(primary_key=True, serialize=False)),
        ("name", models.CharField(max_length=100)),
        ("gone", models.TextField(null=True)),
        ("size", models.IntegerField(null=True)),
    ],
),
"""


def sql(url: str, statement: str, params=()):
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def columns(url: str) -> set[str]:
    rows = sql(
        url,
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'sgscratch_item'",
    )
    return {name for (name,) in rows}


def release_of(app: ScratchApp, url: str) -> list[str]:
    out = app.manage(
        "shell",
        "-c",
        "import json; from schemaguard.phases import this_release;"
        "print(json.dumps(this_release()[1]))",
        database_url=url,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def seen(url: str, fingerprint: str, names: list[str], ago: str = "0 seconds") -> None:
    sql(
        url,
        "INSERT INTO schemaguard_release (fingerprint, migrations, first_seen, last_seen)"
        " VALUES (%s, %s, now() - %s::interval, now() - %s::interval)"
        " ON CONFLICT (fingerprint) DO UPDATE SET last_seen = EXCLUDED.last_seen",
        [fingerprint, json.dumps(names), ago, ago],
    )


def test_a_drop_waits_until_no_release_without_it_is_running(tmp_path, scratch_db):
    app = ScratchApp(tmp_path)
    app.migration("initial", ITEM)
    assert app.manage("migrate", "--noinput", database_url=scratch_db).returncode == 0
    seen(scratch_db, "old", release_of(app, scratch_db))  # the release serving now
    drop = app.migration("drop_gone", 'migrations.RemoveField("item", "gone"),', post_deploy=True)

    predeploy = app.manage("migrate", "--noinput", database_url=scratch_db)

    assert predeploy.returncode == 0, predeploy.stderr
    assert f"Held back sgscratch.{drop} (post_deploy): still running without it: release old" in (
        predeploy.stdout
    )
    assert "gone" in columns(scratch_db)
    assert sql(scratch_db, "SELECT 1 FROM django_migrations WHERE name = %s", [drop]) == []
    # The new release is built to run before its held migration: it is ready.
    check = app.manage("check", "--deploy", "--database", "default", database_url=scratch_db)
    assert "schemaguard.E001" not in check.stderr
    assert check.returncode == 0, check.stderr

    # The cron job, while the old release still runs: nothing yet.
    waiting = app.manage("migrate", "--post-deploy", database_url=scratch_db)
    assert waiting.returncode == 0
    assert "Held back" in waiting.stdout
    assert "gone" in columns(scratch_db)

    # The old release stops (last seen long ago); only the new one is seen.
    seen(scratch_db, "old", [], ago="1 hour")
    seen(scratch_db, "new", release_of(app, scratch_db))
    applied = app.manage("migrate", "--post-deploy", database_url=scratch_db)

    assert applied.returncode == 0, applied.stderr
    assert f"Applying sgscratch.{drop}... OK" in applied.stdout
    assert "gone" not in columns(scratch_db)


def test_a_web_process_records_its_release_when_readiness_is_polled(monkeypatch):
    monkeypatch.setattr(phases, "_last_recorded", float("-inf"))

    assert Client().get("/readyz").status_code == HTTPStatus.OK

    fingerprint, names = phases.this_release()
    release = Release.objects.get(fingerprint=fingerprint)
    assert release.migrations == names
    assert "schemaguard.0001_initial" in names


DROP_IN_PYTHON = """
def drop_gone(apps, schema_editor):
    # Built at run time: no rule can read this SQL.
    schema_editor.execute("ALTER TABLE sgscratch_item DROP COLUMN " + "gone")
"""


def test_compat_catches_what_no_rule_can_read_and_measures_locks(tmp_path, scratch_db):
    app = ScratchApp(tmp_path)
    app.migration("initial", ITEM)
    assert app.manage("migrate", "--noinput", database_url=scratch_db).returncode == 0
    app.migration(
        "retype",
        'migrations.AlterField("item", "size", models.BigIntegerField(null=True)),',
        allow_unsafe={"alter-column-type": "Item is tiny"},
    )
    hidden = app.migration(
        "hidden_drop",
        "migrations.RunPython(drop_gone, migrations.RunPython.noop),",
        code=DROP_IN_PYTHON,
    )

    rules_only = app.manage("lintmigrations", database_url=scratch_db)
    measured = app.manage("lintmigrations", "--compat", database_url=scratch_db)

    assert rules_only.returncode == 0, rules_only.stderr
    assert measured.returncode == 1
    assert (
        "sgscratch.0002_retype: locks on existing tables: sgscratch_item AccessExclusiveLock; "
        "rewrote: sgscratch_item"
    ) in measured.stdout
    assert f"sgscratch.{hidden}: locks on existing tables: sgscratch_item AccessExclusiveLock" in (
        measured.stderr
    )
    assert (
        "ERROR [compat] the release before this plan breaks: E003 Column sgscratch_item.gone "
        "(sgscratch.Item.gone) is missing."
    ) in measured.stderr
    assert "gone" in columns(scratch_db)  # the real database is untouched
    assert not sql(scratch_db, "SELECT 1 FROM pg_database WHERE datname LIKE '%%_compat_%%'")


@task()
def noop_task() -> None:
    pass


def test_a_worker_records_its_release_when_it_starts_a_task(monkeypatch):
    monkeypatch.setattr(phases, "_last_recorded", float("-inf"))

    noop_task.enqueue()  # the immediate backend runs it here, as a worker would

    assert Release.objects.filter(fingerprint=phases.this_release()[0]).exists()

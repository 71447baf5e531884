"""Migration checks on real migration files in a scratch app, run by real manage.py commands."""

import psycopg
import pytest

from tests.schemaguard.scratch import ScratchApp, findings

pytestmark = pytest.mark.django_db(transaction=True)

INITIAL = """
migrations.CreateModel(
    name="Item",
    fields=[
        ("id", models.BigAutoField(primary_key=True, serialize=False)),
        ("name", models.CharField(max_length=100)),
        ("note", models.TextField(null=True)),
        ("size", models.IntegerField(null=True)),
        ("flag", models.BooleanField(null=True)),
    ],
),
migrations.CreateModel(name="Other", fields=[("id", models.BigAutoField(primary_key=True))]),
migrations.CreateModel(name="Big", fields=[("id", models.BigAutoField(primary_key=True))]),
migrations.CreateModel(name="Small", fields=[("id", models.BigAutoField(primary_key=True))]),
"""
RISKY = [  # (name, operations, extra attributes, the codes that must fire)
    ("rename_field", 'migrations.RenameField("item", "note", "remark"),', {}, {"rename-column"}),
    (
        "add_not_null",
        'migrations.AddField("item", "code", models.CharField(max_length=9, default="x")),',
        {},
        {"add-not-null-column"},
    ),
    (
        "volatile_default",
        'migrations.AddField("item", "seen", models.UUIDField(null=True, '
        "db_default=RandomUUID())),",
        {},
        {"volatile-default"},
    ),
    (
        "alter_type",
        'migrations.AlterField("item", "size", models.BigIntegerField(null=True)),',
        {},
        {"alter-column-type"},
    ),
    (
        "set_not_null",
        'migrations.AlterField("item", "flag", models.BooleanField(default=False)),',
        {},
        {"set-not-null"},
    ),
    (
        "create_index",
        'migrations.AddIndex("item", models.Index(fields=["name"], name="item_name_idx")),',
        {},
        {"create-index"},
    ),
    (
        "add_unique",
        'migrations.AddConstraint("item", models.UniqueConstraint(fields=["name"], '
        'name="item_name_uniq")),',
        {},
        {"add-unique"},
    ),
    (
        "add_check",
        'migrations.AddConstraint("item", models.CheckConstraint(condition=models.Q(size__gte=0),'
        ' name="item_size_pos")),',
        {},
        {"add-check"},
    ),
    (
        "add_fk",
        'migrations.AddField("item", "other", models.ForeignKey("sgscratch.other", null=True, '
        "on_delete=django.db.models.deletion.CASCADE)),",
        {},
        {"add-foreign-key", "create-index"},
    ),
    ("runpython_no_reverse", "migrations.RunPython(forwards),", {}, {"runpython-no-reverse"}),
    ("runsql_no_reverse", 'migrations.RunSQL("SELECT 1"),', {}, {"runsql-no-reverse"}),
    (
        "data_with_ddl",
        'migrations.AddField("item", "extra", models.IntegerField(null=True)),\n'
        "migrations.RunPython(forwards, migrations.RunPython.noop),",
        {},
        {"data-with-ddl"},
    ),
    (
        "runsql_drop_column",
        'migrations.RunSQL("ALTER TABLE sgscratch_item DROP COLUMN extra", '
        'reverse_sql="ALTER TABLE sgscratch_item ADD COLUMN extra integer"),',
        {},
        {"drop-column"},
    ),
    ("drop_column", 'migrations.RemoveField("item", "remark"),', {}, {"drop-column"}),
    ("drop_table", 'migrations.DeleteModel("small"),', {}, {"drop-table"}),
    ("rename_table", 'migrations.AlterModelTable("big", "sgscratch_big2"),', {}, {"rename-table"}),
    (
        "drop_not_null_held",
        'migrations.RemoveField("item", "code"),',
        {"post_deploy": True},
        {"drop-not-null-column"},
    ),
    (
        "empty_reason",
        'migrations.AddIndex("item", models.Index(fields=["size"], name="item_size_idx")),',
        {"allow_unsafe": {"create-index": " "}},
        {"create-index", "allow-unsafe-reason"},
    ),
    (  # reported, but not an error: the reason is printed with it
        "acknowledged",
        'migrations.AddIndex("item", models.Index(fields=["size"], name="item_size2_idx")),',
        {"allow_unsafe": {"create-index": "Item holds 20 rows, ever"}},
        {"create-index"},
    ),
    (
        "stale_ack",
        'migrations.AddField("item", "later", models.IntegerField(null=True)),',
        {"allow_unsafe": {"drop-column": "nothing is dropped here"}},
        {"stale-allow-unsafe"},
    ),
]
SAFE = [  # the recipes the rules recommend: nothing fires
    ("safe_nullable", 'migrations.AddField("item", "maybe", models.IntegerField(null=True)),', {}),
    (
        "safe_db_default",
        'migrations.AddField("item", "level", models.IntegerField(db_default=0)),',
        {},
    ),
    (
        "safe_index_concurrently",
        'AddIndexConcurrently("item", models.Index(fields=["maybe"], name="item_maybe_idx")),',
        {"atomic": False},
    ),
    (
        "safe_check_not_valid",
        'AddConstraintNotValid("item", models.CheckConstraint(condition=models.Q(level__gte=0), '
        'name="item_level_pos")),',
        {},
    ),
    ("safe_validate", 'ValidateConstraint("item", "item_level_pos"),', {}),
    (  # now() and pi() are not volatile: the value is computed once, no rewrite
        "safe_stable_default",
        'migrations.AddField("item", "stamp", models.DateTimeField(null=True, db_default=Now())),'
        '\nmigrations.AddField("item", "pi", models.FloatField(null=True, db_default=Pi())),',
        {},
    ),
    ("safe_data_alone", "migrations.RunPython(forwards, migrations.RunPython.noop),", {}),
    ("safe_drop_post_deploy", 'migrations.RemoveField("item", "maybe"),', {"post_deploy": True}),
    (
        "safe_new_table",
        'migrations.CreateModel("Fresh", fields=[("id", models.BigAutoField(primary_key=True)),'
        ' ("k", models.IntegerField())]),\n'
        'migrations.AddIndex("fresh", models.Index(fields=["k"], name="fresh_k_idx")),\n'
        'migrations.AddField("fresh", "j", models.IntegerField(default=1)),',
        {},
    ),
]


def test_every_rule_fires_on_its_case_and_stays_quiet_on_its_safe_recipe(tmp_path, scratch_db):
    app = ScratchApp(tmp_path)
    app.migration("initial", INITIAL)
    expected = {}
    for name, operations, attributes, codes in RISKY:
        expected[app.migration(name, operations, **attributes)] = codes
    for name, operations, attributes in SAFE:
        expected[app.migration(name, operations, **attributes)] = set()

    result = app.manage("lintmigrations", "sgscratch", database_url=scratch_db)

    found = findings(result.stdout + result.stderr)
    for migration, codes in expected.items():
        assert found.get(migration, set()) == codes, (migration, result.stdout + result.stderr)
    assert "Acknowledged: Item holds 20 rows, ever" in result.stdout
    assert result.returncode == 1
    assert "schemaguard: " in result.stderr


def test_every_finding_says_why_and_what_to_do_instead(tmp_path, scratch_db):
    app = ScratchApp(tmp_path)
    app.migration("initial", INITIAL)
    app.migration("drop", 'migrations.RemoveField("item", "note"),')

    output = app.manage("lintmigrations", "sgscratch", database_url=scratch_db).stderr

    assert "ERROR [drop-column] sgscratch.0002_drop #1 Remove field note from item" in output
    assert "UndefinedColumn" in output
    assert "Instead: remove the field from the code first" in output
    assert "post_deploy = True" in output


@pytest.fixture
def big_and_small(tmp_path, scratch_db):
    """Two existing tables, one with 20,000 rows, one empty; a pending migration indexes both."""
    app = ScratchApp(tmp_path)
    app.migration(
        "initial",
        """
        migrations.CreateModel("Big", fields=[("id", models.BigAutoField(primary_key=True)),
                                              ("k", models.IntegerField())]),
        migrations.CreateModel("Small", fields=[("id", models.BigAutoField(primary_key=True)),
                                                ("k", models.IntegerField())]),
        """,
    )
    assert app.manage("migrate", "--noinput", database_url=scratch_db).returncode == 0
    with psycopg.connect(scratch_db, autocommit=True) as conn:
        conn.execute("INSERT INTO sgscratch_big (k) SELECT i FROM generate_series(1, 20000) i")
    app.migration(
        "indexes",
        """
        migrations.AddIndex("big", models.Index(fields=["k"], name="big_k_idx")),
        migrations.AddIndex("small", models.Index(fields=["k"], name="small_k_idx")),
        """,
    )
    return app


def test_lock_findings_are_graded_by_the_real_table(big_and_small, scratch_db):
    result = big_and_small.manage("lintmigrations", database_url=scratch_db)
    output = result.stdout + result.stderr

    assert "ERROR [create-index] sgscratch.0002_indexes #1" in output
    assert "on sgscratch_big (over 10,000 rows, " in output
    assert "WARNING [create-index] sgscratch.0002_indexes #2" in output
    assert "on sgscratch_small (~0 rows, 0.0 MB; small (SMALL_TABLE_ROWS=10,000))" in (output)
    assert result.returncode == 1


def test_without_a_database_lock_findings_stay_errors(big_and_small, scratch_db):
    unreachable = scratch_db.rsplit("/", 1)[0] + "/no_such_database"

    result = big_and_small.manage("lintmigrations", "--all", database_url=unreachable)

    assert "ERROR [create-index] sgscratch.0002_indexes #2" in result.stderr
    assert "table size unknown" in result.stderr
    assert result.returncode == 1


def test_migrate_refuses_an_unsafe_plan_and_touches_nothing(big_and_small, scratch_db):
    result = big_and_small.manage("migrate", "--noinput", database_url=scratch_db)

    assert result.returncode == 1
    assert "Refusing to migrate" in result.stderr
    assert "Nothing was applied" in result.stderr
    with psycopg.connect(scratch_db) as conn:
        recorded = conn.execute(
            "SELECT name FROM django_migrations WHERE app = 'sgscratch'"
        ).fetchall()
        indexes = conn.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename LIKE 'sgscratch_%%' "
            "AND indexname LIKE '%%_k_idx'"
        ).fetchall()
    assert recorded == [("0001_initial",)]
    assert indexes == []


def test_exempt_history_is_not_checked(tmp_path, scratch_db):
    app = ScratchApp(tmp_path)
    app.migration("initial", INITIAL)
    old = app.migration("old_drop", 'migrations.RemoveField("item", "note"),')
    app.migration("new_drop", 'migrations.RemoveField("item", "size"),')

    result = app.manage(
        "lintmigrations",
        "sgscratch",
        "--settings=tests.schemaguard.scratch_settings",
        database_url=scratch_db,
    )
    assert set(findings(result.stderr)) == {old, "0003_new_drop"}

    exempt = app.manage(
        "shell",
        "-c",
        "from django.conf import settings; from django.core.management import call_command;"
        "settings.SCHEMAGUARD = {'APPS': {'sgscratch'}, "
        f"'EXEMPT_UNTIL': {{'sgscratch': '{old}'}}}};"
        "call_command('lintmigrations', 'sgscratch')",
        database_url=scratch_db,
    )
    assert set(findings(exempt.stderr)) == {"0003_new_drop"}


@pytest.mark.parametrize(
    ("sql", "codes"),
    [
        ("ALTER TABLE a RENAME TO b", {"rename-table"}),
        ("ALTER TABLE a RENAME COLUMN x TO y", {"rename-column"}),
        ("ALTER TABLE a ALTER COLUMN x TYPE bigint", {"alter-column-type"}),
        ("ALTER TABLE a ALTER COLUMN x SET NOT NULL", {"set-not-null"}),
        ("CREATE INDEX i ON a (x)", {"create-index"}),
        ("CREATE INDEX CONCURRENTLY i ON a (x)", {"concurrently-in-transaction"}),
        ("ALTER TABLE a ADD CONSTRAINT c CHECK (x > 0) NOT VALID", set()),
        ("ALTER TABLE a ADD CONSTRAINT c FOREIGN KEY (x) REFERENCES b (id)", {"add-foreign-key"}),
        ("-- DROP TABLE a\nSELECT 1", set()),
    ],
)
def test_runsql_statements_are_read(sql, codes):
    from schemaguard.lint import sql_findings

    assert {code for code, _table in sql_findings(sql)} == codes

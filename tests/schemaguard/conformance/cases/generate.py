"""Write squawk's rule examples and strong_migrations' cases as Django migrations (run once;
the files are kept). Rewritten, not copied: squawk (Apache-2.0/MIT, sbdchd/squawk) documents
each rule with an example statement; strong_migrations (MIT, ankane/strong_migrations) lists
the dangerous operations and their safe recipes. Each case: (name, operations, attributes,
verdict, reason); the verdicts go to ../verdicts.py through CASES."""

from pathlib import Path

INITIAL = """migrations.CreateModel(
            name="Item",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=50)),
                ("qty", models.IntegerField(null=True)),
                ("price", models.DecimalField(max_digits=10, decimal_places=2, null=True)),
                ("note", models.TextField(null=True)),
                ("flag", models.BooleanField(null=True)),
                ("code", models.CharField(max_length=20, null=True)),
            ],
        ),
        migrations.CreateModel(name="Other", fields=[("id", models.BigAutoField(primary_key=True))]),
        migrations.RunSQL(
            "CREATE TABLE cases_gone (id bigint PRIMARY KEY);"
            "CREATE TABLE cases_nopk (id bigint NOT NULL);"
            "CREATE TABLE cases_renamed (id bigint PRIMARY KEY);"
            "CREATE INDEX cases_item_note_idx ON cases_item (note);"
            "CREATE INDEX cases_item_code_idx ON cases_item (code);"
            "CREATE TABLE cases_part (id bigint NOT NULL, k int NOT NULL) PARTITION BY RANGE (k);"
            "CREATE TABLE cases_part_1 PARTITION OF cases_part FOR VALUES FROM (0) TO (100000);"
            "CREATE TABLE cases_part_2 PARTITION OF cases_part FOR VALUES FROM (100000) TO (200000);",
            migrations.RunSQL.noop,
        ),"""


def sql(text):
    return f"migrations.RunSQL({text!r}, migrations.RunSQL.noop),"


U, S = "unsafe", "safe"
CASES = [
    (
        "volatile_default",
        sql("ALTER TABLE cases_item ADD COLUMN c_uuid uuid DEFAULT gen_random_uuid()"),
        {},
        U,
        "squawk adding-field-with-default: a volatile default rewrites the table",
    ),
    (
        "constant_default",
        sql("ALTER TABLE cases_item ADD COLUMN c_const int DEFAULT 10"),
        {},
        S,
        "squawk adding-field-with-default: a constant default is stored once (PostgreSQL 11+)",
    ),
    (
        "now_default",
        sql("ALTER TABLE cases_item ADD COLUMN c_now timestamptz DEFAULT now()"),
        {},
        S,
        "now() is stable: computed once, no rewrite",
    ),
    (
        "foreign_key",
        sql(
            "ALTER TABLE cases_item ADD CONSTRAINT cases_fk FOREIGN KEY (qty) REFERENCES cases_other (id)"
        ),
        {},
        U,
        "squawk adding-foreign-key-constraint: validates every row under a write lock",
    ),
    (
        "foreign_key_not_valid",
        sql(
            "ALTER TABLE cases_item ADD CONSTRAINT cases_fk2 FOREIGN KEY (qty) REFERENCES cases_other (id) NOT VALID"
        ),
        {},
        S,
        "squawk: NOT VALID skips the scan",
    ),
    (
        "validate_foreign_key",
        sql("ALTER TABLE cases_item VALIDATE CONSTRAINT cases_fk2"),
        {},
        S,
        "squawk: VALIDATE in its own transaction takes no write lock",
    ),
    (
        "not_null_no_default",
        sql("ALTER TABLE cases_item ADD COLUMN c_req int NOT NULL"),
        {},
        U,
        "squawk adding-not-nullable-field / strong_migrations: old inserts fail",
    ),
    (
        "serial",
        sql("ALTER TABLE cases_item ADD COLUMN c_serial serial"),
        {},
        U,
        "squawk adding-serial-primary-key-field: nextval() for every row rewrites",
    ),
    (
        "stored_generated",
        sql("ALTER TABLE cases_item ADD COLUMN c_gen int GENERATED ALWAYS AS (id * 2) STORED"),
        {},
        U,
        "squawk adding-stored-generated-column: rewrites the table",
    ),
    (
        "drop_column",
        sql("ALTER TABLE cases_item DROP COLUMN c_const"),
        {},
        U,
        "squawk ban-drop-column / strong_migrations remove_column: the old release selects it",
    ),
    (
        "drop_table",
        sql("DROP TABLE cases_gone"),
        {},
        U,
        "squawk ban-drop-table: the old release uses it",
    ),
    (
        "change_type",
        sql("ALTER TABLE cases_item ALTER qty TYPE bigint"),
        {},
        U,
        "squawk changing-column-type: int to bigint rewrites",
    ),
    (
        "longer_varchar_sql",
        sql("ALTER TABLE cases_item ALTER COLUMN code TYPE varchar(40)"),
        {},
        S,
        "PostgreSQL docs: a longer varchar needs no rewrite",
    ),
    (
        "varchar_to_text_sql",
        sql("ALTER TABLE cases_item ALTER COLUMN code TYPE text"),
        {},
        S,
        "PostgreSQL docs: varchar to text is binary coercible",
    ),
    (
        "numeric_precision_sql",
        sql("ALTER TABLE cases_item ALTER COLUMN price TYPE numeric(12, 2)"),
        {},
        S,
        "PostgreSQL docs: more precision, same scale, no rewrite",
    ),
    (
        "numeric_scale_sql",
        sql("ALTER TABLE cases_item ALTER COLUMN price TYPE numeric(12, 4)"),
        {},
        U,
        "a new scale rewrites every value",
    ),
    (
        "check_constraint",
        sql("ALTER TABLE cases_item ADD CONSTRAINT cases_qty_pos CHECK (qty > 0)"),
        {},
        U,
        "squawk constraint-missing-not-valid: scans under a write lock",
    ),
    (
        "check_not_valid_and_validate",
        sql(
            "ALTER TABLE cases_item ADD CONSTRAINT cases_qty_nn CHECK (qty >= 0) NOT VALID; ALTER TABLE cases_item VALIDATE CONSTRAINT cases_qty_nn"
        ),
        {},
        U,
        "squawk constraint-missing-not-valid: validated in the same transaction keeps the lock",
    ),
    (
        "unique_constraint",
        sql("ALTER TABLE cases_item ADD CONSTRAINT cases_name_uniq UNIQUE (name)"),
        {},
        U,
        "squawk disallowed-unique-constraint: builds an index under a write lock",
    ),
    (
        "create_index",
        sql("CREATE INDEX cases_item_name_idx ON cases_item (name)"),
        {},
        U,
        "squawk require-concurrent-index-creation",
    ),
    (
        "create_index_concurrently",
        sql("CREATE INDEX CONCURRENTLY cases_item_qty_idx ON cases_item (qty)"),
        {"atomic": False},
        S,
        "squawk: CONCURRENTLY outside a transaction",
    ),
    (
        "concurrently_in_atomic",
        sql("CREATE INDEX CONCURRENTLY cases_item_flag_idx ON cases_item (flag)"),
        {},
        U,
        "squawk ban-concurrent-index-creation-in-transaction: PostgreSQL refuses it",
    ),
    (
        "drop_index",
        sql("DROP INDEX cases_item_note_idx"),
        {},
        U,
        "squawk require-concurrent-index-deletion",
    ),
    (
        "drop_index_concurrently",
        sql("DROP INDEX CONCURRENTLY cases_item_code_idx"),
        {"atomic": False},
        S,
        "squawk: CONCURRENTLY outside a transaction",
    ),
    (
        "rename_column",
        sql("ALTER TABLE cases_item RENAME COLUMN note TO remark"),
        {},
        U,
        "squawk renaming-column / strong_migrations rename_column",
    ),
    (
        "rename_table",
        sql("ALTER TABLE IF EXISTS cases_renamed RENAME TO cases_renamed2"),
        {},
        U,
        "squawk renaming-table / strong_migrations rename_table",
    ),
    (
        "set_not_null",
        sql("ALTER TABLE cases_item ALTER COLUMN flag SET NOT NULL"),
        {},
        U,
        "squawk adding-not-nullable-field / strong_migrations change_column_null: full scan under ACCESS EXCLUSIVE",
    ),
    (
        "nn_check_not_valid",
        sql(
            "ALTER TABLE cases_item ADD CONSTRAINT cases_code_nn CHECK (code IS NOT NULL) NOT VALID"
        ),
        {},
        S,
        "strong_migrations change_column_null recipe, step 1",
    ),
    (
        "nn_check_validate",
        sql("ALTER TABLE cases_item VALIDATE CONSTRAINT cases_code_nn"),
        {},
        S,
        "strong_migrations change_column_null recipe, step 2",
    ),
    (
        "nn_set_not_null",
        sql("ALTER TABLE cases_item ALTER COLUMN code SET NOT NULL"),
        {},
        S,
        "strong_migrations change_column_null recipe, step 3: the validated check spares the scan",
    ),
    (
        "primary_key",
        sql("ALTER TABLE cases_nopk ADD PRIMARY KEY (id)"),
        {},
        U,
        "squawk adding-primary-key-constraint: builds an index under a lock",
    ),
    (
        "exclusion",
        sql("ALTER TABLE cases_item ADD CONSTRAINT cases_excl EXCLUDE USING btree (code WITH =)"),
        {},
        U,
        "an exclusion constraint builds its index under a write lock",
    ),
    (
        "ddl_and_dml",
        sql("ALTER TABLE cases_item ADD COLUMN c_d int; UPDATE cases_item SET c_d = 1"),
        {},
        U,
        "strong_migrations: a backfill in the schema change's transaction holds its lock",
    ),
    (
        "with_update",
        sql("WITH one AS (SELECT 1 AS v) UPDATE cases_item SET c_d = one.v FROM one"),
        {},
        S,
        "a data migration alone",
    ),
    (
        "dash_dash_in_string",
        sql("SELECT 'a -- b'; ALTER TABLE cases_item DROP COLUMN c_d"),
        {},
        U,
        "a '--' inside a string is no comment: the DROP COLUMN runs",
    ),
    (
        "comment_words",
        sql("COMMENT ON TABLE cases_item IS 'never DROP COLUMN name here'"),
        {},
        S,
        "words inside a COMMENT ON string are not SQL",
    ),
    ("reindex", sql("REINDEX TABLE cases_item"), {}, U, "REINDEX blocks writes"),
    (
        "reindex_concurrently",
        sql("REINDEX TABLE CONCURRENTLY cases_item"),
        {"atomic": False},
        S,
        "REINDEX CONCURRENTLY outside a transaction",
    ),
    (
        "detach_partition",
        sql("ALTER TABLE cases_part DETACH PARTITION cases_part_2"),
        {},
        U,
        "DETACH PARTITION takes ACCESS EXCLUSIVE on the parent",
    ),
    (
        "django_add_index",
        'migrations.AddField("item", "tag", models.CharField(max_length=10, null=True, db_index=True)),',
        {},
        U,
        "strong_migrations add_index: a plain CREATE INDEX",
    ),
    (
        "django_longer_char",
        'migrations.AlterField("item", "name", models.CharField(max_length=100)),',
        {},
        S,
        "strong_migrations: increasing a varchar limit is safe",
    ),
    (
        "django_char_to_text",
        'migrations.AlterField("item", "tag", models.TextField(null=True, db_index=True)),',
        {},
        U,
        "varchar to text is safe, but Django rebuilds the text_pattern_ops index (CREATE INDEX)",
    ),
    (
        "django_remove_post_deploy",
        'migrations.RemoveField("item", "tag"),',
        {"post_deploy": True},
        S,
        "strong_migrations remove_column recipe: after the code stopped using it",
    ),
    (
        "django_fk_no_index",
        'migrations.AddField("item", "other", models.ForeignKey("cases.other", null=True, db_index=False, db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING)),',
        {},
        S,
        "no index, no constraint: a nullable column",
    ),
    (
        "django_db_constraint_on",
        'migrations.AlterField("item", "other", models.ForeignKey("cases.other", null=True, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING)),',
        {},
        U,
        "db_constraint turned on adds a validated FOREIGN KEY",
    ),
    (
        "django_rename_db_column",
        'migrations.AlterField("item", "price", models.DecimalField(max_digits=12, decimal_places=2, null=True, db_column="amount")),',
        {},
        U,
        "a db_column change is RENAME COLUMN: the old release gets UndefinedColumn",
    ),
    (
        "django_db_default_none",
        'migrations.AddField("item", "level", models.IntegerField(db_default=None)),',
        {},
        U,
        "db_default=None is no default: old inserts fail",
    ),
    (
        "django_runpython_no_reverse",
        "migrations.RunPython(forwards),",
        {},
        U,
        "strong_migrations / the linter: cannot be rolled back",
    ),
]

HEADER = """import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass

"""


def write() -> None:
    folder = Path(__file__).parent / "cases" / "migrations"
    previous = None
    for number, (name, operations, attributes, _v, _r) in enumerate(
        [("initial", INITIAL, {}, S, "")] + CASES, 1
    ):
        full = f"{number:04d}_{name}"
        dependencies = [("cases", previous)] if previous else []
        extra = "".join(f"    {key} = {value!r}\n" for key, value in attributes.items())
        (folder / f"{full}.py").write_text(
            HEADER + "\nclass Migration(migrations.Migration):\n"
            f"    dependencies = {dependencies!r}\n{extra}"
            f"    operations = [\n        {operations}\n    ]\n"
        )
        previous = full


def verdicts() -> dict:
    return {
        f"cases.{number:04d}_{name}": (verdict, reason)
        for number, (name, _o, _a, verdict, reason) in enumerate(CASES, 2)
    }


if __name__ == "__main__":
    write()

"""The expected verdict on every migration of the conformance suite, with the reason.

"unsafe": it breaks the release still serving, locks a table for as long as the table is
big, fails on PostgreSQL, or cannot be rolled back. "safe": none of that. A migration not
listed that only creates tables is safe. Where our verdict differs from a peer's own, the
entry says so (DISAGREES) and schemaguard/README.md lists it.
"""

from .cases.generate import verdicts as case_verdicts

U, S = "unsafe", "safe"
NEW = (S, "creates new tables: nothing existing is locked or changed")
DROP = (U, "drops a column while the old release still selects it (no post_deploy)")
DROP_ZD = (
    U,
    "drops a column while the old release still selects it (no post_deploy); DISAGREES with "
    "django-pg-zero-downtime-migrations, which judges locks only",
)
INDEX = (U, "CREATE INDEX without CONCURRENTLY blocks writes (the peer rewrites it CONCURRENTLY)")
DROP_INDEX = (U, "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE (the peer rewrites it)")
DATA = (
    U,
    "a schema change and RunPython in one migration (data-with-ddl); DISAGREES with "
    "django-pg-zero-downtime-migrations, whose test data code this is and which does not judge it",
)

VERDICTS = {
    # django-migration-linter, tests/test_project
    "app_add_manytomany_field.0002_b_many_to_many": (S, "a many-to-many field is a new table"),
    "app_add_not_null_column.0002_add_new_not_null_field": (U, "NOT NULL without a database default: old inserts fail"),
    "app_add_not_null_column_followed_by_db_default.0002_a_not_null_field_db_default": (S, "db_default keeps the default in the database"),
    "app_add_not_null_column_followed_by_default.0002_a_not_null_field": (S, "AddDefaultValue sets the database default again in the same transaction"),
    "app_add_not_null_column_with_null_db_default.0002_a_not_null_field_with_null_db_default": (U, "db_default=None is no default: old inserts fail"),
    "app_alter_column.0002_auto_20190414_1456": (U, "integer to varchar(10) rewrites the table and changes what the old release reads"),
    "app_alter_column_drop_not_null.0002_drop_not_null": (S, "DROP NOT NULL changes the catalog only"),
    "app_correct.0002_foo": (S, "a nullable column"),
    "app_create_index_exclusive.0002_user_email": INDEX,
    "app_data_migrations.0002_missing_reverse": (U, "RunPython without a reverse cannot be rolled back"),
    "app_data_migrations.0003_incorrect_arguments": (S, "RunPython with a reverse, alone (the peer warns about argument names: style, not safety; DISAGREES)"),
    "app_data_migrations.0004_partial_function": (S, "RunPython with a reverse, alone"),
    "app_drop_column.0002_remove_a_field_b": DROP,
    "app_drop_table.0002_delete_a": (U, "drops a table the old release uses"),
    "app_make_not_null_with_django_default.0002_make_not_null_with_django_default": (U, "SET NOT NULL scans under ACCESS EXCLUSIVE and the old release writes NULL"),
    "app_make_not_null_with_lib_default.0002_make_not_null_with_lib_default": (U, "SET NOT NULL scans under ACCESS EXCLUSIVE; Django's INSERT names every column, so the old release sends NULL whatever the default; DISAGREES with django-migration-linter"),
    "app_rename_column.0002_auto_20190414_1502": (U, "RENAME COLUMN: the old release gets UndefinedColumn"),
    "app_rename_table.0002_auto_20190414_1500": (U, "RENAME TO: the old release gets UndefinedTable"),
    "app_unique_together.0002_auto_20190729_2122": (U, "a unique constraint builds its index under a write lock"),
    "app_unique_together.0003_auto_20190729_2122": (S, "only removes a unique constraint"),
    # django-pg-zero-downtime-migrations, tests/apps (judged as plain Django runs them)
    "bad_flow_add_column_with_default_app.0002_add_field_default": (U, "Django drops the default after adding a NOT NULL column: old inserts fail"),
    "bad_flow_add_column_with_notnull_app.0002_add_field_notnull": (U, "NOT NULL without a default"),
    "bad_flow_add_column_with_notnull_default_app.0002_add_field_notnull_default": (U, "Django drops the default after adding a NOT NULL column: old inserts fail"),
    "bad_flow_change_char_type_that_unsafe_app.0002_change_type_from_char120_to_char100": (U, "a shorter varchar checks and rewrites every row"),
    "bad_rollback_flow_change_char_type_that_safe_app.0002_change_type_safe_from_char100_to_char120": (S, "a longer varchar needs no rewrite (the peer's 'bad rollback' is about reverting it)"),
    "bad_rollback_flow_drop_column_with_notnull_app.0002_drop_field_not_null": DROP,
    "bad_rollback_flow_drop_column_with_notnull_default_app.0002_drop_field_not_null_default": DROP,
    "decimal_to_float_app.0002_type_conversion": (U, "numeric to double precision rewrites the table"),
    "good_flow_alter_table_with_same_db_table.0002_rename_model": (S, "RenameModel keeping db_table runs no SQL"),
    "good_flow_app_concurrently.0002_auto_20191210_2147": (S, "AddIndexConcurrently outside a transaction"),
    "good_flow_app_concurrently.0003_auto_20191210_2148": (S, "RemoveIndexConcurrently outside a transaction"),
    "good_flow_drop_table_with_constraints.0002_remove_testtablechild_main": (S, "state only"),
    "good_flow_drop_table_with_constraints.0003_delete_testtablemain": (U, "drops a table the old release uses (no post_deploy); DISAGREES with django-pg-zero-downtime-migrations, which judges locks only"),
    "idempotency_add_auto_field_app.0002_alter_relatedtesttable_test_field_int": (S, "adds an identity to the existing primary key: a catalog change, no scan"),
    "idempotency_add_check_app.0002_relatedtesttable_idempotency_add_check_app_relatedtesttable_check": (U, "CHECK without NOT VALID scans under a write lock"),
    "idempotency_add_column_app.0002_relatedtesttable_test_field_str": (S, "a nullable column"),
    "idempotency_add_column_foreign_key_app.0002_relatedtesttable_test_model": (U, "a validated FOREIGN KEY and a plain CREATE INDEX"),
    "idempotency_add_column_one_to_one_app.0002_relatedtesttable_test_model": (U, "a validated FOREIGN KEY and a UNIQUE constraint"),
    "idempotency_add_foreign_key_app.0002_alter_relatedtesttable_test_field_int": (U, "a validated FOREIGN KEY and a plain CREATE INDEX"),
    "idempotency_add_index_app.0002_alter_relatedtesttable_test_field_int": INDEX,
    "idempotency_add_index_meta_app.0002_relatedtesttable_relatedtesttable_idx": INDEX,
    "idempotency_add_one_to_one_app.0002_alter_relatedtesttable_test_field_int": (U, "a validated FOREIGN KEY and a UNIQUE constraint"),
    "idempotency_add_primary_key_app.0002_remove_relatedtesttable_id_and_more": (U, "drops the id column and builds a primary key under a lock"),
    "idempotency_add_unique_app.0002_alter_relatedtesttable_test_field_int": (U, "a UNIQUE constraint builds its index under a write lock"),
    "idempotency_add_unique_meta_app.0002_relatedtesttable_relatedtesttable_uniq": (U, "a UNIQUE constraint builds its index under a write lock"),
    "idempotency_create_table_app.0002_relatedtesttable_and_more": NEW,
    "idempotency_set_not_null_app.0002_alter_relatedtesttable_test_field_int": (U, "SET NOT NULL scans under ACCESS EXCLUSIVE"),
    "good_flow_app.0002_add_nullable_field": DATA,
    "good_flow_app.0003_set_field_default": (S, "a Python default only: no SQL; RunPython alone"),
    "good_flow_app.0004_set_field_not_null": (U, "SET NOT NULL scans under ACCESS EXCLUSIVE after a full-table UPDATE"),
    "good_flow_app.0005_drop_field_not_null": DATA,
    "good_flow_app.0006_drop_field_default": (S, "a Python default only: no SQL; RunPython alone"),
    "good_flow_app.0008_add_field_with_check_constraint": (U, "a column with an inline CHECK is checked on every row under ACCESS EXCLUSIVE"),
    "good_flow_app.0010_add_field_with_foreign_key": (U, "a validated FOREIGN KEY and a plain CREATE INDEX"),
    "good_flow_app.0012_add_field_with_unique_constraint": (U, "a UNIQUE constraint builds its index under a write lock"),
    "good_flow_app.0014_add_field_with_index": INDEX,
    "good_flow_app.0016_add_check_constraint": (U, "CHECK without NOT VALID scans under a write lock"),
    "good_flow_app.0017_drop_check_constraint": (S, "dropping a CHECK constraint changes the catalog only"),
    "good_flow_app.0018_add_unique_constraint": (U, "a UNIQUE constraint builds its index under a write lock"),
    "good_flow_app.0019_drop_unique_constraint": (S, "ALTER TABLE DROP CONSTRAINT: a brief lock"),
    "good_flow_app.0020_add_unique_constraint_with_condition": INDEX,
    "good_flow_app.0021_drop_unique_constraint_with_condition": DROP_INDEX,
    "good_flow_app.0050_add_unique_constraint_deferrable": (U, "UNIQUE constraints build their index under a write lock"),
    "good_flow_app.0051_drop_unique_constraint_deferrable": (S, "ALTER TABLE DROP CONSTRAINT: a brief lock"),
}  # fmt: skip
for number in range(22, 50, 2):
    VERDICTS.setdefault(f"good_flow_app.{number:04d}", INDEX)
    VERDICTS.setdefault(f"good_flow_app.{number + 1:04d}", DROP_INDEX)
for number in (7, 9, 11, 13, 15):
    VERDICTS.setdefault(f"good_flow_app.{number:04d}", DROP_ZD)
VERDICTS.update(case_verdicts())


def expected(label: str, migration) -> tuple[str, str]:
    """(verdict, reason) for one migration ("app.name")."""
    if label in VERDICTS:
        return VERDICTS[label]
    prefix = label[: label.index(".") + 5]  # "app.0007": the numbered families above
    if prefix in VERDICTS:
        return VERDICTS[prefix]
    app = label.split(".")[0]
    if app.startswith("good_flow_drop_column_with_constraints"):
        if "0002_" in label:
            return (S, "state only (RunSQL.noop forwards)")
        if "0001_" not in label:
            return DROP_ZD
    if label.split(".")[1].startswith("0001_"):
        return NEW
    raise KeyError(f"No verdict for {label}")

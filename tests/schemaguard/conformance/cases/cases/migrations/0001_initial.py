import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = []
    operations = [
        migrations.CreateModel(
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
        ),
    ]

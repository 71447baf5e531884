import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0009_serial')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ADD COLUMN c_gen int GENERATED ALWAYS AS (id * 2) STORED', migrations.RunSQL.noop),
    ]

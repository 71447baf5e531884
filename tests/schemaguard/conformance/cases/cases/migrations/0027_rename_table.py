import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0026_rename_column')]
    operations = [
        migrations.RunSQL('ALTER TABLE IF EXISTS cases_renamed RENAME TO cases_renamed2', migrations.RunSQL.noop),
    ]

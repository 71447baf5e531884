import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0014_longer_varchar_sql')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ALTER COLUMN code TYPE text', migrations.RunSQL.noop),
    ]

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0015_varchar_to_text_sql')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ALTER COLUMN price TYPE numeric(12, 2)', migrations.RunSQL.noop),
    ]

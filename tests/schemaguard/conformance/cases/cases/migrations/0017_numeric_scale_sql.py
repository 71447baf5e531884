import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0016_numeric_precision_sql')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ALTER COLUMN price TYPE numeric(12, 4)', migrations.RunSQL.noop),
    ]

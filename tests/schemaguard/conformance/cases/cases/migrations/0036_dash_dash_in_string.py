import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0035_with_update')]
    operations = [
        migrations.RunSQL("SELECT 'a -- b'; ALTER TABLE cases_item DROP COLUMN c_d", migrations.RunSQL.noop),
    ]

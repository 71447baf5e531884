import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0010_stored_generated')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item DROP COLUMN c_const', migrations.RunSQL.noop),
    ]

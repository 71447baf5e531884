import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0003_constant_default')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ADD COLUMN c_now timestamptz DEFAULT now()', migrations.RunSQL.noop),
    ]

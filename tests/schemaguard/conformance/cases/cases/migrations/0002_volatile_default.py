import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0001_initial')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ADD COLUMN c_uuid uuid DEFAULT gen_random_uuid()', migrations.RunSQL.noop),
    ]

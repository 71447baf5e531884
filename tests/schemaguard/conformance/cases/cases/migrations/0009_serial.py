import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0008_not_null_no_default')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ADD COLUMN c_serial serial', migrations.RunSQL.noop),
    ]

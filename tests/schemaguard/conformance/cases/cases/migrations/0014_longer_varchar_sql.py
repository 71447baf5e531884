import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0013_change_type')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ALTER COLUMN code TYPE varchar(40)', migrations.RunSQL.noop),
    ]

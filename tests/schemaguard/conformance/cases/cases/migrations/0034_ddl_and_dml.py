import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0033_exclusion')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ADD COLUMN c_d int; UPDATE cases_item SET c_d = 1', migrations.RunSQL.noop),
    ]

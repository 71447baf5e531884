import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0019_check_not_valid_and_validate')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ADD CONSTRAINT cases_name_uniq UNIQUE (name)', migrations.RunSQL.noop),
    ]

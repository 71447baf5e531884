import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0020_unique_constraint')]
    operations = [
        migrations.RunSQL('CREATE INDEX cases_item_name_idx ON cases_item (name)', migrations.RunSQL.noop),
    ]

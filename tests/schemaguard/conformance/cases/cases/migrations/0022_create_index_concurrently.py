import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0021_create_index')]
    atomic = False
    operations = [
        migrations.RunSQL('CREATE INDEX CONCURRENTLY cases_item_qty_idx ON cases_item (qty)', migrations.RunSQL.noop),
    ]

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0024_drop_index')]
    atomic = False
    operations = [
        migrations.RunSQL('DROP INDEX CONCURRENTLY cases_item_code_idx', migrations.RunSQL.noop),
    ]

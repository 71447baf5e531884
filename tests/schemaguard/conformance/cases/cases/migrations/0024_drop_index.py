import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0023_concurrently_in_atomic')]
    operations = [
        migrations.RunSQL('DROP INDEX cases_item_note_idx', migrations.RunSQL.noop),
    ]

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0022_create_index_concurrently')]
    operations = [
        migrations.RunSQL('CREATE INDEX CONCURRENTLY cases_item_flag_idx ON cases_item (flag)', migrations.RunSQL.noop),
    ]

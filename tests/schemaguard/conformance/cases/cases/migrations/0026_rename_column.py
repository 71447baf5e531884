import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0025_drop_index_concurrently')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item RENAME COLUMN note TO remark', migrations.RunSQL.noop),
    ]

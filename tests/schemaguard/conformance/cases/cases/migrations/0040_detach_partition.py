import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0039_reindex_concurrently')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_part DETACH PARTITION cases_part_2', migrations.RunSQL.noop),
    ]

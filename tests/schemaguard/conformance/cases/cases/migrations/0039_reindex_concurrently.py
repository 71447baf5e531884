import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0038_reindex')]
    atomic = False
    operations = [
        migrations.RunSQL('REINDEX TABLE CONCURRENTLY cases_item', migrations.RunSQL.noop),
    ]

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0012_drop_table')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ALTER qty TYPE bigint', migrations.RunSQL.noop),
    ]

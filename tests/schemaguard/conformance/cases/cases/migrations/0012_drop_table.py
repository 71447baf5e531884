import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0011_drop_column')]
    operations = [
        migrations.RunSQL('DROP TABLE cases_gone', migrations.RunSQL.noop),
    ]

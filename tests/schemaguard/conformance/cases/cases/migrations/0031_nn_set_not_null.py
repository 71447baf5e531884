import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0030_nn_check_validate')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ALTER COLUMN code SET NOT NULL', migrations.RunSQL.noop),
    ]

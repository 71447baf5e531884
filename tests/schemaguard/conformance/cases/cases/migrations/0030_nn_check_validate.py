import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0029_nn_check_not_valid')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item VALIDATE CONSTRAINT cases_code_nn', migrations.RunSQL.noop),
    ]

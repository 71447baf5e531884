import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0006_foreign_key_not_valid')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item VALIDATE CONSTRAINT cases_fk2', migrations.RunSQL.noop),
    ]

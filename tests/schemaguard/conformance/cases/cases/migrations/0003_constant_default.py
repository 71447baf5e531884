import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0002_volatile_default')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ADD COLUMN c_const int DEFAULT 10', migrations.RunSQL.noop),
    ]

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0018_check_constraint')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ADD CONSTRAINT cases_qty_nn CHECK (qty >= 0) NOT VALID; ALTER TABLE cases_item VALIDATE CONSTRAINT cases_qty_nn', migrations.RunSQL.noop),
    ]

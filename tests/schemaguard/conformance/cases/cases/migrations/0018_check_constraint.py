import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0017_numeric_scale_sql')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ADD CONSTRAINT cases_qty_pos CHECK (qty > 0)', migrations.RunSQL.noop),
    ]

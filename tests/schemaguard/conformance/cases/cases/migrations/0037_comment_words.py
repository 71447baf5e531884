import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0036_dash_dash_in_string')]
    operations = [
        migrations.RunSQL("COMMENT ON TABLE cases_item IS 'never DROP COLUMN name here'", migrations.RunSQL.noop),
    ]

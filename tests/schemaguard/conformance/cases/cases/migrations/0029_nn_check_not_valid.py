import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0028_set_not_null')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ADD CONSTRAINT cases_code_nn CHECK (code IS NOT NULL) NOT VALID', migrations.RunSQL.noop),
    ]

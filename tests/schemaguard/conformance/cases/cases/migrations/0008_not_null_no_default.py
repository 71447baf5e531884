import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0007_validate_foreign_key')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ADD COLUMN c_req int NOT NULL', migrations.RunSQL.noop),
    ]

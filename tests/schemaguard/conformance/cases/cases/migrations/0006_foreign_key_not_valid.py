import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0005_foreign_key')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ADD CONSTRAINT cases_fk2 FOREIGN KEY (qty) REFERENCES cases_other (id) NOT VALID', migrations.RunSQL.noop),
    ]

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0004_now_default')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_item ADD CONSTRAINT cases_fk FOREIGN KEY (qty) REFERENCES cases_other (id)', migrations.RunSQL.noop),
    ]

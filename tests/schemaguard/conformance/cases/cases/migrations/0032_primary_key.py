import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0031_nn_set_not_null')]
    operations = [
        migrations.RunSQL('ALTER TABLE cases_nopk ADD PRIMARY KEY (id)', migrations.RunSQL.noop),
    ]

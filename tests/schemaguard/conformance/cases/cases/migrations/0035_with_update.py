import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0034_ddl_and_dml')]
    operations = [
        migrations.RunSQL('WITH one AS (SELECT 1 AS v) UPDATE cases_item SET c_d = one.v FROM one', migrations.RunSQL.noop),
    ]

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0045_django_fk_no_index')]
    operations = [
        migrations.AlterField("item", "other", models.ForeignKey("cases.other", null=True, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING)),
    ]

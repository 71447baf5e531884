import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0044_django_remove_post_deploy')]
    operations = [
        migrations.AddField("item", "other", models.ForeignKey("cases.other", null=True, db_index=False, db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING)),
    ]

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0047_django_rename_db_column')]
    operations = [
        migrations.AddField("item", "level", models.IntegerField(db_default=None)),
    ]

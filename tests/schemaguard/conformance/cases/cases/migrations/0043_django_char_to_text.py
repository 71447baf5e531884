import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0042_django_longer_char')]
    operations = [
        migrations.AlterField("item", "tag", models.TextField(null=True, db_index=True)),
    ]

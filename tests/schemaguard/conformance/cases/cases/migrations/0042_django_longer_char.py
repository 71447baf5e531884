import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0041_django_add_index')]
    operations = [
        migrations.AlterField("item", "name", models.CharField(max_length=100)),
    ]

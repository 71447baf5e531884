import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0048_django_db_default_none')]
    operations = [
        migrations.RunPython(forwards),
    ]

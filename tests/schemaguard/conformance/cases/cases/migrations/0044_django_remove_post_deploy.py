import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0043_django_char_to_text')]
    post_deploy = True
    operations = [
        migrations.RemoveField("item", "tag"),
    ]

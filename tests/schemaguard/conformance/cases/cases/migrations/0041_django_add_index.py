import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0040_detach_partition')]
    operations = [
        migrations.AddField("item", "tag", models.CharField(max_length=10, null=True, db_index=True)),
    ]

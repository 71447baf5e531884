import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0037_comment_words')]
    operations = [
        migrations.RunSQL('REINDEX TABLE cases_item', migrations.RunSQL.noop),
    ]

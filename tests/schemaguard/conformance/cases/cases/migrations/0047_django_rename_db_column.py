import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('cases', '0046_django_db_constraint_on')]
    operations = [
        migrations.AlterField("item", "price", models.DecimalField(max_digits=12, decimal_places=2, null=True, db_column="amount")),
    ]

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bots', '0002_carry_over_v1'),
    ]

    operations = [
        migrations.AlterField(
            model_name='apitoken',
            name='client',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tokens', to='bots.client'),
        ),
        migrations.RemoveField(
            model_name='apitoken',
            name='name',
        ),
    ]

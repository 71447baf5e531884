from django.db import migrations


class Migration(migrations.Migration):
    """ApiToken moves to the bots app: its table is renamed, no row is copied or lost.

    bots.0001_initial takes the model over in the migration state.
    """

    dependencies = [
        ('profiles', '0002_apitoken'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name='apitoken', table='bots_apitoken'),
            ],
            state_operations=[
                migrations.DeleteModel(name='ApiToken'),
            ],
        ),
    ]

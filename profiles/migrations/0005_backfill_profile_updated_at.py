from django.conf import settings
from django.db import migrations
from django.db.models import OuterRef, Subquery

BATCH = 5000


def backfill(apps, schema_editor):
    """users.profile_updated_at: the time of each user's latest revision, in short batches
    (each UPDATE locks at most BATCH rows, briefly)."""
    User = apps.get_model(settings.AUTH_USER_MODEL)
    ProfileRevision = apps.get_model('profiles', 'ProfileRevision')
    latest = ProfileRevision.objects.filter(user=OuterRef('pk')).order_by('-created_at', '-id')
    last_id = User.objects.order_by('-pk').values_list('pk', flat=True).first() or 0
    for start in range(0, last_id + 1, BATCH):
        User.objects.filter(pk__gte=start, pk__lt=start + BATCH).update(
            profile_updated_at=Subquery(latest.values('created_at')[:1])
        )


class Migration(migrations.Migration):

    dependencies = [
        ('profiles', '0004_interaction_text_max_length'),
        ('users', '0004_user_profile_updated_at'),
    ]

    operations = [
        # Reverse: nothing to undo; users.0004's reverse drops the column.
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

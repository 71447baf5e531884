from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("profiles", "0004_interaction_text_max_length"),
    ("users", "0004_user_profile_updated_at"),
]
BACKFILL = ("profiles", "0005_backfill_profile_updated_at")


def test_backfill_sets_each_users_latest_revision_time_and_reverses():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User, Revision = apps.get_model("users", "User"), apps.get_model("profiles", "ProfileRevision")
    talker, quiet = User.objects.create(username="talker"), User.objects.create(username="quiet")
    now = timezone.now()
    for age in (3, 1, 2):  # the newest is not the last one written
        Revision.objects.create(
            user=talker, text=f"{age}", source="user", created_at=now - timedelta(hours=age)
        )

    executor = MigrationExecutor(connection)
    executor.migrate([BACKFILL])
    talker.refresh_from_db()
    quiet.refresh_from_db()
    assert talker.profile_updated_at == now - timedelta(hours=1)
    assert quiet.profile_updated_at is None

    MigrationExecutor(connection).migrate(BEFORE)  # the reverse runs
    call_command("migrate", verbosity=0)


def test_turns_stored_before_the_pending_flag_count_as_shown_and_it_reverses():
    before, pending = (
        ("profiles", "0008_refreshstate_lease_until"),
        ("profiles", "0009_interaction_pending"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    apps = executor.loader.project_state([before]).apps
    person = apps.get_model("users", "User").objects.create(username="talker")
    apps.get_model("profiles", "Interaction").objects.create(
        user=person, user_message="old", assistant_response=""
    )

    MigrationExecutor(connection).migrate([pending])
    with connection.cursor() as cursor:
        # Stored during a deploy by the release before, which does not name the column.
        cursor.execute(
            "INSERT INTO profiles_interaction (user_id, user_message, assistant_response, "
            "created_at) VALUES (%s, 'during', '', now())",
            [person.pk],
        )
        cursor.execute(
            "SELECT user_message, pending FROM profiles_interaction WHERE user_id = %s ORDER BY id",
            [person.pk],
        )
        assert cursor.fetchall() == [("old", None), ("during", True)]

    MigrationExecutor(connection).migrate([before])  # the reverse runs
    call_command("migrate", verbosity=0)

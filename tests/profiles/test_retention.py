"""Retention keeps exactly what it promises."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from profiles import services
from profiles.models import Interaction, ProfileRevision
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def turns(user, count: int, *, days_ago: float) -> None:
    start = timezone.now() - days_ago * DAY
    Interaction.objects.bulk_create(
        Interaction(
            user=user,
            user_message=f"{days_ago}:{i}",
            assistant_response="ok",
            created_at=start + i * timedelta(seconds=1),
        )
        for i in range(count)
    )


def kept(user) -> list[str]:
    return list(user.interactions.values_list("user_message", flat=True))


def test_keeps_each_persons_latest_and_everything_recent(settings):
    settings.INTERACTIONS_KEEP_LATEST, settings.INTERACTIONS_MAX_AGE_DAYS = 5, 30
    talker, quiet, fresh = UserFactory(), UserFactory(), UserFactory()
    turns(talker, 8, days_ago=400)  # old
    turns(talker, 3, days_ago=40)  # old too
    turns(talker, 2, days_ago=1)  # recent
    turns(quiet, 4, days_ago=400)  # old, but fewer than 5 in all
    turns(fresh, 20, days_ago=2)  # recent, many
    services.update_profile(user=talker, text="Talks a lot.", source="user")
    before = {u.pk: kept(u) for u in (talker, quiet, fresh)}

    out = StringIO()
    call_command("prune_interactions", stdout=out)

    # The 5 newest of talker's 13: 2 recent + the 3 from 40 days ago; the 8 oldest go.
    assert kept(talker) == before[talker.pk][:5]
    assert kept(quiet) == before[quiet.pk]
    assert kept(fresh) == before[fresh.pk]
    assert "Deleted 8 interaction(s)" in out.getvalue()
    assert ProfileRevision.objects.filter(user=talker).count() == 1
    talker.refresh_from_db()
    assert talker.user_profile == "Talks a lot."


def test_a_second_pass_deletes_nothing_and_rows_stop_growing(settings):
    settings.INTERACTIONS_KEEP_LATEST, settings.INTERACTIONS_MAX_AGE_DAYS = 100, 0
    person = UserFactory()
    turns(person, 1000, days_ago=3)

    first = services.prune_interactions(keep_latest=100, max_age=timedelta(0), users_per_batch=1)
    second = services.prune_interactions(keep_latest=100, max_age=timedelta(0))

    assert (first, second) == (900, 0)
    assert person.interactions.count() == 100


def test_finished_task_rows_are_pruned_when_the_queue_is_the_database(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RESULTS_MAX_AGE_DAYS = 7
    old = timezone.now() - 30 * DAY
    common = {
        "task_path": "profiles.tasks.refresh_profile_task",
        "args_kwargs": {},
        "backend_name": "default",
    }
    done = DBTaskResult.objects.create(status="SUCCESSFUL", finished_at=old, **common)
    waiting = DBTaskResult.objects.create(status="READY", **common)

    call_command("prune_interactions", stdout=StringIO())

    assert not DBTaskResult.objects.filter(pk=done.pk).exists()
    assert DBTaskResult.objects.filter(pk=waiting.pk).exists()


SIGN_IN_RECORDS = (AccessAttempt, AccessFailureLog, AccessLog)


def sign_in_records(*days_ago: float) -> None:
    """A row of each django-axes model per age, as a sign-in or failed attempt leaves it."""
    now = timezone.now()
    for n, age in enumerate(days_ago):
        common = {"username": f"sam{n}", "ip_address": "203.0.113.7", "user_agent": "Firefox"}
        AccessAttempt.objects.create(**common, failures_since_start=1, get_data="", post_data="")
        AccessFailureLog.objects.create(**common)
        AccessLog.objects.create(**common)
        for model in SIGN_IN_RECORDS:  # attempt_time is auto_now_add: set it afterwards
            model.objects.filter(username=f"sam{n}").update(attempt_time=now - age * DAY)


def ages_left() -> dict[str, list[int]]:
    return {
        model.__name__: sorted(
            int(u.removeprefix("sam")) for u in model.objects.values_list("username", flat=True)
        )
        for model in SIGN_IN_RECORDS
    }


def test_sign_in_records_older_than_the_setting_are_pruned(settings):
    sign_in_records(0, 29, 31, 400)  # sam0 .. sam3
    out = StringIO()

    call_command("prune_interactions", stdout=out)

    assert ages_left() == {model.__name__: [0, 1] for model in SIGN_IN_RECORDS}
    assert "Deleted 6 sign-in record(s) older than 30 days." in out.getvalue()

    settings.SIGN_IN_RECORDS_MAX_AGE_DAYS = 7
    call_command("prune_interactions", stdout=StringIO())

    assert ages_left() == {model.__name__: [0] for model in SIGN_IN_RECORDS}

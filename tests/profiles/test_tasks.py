import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from profiles import services
from profiles.models import Interaction
from profiles.tasks import refresh_profile_task, retry_delay
from tests.conftest import run_manage
from tests.factories import UserFactory

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.PROFILE_REFRESH_DEBOUNCE = 0  # due at once, for `db_worker --batch`
    return settings


@pytest.fixture
def talked(user):
    Interaction.objects.create(user=user, user_message="python?", assistant_response="yes")
    return user


def queued():
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def test_retry_delay_grows_exponentially_with_jitter(settings):
    settings.PROFILER_RETRY_DELAY = 10

    for attempt, base in [(1, 10), (2, 20), (3, 40)]:
        delays = {retry_delay(attempt).total_seconds() for _ in range(50)}
        assert all(base * 0.5 <= d <= base * 1.5 for d in delays)
        assert len(delays) > 1


def test_record_interaction_on_database_queue_only_enqueues(
    user, database_queue, llm_settings, fake_llm, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.record_interaction(user=user, user_message="hi", assistant_response="hello")

    (task,) = queued()
    assert task.task_path == "profiles.tasks.refresh_profile_task"
    assert task.args_kwargs == {"args": [user.pk], "kwargs": {}}
    assert fake_llm.requests == []


def test_failed_refresh_is_retried_later_on_database_queue(
    talked, database_queue, llm_settings, fake_llm, caplog
):
    fake_llm.default.status = 500
    llm_settings.PROFILER_RETRY_DELAY = 60

    with caplog.at_level(logging.WARNING, logger="profiles.tasks"):
        refresh_profile_task.call(talked.pk, 1)

    (retry,) = queued()
    assert retry.args_kwargs == {"args": [talked.pk, 2], "kwargs": {}}
    assert timezone.now() + timedelta(seconds=25) < retry.run_after
    assert retry.run_after < timezone.now() + timedelta(seconds=95)
    assert f"Profile refresh of user {talked.pk} failed (attempt 1): LLM answered HTTP 500" in (
        caplog.text
    )


def test_retries_are_bounded(talked, database_queue, llm_settings, fake_llm, caplog):
    fake_llm.default.status = 500
    llm_settings.PROFILER_RETRIES = 3

    with caplog.at_level(logging.ERROR, logger="profiles.tasks"):
        refresh_profile_task.call(talked.pk, 4)

    assert queued() == []
    assert "giving up, the profile stays as it was" in caplog.text
    talked.refresh_from_db()
    assert talked.user_profile is None


def test_immediate_backend_does_not_wait_to_retry(talked, llm_settings, fake_llm, caplog):
    fake_llm.default.status = 429

    with caplog.at_level(logging.ERROR, logger="profiles.tasks"):
        result = refresh_profile_task.enqueue(talked.pk)

    assert result.status == TaskResultStatus.SUCCESSFUL  # handled, not crashed
    assert len(fake_llm.requests) == 1
    assert "giving up" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_db_worker_process_refreshes_profiles_end_to_end(database_queue):
    user = UserFactory()
    for message in ("Please be brief.", "My python code fails."):
        services.record_interaction(user=user, user_message=message, assistant_response="ok")
    assert len(queued()) == 1  # two turns, one refresh
    user.refresh_from_db()
    assert user.user_profile is None

    worker = run_manage(
        "db_worker", "--batch", "--no-startup-delay", TASKS_BACKEND="database", PROFILER="rules"
    )

    assert worker.returncode == 0, worker.stderr
    assert {t.status for t in queued()} == {TaskResultStatus.SUCCESSFUL}
    user.refresh_from_db()
    assert "asks for brief answers" in user.user_profile
    assert "programming" in user.user_profile
    assert user.profile_revisions.filter(source="profiler", profiler="rules").exists()

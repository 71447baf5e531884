import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from profiles import services
from profiles.models import Interaction, RefreshState
from profiles.profilers import BaseProfiler, ProfilerError
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


def test_a_retry_keeps_the_refresh_from_being_taken_over_until_it_is_due(
    talked, database_queue, llm_settings, fake_llm, django_capture_on_commit_callbacks
):
    fake_llm.default.status = 500
    llm_settings.PROFILER_RETRY_DELAY = 60
    llm_settings.PROFILE_REFRESH_LEASE_SECONDS = 1
    services.request_refresh(user_id=talked.pk)

    refresh_profile_task.call(talked.pk, 1)
    with django_capture_on_commit_callbacks(execute=True):
        queued_again = services.request_refresh(user_id=talked.pk)

    retry = queued()[-1]
    assert queued_again is False  # the retry waits up to 90 s, far past a 1 s lease
    assert RefreshState.objects.get(user=talked).lease_until > retry.run_after
    assert len(queued()) == 1


class BrokenProfiler(BaseProfiler):
    """A profiler with a bug: whatever `error` is, it raises it."""

    error: Exception = RuntimeError("boom")

    def profile(self, *, current_profile, interactions):
        raise self.error


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyError("missing")])
def test_any_profiler_exception_ends_the_refresh_and_the_next_turn_queues_one(
    user, database_queue, caplog, django_capture_on_commit_callbacks, monkeypatch, error
):
    database_queue.PROFILER = f"{__name__}.BrokenProfiler"
    monkeypatch.setattr(BrokenProfiler, "error", error)

    def turn():
        with django_capture_on_commit_callbacks(execute=True):
            services.record_interaction(user=user, user_message="hi", assistant_response="r")

    turn()
    with caplog.at_level(logging.ERROR, logger="profiles.tasks"), pytest.raises(type(error)):
        refresh_profile_task.call(user.pk)  # the queue records the failure

    assert RefreshState.objects.get(user=user).queued_at is None
    (logged,) = [r for r in caplog.records if r.name == "profiles.tasks"]
    assert f"Profile refresh of user {user.pk} failed unexpectedly" in logged.getMessage()
    assert logged.exc_info[1] is error  # with its traceback
    turn()
    assert len(queued()) == 2  # the next turn's refresh


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


class FailingProfiler(BaseProfiler):
    """Fails for good, while the person sends another turn."""

    def profile(self, *, current_profile, interactions):
        user = Interaction.objects.first().user
        services.record_interaction(user=user, user_message="again", assistant_response="r")
        raise ProfilerError("down")


def test_a_refresh_that_gives_up_does_not_queue_itself_again(
    user, database_queue, django_capture_on_commit_callbacks
):
    database_queue.PROFILER = f"{__name__}.FailingProfiler"
    database_queue.PROFILER_RETRIES = 0
    with django_capture_on_commit_callbacks(execute=True):
        services.record_interaction(user=user, user_message="hi", assistant_response="r")

    with django_capture_on_commit_callbacks(execute=True):
        refresh_profile_task.call(user.pk)

    # A failing profiler would otherwise run forever; the next turn asks again.
    assert len(queued()) == 1
    assert RefreshState.objects.get(user=user).queued_at is None
    assert user.interactions.filter(pending=True).count() == 2

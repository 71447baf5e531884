import json
import logging
import re
import threading

import pytest
from django.db import connection, transaction
from django.test import TestCase

from profiles import services
from profiles.models import Interaction, ProfileRevision
from profiles.profilers import ProfilerError
from profiles.profilers.rules import RulesProfiler
from tests.factories import UserFactory
from tests.fakellm import Reply

Source = ProfileRevision.Source


def record(user, message="Why is my python code slow?", response="Profile it."):
    """Record a turn and run its on_commit work, as the real commit would."""
    # Tests run inside a transaction that never commits; this executes the callbacks.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.record_interaction(
            user=user, user_message=message, assistant_response=response
        )


# record_interaction


def test_record_interaction_stores_turn_and_refreshes_profile(user):
    interaction = record(user)

    assert Interaction.objects.get() == interaction
    assert (interaction.user_message, interaction.assistant_response) == (
        "Why is my python code slow?",
        "Profile it.",
    )
    user.refresh_from_db()
    assert "Topics of interest: programming." in user.user_profile
    revision = ProfileRevision.objects.get()
    assert (revision.source, revision.profiler, revision.text) == (
        Source.PROFILER,
        "rules",
        user.user_profile,
    )


def test_record_interaction_refreshes_only_after_commit(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.record_interaction(user=user, user_message="a", assistant_response="b")

    assert len(callbacks) == 1
    user.refresh_from_db()
    assert user.user_profile is None


def test_rolled_back_interaction_schedules_nothing(user, django_capture_on_commit_callbacks):
    def failing_request():
        with transaction.atomic():
            services.record_interaction(user=user, user_message="a", assistant_response="b")
            raise RuntimeError("the caller's transaction fails")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        failing_request()

    assert callbacks == []
    assert not Interaction.objects.exists()


def test_record_interaction_with_dead_llm_keeps_interaction_and_profile(user, llm_settings, caplog):
    llm_settings.LLM_BASE_URL = "http://127.0.0.1:9/v1"
    user.user_profile = "Likes tea."
    user.save()

    with caplog.at_level(logging.WARNING):
        interaction = record(user, message="my secret message")

    assert Interaction.objects.get() == interaction
    user.refresh_from_db()
    assert user.user_profile == "Likes tea."
    assert f"Profile refresh of user {user.pk} failed" in caplog.text
    assert "unreachable" in caplog.text
    assert "secret" not in caplog.text


class BrokenProfiler(RulesProfiler):
    def profile(self, **kwargs):
        raise ZeroDivisionError("a bug, not a ProfilerError")


def test_record_interaction_never_raises_because_of_a_profiler_bug(user, settings):
    settings.PROFILER = f"{__name__}.BrokenProfiler"

    interaction = record(user)

    assert Interaction.objects.get() == interaction
    user.refresh_from_db()
    assert user.user_profile is None


@pytest.mark.parametrize(
    "message",
    [
        "x" * 200_000,
        "nul\x00in\x00the\x00middle",
        "emoji 🙂🚀👩‍👩‍👧 and flags 🇺🇦",
        "\u202eright-to-left override\u202c \u200fmark",
        "",
    ],
    ids=["200k", "nul", "emoji", "rtl", "empty"],
)
def test_hostile_messages_are_stored_and_profiled(user, message):
    interaction = record(user, message=message, response=message)

    stored = Interaction.objects.get(pk=interaction.pk)
    assert stored.user_message == message.replace("\x00", "")
    assert stored.assistant_response == message.replace("\x00", "")
    user.refresh_from_db()
    assert len(user.user_profile or "") <= 4000


# update_profile, revert_profile, clear_profile


def test_update_profile_normalises_and_records_revision(user):
    revision = services.update_profile(user=user, text="  I like\x00 tea.  ", source=Source.USER)

    user.refresh_from_db()
    assert user.user_profile == "I like tea."
    assert (revision.text, revision.source, revision.profiler) == ("I like tea.", "user", "")


def test_update_profile_cuts_long_text_at_a_word_and_logs(user, caplog):
    with caplog.at_level(logging.INFO, logger="profiles.text"):
        services.update_profile(user=user, text="lorem ipsum " * 1000, source=Source.API)

    user.refresh_from_db()
    assert len(user.user_profile) <= 4000
    assert user.user_profile.endswith(("lorem", "ipsum"))
    assert "Profile cut from" in caplog.text


def test_update_profile_without_change_writes_nothing(user):
    services.update_profile(user=user, text="Same.", source=Source.USER)

    assert services.update_profile(user=user, text=" Same. ", source=Source.ADMIN) is None
    assert ProfileRevision.objects.count() == 1


def test_update_profile_rejects_unknown_source(user):
    with pytest.raises(ValueError, match="Unknown profile source"):
        services.update_profile(user=user, text="x", source="robot")
    assert not ProfileRevision.objects.exists()


def test_revert_profile_restores_earlier_text_as_new_revision(user):
    first = services.update_profile(user=user, text="First.", source=Source.USER)
    services.update_profile(user=user, text="Second.", source=Source.PROFILER)

    revision = services.revert_profile(revision=first, source=Source.USER)

    user.refresh_from_db()
    assert user.user_profile == "First."
    assert revision.source == Source.USER
    assert ProfileRevision.objects.filter(user=user).count() == 3


def test_clear_profile_stores_null_and_keeps_history(user):
    services.update_profile(user=user, text="Something.", source=Source.USER)

    revision = services.clear_profile(user=user, source=Source.ADMIN)

    user.refresh_from_db()
    assert user.user_profile is None
    assert (revision.text, revision.source) == ("", Source.ADMIN)
    assert [r.text for r in user.profile_revisions.order_by("id")] == ["Something.", ""]


# refresh_profile


def test_refresh_without_interactions_does_nothing(user):
    services.refresh_profile(user_id=user.pk)

    assert not ProfileRevision.objects.exists()


def test_refresh_of_missing_user_does_nothing(db):
    services.refresh_profile(user_id=987654)

    assert not ProfileRevision.objects.exists()


class InterruptedProfiler(RulesProfiler):
    """While the first run is 'thinking', the person edits their profile."""

    calls: list[str] = []

    def profile(self, *, current_profile, interactions):
        self.calls.append(current_profile)
        if len(self.calls) == 1:
            (user_id,) = {i.user_id for i in Interaction.objects.all()}
            from django.contrib.auth import get_user_model

            person = get_user_model().objects.get(pk=user_id)
            services.update_profile(user=person, text="My own note.", source=Source.USER)
        return super().profile(current_profile=current_profile, interactions=interactions)


def test_refresh_starts_over_when_profile_changes_meanwhile(user, settings):
    settings.PROFILER = f"{__name__}.InterruptedProfiler"
    InterruptedProfiler.calls = []
    Interaction.objects.create(user=user, user_message="python", assistant_response="ok")

    services.refresh_profile(user_id=user.pk)

    assert InterruptedProfiler.calls == ["", "My own note."]
    user.refresh_from_db()
    assert user.user_profile.startswith("My own note.\n\n")
    assert [r.source for r in user.profile_revisions.order_by("id")] == ["user", "profiler"]


class SlowRulesProfiler(RulesProfiler):
    """Slow enough that concurrent refreshes overlap."""

    def profile(self, **kwargs):
        import time

        time.sleep(0.2)
        return super().profile(**kwargs)


@pytest.mark.django_db(transaction=True)
def test_concurrent_interactions_for_one_user_are_all_seen(settings):
    settings.PROFILER = f"{__name__}.SlowRulesProfiler"
    user = UserFactory()
    messages = [
        "my python code",
        "a trip to Rome",
        "my salary at work",
        "a chess game",
        "guitar music",
    ]
    start = threading.Barrier(len(messages))
    errors = []

    def talk(message):
        try:
            start.wait()
            record(user, message=message)
        except Exception as exc:  # surfaced below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=talk, args=(m,)) for m in messages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Interaction.objects.filter(user=user).count() == len(messages)
    user.refresh_from_db()
    topics = next(x for x in user.user_profile.splitlines() if x.startswith("Topics"))
    for topic in ("programming", "travel", "work", "games", "music"):
        assert topic in topics


# refresh_profile: every turn since the last refresh reaches the profiler


def shown(request: dict) -> list[str]:
    """The person's messages an LLM request showed, from the JSON between its tags."""
    prompt = request["messages"][1]["content"]
    (quoted,) = re.findall(r"<conversation>\n(.*)\n</conversation>", prompt, flags=re.S)
    return [turn["person"] for turn in json.loads(quoted)]


def profile_shown(request: dict) -> str:
    prompt = request["messages"][1]["content"]
    return json.loads(re.search(r"<profile>\n(.*)\n</profile>", prompt, flags=re.S)[1])


@pytest.fixture
def echoing_llm(llm_settings, fake_llm):
    """The LLM profiler against a fake that answers with the messages it was shown."""
    fake_llm.answer = lambda request: "Seen: " + ", ".join(shown(request))
    return fake_llm


def burst(user, n, size=2):
    # Recorded in the test's transaction: their refresh requests wait for a commit that never
    # comes, so nothing runs until the test refreshes, as after a coalesced burst.
    for i in range(n):
        services.record_interaction(
            user=user, user_message=f"T{i}" + " x" * (size // 2 - 1), assistant_response="ok"
        )


def test_one_refresh_after_a_burst_shows_the_profiler_every_turn(user, echoing_llm):
    burst(user, 10)

    services.refresh_profile(user_id=user.pk)

    (request,) = echoing_llm.requests
    assert shown(request) == [f"T{i}" for i in range(10)]
    user.refresh_from_db()
    assert user.user_profile == "Seen: " + ", ".join(f"T{i}" for i in range(10))


def test_a_backlog_over_the_budget_is_worked_through_in_order(user, echoing_llm, settings):
    settings.PROFILER_BATCH_CHARS = 100  # a turn is 30 + 2 characters: three fit in a batch
    burst(user, 10, size=30)

    services.refresh_profile(user_id=user.pk)

    batches = [[m.split()[0] for m in shown(r)] for r in echoing_llm.requests]
    assert batches == [["T0", "T1", "T2"], ["T3", "T4", "T5"], ["T6", "T7", "T8"], ["T9"]]
    # Each call starts from the profile the one before it wrote.
    answers = ["Seen: " + ", ".join(shown(r)) for r in echoing_llm.requests]
    assert [profile_shown(r) for r in echoing_llm.requests] == ["", *answers[:-1]]
    user.refresh_from_db()
    assert user.user_profile == answers[-1]


def test_the_next_refresh_shows_only_turns_not_seen_yet(user, echoing_llm):
    burst(user, 3)
    services.refresh_profile(user_id=user.pk)
    for text in ("later 1", "later 2"):
        services.record_interaction(user=user, user_message=text, assistant_response="ok")

    services.refresh_profile(user_id=user.pk)
    services.refresh_profile(user_id=user.pk)  # nothing new: no call at all

    assert [shown(r) for r in echoing_llm.requests] == [["T0", "T1", "T2"], ["later 1", "later 2"]]


def refresh_out_of_order(user, early: str, late: str) -> None:
    """Store `early`, then `late`, commit `late` first and refresh, then commit `early` and
    refresh again. Ids are handed out before commit, so `early` has the smaller one."""
    stored, release = threading.Event(), threading.Event()

    def early_turn():
        try:
            with transaction.atomic():
                Interaction.objects.create(user=user, user_message=early, assistant_response="")
                stored.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=early_turn)
    thread.start()
    assert stored.wait(timeout=30)
    Interaction.objects.create(user=user, user_message=late, assistant_response="")
    services.refresh_profile(user_id=user.pk)  # `early` is not committed yet
    release.set()
    thread.join()
    services.refresh_profile(user_id=user.pk)


@pytest.mark.django_db(transaction=True)
def test_a_turn_committed_after_a_later_one_still_reaches_the_profiler(echoing_llm):
    # "Everything after the last id seen" would skip the early turn for good.
    user = UserFactory()

    refresh_out_of_order(user, "early", "late")

    assert [shown(r) for r in echoing_llm.requests] == [["late"], ["early"]]


@pytest.mark.django_db(transaction=True)
def test_the_rules_profiler_rereads_the_newest_turns_whatever_their_order():
    user = UserFactory()

    refresh_out_of_order(user, "I love jazz music.", "I play chess every day.")

    user.refresh_from_db()
    topics = next(x for x in user.user_profile.splitlines() if x.startswith("Topics"))
    assert "music" in topics
    assert "games" in topics


def test_a_failed_call_leaves_its_turns_for_the_next_refresh(user, echoing_llm):
    burst(user, 2)
    echoing_llm.replies = [Reply(status=500)]

    with pytest.raises(ProfilerError):
        services.refresh_profile(user_id=user.pk)
    services.refresh_profile(user_id=user.pk)

    assert [shown(r) for r in echoing_llm.requests] == [["T0", "T1"], ["T0", "T1"]]
    assert Interaction.objects.filter(user=user, pending=True).count() == 0


def test_a_turn_longer_than_the_budget_is_cut_to_it(user, echoing_llm, settings):
    settings.PROFILER_BATCH_CHARS = 1000
    services.record_interaction(user=user, user_message="word " * 1000, assistant_response="ok")

    services.refresh_profile(user_id=user.pk)

    (message,) = shown(echoing_llm.requests[0])
    assert 900 < len(message) <= 1000


def test_the_rules_profiler_also_reads_earlier_turns(user):
    # Its style and topics lines describe the recent conversation, not only the newest turn.
    services.record_interaction(user=user, user_message="I love jazz music.", assistant_response="")
    services.refresh_profile(user_id=user.pk)
    services.record_interaction(user=user, user_message="Thanks!", assistant_response="")

    services.refresh_profile(user_id=user.pk)

    user.refresh_from_db()
    assert "Topics of interest: music" in user.user_profile

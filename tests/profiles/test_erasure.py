"""Erasing a person: the web page, the admin, and bot turns that race the deletion."""

import threading
import time
from contextlib import contextmanager
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bots import services as bot_services
from bots.models import Identity, SignInLink
from profiles import services
from profiles.models import Interaction, ProfileRevision, RefreshState
from profiles.tasks import refresh_profile_task
from tests.bots.conftest import api_client, link_url, profile_url, send, turn, turn_url
from tests.factories import DEFAULT_PASSWORD, UserFactory

User = get_user_model()
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
BOTS = 8
TURNS_AFTER = 3  # turns each bot sends once the deletion has answered
MAX_TURNS = 300  # a bound, so a broken deletion ends the test instead of hanging it


def queued_refreshes(user_id: int):
    return DBTaskResult.objects.filter(
        task_path=refresh_profile_task.module_path,
        status=TaskResultStatus.READY,
        args_kwargs__args__0=user_id,
    )


def assert_nothing_left(user_id: int, link_ids=()):
    assert not User.objects.filter(pk=user_id).exists()
    assert not Interaction.objects.filter(user_id=user_id).exists()
    assert not ProfileRevision.objects.filter(user_id=user_id).exists()
    assert not RefreshState.objects.filter(user_id=user_id).exists()
    assert not Identity.objects.filter(user_id=user_id).exists()
    assert not SignInLink.objects.filter(pk__in=link_ids).exists()
    assert not queued_refreshes(user_id).exists()


def bot(name: str) -> Client:
    return api_client(bot_services.create_api_token(client_name=name)[1])


def talked_to_a_bot(api) -> tuple:
    """A person a bot created, with a turn, a queued refresh, a revision and a sign-in link."""
    assert send(api, turn_url("42"), turn()).status_code == HTTPStatus.ACCEPTED
    assert send(api, link_url("42"), {}).status_code == HTTPStatus.CREATED
    user = Identity.objects.get(external_id="42").user
    services.update_profile(user=user, text="Likes short answers.", source="user")
    assert queued_refreshes(user.pk).exists()  # the refresh that nobody ran yet
    return user, list(SignInLink.objects.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_deleting_an_account_wins_against_a_bot_posting_turns(settings):
    settings.TASKS = DATABASE_QUEUE  # queued refreshes stay in the table; no worker runs
    token = bot_services.create_api_token(client_name="telegram bot")[1]
    person, link_ids = talked_to_a_bot(api_client(token))
    browser = Client(raise_request_exception=False)
    browser.force_login(person)
    first_turns = threading.Barrier(BOTS + 1)
    deleted = threading.Event()
    answers = []  # (status, JSON body, sent after the deletion answered)
    deletion = []
    errors = []

    def post_turns():
        api = api_client(token)
        api.raise_request_exception = False
        try:
            sent = after = 0
            while after < TURNS_AFTER and sent < MAX_TURNS:
                late = deleted.is_set()
                response = send(api, turn_url("42"), turn(user_message=f"turn {sent}"))
                body = response.json() if response.status_code < 500 else response.text[:200]
                answers.append((response.status_code, body, late))
                sent += 1
                after += late
                if sent == 1:
                    first_turns.wait()
        except Exception as exc:  # surfaced below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    def delete():
        try:
            first_turns.wait()  # every bot is mid-stream
            deletion.append(browser.post(reverse("delete_account"), {"confirm": "on"}))
            deleted.set()
        except Exception as exc:
            errors.append(exc)
            deleted.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=post_turns) for _ in range(BOTS)]
    threads.append(threading.Thread(target=delete))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [r.status_code for r in deletion] == [HTTPStatus.FOUND]
    assert deletion[0]["Location"] == reverse("home")
    # Every turn was accepted: none was a 500, and none was refused for the person's absence.
    assert {status for status, _, _ in answers} == {HTTPStatus.ACCEPTED}, answers
    assert_nothing_left(person.pk, link_ids)
    # Every turn after the deletion was stored, for one new person who starts empty.
    newcomer = Identity.objects.get(external_id="42").user
    assert newcomer.pk != person.pk
    late_ids = {body["id"] for _, body, late in answers if late}
    stored = set(Interaction.objects.values_list("id", flat=True))
    assert late_ids <= stored
    assert set(Interaction.objects.values_list("user_id", flat=True)) == {newcomer.pk}
    assert sum(body["person_created"] for _, body, _ in answers) == 1
    assert newcomer.user_profile is None
    assert not newcomer.profile_revisions.exists()
    assert not newcomer.has_usable_password()
    # The person who deleted their account is signed out.
    assert browser.get(reverse("profiles:profile")).status_code == HTTPStatus.FOUND


@pytest.mark.django_db(transaction=True)
def test_erase_user_removes_everything_of_one_person_only(settings):
    settings.TASKS = DATABASE_QUEUE
    person, link_ids = talked_to_a_bot(bot("telegram bot"))
    other_api = bot("discord bot")
    assert send(other_api, turn_url("7"), turn()).status_code == HTTPStatus.ACCEPTED
    other = Identity.objects.get(external_id="7").user

    assert services.erase_user(user_id=person.pk) is True

    assert_nothing_left(person.pk, link_ids)
    assert other.interactions.count() == 1
    assert queued_refreshes(other.pk).exists()
    assert services.erase_user(user_id=person.pk) is False  # already gone: nothing to do


@pytest.mark.django_db(transaction=True)
def test_the_admin_deletes_a_person_through_the_erasure(settings, admin_client):
    settings.TASKS = DATABASE_QUEUE
    person, link_ids = talked_to_a_bot(bot("telegram bot"))

    response = admin_client.post(
        reverse("admin:users_user_delete", args=[person.pk]), {"post": "yes"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert_nothing_left(person.pk, link_ids)


@pytest.mark.django_db(transaction=True)
def test_the_admin_action_deletes_people_through_the_erasure(settings, admin_client):
    settings.TASKS = DATABASE_QUEUE
    person, link_ids = talked_to_a_bot(bot("telegram bot"))
    other = UserFactory()
    bystander = UserFactory()

    response = admin_client.post(
        reverse("admin:users_user_changelist"),
        {"action": "delete_selected", "_selected_action": [person.pk, other.pk], "post": "yes"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert_nothing_left(person.pk, link_ids)
    assert not User.objects.filter(pk=other.pk).exists()
    assert User.objects.filter(pk=bystander.pk).exists()


@pytest.fixture
def refuse_deleting_people(db):
    """A database that refuses to delete anyone: a real failure in the middle of erasing."""
    table = connection.ops.quote_name(User._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'deleting people is refused'; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER refuse_delete BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_delete()"
        )


@pytest.mark.usefixtures("refuse_deleting_people")
def test_a_failed_deletion_leaves_the_person_signed_in_with_everything_kept(client, user):
    Interaction.objects.create(user=user, user_message="m", assistant_response="r")
    client.force_login(user)
    client.raise_request_exception = False

    response = client.post(reverse("delete_account"), {"password": DEFAULT_PASSWORD})

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert client.get(reverse("profiles:profile")).status_code == HTTPStatus.OK
    assert user.interactions.count() == 1


@contextmanager
def erased_while_waiting(user_id: int):
    """Erase the person in another connection, and commit only once the block's request
    waits for that erasure's lock: the turn has read the person, then finds them gone."""
    erased, release = threading.Event(), threading.Event()

    def erase():
        try:
            with transaction.atomic():
                services.erase_user(user_id=user_id)
                erased.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    eraser = threading.Thread(target=erase)
    eraser.start()
    assert erased.wait(timeout=60)

    def blocked():
        while not release.is_set():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    release.set()
            time.sleep(0.01)
        connection.close()

    watcher = threading.Thread(target=blocked)
    watcher.start()
    try:
        yield
    finally:
        release.set()
        watcher.join()
        eraser.join()


@pytest.mark.django_db(transaction=True)
def test_a_turn_that_waited_for_an_erasure_is_stored_for_a_new_person():
    api = bot("telegram bot")
    assert send(api, turn_url("42"), turn()).status_code == HTTPStatus.ACCEPTED
    person = Identity.objects.get(external_id="42").user

    with erased_while_waiting(person.pk):
        response = send(api, turn_url("42"), turn(user_message="after"))

    assert response.status_code == HTTPStatus.ACCEPTED
    assert response.json()["person_created"] is True
    newcomer = Identity.objects.get(external_id="42").user
    assert newcomer.pk != person.pk
    assert list(newcomer.interactions.values_list("user_message", flat=True)) == ["after"]
    assert_nothing_left(person.pk)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("url", "method", "payload"),
    [(profile_url, "put", {"user_profile": "Likes tea."}), (link_url, "post", {})],
)
def test_other_calls_that_waited_for_an_erasure_find_no_one(url, method, payload):
    api = bot("telegram bot")
    assert send(api, turn_url("42"), turn()).status_code == HTTPStatus.ACCEPTED
    person = Identity.objects.get(external_id="42").user

    with erased_while_waiting(person.pk):
        response = send(api, url("42"), payload, method)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"error": "This client has never mentioned that person id."}
    assert_nothing_left(person.pk)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("page", "data"),
    [
        ("profiles:record", turn()),
        ("profiles:edit", {"user_profile": "Likes tea."}),
        ("profiles:clear", {}),
        ("profiles:revert", {}),
    ],
)
def test_a_page_left_open_during_the_deletion_signs_out(client, page, data):
    """Another tab deleted the account while this one was writing for the person."""
    user = UserFactory()
    revision = services.update_profile(user=user, text="Likes coffee.", source="user")
    client.force_login(user)
    url = reverse(page, args=[revision.pk] if page == "profiles:revert" else [])

    with erased_while_waiting(user.pk):
        response = client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("home")
    assert client.get(reverse("profiles:profile")).status_code == HTTPStatus.FOUND
    assert_nothing_left(user.pk)

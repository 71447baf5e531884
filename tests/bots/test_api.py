import json
import threading
import time
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from bots import services
from bots.api import HISTORY_MAX_TURNS
from bots.models import ApiToken, Identity, SignInLink
from profiles.models import Interaction, ProfileRevision, RefreshState
from profiles.services import update_profile
from tests.bots.conftest import api_client, link_url, profile_url, send, turn, turn_url
from tests.conftest import count_queries
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def assert_error(response, status, text):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert text in response.json()["error"]


def person(api, person_id="42", **kwargs):
    """The user behind a person id, created by a first turn."""
    assert send(api, turn_url(person_id), turn(**kwargs)).status_code == HTTPStatus.ACCEPTED
    return Identity.objects.get(external_id=person_id).user


# Authentication


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer dp_wrong", "Token abc"],
)
def test_missing_or_bad_token_is_401(header):
    client = Client(headers={"Authorization": header} if header is not None else {})

    for response in (client.get(profile_url("42")), send(client, turn_url("42"), turn())):
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert "token" in response.json()["error"]
    assert not Interaction.objects.exists()
    assert not get_user_model().objects.exists()


def test_revoked_token_is_401_and_a_rotated_one_reaches_the_same_people(api, token):
    alice = person(api)
    old = ApiToken.objects.get()
    _, new_raw = services.create_api_token(client_name="telegram bot")
    services.revoke_api_token(token=old)

    assert_error(api.get(profile_url("42")), HTTPStatus.UNAUTHORIZED, "unknown or revoked")
    rotated = Client(headers={"Authorization": f"Bearer {new_raw}"})
    assert rotated.get(profile_url("42")).status_code == HTTPStatus.OK
    send(rotated, turn_url("42"), turn())
    assert Interaction.objects.filter(user=alice).count() == 2


def test_session_cookie_alone_never_authenticates(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(profile_url("42")).status_code == HTTPStatus.UNAUTHORIZED


def test_token_use_is_recorded(api):
    assert ApiToken.objects.get().last_used_at is None

    api.get(profile_url("nobody"))

    assert ApiToken.objects.get().last_used_at is not None


# POST /people/<id>/interactions


def test_first_turn_creates_a_person_known_only_by_this_clients_id(api):
    response = send(api, turn_url("123456789"), turn(user_message="a\x00b 🙂"))

    assert response.status_code == HTTPStatus.ACCEPTED
    body = response.json()
    assert (body["person_id"], body["person_created"]) == ("123456789", True)
    interaction = Interaction.objects.get(pk=body["id"])
    assert interaction.user_message == "ab 🙂"
    assert parse_datetime(body["created_at"]) == interaction.created_at.replace(
        microsecond=interaction.created_at.microsecond // 1000 * 1000
    )
    identity = Identity.objects.get()
    assert (identity.external_id, identity.client.name) == ("123456789", "telegram bot")
    user = identity.user
    assert interaction.user == user
    assert user.username.startswith("chat-")
    assert "123456789" not in user.username
    assert not user.has_usable_password()
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_next_turn_reuses_the_person(api):
    first = send(api, turn_url("42"), turn()).json()
    second = send(api, turn_url("42"), turn()).json()

    assert (first["person_created"], second["person_created"]) == (True, False)
    assert get_user_model().objects.count() == 1
    assert Interaction.objects.count() == 2


def test_turn_refreshes_the_profile(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(api, turn_url("42"), turn(user_message="Please be brief."))

    profile = api.get(profile_url("42")).json()
    assert "asks for brief answers" in profile["user_profile"]
    assert profile["updated_at"] is not None


BAD_IDS = {
    "nul": "a%00b",
    "control": "a%01b",
    "newline": "a%0Ab",
    "space": "a%20b",
    "emoji": "%F0%9F%99%82",
    "surrogate": "%ED%A0%80",
    "too long": "x" * 151,
    "hash": "a%23b",
}


@pytest.mark.parametrize("person_id", BAD_IDS.values(), ids=BAD_IDS.keys())
def test_unacceptable_ids_are_refused_not_cleaned(api, person_id):
    assert_error(
        send(api, turn_url(person_id), turn()), HTTPStatus.BAD_REQUEST, "person_id must be"
    )
    assert_error(api.get(profile_url(person_id)), HTTPStatus.BAD_REQUEST, "person_id must be")
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("person_id", ["-1001234567890", "U024BE7LH", "a.b@c+d:e_f", "Карл"])
def test_documented_id_characters_are_accepted(api, person_id):
    response = send(api, turn_url(person_id), turn())

    assert response.status_code == HTTPStatus.ACCEPTED
    assert Identity.objects.get().external_id == person_id


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\xfa", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        ("1" * 5000, "not valid JSON"),
        ([1, 2], "must be a JSON object"),
        ("null", "must be a JSON object"),
        (b"", "The body must be a JSON object"),
        ({"assistant_response": "y"}, "user_message: Field required"),
        (turn(user_message=None), "user_message: Input should be a valid string"),
        (turn(assistant_response=["x"]), "assistant_response: Input should be a valid string"),
        (turn(user_message="\ud800"), "user_message: Input should be a valid string"),
        (turn(assistant_response="ok \udfff"), "assistant_response: Input should be a valid"),
        (turn(user_message="x" * 200_001), "user_message: String should have at most 200000"),
    ],
)
def test_bad_turn_is_400_and_stores_nothing(api, payload, message):
    assert_error(send(api, turn_url("42"), payload), HTTPStatus.BAD_REQUEST, message)
    assert not Interaction.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("size", [1024 * 1024, 3 * 1024 * 1024])  # 3 MB: Django won't read it
def test_body_over_1mb_is_413(api, size):
    response = send(api, turn_url("42"), turn(user_message="x" * size))

    assert_error(response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "larger than 1 MB")
    assert not Interaction.objects.exists()


def test_large_but_allowed_message_is_stored(api):
    response = send(api, turn_url("42"), turn(user_message="слово " * 30_000))

    assert response.status_code == HTTPStatus.ACCEPTED
    assert len(Interaction.objects.get().user_message) == 180_000


def test_wrong_method_is_405_with_allow(api):
    response = api.get(turn_url("42"))

    assert_error(response, HTTPStatus.METHOD_NOT_ALLOWED, "GET is not allowed here; use POST")
    assert response["Allow"] == "POST"
    assert set(api.delete(profile_url("42"))["Allow"].split(", ")) == {"GET", "PUT"}


def test_unknown_api_path_is_json_404(api):
    assert_error(api.get("/api/v1/nope"), HTTPStatus.NOT_FOUND, "No such API endpoint")
    # an id cannot hold a slash: the path is another (unknown) one
    assert_error(send(api, turn_url("a%2Fb"), turn()), HTTPStatus.NOT_FOUND, "No such API")
    assert_error(api.get("/api/v1/users/alice/profile"), HTTPStatus.NOT_FOUND, "No such API")


# GET/PUT /people/<id>/profile


def test_get_profile(api):
    alice = person(api)
    revision = update_profile(user=alice, text="Likes tea.", source="user")

    body = api.get(profile_url("42")).json()

    assert (body["person_id"], body["user_profile"]) == ("42", "Likes tea.")
    assert abs(parse_datetime(body["updated_at"]) - revision.created_at) < timedelta(milliseconds=1)


def test_get_profile_of_never_profiled_person(api, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # no refresh
    person(api)

    body = api.get(profile_url("42")).json()

    assert body == {
        "person_id": "42",
        "user_profile": None,
        "updated_at": None,
        "refresh_pending": True,
    }


@pytest.mark.parametrize("person_id", ["ghost", "4242", "ad.min"])
def test_id_never_mentioned_is_404_everywhere(api, person_id):
    person(api)

    assert_error(api.get(profile_url(person_id)), HTTPStatus.NOT_FOUND, "never mentioned")
    assert_error(
        send(api, profile_url(person_id), {"user_profile": "x"}, "put"),
        HTTPStatus.NOT_FOUND,
        "never mentioned",
    )
    assert_error(send(api, link_url(person_id), {}), HTTPStatus.NOT_FOUND, "never mentioned")
    assert get_user_model().objects.count() == 1


def test_put_profile_replaces_it_with_api_revision(api):
    alice = person(api)

    response = send(api, profile_url("42"), {"user_profile": " New\x00 text. "}, "put")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["user_profile"] == "New text."
    alice.refresh_from_db()
    assert alice.user_profile == "New text."
    assert alice.profile_revisions.first().source == ProfileRevision.Source.API


def test_put_profile_cuts_over_long_text(api):
    person(api)

    body = send(api, profile_url("42"), {"user_profile": "word " * 2000}, "put").json()

    assert len(body["user_profile"]) <= 4000
    assert body["user_profile"].endswith("word")


def test_put_null_clears_profile(api):
    alice = person(api)
    update_profile(user=alice, text="Old.", source="user")

    body = send(api, profile_url("42"), {"user_profile": None}, "put").json()

    assert body["user_profile"] is None
    alice.refresh_from_db()
    assert alice.user_profile is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, "user_profile: Field required"),
        ({"user_profile": 5}, "user_profile: Input should be a valid string"),
        ({"user_profile": "\ud83d"}, "user_profile: must be valid Unicode text"),
    ],
)
def test_put_profile_bad_input_is_400_and_changes_nothing(api, payload, message):
    alice = person(api)
    update_profile(user=alice, text="Old.", source="user")

    assert_error(send(api, profile_url("42"), payload, "put"), HTTPStatus.BAD_REQUEST, message)
    alice.refresh_from_db()
    assert alice.user_profile == "Old."


def test_profile_read_is_one_query_whatever_the_history(api):
    alice = person(api)
    for i in range(25):
        update_profile(user=alice, text=f"v{i}", source="profiler")
    api.get(profile_url("42"))  # the token is checked, then trusted for a few seconds

    with count_queries() as queries:
        assert api.get(profile_url("42")).json()["user_profile"] == "v24"

    assert len(queries) == 1  # the profile and its time, from the person's row


def test_a_revocation_elsewhere_takes_effect_within_the_token_cache_time(api, monkeypatch):
    person(api)
    # Revoked by another process (the admin on another instance): this one trusts its
    # earlier check for API_TOKEN_CACHE_SECONDS (5).
    ApiToken.objects.update(revoked_at=timezone.now())
    assert api.get(profile_url("42")).status_code == HTTPStatus.OK

    now = time.monotonic()
    monkeypatch.setattr(services.time, "monotonic", lambda: now + 5.1)

    assert_error(api.get(profile_url("42")), HTTPStatus.UNAUTHORIZED, "unknown or revoked")


# POST /people/<id>/sign-in-link


def test_sign_in_link_is_created_with_the_configured_lifetime(api, settings):
    settings.SIGN_IN_LINK_MAX_AGE = 600
    person(api)
    before = timezone.now()

    response = send(api, link_url("42"), {})

    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    assert body["url"].startswith("http://testserver/sign-in/")
    link = SignInLink.objects.get()
    assert link.identity.external_id == "42"
    assert link.used_at is None
    expires = parse_datetime(body["expires_at"])
    assert timedelta(seconds=599) < expires - before < timedelta(seconds=601)
    key = body["url"].rstrip("/").rsplit("/", 1)[-1]
    assert key not in link.key_hash


@pytest.mark.parametrize(
    "flags", [{"is_staff": True}, {"is_superuser": True}, {"is_active": False}]
)
def test_no_sign_in_link_for_staff_or_deactivated_people(api, flags):
    alice = person(api)
    get_user_model().objects.filter(pk=alice.pk).update(**flags)

    assert_error(send(api, link_url("42"), {}), HTTPStatus.FORBIDDEN, "not issued")
    assert not SignInLink.objects.exists()


# Guessing tokens


def test_repeated_unknown_tokens_from_one_address_are_429_and_a_valid_token_still_works(api):
    guesser = Client(headers={"Authorization": "Bearer dp_guess"})
    answers = [guesser.get(profile_url("42")).status_code for _ in range(6)]

    assert answers == [HTTPStatus.UNAUTHORIZED] * 4 + [HTTPStatus.TOO_MANY_REQUESTS] * 2
    response = guesser.get(profile_url("42"))
    assert_error(response, HTTPStatus.TOO_MANY_REQUESTS, "Too many unknown API tokens")
    assert response["Retry-After"] == "900"
    person(api)  # the real bot, from the same address
    assert api.get(profile_url("42")).status_code == HTTPStatus.OK
    elsewhere = Client(headers={"Authorization": "Bearer dp_guess"}, REMOTE_ADDR="198.51.100.5")
    assert elsewhere.get(profile_url("42")).status_code == HTTPStatus.UNAUTHORIZED


# DELETE /people/<id>


def test_erase_deletes_the_person_and_the_next_turn_starts_a_new_one(api):
    alice = person(api)
    send(api, link_url("42"), {})

    response = api.delete("/api/v1/people/42")

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not get_user_model().objects.filter(pk=alice.pk).exists()
    assert not Interaction.objects.exists()
    assert not SignInLink.objects.exists()
    assert_error(api.get(profile_url("42")), HTTPStatus.NOT_FOUND, "never mentioned")
    assert_error(api.delete("/api/v1/people/42"), HTTPStatus.NOT_FOUND, "never mentioned")
    assert send(api, turn_url("42"), turn()).json()["person_created"] is True
    assert Interaction.objects.count() == 1


def test_erase_of_another_clients_person_is_404(api, other_api):
    alice = person(api)

    assert_error(other_api.delete("/api/v1/people/42"), HTTPStatus.NOT_FOUND, "never mentioned")
    assert get_user_model().objects.filter(pk=alice.pk).exists()


# Idempotency-Key


def keyed(api, key, person_id="42", **overrides):
    return api.post(
        turn_url(person_id),
        json.dumps(turn(**overrides)),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def test_a_repeated_key_answers_the_first_turn_and_stores_nothing(api):
    first = keyed(api, "msg-1")
    again = keyed(api, "msg-1")

    assert first.status_code == again.status_code == HTTPStatus.ACCEPTED
    assert again.json() == {**first.json(), "replayed": True}
    assert first.json()["replayed"] is False
    assert Interaction.objects.count() == 1


def test_keys_are_per_person_and_per_client_and_expire(api, other_api, settings):
    keyed(api, "msg-1")
    keyed(api, "msg-1", person_id="43")
    keyed(other_api, "msg-1")
    assert Interaction.objects.count() == 3

    settings.API_IDEMPOTENCY_WINDOW_HOURS = 0
    assert keyed(api, "msg-1").json()["replayed"] is False
    assert Interaction.objects.count() == 4
    assert services.prune_idempotency_keys() == 3  # msg-1 of 42 was replaced, not added


def test_a_key_reused_with_another_turn_is_409(api):
    keyed(api, "msg-1")

    assert_error(keyed(api, "msg-1", user_message="Other"), HTTPStatus.CONFLICT, "different turn")
    assert Interaction.objects.count() == 1


@pytest.mark.parametrize("key", ["", "é", "a\tb", "x" * 201])
def test_a_bad_key_is_400(api, key):
    response = api.post(
        turn_url("42"), json.dumps(turn()), "application/json", HTTP_IDEMPOTENCY_KEY=key
    )

    assert_error(response, HTTPStatus.BAD_REQUEST, "Idempotency-Key must be")
    assert not Interaction.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_of_a_key_store_one_turn(token, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    alice = person(api_client(token))
    held, release = threading.Event(), threading.Event()

    def hold_refresh_state():
        # Every delivery checks its key, stores its turn, then waits here: all of them pass
        # the check before any of them commits.
        try:
            with transaction.atomic():
                RefreshState.objects.select_for_update().get(user=alice)
                held.set()
                release.wait(60)
        finally:
            connection.close()

    answers = []

    def deliver():
        try:
            answers.append(keyed(api_client(token), "update-7").json())
        finally:
            connection.close()

    holder = threading.Thread(target=hold_refresh_state)
    holder.start()
    held.wait(60)
    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while waiting_for_locks() < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    release.set()
    for thread in [holder, *threads]:
        thread.join()

    assert Interaction.objects.filter(user=alice).count() == 2  # the first turn and one more
    assert {answer["id"] for answer in answers} == {Interaction.objects.latest("id").pk}
    assert sorted(answer["replayed"] for answer in answers) == [False, True, True, True]


def waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def test_recording_a_turn_is_two_queries(api, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    person(api)  # its refresh is queued: this turn's request joins it

    with count_queries() as queries, django_capture_on_commit_callbacks(execute=True):
        send(api, turn_url("42"), turn())

    # The person's id with their refresh lock; then the turn, reading the refresh state in
    # the same statement. Nothing is written to the state, so turns of one person do not
    # queue behind its row lock. (The test's transaction makes the request's savepoints.)
    queries = [q for q in queries if "SAVEPOINT" not in q]
    assert len(queries) == 2
    assert "pg_advisory_xact_lock_shared" in queries[0]
    assert 'INSERT INTO "profiles_interaction"' in queries[1]
    assert 'JOIN "profiles_refreshstate"' in queries[1]


# ETag and refresh_pending


def test_profile_etag_answers_304_until_something_changes(api, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # no refresh
    alice = person(api)
    first = api.get(profile_url("42"))
    tag = first["ETag"]

    unchanged = api.get(profile_url("42"), headers={"If-None-Match": tag})
    assert unchanged.status_code == HTTPStatus.NOT_MODIFIED
    assert unchanged.content == b""
    assert first.json()["refresh_pending"] is True

    RefreshState.objects.filter(user=alice).update(queued_at=None)
    done = api.get(profile_url("42"), headers={"If-None-Match": tag})
    assert done.status_code == HTTPStatus.OK
    assert done.json()["refresh_pending"] is False
    update_profile(user=alice, text="Likes cats.", source="admin")
    changed = api.get(profile_url("42"), headers={"If-None-Match": done["ETag"]})
    assert changed.status_code == HTTPStatus.OK
    assert changed["ETag"] not in (tag, done["ETag"])


# POST /people/<id>/history


def history_url(person_id: str) -> str:
    return f"/api/v1/people/{person_id}/history"


def test_history_is_stored_in_order_with_its_times_and_one_refresh(api, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    then = timezone.now() - timedelta(days=30)
    turns = [
        {"user_message": "first", "assistant_response": "a", "created_at": then.isoformat()},
        {"user_message": "second", "assistant_response": "b"},
    ]
    with count_queries() as queries:
        response = send(api, history_url("42"), {"turns": turns})

    assert response.status_code == HTTPStatus.CREATED
    assert response.json() == {"person_id": "42", "person_created": True, "stored": 2}
    stored = list(Interaction.objects.order_by("id"))
    assert [i.user_message for i in stored] == ["first", "second"]
    assert stored[0].created_at == then
    assert len([q for q in queries if 'INSERT INTO "profiles_refreshstate"' in q]) == 1


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"user_message": None}, "turns[1].user_message:"),
        ({"created_at": "2999-01-01T00:00:00Z"}, "turns[1].created_at: must not be in the future"),
        ({"created_at": "2020-01-01T00:00:00"}, "turns[1].created_at:"),
        ({"created_at": "9999-12-31T23:00:00-05:00"}, "turns[1].created_at: is out of range"),
    ],
)
def test_history_with_a_bad_turn_is_400_naming_it_and_stores_nothing(api, bad, message):
    turns = [turn(), turn(**bad), turn(**bad)]

    response = send(api, history_url("42"), {"turns": turns})

    assert_error(response, HTTPStatus.BAD_REQUEST, message)
    assert "turns[2]" not in response.json()["error"]
    assert not Interaction.objects.exists()
    assert not Identity.objects.exists()


def test_history_over_the_turn_limit_is_413(api):
    response = send(api, history_url("42"), {"turns": [turn()] * (HISTORY_MAX_TURNS + 1)})

    assert_error(response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "At most 1,000 turns")
    assert not Interaction.objects.exists()

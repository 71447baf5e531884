import json
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from profiles import services
from profiles.models import ApiToken, Interaction, ProfileRevision
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INTERACTIONS = "/api/v1/interactions"


def profile_url(username):
    return f"/api/v1/users/{username}/profile"


@pytest.fixture
def token(db):
    _, raw = services.create_api_token(name="test bot")
    return raw


@pytest.fixture
def api(token):
    """A client that sends the token and enforces CSRF like a browser-less bot would meet it."""
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token}"})


def post(api, url, payload, method="post"):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return getattr(api, method)(url, body, content_type="application/json")


def turn(**overrides):
    return {"username": "alice", "user_message": "Hi!", "assistant_response": "Hello.", **overrides}


def assert_error(response, status, text):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert text in response.json()["error"]


# Authentication


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer dp_wrong", "Token abc"],
)
def test_missing_or_bad_token_is_401(header):
    client = Client(headers={"Authorization": header} if header is not None else {})

    for response in (client.get(profile_url("alice")), post(client, INTERACTIONS, turn())):
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert "token" in response.json()["error"]
    assert not Interaction.objects.exists()


def test_revoked_token_is_401(api, token):
    services.revoke_api_token(token=ApiToken.objects.get())

    assert_error(api.get(profile_url("alice")), HTTPStatus.UNAUTHORIZED, "unknown or revoked")


def test_session_cookie_alone_never_authenticates(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(profile_url("alice")).status_code == HTTPStatus.UNAUTHORIZED


def test_token_use_is_recorded(api):
    assert ApiToken.objects.get().last_used_at is None

    api.get(profile_url("nobody"))

    assert ApiToken.objects.get().last_used_at is not None


# POST /interactions


def test_post_interaction_records_it_and_creates_unknown_user(api):
    response = post(api, INTERACTIONS, turn(user_message="a\x00b 🙂"))

    assert response.status_code == HTTPStatus.ACCEPTED
    body = response.json()
    interaction = Interaction.objects.get(pk=body["id"])
    assert (body["username"], body["user_created"]) == ("alice", True)
    assert interaction.user_message == "ab 🙂"
    alice = get_user_model().objects.get(username="alice")
    assert not alice.has_usable_password()


def test_post_interaction_reuses_existing_user(api):
    alice = UserFactory(username="alice")

    body = post(api, INTERACTIONS, turn()).json()

    assert body["user_created"] is False
    assert Interaction.objects.get().user == alice


def test_post_interaction_refreshes_profile(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(api, INTERACTIONS, turn(user_message="Please be brief."))

    profile = api.get(profile_url("alice")).json()
    assert "asks for brief answers" in profile["user_profile"]
    assert profile["updated_at"] is not None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\xfa", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        ("1" * 5000, "not valid JSON"),
        ([1, 2], "must be a JSON object"),
        ("null", "must be a JSON object"),
        ({"user_message": "x", "assistant_response": "y"}, "username is required"),
        (turn(user_message=None), "user_message must be a string"),
        (turn(assistant_response=["x"]), "assistant_response must be a string"),
        (turn(username=42), "username must be a string"),
        (turn(username=""), "username must be 1 to 150"),
        (turn(username="a" * 151), "username must be 1 to 150"),
        (turn(username="bad name"), "username must be 1 to 150"),
        (turn(username="../../etc"), "username must be 1 to 150"),
    ],
)
def test_post_interaction_bad_input_is_400_and_stores_nothing(api, payload, message):
    assert_error(post(api, INTERACTIONS, payload), HTTPStatus.BAD_REQUEST, message)
    assert not Interaction.objects.exists()
    assert not get_user_model().objects.exists()


def test_body_over_1mb_is_413(api):
    payload = turn(user_message="x" * (1024 * 1024))

    assert_error(
        post(api, INTERACTIONS, payload), HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "larger than 1 MB"
    )
    assert not Interaction.objects.exists()


def test_large_but_allowed_message_is_stored(api):
    response = post(api, INTERACTIONS, turn(user_message="слово " * 30_000))

    assert response.status_code == HTTPStatus.ACCEPTED
    assert len(Interaction.objects.get().user_message) == 180_000


def test_wrong_method_is_405_with_allow(api):
    response = api.get(INTERACTIONS)

    assert_error(response, HTTPStatus.METHOD_NOT_ALLOWED, "GET is not allowed here; use POST")
    assert response["Allow"] == "POST"
    assert api.delete(profile_url("alice"))["Allow"] == "GET, PUT"


def test_unknown_api_path_is_json_404(api):
    assert_error(api.get("/api/v1/nope"), HTTPStatus.NOT_FOUND, "No such API endpoint")


# GET/PUT /users/<username>/profile


def test_get_profile(api):
    alice = UserFactory(username="alice")
    revision = services.update_profile(user=alice, text="Likes tea.", source="user")

    response = api.get(profile_url("alice"))

    assert response.json() == {
        "username": "alice",
        "user_profile": "Likes tea.",
        "updated_at": revision.created_at.isoformat(),
    }


def test_get_profile_of_never_profiled_user(api):
    UserFactory(username="bob")

    assert api.get(profile_url("bob")).json() == {
        "username": "bob",
        "user_profile": None,
        "updated_at": None,
    }


@pytest.mark.parametrize("username", ["ghost", "%00", "a%00b", "%F0%9F%99%82", "x" * 300])
def test_unknown_user_is_404(api, username):
    assert_error(api.get(profile_url(username)), HTTPStatus.NOT_FOUND, "No user with that username")
    assert_error(
        post(api, profile_url(username), {"user_profile": "x"}, "put"),
        HTTPStatus.NOT_FOUND,
        "No user",
    )


def test_put_profile_replaces_it_with_api_revision(api):
    alice = UserFactory(username="alice")

    response = post(api, profile_url("alice"), {"user_profile": " New\x00 text. "}, "put")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["user_profile"] == "New text."
    alice.refresh_from_db()
    assert alice.user_profile == "New text."
    assert ProfileRevision.objects.get(user=alice).source == "api"


def test_put_profile_cuts_over_long_text(api):
    UserFactory(username="alice")

    body = post(api, profile_url("alice"), {"user_profile": "word " * 2000}, "put").json()

    assert len(body["user_profile"]) <= 4000
    assert body["user_profile"].endswith("word")


def test_put_null_clears_profile(api):
    alice = UserFactory(username="alice", user_profile="Old.")

    body = post(api, profile_url("alice"), {"user_profile": None}, "put").json()

    assert body["user_profile"] is None
    alice.refresh_from_db()
    assert alice.user_profile is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [({}, "user_profile is required"), ({"user_profile": 5}, "must be a string or null")],
)
def test_put_profile_bad_input_is_400(api, payload, message):
    UserFactory(username="alice", user_profile="Old.")

    assert_error(post(api, profile_url("alice"), payload, "put"), HTTPStatus.BAD_REQUEST, message)
    assert get_user_model().objects.get(username="alice").user_profile == "Old."


def test_profile_read_does_a_fixed_number_of_queries(api, django_assert_num_queries):
    alice = UserFactory(username="alice")
    for i in range(25):
        services.update_profile(user=alice, text=f"v{i}", source="profiler")
    api.get(profile_url("alice"))  # last_used_at is written at most once a minute

    # the token, then the user with the time of their latest revision
    with django_assert_num_queries(2):
        assert api.get(profile_url("alice")).status_code == HTTPStatus.OK

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from profiles import services
from profiles.models import Interaction, ProfileRevision
from tests.factories import DEFAULT_PASSWORD, UserFactory
from users.models import new_chat_username

pytestmark = pytest.mark.django_db

GOOD = "a sturdy passphrase 42"


def signup(client, **overrides):
    data = {
        "username": "newcomer",
        "email": "new@example.com",
        "password1": GOOD,
        "password2": GOOD,
        **overrides,
    }
    return client.post(reverse("signup"), data)


def test_signup_logs_in_and_lands_on_profile(client):
    response = signup(client)

    assert response["Location"] == reverse("profiles:profile")
    user = get_user_model().objects.get(username="newcomer")
    assert user.email == "new@example.com"
    assert client.get(reverse("profiles:profile")).context["user"] == user


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password1": "123", "password2": "123"}, "This password is too short."),
        ({"password1": "password", "password2": "password"}, "This password is too common."),
        ({"password2": "something else 99"}, "The two password fields didn"),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"username": "bad name!"}, "Enter a valid username."),
        ({"username": ""}, "This field is required."),
    ],
)
def test_signup_errors_are_shown_and_nothing_is_created(client, overrides, message):
    response = signup(client, **overrides)

    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_signup_refuses_a_taken_username(client, user):
    response = signup(client, username=user.username)

    assert "A user with that username already exists." in response.text


def test_login_and_logout_by_post_only(client, user):
    response = client.post(
        reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response["Location"] == reverse("profiles:profile")

    assert client.get(reverse("logout")).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert client.post(reverse("logout"))["Location"] == reverse("home")
    assert client.get(reverse("profiles:profile")).status_code == HTTPStatus.FOUND


def test_wrong_password_does_not_log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "nope"})

    assert response.status_code == HTTPStatus.OK
    assert "Please enter a correct username and password." in response.text


def test_password_change(client, user):
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": GOOD, "new_password2": GOOD},
    )

    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(GOOD)


def test_delete_account_needs_the_password(client, user):
    client.force_login(user)

    response = client.post(reverse("delete_account"), {"password": "wrong"})

    assert "That is not your password." in response.text
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_delete_account_removes_everything_of_theirs(client, user):
    other = UserFactory()
    for person in (user, other):
        services.update_profile(user=person, text="profile", source="user")
        Interaction.objects.create(user=person, user_message="m", assistant_response="r")
    client.force_login(user)

    response = client.post(reverse("delete_account"), {"password": DEFAULT_PASSWORD})

    assert response["Location"] == reverse("home")
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not Interaction.objects.filter(user_id=user.pk).exists()
    assert not ProfileRevision.objects.filter(user_id=user.pk).exists()
    assert Interaction.objects.filter(user=other).count() == 1
    assert client.get(reverse("profiles:profile")).status_code == HTTPStatus.FOUND


def chat_person():
    """Someone a bot created: a generated name and no password."""
    return get_user_model().objects.create_user(username=new_chat_username())


def test_account_page_changes_username_and_email(client, user):
    client.force_login(user)

    response = client.post(reverse("account"), {"username": "renamed", "email": "r@example.com"})

    assert response["Location"] == reverse("account")
    user.refresh_from_db()
    assert (user.username, user.email) == ("renamed", "r@example.com")


@pytest.mark.parametrize(
    ("username", "message"),
    [("chat-mine", "are reserved"), ("bad name!", "Enter a valid username."), ("", "required")],
)
def test_account_page_refuses_bad_names(client, user, username, message):
    client.force_login(user)
    before = user.username

    response = client.post(reverse("account"), {"username": username, "email": ""})

    assert response.status_code == HTTPStatus.OK
    assert message in response.text
    user.refresh_from_db()
    assert user.username == before


def test_a_chat_person_keeps_their_generated_name_or_picks_a_website_one(client):
    person = chat_person()
    client.force_login(person)

    page = client.get(reverse("account"))
    assert "You came here from a chat" in page.text
    kept = client.post(reverse("account"), {"username": person.username, "email": "p@example.com"})
    assert kept.status_code == HTTPStatus.FOUND
    taken = client.post(reverse("account"), {"username": "ａｌｉｃｅ", "email": ""})
    assert taken.status_code == HTTPStatus.FOUND
    person.refresh_from_db()
    assert person.username == "alice"  # NFKC, like sign-up


def test_a_chat_person_sets_a_first_password_without_an_old_one(client):
    person = chat_person()
    client.force_login(person)

    page = client.get(reverse("password_change"))
    assert "old_password" not in page.text
    response = client.post(
        reverse("password_change"), {"new_password1": GOOD, "new_password2": GOOD}
    )

    assert response["Location"] == reverse("password_change_done")
    person.refresh_from_db()
    assert person.check_password(GOOD)
    assert client.get(reverse("profiles:profile")).status_code == HTTPStatus.OK  # still in


def test_a_chat_person_deletes_their_account_with_a_tick(client):
    person = chat_person()
    Interaction.objects.create(user=person, user_message="m", assistant_response="r")
    client.force_login(person)

    refused = client.post(reverse("delete_account"), {})
    assert "This field is required." in refused.text
    response = client.post(reverse("delete_account"), {"confirm": "on"})

    assert response["Location"] == reverse("home")
    assert not get_user_model().objects.filter(pk=person.pk).exists()
    assert not Interaction.objects.exists()

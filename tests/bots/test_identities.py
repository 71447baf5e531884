"""No website sign-up, bot or id trick reaches another person's data."""

import json
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from bots.models import Identity
from profiles.models import Interaction
from profiles.services import update_profile
from tests.bots.conftest import link_url, profile_url, send, turn, turn_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "I was born on 14 March 1991 in Novosibirsk."


def sign_up(client, username):
    password = "a sturdy passphrase 42"
    return client.post(
        reverse("signup"),
        {
            "username": username,
            "email": "x@example.com",
            "password1": password,
            "password2": password,
        },
    )


def test_carol_tg_attack_a_stranger_who_signs_up_first_gets_nothing(client, api):
    sign_up(client, "carol_tg")
    stranger = get_user_model().objects.get(username="carol_tg")
    update_profile(user=stranger, text="Trust me, I am Carol.", source="user")

    response = send(api, turn_url("carol_tg"), turn(user_message=SECRET))

    assert response.json()["person_created"] is True
    carol = Identity.objects.get(external_id="carol_tg").user
    assert carol != stranger
    assert not Interaction.objects.filter(user=stranger).exists()
    export = json.loads(client.get(reverse("profiles:export")).getvalue())  # their own session
    assert export["interactions"] == []
    assert SECRET not in client.get(reverse("profiles:profile")).text
    # What the stranger typed never reaches the bot's system prompt for the real carol_tg.
    assert "Trust me" not in (api.get(profile_url("carol_tg")).json()["user_profile"] or "")


def test_a_website_name_taken_later_changes_nothing(client, api):
    send(api, turn_url("dave"), turn(user_message=SECRET))

    sign_up(client, "dave")

    dave_web = get_user_model().objects.get(username="dave")
    assert not Interaction.objects.filter(user=dave_web).exists()
    assert Identity.objects.get(external_id="dave").user != dave_web


@pytest.mark.parametrize("variant", ["ad%00min", "ad%E2%80%8Bmin", "admin%0A", "%09admin"])
def test_invisible_characters_never_reach_admin(api, admin_user, variant):
    response = send(api, turn_url(variant), turn())

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Interaction.objects.exists()
    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize("variant", ["admin", "ａｄｍｉｎ", "Admin", "ADMIN"])
def test_names_of_website_accounts_are_just_ids_of_new_people(api, admin_user, variant):
    update_profile(user=admin_user, text="Staff only.", source="admin")

    body = send(api, turn_url(variant), turn()).json()

    assert body["person_created"] is True
    assert Identity.objects.get().user != admin_user
    assert not Interaction.objects.filter(user=admin_user).exists()
    assert send(api, link_url(variant), {}).status_code == HTTPStatus.CREATED  # not staff


def test_case_and_fullwidth_are_different_ids_of_different_people(api):
    ids = ["carol", "Carol", "ｃａｒｏｌ"]
    for person_id in ids:
        send(api, turn_url(person_id), turn(user_message=f"I am {person_id}"))

    users = {Identity.objects.get(external_id=i).user_id for i in ids}
    assert len(users) == 3


def test_fullwidth_website_sign_up_is_normalised_onto_the_taken_name(client):
    UserFactory(username="admin")

    response = sign_up(client, "ａｄｍｉｎ")

    assert "A user with that username already exists." in response.text
    assert get_user_model().objects.count() == 1


def test_another_clients_id_is_unknown_to_this_client(api, other_api):
    send(api, turn_url("42"), turn(user_message=SECRET))

    assert other_api.get(profile_url("42")).status_code == HTTPStatus.NOT_FOUND
    assert send(other_api, profile_url("42"), {"user_profile": "x"}, "put").status_code == (
        HTTPStatus.NOT_FOUND
    )
    assert send(other_api, link_url("42"), {}).status_code == HTTPStatus.NOT_FOUND


def test_two_clients_using_the_same_id_get_two_people(
    api, other_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(api, turn_url("42"), turn(user_message="Please be brief."))
        send(other_api, turn_url("42"), turn(user_message="I prefer examples."))

    mine, theirs = (
        Identity.objects.get(client__name=n).user for n in ("telegram bot", "discord bot")
    )
    assert mine != theirs
    assert [i.user_message for i in mine.interactions.all()] == ["Please be brief."]
    assert "brief" in api.get(profile_url("42")).json()["user_profile"]
    assert "brief" not in other_api.get(profile_url("42")).json()["user_profile"]


@pytest.mark.parametrize("username", ["chat-3f2a", "Chat-anything", "ｃｈａｔ-x"])
def test_website_sign_up_cannot_take_the_chat_namespace(client, username):
    response = sign_up(client, username)

    assert "are reserved" in response.text
    assert not get_user_model().objects.exists()


def test_deleting_the_account_erases_what_the_bot_recorded_and_starts_afresh(client, api):
    send(api, turn_url("42"), turn(user_message=SECRET))
    carol = Identity.objects.get().user
    client.force_login(carol)

    response = client.post(reverse("delete_account"), {"confirm": "on"})

    assert response["Location"] == reverse("home")
    assert not get_user_model().objects.filter(pk=carol.pk).exists()
    assert not Interaction.objects.exists()
    assert api.get(profile_url("42")).status_code == HTTPStatus.NOT_FOUND
    again = send(api, turn_url("42"), turn()).json()
    assert again["person_created"] is True
    assert SECRET not in str(api.get(profile_url("42")).json())

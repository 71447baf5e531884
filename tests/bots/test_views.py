"""The page a sign-in link opens: GET asks, POST spends the link once."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from bots.models import SignInLink
from tests.bots.conftest import link_url, send, turn, turn_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(api):
    """The path of a fresh sign-in link for the person '42' of the test bot."""
    send(api, turn_url("42"), turn())
    url = send(api, link_url("42"), {}).json()["url"]
    return url.removeprefix("http://testserver")


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_opening_the_link_asks_and_does_not_use_it_up(client, link):
    for _ in range(3):  # link previews, a second look, ...
        page = client.get(link)
        assert page.status_code == HTTPStatus.OK
        assert "Sign in to your profile" in page.text
    assert page["Cache-Control"].startswith("max-age=0")
    assert "no-store" in page["Cache-Control"]
    assert not signed_in(client)
    assert SignInLink.objects.get().used_at is None


def test_confirming_signs_the_person_in_once(client, link):
    response = client.post(link)

    assert response["Location"] == "/profile/"
    assert signed_in(client)
    person = SignInLink.objects.get().identity.user
    assert client.get("/profile/").context["user"] == person
    assert SignInLink.objects.get().used_at is not None

    other = Client()
    for method in (other.get, other.post):
        refused = method(link)
        assert refused.status_code == HTTPStatus.GONE
        assert "already been used or it has expired" in refused.text
    assert not signed_in(other)


def test_an_expired_link_signs_nobody_in(client, link):
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get(link).status_code == HTTPStatus.GONE
    assert client.post(link).status_code == HTTPStatus.GONE
    assert not signed_in(client)


@pytest.mark.parametrize(
    "tamper",
    [lambda k: k[:-1], lambda k: k[:-1] + ("B" if k.endswith("A") else "A"), lambda k: k + "x"],
)
def test_a_tampered_link_signs_nobody_in(client, link, tamper):
    key = link.strip("/").rsplit("/", 1)[-1]
    forged = link.replace(key, tamper(key))

    for method in (client.get, client.post):
        page = method(forged)
        assert page.status_code == HTTPStatus.NOT_FOUND
        assert "not a link we issued" in page.text
    assert not signed_in(client)
    assert SignInLink.objects.get().used_at is None


def test_a_deactivated_person_is_not_signed_in(client, link):
    person = SignInLink.objects.get().identity.user
    person.is_active = False
    person.save()

    assert client.post(link).status_code == HTTPStatus.GONE
    assert not signed_in(client)


def test_confirming_needs_the_pages_csrf_token(link):
    browser = Client(enforce_csrf_checks=True)

    assert browser.post(link).status_code == HTTPStatus.FORBIDDEN
    assert SignInLink.objects.get().used_at is None
    page = browser.get(link)
    token = page.context["csrf_token"]
    assert browser.post(link, {"csrfmiddlewaretoken": str(token)}).status_code == HTTPStatus.FOUND


def test_the_person_can_set_up_a_website_sign_in(client, link):
    client.post(link)
    password = "a sturdy passphrase 42"

    assert "Set a password" in client.get("/accounts/").text
    client.post("/accounts/", {"username": "carol", "email": "carol@example.com"})
    response = client.post(
        "/accounts/password/", {"new_password1": password, "new_password2": password}
    )
    assert response["Location"] == "/accounts/password/done/"

    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "carol", "password": password})
    assert client.get("/profile/").context["user"] == SignInLink.objects.get().identity.user

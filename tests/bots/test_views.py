"""The page a sign-in link opens: GET asks, POST spends the link once."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.test import Client
from django.utils import timezone

from bots.models import SignInLink
from tests.bots.conftest import link_url, send, turn, turn_url
from tests.factories import UserFactory

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


# Proxy headers that cannot hurt: the button works and the link is spent only on success

BAD_FORWARDED = ["garbage", "999.1.1.1", "1.2.3.4/8", "", "fe80::1%eth0"]


@pytest.mark.parametrize("forwarded", BAD_FORWARDED)
def test_a_malformed_forwarded_header_does_not_break_the_button(client, link, settings, forwarded):
    settings.TRUSTED_PROXY_HOPS = 1

    response = client.post(link, HTTP_X_FORWARDED_FOR=forwarded)

    assert response.status_code == HTTPStatus.FOUND
    assert signed_in(client)
    assert SignInLink.objects.get().used_at is not None


def test_a_sign_in_that_fails_leaves_the_link_unused(link):
    def fail(**kwargs):
        raise RuntimeError("the sign-in could not be recorded")

    user_logged_in.connect(fail, dispatch_uid="test-fail")
    try:
        response = Client(raise_request_exception=False).post(link)
    finally:
        user_logged_in.disconnect(dispatch_uid="test-fail")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert SignInLink.objects.get().used_at is None
    browser = Client()
    assert browser.post(link).status_code == HTTPStatus.FOUND  # still good for the person
    assert signed_in(browser)


# The link page asks before switching from one signed-in person to another


@pytest.fixture
def someone_else(client):
    other = UserFactory(username="alice")
    client.force_login(other)
    return other


def current_user(client):
    return client.get("/profile/").context["user"]


def test_the_link_page_says_who_is_signed_in_and_asks(client, link, someone_else):
    page = client.get(link)

    assert page.status_code == HTTPStatus.OK
    assert "You are signed in as alice" in page.text
    assert 'name="switch"' in page.text
    # CSP-clean: nothing inline.
    assert "<script" not in page.text
    assert "style=" not in page.text
    assert current_user(client) == someone_else
    assert SignInLink.objects.get().used_at is None


def test_the_button_without_the_confirmation_changes_nothing(client, link, someone_else):
    response = client.post(link)

    assert response.status_code == HTTPStatus.CONFLICT
    assert "You are signed in as alice" in response.text
    assert current_user(client) == someone_else
    assert SignInLink.objects.get().used_at is None


def test_confirming_the_switch_signs_the_person_of_the_link_in(client, link, someone_else):
    response = client.post(link, {"switch": "yes"})

    assert response["Location"] == "/profile/"
    assert current_user(client) == SignInLink.objects.get().identity.user
    assert SignInLink.objects.get().used_at is not None


def test_the_same_person_signed_in_goes_to_their_profile(client, link):
    client.force_login(SignInLink.objects.get().identity.user)

    response = client.get(link)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/profile/"
    assert "You are signed in as" not in client.get("/profile/").text

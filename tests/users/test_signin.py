"""Sign-in guessing is throttled (django-axes, policy in users/signin.py)."""

from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory
from users.signin import DEVICE_COOKIE

pytestmark = pytest.mark.django_db

LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]


def signs_in(client, address="203.0.113.7") -> bool:
    response = attempt(client, "/accounts/login/", "sam", DEFAULT_PASSWORD, address)
    return response.status_code == HTTPStatus.FOUND


def attempt(client, url, username, password, address="203.0.113.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def staff(db):
    return UserFactory(username="sam", is_staff=True)


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_guessing_one_account_is_locked_out_with_a_clear_page(client, staff, url):
    for _ in range(4):
        assert attempt(client, url, "sam", "wrong").status_code == HTTPStatus.OK

    locked = attempt(client, url, "sam", "wrong")
    right = attempt(client, url, "sam", DEFAULT_PASSWORD)  # even the right one, for now

    for response in (locked, right):
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert "Sign-in is paused after 5 failed attempts" in response.text
        assert "Try again in 15 minutes" in response.text
        assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_one_address_spraying_many_accounts_is_locked_out(client):
    for n in range(5):
        attempt(client, "/accounts/login/", f"user{n}", "wrong")

    assert attempt(client, "/accounts/login/", "user9", "x").status_code == (
        HTTPStatus.TOO_MANY_REQUESTS
    )
    # Another address is not affected by that one's failures.
    other = attempt(Client(), "/accounts/login/", "user9", "x", address="198.51.100.1")
    assert other.status_code == HTTPStatus.OK


def test_the_real_person_on_a_known_browser_is_never_locked_out_by_others(staff):
    mine = Client()
    assert (
        attempt(mine, "/accounts/login/", "sam", DEFAULT_PASSWORD).status_code == HTTPStatus.FOUND
    )
    assert DEVICE_COOKIE in mine.cookies
    mine.post("/accounts/logout/")

    for n in range(10):  # an attacker guessing from many addresses
        attempt(Client(), "/accounts/login/", "sam", "wrong", address=f"192.0.2.{n}")

    stranger = attempt(Client(), "/accounts/login/", "sam", DEFAULT_PASSWORD, "192.0.2.200")
    assert stranger.status_code == HTTPStatus.TOO_MANY_REQUESTS  # the account is locked...
    back = attempt(mine, "/accounts/login/", "sam", DEFAULT_PASSWORD)
    assert back.status_code == HTTPStatus.FOUND  # ...but not for the browser it knows
    assert mine.get("/profile/").status_code == HTTPStatus.OK


def test_a_forged_device_cookie_does_not_help(staff):
    attacker = Client()
    attacker.cookies[DEVICE_COOKIE] = "sam"
    for _ in range(5):
        attempt(attacker, "/accounts/login/", "sam", "wrong", address="192.0.2.1")

    later = attempt(attacker, "/accounts/login/", "sam", DEFAULT_PASSWORD, address="192.0.2.2")
    assert later.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_staff_see_and_clear_a_lockout_in_the_admin(client, admin_client, staff):
    for _ in range(5):
        attempt(client, "/accounts/login/", "sam", "wrong")

    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == HTTPStatus.OK
    assert "203.0.113.7" in listing.text
    (entry,) = AccessAttempt.objects.all()
    admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert (
        attempt(client, "/accounts/login/", "sam", DEFAULT_PASSWORD).status_code == HTTPStatus.FOUND
    )


def test_a_lockout_ends_by_itself(client, staff, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(seconds=0)  # the cool-off has passed
    for _ in range(5):
        attempt(client, "/accounts/login/", "sam", "wrong")

    assert (
        attempt(client, "/accounts/login/", "sam", DEFAULT_PASSWORD).status_code == HTTPStatus.FOUND
    )


@pytest.mark.parametrize("username", ["x" * 100_000, "nul\x00name", "", "🙂" * 200])
def test_any_typed_username_is_counted_without_an_error(client, username):
    for _ in range(6):
        response = attempt(client, "/accounts/login/", username, "wrong")
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR


def test_the_client_address_is_taken_from_the_trusted_proxy(client, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    for n in range(5):
        client.post(
            "/accounts/login/",
            {"username": "sam", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",  # the platform's proxy
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.9",  # what the client sent, then it
        )

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}

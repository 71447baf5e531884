"""Sign-in guessing is throttled (django-axes, policy in users/signin.py)."""

import ipaddress
from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import DEFAULT_PASSWORD, UserFactory
from users import signin
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


# Proxy headers that cannot hurt (TRUSTED_PROXY_HOPS set, the client reaches us directly)

BAD_FORWARDED = [
    pytest.param({"HTTP_X_FORWARDED_FOR": "garbage"}, 1, id="garbage"),
    pytest.param({"HTTP_X_FORWARDED_FOR": "999.1.1.1"}, 1, id="out-of-range"),
    pytest.param({"HTTP_X_FORWARDED_FOR": "1.2.3.4/8"}, 1, id="network"),
    pytest.param({"HTTP_X_FORWARDED_FOR": "fe80::1%eth0"}, 1, id="scoped"),
    pytest.param({"HTTP_X_FORWARDED_FOR": ""}, 1, id="empty"),
    pytest.param({}, 1, id="missing"),
    pytest.param({"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, 2, id="fewer-than-hops"),
]


@pytest.fixture
def warned_again():
    """Forget that this process has already warned about a bad X-Forwarded-For."""
    signin._bad_forwarded_warned.clear()
    yield
    signin._bad_forwarded_warned.clear()


@pytest.mark.parametrize(("header", "hops"), BAD_FORWARDED)
def test_a_malformed_forwarded_header_counts_the_connection_address(
    client, staff, settings, header, hops
):
    settings.TRUSTED_PROXY_HOPS = hops
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"username": "nobody", "password": "wrong"},
            REMOTE_ADDR="198.51.100.20", **header,
        )  # fmt: skip
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.20"}
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS  # counted, so still throttled
    right = Client().post(
        "/accounts/login/", {"username": "sam", "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="198.51.100.21", **header,
    )  # fmt: skip
    assert right.status_code == HTTPStatus.FOUND


@given(
    header=st.one_of(
        st.text(),
        st.lists(st.one_of(st.ip_addresses().map(str), st.text())).map(", ".join),
    ),
    hops=st.integers(1, 3),
)
def test_any_forwarded_header_gives_a_plain_address(header, hops):
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR=header)
    with override_settings(TRUSTED_PROXY_HOPS=hops):
        address = signin.client_address(request)

    # One PostgreSQL's inet column stores: a bare address, normalised, no network or zone.
    assert address == str(ipaddress.ip_address(address))
    assert "%" not in address
    if address != "198.51.100.20":  # then it is the entry the outermost trusted proxy added
        assert address == str(ipaddress.ip_address(header.split(",")[-hops].strip()))


@pytest.mark.parametrize(("header", "hops"), BAD_FORWARDED)
def test_a_malformed_forwarded_header_on_an_api_call_counts_the_connection_address(
    db, settings, header, hops
):
    settings.TRUSTED_PROXY_HOPS = hops
    guesser = Client(headers={"Authorization": "Bearer dp_guess"}, REMOTE_ADDR="198.51.100.20")
    other = Client(headers={"Authorization": "Bearer dp_guess"}, REMOTE_ADDR="198.51.100.21")

    url = "/api/v1/people/42/profile"

    answers = [guesser.get(url, **header).status_code for _ in range(5)]

    assert answers == [HTTPStatus.UNAUTHORIZED] * 4 + [HTTPStatus.TOO_MANY_REQUESTS]
    assert other.get(url, **header).status_code == HTTPStatus.UNAUTHORIZED


def test_a_malformed_forwarded_header_is_logged_once_and_escaped(
    client, settings, caplog, warned_again
):
    settings.TRUSTED_PROXY_HOPS = 1
    hostile = "\x1b[2Jevil\r\nINFO forged line"
    with caplog.at_level("WARNING", logger="users.signin"):
        for _ in range(3):
            client.post(
                "/accounts/login/", {"username": "sam", "password": "wrong"},
                HTTP_X_FORWARDED_FOR=hostile,
            )  # fmt: skip

    (record,) = [r for r in caplog.records if r.name == "users.signin"]
    assert record.levelname == "WARNING"
    message = record.getMessage()
    assert "TRUSTED_PROXY_HOPS" in message
    assert not {"\x1b", "\n", "\r"} & set(message)
    assert "evil" in message


# Known devices belong to accounts


def signed_in_browser() -> Client:
    browser = Client()
    assert signs_in(browser)
    assert DEVICE_COOKIE in browser.cookies
    browser.post("/accounts/logout/")
    return browser


def lock_account_from_elsewhere(username: str):
    for n in range(10):
        attempt(Client(), "/accounts/login/", username, "wrong", address=f"192.0.2.{n}")


@pytest.mark.parametrize("change", ["rename", "delete"])
def test_a_known_device_cookie_is_void_once_its_account_changes_hands(staff, change):
    browser = signed_in_browser()
    if change == "rename":
        staff.username = "samuel"
        staff.save()
    else:
        staff.delete()
    UserFactory(username="sam")  # someone else holds the name now
    lock_account_from_elsewhere("sam")

    response = attempt(browser, "/accounts/login/", "sam", DEFAULT_PASSWORD)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "_auth_user_id" not in browser.session


def test_a_known_device_follows_its_account_through_a_rename_it_made(staff):
    browser = Client()
    assert signs_in(browser)
    staff.username = "samuel"
    staff.save()
    browser.get("/profile/")  # signed in: the cookie is renewed for the new name
    browser.post("/accounts/logout/")
    lock_account_from_elsewhere("samuel")

    response = attempt(browser, "/accounts/login/", "samuel", DEFAULT_PASSWORD)

    assert response.status_code == HTTPStatus.FOUND


# Separate counters: the API's unknown tokens and the web's failed sign-ins


def bad_token(address="203.0.113.7") -> int:
    guesser = Client(headers={"Authorization": "Bearer dp_guess"}, REMOTE_ADDR=address)
    return guesser.get("/api/v1/people/42/profile").status_code


def test_unknown_api_tokens_do_not_lock_web_sign_in(client, staff):
    answers = [bad_token() for _ in range(6)]
    assert answers[-1] == HTTPStatus.TOO_MANY_REQUESTS  # the API is throttled...

    assert signs_in(client)  # ...web sign-in from that address is not


def test_failed_web_sign_ins_do_not_lock_the_api(client):
    for n in range(6):
        attempt(client, "/accounts/login/", f"user{n}", "wrong")
    assert attempt(client, "/accounts/login/", "x", "y").status_code == (
        HTTPStatus.TOO_MANY_REQUESTS
    )

    answers = [bad_token() for _ in range(5)]

    assert answers == [HTTPStatus.UNAUTHORIZED] * 4 + [HTTPStatus.TOO_MANY_REQUESTS]


def test_a_web_sign_in_cannot_pose_as_the_api(client, staff):
    for _ in range(5):
        attempt(client, "/accounts/login/", signin.FAILED_API_TOKEN["username"], "wrong")

    assert not signs_in(client)  # counted against the address like any other name
    assert bad_token() == HTTPStatus.UNAUTHORIZED

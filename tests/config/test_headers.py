"""Strict headers: a Content-Security-Policy, a Permissions-Policy, no caching of what is
personal."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from bots import services
from tests.bots.conftest import api_client, send, turn, turn_url

pytestmark = pytest.mark.django_db

PERSONAL_PAGES = [
    "/profile/",
    "/profile/edit/",
    "/profile/clear/",
    "/profile/history/",
    "/profile/export/",
    "/accounts/",
    "/accounts/password/",
    "/accounts/delete/",
]


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/signup/", *PERSONAL_PAGES])
def test_every_page_has_a_strict_policy(client, user, url):
    if url in PERSONAL_PAGES:
        client.force_login(user)

    response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    csp = directives(response)
    assert csp["default-src"] == "'none'"
    assert csp["script-src"] == csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == csp["base-uri"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


@pytest.mark.parametrize("url", PERSONAL_PAGES)
def test_personal_pages_are_never_cached(client, user, url):
    client.force_login(user)

    cache_control = client.get(url)["Cache-Control"]

    assert "no-store" in cache_control
    assert "private" in cache_control


def test_api_answers_are_never_cached(db):
    bot = api_client(services.create_api_token(client_name="tg")[1])

    for response in (send(bot, turn_url("42"), turn()), bot.get("/api/v1/people/42/profile")):
        assert "no-store" in response["Cache-Control"]


def test_only_the_api_docs_page_may_use_inline_styles(client):
    docs = directives(client.get("/api/v1/docs"))

    assert docs["style-src"] == "'self' 'unsafe-inline'"
    assert docs["script-src"] == "'self'"


def test_admin_pages_have_the_policy_too(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert directives(response)["script-src"] == "'self'"
    assert "no-store" in response["Cache-Control"]

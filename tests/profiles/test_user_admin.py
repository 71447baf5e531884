from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def changelist(admin_client, **params):
    response = admin_client.get(reverse("admin:users_user_changelist"), params)
    assert response.status_code == HTTPStatus.OK
    return [u.username for u in response.context["cl"].result_list]


def test_changelist_lists_users(admin_client):
    UserFactory(username="alice")

    assert "alice" in changelist(admin_client)


def test_search_finds_profile_text(admin_client):
    UserFactory(username="alice", user_profile="Prefers short answers about Rust.")
    UserFactory(username="bob", user_profile="Asks about gardening.")

    assert changelist(admin_client, q="rust") == ["alice"]


def test_has_profile_filter(admin_client, admin_user):
    UserFactory(username="alice", user_profile="Likes tea.")
    UserFactory(username="bob", user_profile="")
    UserFactory(username="carol", user_profile=None)

    assert changelist(admin_client, has_profile="yes") == ["alice"]
    assert sorted(changelist(admin_client, has_profile="no")) == sorted(
        ["bob", "carol", admin_user.username]
    )


def test_change_form_shows_and_saves_profile(admin_client):
    alice = UserFactory(username="alice", user_profile="Likes <b>tea</b>.")
    url = reverse("admin:users_user_change", args=[alice.pk])

    page = admin_client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert "Dynamic profile" in page.text
    assert "Likes &lt;b&gt;tea&lt;/b&gt;." in page.text

    response = admin_client.post(
        url,
        {
            "username": "alice",
            "email": alice.email,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "user_profile": "Now prefers coffee.",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    alice.refresh_from_db()
    assert alice.user_profile == "Now prefers coffee."


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("admin:users_user_changelist"))

    assert response.status_code == HTTPStatus.FOUND
    assert reverse("admin:login") in response["Location"]


def test_admin_keeps_its_own_password_change_page(admin_client):
    # The site's account templates must not replace the admin's (both are auth views).
    page = admin_client.get(reverse("admin:password_change"))

    assert page.status_code == HTTPStatus.OK
    assert "admin/base.html" in [t.name for t in page.templates]

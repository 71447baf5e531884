from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from profiles.models import ApiToken

pytestmark = pytest.mark.django_db


def works(raw: str) -> bool:
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    return client.get("/api/v1/users/nobody/profile").status_code == HTTPStatus.NOT_FOUND


def test_create_api_token_command_prints_token_last_and_stores_only_a_hash():
    out, err = StringIO(), StringIO()

    call_command("create_api_token", "support bot", stdout=out, stderr=err)

    raw = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.name == "support bot"
    assert raw.startswith("dp_")
    assert len(raw) > 40
    assert raw not in (token.key_hash, token.prefix)
    assert raw.startswith(token.prefix)
    assert "not shown again" in err.getvalue()
    assert works(raw)


def test_create_api_token_command_needs_a_name():
    with pytest.raises(CommandError, match="NAME must be 1 to 100 characters"):
        call_command("create_api_token", "  ")


def test_admin_creates_token_and_shows_it_once(admin_client):
    response = admin_client.post(reverse("admin:profiles_apitoken_add"), {"name": "web bot"})

    assert response.status_code == HTTPStatus.OK
    raw = response.context["raw_token"]
    assert raw in response.text
    assert "not shown again" in response.text
    token = ApiToken.objects.get()
    assert works(raw)
    detail = admin_client.get(reverse("admin:profiles_apitoken_change", args=[token.pk]))
    assert raw not in detail.text
    assert token.prefix in detail.text


def test_admin_revokes_tokens(admin_client):
    admin_client.post(reverse("admin:profiles_apitoken_add"), {"name": "old bot"})
    token = ApiToken.objects.get()

    admin_client.post(
        reverse("admin:profiles_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked_at is not None

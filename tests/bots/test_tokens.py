from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.core.management.color import color_style
from django.test import Client as HttpClient
from django.urls import reverse

from bots.models import ApiToken, Client, Identity
from tests.bots.conftest import send, turn, turn_url

pytestmark = pytest.mark.django_db


def works(raw: str) -> bool:
    client = HttpClient(headers={"Authorization": f"Bearer {raw}"})
    return client.get("/api/v1/people/nobody/profile").status_code == HTTPStatus.NOT_FOUND


def create_token(name: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", name, stdout=out, stderr=err)
    assert "not shown again" in err.getvalue()
    return out.getvalue().strip().splitlines()[-1]


def test_create_api_token_command_prints_token_last_and_stores_only_a_hash():
    raw = create_token("support bot")

    token = ApiToken.objects.get()
    assert token.client.name == "support bot"
    assert raw.startswith("dp_")
    assert len(raw) > 40
    assert raw not in (token.key_hash, token.prefix)
    assert raw.startswith(token.prefix)
    assert works(raw)


def test_create_api_token_command_announces_success_in_the_success_style():
    err = StringIO()
    call_command("create_api_token", "support bot", stdout=StringIO(), stderr=err, force_color=True)

    style = color_style(force_color=True)
    success_start = style.SUCCESS("|").split("|")[0]
    assert err.getvalue().startswith(success_start)
    assert success_start != style.ERROR("|").split("|")[0]


def test_a_second_token_for_the_same_name_is_the_same_client():
    first = create_token("support bot")
    send(HttpClient(headers={"Authorization": f"Bearer {first}"}), turn_url("42"), turn())

    second = create_token("  support bot ")

    assert Client.objects.count() == 1
    assert ApiToken.objects.count() == 2
    rotated = HttpClient(headers={"Authorization": f"Bearer {second}"})
    assert rotated.get("/api/v1/people/42/profile").status_code == HTTPStatus.OK
    assert Identity.objects.count() == 1


@pytest.mark.parametrize("name", ["  ", "x" * 101])
def test_create_api_token_command_needs_a_name(name):
    with pytest.raises(CommandError, match="NAME must be 1 to 100 characters"):
        call_command("create_api_token", name)
    assert not Client.objects.exists()


def test_admin_creates_token_and_shows_it_once(admin_client):
    response = admin_client.post(reverse("admin:bots_apitoken_add"), {"client_name": "web bot"})

    assert response.status_code == HTTPStatus.OK
    raw = response.context["raw_token"]
    assert raw in response.text
    assert "not shown again" in response.text
    token = ApiToken.objects.get()
    assert token.client.name == "web bot"
    assert works(raw)
    detail = admin_client.get(reverse("admin:bots_apitoken_change", args=[token.pk]))
    assert raw not in detail.text
    assert token.prefix in detail.text


def test_admin_token_for_a_known_name_joins_that_client(admin_client):
    create_token("web bot")

    admin_client.post(reverse("admin:bots_apitoken_add"), {"client_name": "web bot"})

    assert Client.objects.get().tokens.count() == 2


def test_admin_revokes_tokens(admin_client):
    raw = create_token("old bot")
    token = ApiToken.objects.get()

    admin_client.post(
        reverse("admin:bots_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not works(raw)


def test_admin_lists_clients_and_identities(admin_client):
    send(
        HttpClient(headers={"Authorization": f"Bearer {create_token('tg')}"}),
        turn_url("77"),
        turn(),
    )

    clients = admin_client.get(reverse("admin:bots_client_change", args=[Client.objects.get().pk]))
    identities = admin_client.get(reverse("admin:bots_identity_changelist"), {"q": "77"})

    assert clients.status_code == identities.status_code == HTTPStatus.OK
    assert [i.external_id for i in identities.context["cl"].result_list] == ["77"]
    assert admin_client.get(reverse("admin:bots_identity_add")).status_code == HTTPStatus.FORBIDDEN

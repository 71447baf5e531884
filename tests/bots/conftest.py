import json

import pytest
from django.test import Client

from bots import services


def api_client(raw_token: str) -> Client:
    """A bot: sends its token, never a cookie, and meets CSRF checks like any client would."""
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw_token}"})


def send(client: Client, url: str, payload, method: str = "post"):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return getattr(client, method)(url, body, content_type="application/json")


def turn_url(person_id: str) -> str:
    return f"/api/v1/people/{person_id}/interactions"


def profile_url(person_id: str) -> str:
    return f"/api/v1/people/{person_id}/profile"


def link_url(person_id: str) -> str:
    return f"/api/v1/people/{person_id}/sign-in-link"


def turn(**overrides) -> dict:
    return {"user_message": "Hi!", "assistant_response": "Hello.", **overrides}


@pytest.fixture
def token(db):
    return services.create_api_token(client_name="telegram bot")[1]


@pytest.fixture
def api(token):
    return api_client(token)


@pytest.fixture
def other_api(db):
    """A second client (another bot) with its own token."""
    return api_client(services.create_api_token(client_name="discord bot")[1])

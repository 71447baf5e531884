"""The OpenAPI description stays true: every route is in it and answers as it says."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver

from profiles import services
from profiles.openapi import SPEC

pytestmark = pytest.mark.django_db

METHODS = {"get", "put", "post", "delete", "patch"}
CATCH_ALL = "^(?P<path>.*)$"


def api_routes() -> dict[str, URLPattern]:
    """The concrete routes under /api/v1/, as OpenAPI paths (`{username}`)."""
    (api,) = [p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/"]
    routes = {}
    for pattern in api.url_patterns:
        if str(pattern.pattern) == CATCH_ALL:
            continue
        route = str(pattern.pattern).replace("<str:", "{").replace(">", "}")
        routes["/" + route] = pattern
    return routes


def concrete(path: str) -> str:
    return "/api/v1" + path.replace("{username}", "alice")


@pytest.fixture
def api(db):
    from tests.factories import UserFactory

    UserFactory(username="alice")
    _, raw = services.create_api_token(name="spec")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_every_route_is_documented_and_nothing_else():
    assert set(api_routes()) == set(SPEC["paths"])


def test_spec_is_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == SPEC
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.parametrize("path", sorted(SPEC["paths"]))
def test_documented_methods_are_the_allowed_ones(api, path):
    documented = {m for m in SPEC["paths"][path] if m in METHODS}

    for method in METHODS:
        response = api.generic(method.upper(), concrete(path), "{}", "application/json")
        if method in documented:
            assert response.status_code != HTTPStatus.METHOD_NOT_ALLOWED, method
            assert str(response.status_code) in SPEC["paths"][path][method]["responses"]
        else:
            assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED, method
            assert {m.lower() for m in response["Allow"].split(", ")} == documented


def test_every_documented_error_status_has_the_error_schema():
    for path, operations in SPEC["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, method)


def test_documented_schemas_match_real_answers(api):
    profile = api.get(concrete("/users/{username}/profile")).json()
    interaction = api.post(
        concrete("/interactions"),
        {"username": "alice", "user_message": "m", "assistant_response": "r"},
        content_type="application/json",
    ).json()
    schemas = SPEC["components"]["schemas"]

    assert set(profile) == set(schemas["Profile"]["properties"])
    assert set(interaction) == set(schemas["InteractionOut"]["properties"])

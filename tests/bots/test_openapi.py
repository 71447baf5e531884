"""The OpenAPI document comes from the same schemas that validate: it cannot drift."""

import importlib
import json
import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

from bots.models import Identity
from profiles.models import Interaction
from tests.bots.conftest import send, turn, turn_url
from tests.conftest import database_url
from tests.server import gunicorn

pytestmark = pytest.mark.django_db

METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == HTTPStatus.OK
    return response.json()


def concrete(path: str) -> str:
    return path.replace("{person_id}", "42")


def test_spec_is_served_without_a_token_and_documents_every_route(spec):
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {
        "/api/v1/people/{person_id}",
        "/api/v1/people/{person_id}/interactions",
        "/api/v1/people/{person_id}/history",
        "/api/v1/people/{person_id}/profile",
        "/api/v1/people/{person_id}/sign-in-link",
    }


def test_documented_methods_are_the_allowed_ones(spec, api):
    send(api, turn_url("42"), turn())
    for path, operations in spec["paths"].items():
        documented = {m for m in operations if m in METHODS}
        for method in METHODS:
            response = api.generic(method.upper(), concrete(path), "{}", "application/json")
            if method in documented:
                assert str(response.status_code) in operations[method]["responses"], (path, method)
            else:
                assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED, (path, method)
                assert {m.lower() for m in response["Allow"].split(", ")} == documented


def test_every_documented_error_has_the_error_schema(spec):
    for operations in spec["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}
    assert spec["components"]["schemas"]["ErrorOut"]["required"] == ["error"]


def test_limits_are_the_model_fields(spec):
    schemas = spec["components"]["schemas"]
    (parameter,) = spec["paths"]["/api/v1/people/{person_id}/profile"]["get"]["parameters"]

    assert parameter["schema"]["maxLength"] == Identity._meta.get_field("external_id").max_length
    for field in ("user_message", "assistant_response"):
        limit = Interaction._meta.get_field(field).max_length
        assert schemas["TurnIn"]["properties"][field]["maxLength"] == limit
    profile = schemas["ProfileOut"]["properties"]["user_profile"]["anyOf"][0]
    assert profile["maxLength"] == get_user_model()._meta.get_field("user_profile").max_length


def test_documented_schemas_match_real_answers(spec, api):
    schemas = spec["components"]["schemas"]
    recorded = send(api, turn_url("42"), turn()).json()
    profile = api.get("/api/v1/people/42/profile").json()
    link = send(api, "/api/v1/people/42/sign-in-link", {}).json()

    assert set(recorded) == set(schemas["TurnOut"]["properties"])
    assert set(profile) == set(schemas["ProfileOut"]["properties"])
    assert set(link) == set(schemas["SignInLinkOut"]["properties"])


def test_docs_page_is_served_from_our_own_static_files(client):
    page = client.get("/api/v1/docs")

    assert page.status_code == HTTPStatus.OK
    assert "/static/ninja/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    assert "//" not in page.text.replace("http://www.w3.org", "")  # nothing from another host
    assert finders.find("ninja/swagger-ui-bundle.js")  # collectstatic ships it


def test_the_served_document_is_valid_openapi(spec):
    validate(spec)  # raises on the first violation


@pytest.fixture
def generated_client(spec, tmp_path, monkeypatch):
    """The package openapi-python-client (a standard generator) makes from the document."""
    (tmp_path / "openapi.json").write_text(json.dumps(spec))
    bin_dir = Path(sys.executable).parent  # its post-hooks run ruff
    subprocess.run(
        [bin_dir / "openapi-python-client", "generate", "--path", "openapi.json"]
        + ["--meta", "none", "--output-path", "dp_client"],
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
        check=True,
        capture_output=True,
        timeout=120,
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return importlib.import_module("dp_client")


@pytest.fixture
def server(transactional_db):
    """A real gunicorn on the test database (the generated client speaks real HTTP)."""
    with gunicorn(database_url(), "-w", "1") as server:
        yield server.port


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_drives_every_route(generated_client, server, token):
    from dp_client import models
    from dp_client.api.default import (
        erase_person,
        get_profile,
        import_history,
        put_profile,
        record_turn,
        sign_in_link,
    )

    bot = generated_client.AuthenticatedClient(f"http://127.0.0.1:{server}", token=token)
    key = "update-1001"

    recorded = record_turn.sync_detailed(
        "42", client=bot, body=models.TurnIn("Please be brief.", "Sure."), idempotency_key=key
    )
    replayed = record_turn.sync(
        "42", client=bot, body=models.TurnIn("Please be brief.", "Sure."), idempotency_key=key
    )
    profile = get_profile.sync("42", client=bot)
    replaced = put_profile.sync("42", client=bot, body=models.ProfileIn("Likes cats."))
    link = sign_in_link.sync("42", client=bot)
    imported = import_history.sync(
        "7",
        client=bot,
        body=models.HistoryIn(
            [models.HistoryTurnIn("hello", "hi"), models.HistoryTurnIn("a", "b")]
        ),
    )
    erased = erase_person.sync_detailed("42", client=bot)
    gone = get_profile.sync("42", client=bot)

    assert recorded.status_code == HTTPStatus.ACCEPTED
    assert (recorded.parsed.person_created, recorded.parsed.replayed) == (True, False)
    assert (replayed.id, replayed.replayed) == (recorded.parsed.id, True)
    assert profile.person_id == "42"
    assert replaced.user_profile == "Likes cats."
    assert link.url.startswith(f"http://127.0.0.1:{server}/")
    assert (imported.person_created, imported.stored) == (True, 2)
    assert erased.status_code == HTTPStatus.NO_CONTENT
    assert isinstance(gone, models.ErrorOut)
    assert Interaction.objects.count() == 2  # the imported ones; 42's went with them

"""The API answers in JSON even when it fails: 500 for a bug, 503 while the database is away."""

import http.client
import json
import logging
import time
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.test import Client

from bots import services
from tests.bots.conftest import api_client, send, turn, turn_url
from tests.conftest import run_manage
from tests.server import free_port, gunicorn

SECRET = "secret detail of the failure"


def test_an_unexpected_error_in_the_api_is_json_and_logged(db, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr(services, "record_turn", broken)
    api = api_client(services.create_api_token(client_name="tg")[1])
    api.raise_request_exception = False  # answer as a server would, not re-raise in the test

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = send(api, turn_url("42"), turn())

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "Internal error; it has been logged."}
    assert SECRET not in response.text
    (record,) = caplog.records
    assert record.exc_info[1].args == (SECRET,)  # the traceback is in the log


def test_pages_answer_the_sites_own_error_page(db, monkeypatch):
    monkeypatch.setattr("profiles.views.render", lambda *a, **k: 1 / 0)
    client = Client(raise_request_exception=False)

    response = client.get("/")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response["Content-Type"].startswith("text/html")
    assert 'class="brand"' in response.text  # templates/500.html, in the site's layout


@pytest.fixture(scope="module")
def no_database():
    """gunicorn (production settings) whose database is a closed port: unreachable."""
    with gunicorn(f"postgres://postgres@127.0.0.1:{free_port()}/gone", "-w", "1") as server:
        yield server.port


def request(port: int, method: str, path: str, body: str = "", **headers: str):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, body=body.encode(), headers=headers)
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    return response, text


BEARER = {"Authorization": "Bearer sk-some-token"}


@pytest.mark.parametrize(
    ("method", "path", "body", "headers"),
    [
        ("GET", "/api/v1/people/42/profile", "", BEARER),
        ("POST", "/api/v1/people/42/interactions", json.dumps(turn()), BEARER),
        ("PUT", "/api/v1/people/42/profile", '{"user_profile": "x"}', BEARER),
        # No database in the view at all: the session behind the cookie is read by middleware.
        ("GET", "/api/v1/nowhere", "", {"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz123456"}),
    ],
)
def test_without_a_database_the_api_answers_503_json(no_database, method, path, body, headers):
    if body:
        headers = {**headers, "Content-Type": "application/json"}

    response, text = request(no_database, method, path, body, **headers)

    assert response.status == HTTPStatus.SERVICE_UNAVAILABLE, text
    assert response.getheader("Content-Type") == "application/json"
    assert json.loads(text) == {"error": "The database is unavailable; try again in a few seconds."}
    assert int(response.getheader("Retry-After")) > 0
    assert response.getheader("Cache-Control") == "no-store"


def test_the_api_answers_503_json_while_its_database_is_down_then_recovers(own_postgres):
    from pgserver._commands import pg_ctl

    socket_dir = quote(str(own_postgres.get_postmaster_info().socket_dir), safe="")
    url = f"postgres://postgres@{socket_dir}/postgres"
    assert run_manage("migrate", "--noinput", DATABASE_URL=url).returncode == 0
    token = run_manage("create_api_token", "tg", DATABASE_URL=url).stdout.strip()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    path = "/api/v1/people/42/interactions"

    # Kept connections (CONN_MAX_AGE) break mid-life, as in a real outage.
    with gunicorn(url, "-w", "1", CONN_MAX_AGE="600") as server:
        response, text = request(server.port, "POST", path, json.dumps(turn()), **headers)
        assert response.status == HTTPStatus.ACCEPTED, text

        pg_ctl(
            ["-w", "-m", "fast", "stop"], pgdata=own_postgres.pgdata, user=own_postgres.system_user
        )
        for _ in range(3):
            response, text = request(server.port, "POST", path, json.dumps(turn()), **headers)
            assert response.status == HTTPStatus.SERVICE_UNAVAILABLE, text
            assert "error" in json.loads(text)
            assert response.getheader("Retry-After")

        own_postgres.ensure_postgres_running()
        deadline = time.monotonic() + 60
        while (
            response := request(server.port, "POST", path, json.dumps(turn()), **headers)[0]
        ).status != HTTPStatus.ACCEPTED:
            assert response.status == HTTPStatus.SERVICE_UNAVAILABLE
            assert time.monotonic() < deadline, "the service did not reconnect"
            time.sleep(0.5)

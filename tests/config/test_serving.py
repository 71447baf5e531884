"""The service as gunicorn serves it (gunicorn.conf.py): slow clients, bodies, headers."""

import http.client
import socket
import time
from http import HTTPStatus

import pytest

from bots import services
from tests.conftest import database_url
from tests.server import gunicorn

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 16  # gunicorn.conf.py's default
PROFILE = "/api/v1/people/42/profile"


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """gunicorn with the project's gunicorn.conf.py and production settings, on the test DB."""
    with django_db_blocker.unblock():
        url = database_url()
    with gunicorn(url, "-w", "2", REQUEST_READ_TIMEOUT="2") as server:
        yield server.port


def get(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def stalled_post(port: int, token: str, send_all: bool = False) -> socket.socket:
    body = b'{"user_message": "hi", "assistant_response": "hello"}'
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        b"POST /api/v1/people/42/interactions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + f"Authorization: Bearer {token}\r\n".encode()
        + b"Content-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + (body if send_all else body[:20])
    )
    return sock


def read_response(sock: socket.socket) -> tuple[int, str]:
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status, response.read().decode()


@pytest.fixture
def token(db):
    token, raw = services.create_api_token(client_name="tg")
    services.record_turn(
        client_id=token.client_id, external_id="42", user_message="Hi", assistant_response="Ok"
    )
    return raw


@pytest.fixture(scope="module")
def patient_server(django_db_setup, django_db_blocker):
    """One worker, so every stalled body lands on it; they wait a minute here, so they are
    surely still open while others ask."""
    with django_db_blocker.unblock():
        url = database_url()
    with gunicorn(
        url, "-w", "1", GUNICORN_THREADS=str(THREADS), REQUEST_READ_TIMEOUT="60"
    ) as server:
        yield server.port


def test_stalled_clients_do_not_delay_anyone_else(patient_server, token):
    """A stalled body holds one thread, not the worker: with all its threads but one held,
    others are answered while the stalled bodies are still open (a sync worker would answer
    them only once those time out). The delay they add is measured in bench/slow_clients.py."""
    auth = {"Authorization": f"Bearer {token}"}
    stalled = [stalled_post(patient_server, token) for _ in range(THREADS - 1)]
    try:
        time.sleep(0.3)  # the workers have picked them up
        for path, headers in (("/healthz", {}), (PROFILE, auth)) * 5:
            assert get(patient_server, path, headers).status == HTTPStatus.OK
        for sock in stalled:
            sock.setblocking(False)
            with pytest.raises(BlockingIOError):  # still waiting: neither answered nor closed
                sock.recv(1)
    finally:
        for sock in stalled:
            sock.close()


def test_a_stalled_body_gets_408_after_the_read_timeout(server, token):
    sock = stalled_post(server, token)
    sock.settimeout(30)

    status, body = read_response(sock)
    sock.close()

    assert status == HTTPStatus.REQUEST_TIMEOUT
    assert "did not arrive in time" in body


def test_a_chunked_body_is_refused_with_411(server, token):
    sock = socket.create_connection(("127.0.0.1", server), timeout=10)
    body = b'{"user_message": "hi", "assistant_response": "hello"}'
    sock.sendall(
        b"POST /api/v1/people/42/interactions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + f"Authorization: Bearer {token}\r\n".encode()
        + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + f"{len(body):x}\r\n".encode()
        + body
        + b"\r\n0\r\n\r\n"
    )

    status, body = read_response(sock)
    sock.close()

    assert status == HTTPStatus.LENGTH_REQUIRED
    assert "Content-Length" in body


def test_server_header_names_no_software(server):
    response = get(server, "/healthz")

    assert response.getheader("Server") == "server"

"""The service as gunicorn serves it (gunicorn.conf.py): slow clients, bodies, headers."""

import http.client
import socket
import subprocess
import sys
import time
from http import HTTPStatus

import pytest
from django.conf import settings

from bots import services
from tests.conftest import database_url

pytestmark = pytest.mark.django_db(transaction=True)

STALLED = 16
PROFILE = "/api/v1/people/42/profile"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """gunicorn with the project's gunicorn.conf.py and production settings, on the test DB."""
    import os

    port = free_port()
    with django_db_blocker.unblock():
        url = database_url()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "2"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "PORT": str(port),  # gunicorn binds 0.0.0.0:$PORT by itself
            "DATABASE_URL": url,
            "CONN_MAX_AGE": "0",  # let the test database be dropped at the end
            "DEBUG": "false",
            "REQUEST_READ_TIMEOUT": "2",
            "GUNICORN_CMD_ARGS": "--access-logfile=/dev/null",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            get(port, "/healthz")
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=30)


def get(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def worst_ms(port: int, path: str, headers: dict, count: int = 10) -> float:
    worst = 0.0
    for _ in range(count):
        start = time.perf_counter()
        assert get(port, path, headers).status == HTTPStatus.OK
        worst = max(worst, (time.perf_counter() - start) * 1000)
    return worst


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


def test_stalled_clients_do_not_delay_anyone_else(server, token):
    auth = {"Authorization": f"Bearer {token}"}
    alone = {path: worst_ms(server, path, h) for path, h in (("/healthz", {}), (PROFILE, auth))}

    stalled = [stalled_post(server, token) for _ in range(STALLED)]
    try:
        time.sleep(0.3)  # the workers have picked them up
        busy = {path: worst_ms(server, path, h) for path, h in (("/healthz", {}), (PROFILE, auth))}
    finally:
        for sock in stalled:
            sock.close()

    for path in alone:
        assert busy[path] - alone[path] < 100, (path, alone[path], busy[path])


def test_a_stalled_body_gets_408_after_the_read_timeout(server, token):
    sock = stalled_post(server, token)
    sock.settimeout(10)
    start = time.monotonic()

    status, body = read_response(sock)
    sock.close()

    assert status == HTTPStatus.REQUEST_TIMEOUT
    assert "did not arrive in time" in body
    assert 1.5 < time.monotonic() - start < 8


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

"""No sign-in link key reaches a log line: gunicorn (gunicorn.conf.py) and Django's logging."""

import http.client
import logging
import os
import re
import subprocess
import sys
import time
from http import HTTPStatus

import pytest
from django.conf import settings

from bots import services
from bots.models import Identity, SignInLink
from config.redaction import RedactSecrets, redact
from tests.conftest import database_url
from tests.server import collect_static, free_port

KEY = "s4QuCaU4eYwIWe2gXr1K9TvOhLLfy0oi5IMpeMu32AE"


@pytest.mark.parametrize(
    "line",
    [
        f"GET /sign-in/{KEY}/ HTTP/1.1",
        f"GET /sign-in/{KEY} HTTP/1.1",  # before the slash is appended
        f"POST /sign-in/{KEY}/?x=1 HTTP/1.1",
        f"GET /sign-in%2F{KEY}/ HTTP/1.1",  # servers decode it to /sign-in/<key>/
        f"GET /%73ign-in/{KEY}/ HTTP/1.1",
        f"GET /accounts/login/?next=%2Fsign-in%2F{KEY}%2F HTTP/1.1",
        f'"https://example.com/sign-in/{KEY}/" "Mozilla"',  # a Referer
        f'"GET /sign-in%2F{KEY}/ HTTP/1.1" "https://example.com/sign-in/{KEY}/"',
    ],
)
def test_every_spelling_of_a_link_path_is_redacted(line):
    assert KEY not in redact(line)
    assert "/sign-in/<redacted>" in redact(line)


def test_other_lines_are_left_alone():
    line = "GET /profile/?q=a%20b HTTP/1.1 /sign-in/"
    assert redact(line) == line


def test_a_traceback_is_redacted_too():
    try:
        raise ValueError(f"no route for /sign-in/{KEY}/")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, "", 0, "%s", ("boom",), sys.exc_info())

    RedactSecrets().filter(record)

    assert KEY not in logging.Formatter().format(record)
    assert "/sign-in/<redacted>/" in record.exc_text


# Against the real gunicorn


@pytest.fixture
def server(transactional_db, tmp_path):
    """gunicorn with gunicorn.conf.py and production settings (one worker: one process's
    warnings), behind TRUSTED_PROXY_HOPS=1 while the test's client reaches it directly."""
    collect_static()  # the pages' hashed static file names, as the build step makes them
    port = free_port()
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "1"],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "PORT": str(port),
                "DATABASE_URL": database_url(),
                "CONN_MAX_AGE": "0",
                "DEBUG": "false",
                "TRUSTED_PROXY_HOPS": "1",
            },
            stdout=stdout,
            stderr=stderr,
        )
    deadline = time.monotonic() + 20
    while True:
        try:
            request(port, "GET", "/healthz")
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.1)

    def logs() -> str:
        process.terminate()
        process.wait(timeout=30)
        return out.read_text() + err.read_text()

    yield port, logs
    if process.poll() is None:
        process.kill()
        process.wait(timeout=30)


def request(port: int, method: str, path: str, headers=None, body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    response.text = response.read().decode()
    conn.close()
    return response


def form_tokens(port: int, path: str, headers: dict) -> dict:
    """The headers of a browser posting the form on `path`: its CSRF cookie and token."""
    page = request(port, "GET", path, headers)
    cookie = page.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    return {
        **headers,
        "Cookie": cookie,
        "X-CSRFToken": token,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def test_link_keys_are_redacted_and_bad_forwarded_headers_are_harmless(server):
    port, logs = server
    token, _ = services.create_api_token(client_name="tg")
    services.record_turn(
        client_id=token.client_id, external_id="42", user_message="Hi", assistant_response="Ok"
    )
    _, key = services.create_sign_in_link(identity=Identity.objects.get())
    link = f"/sign-in/{key}/"
    browser = {"Referer": f"http://127.0.0.1:{port}{link}", "X-Forwarded-For": "garbage"}

    assert request(port, "GET", link, browser).status == HTTPStatus.OK
    assert request(port, "GET", f"/sign-in%2F{key}/", browser).status == HTTPStatus.OK
    assert request(port, "GET", link[:-1], browser).status == HTTPStatus.MOVED_PERMANENTLY
    assert request(port, "GET", f"/sign-in/{key}x/", browser).status == HTTPStatus.NOT_FOUND
    assert request(port, "POST", link, browser).status == HTTPStatus.FORBIDDEN  # no CSRF token
    statuses = []
    for forwarded in ("garbage", "999.1.1.1", "1.2.3.4/8", ""):
        form = form_tokens(port, "/accounts/login/", {"X-Forwarded-For": forwarded})
        body = "username=sam&password=wrong"
        statuses.append(request(port, "POST", "/accounts/login/", form, body).status)
    confirm = form_tokens(port, link, browser)
    signed_in = request(port, "POST", link, confirm)
    again = request(port, "POST", link, confirm | {"Cookie": confirm["Cookie"]})

    assert statuses == [HTTPStatus.OK] * 4  # the form again, with its error
    assert signed_in.status == HTTPStatus.FOUND
    assert SignInLink.objects.get().used_at is not None
    assert again.status == HTTPStatus.GONE
    output = logs()
    assert key not in output
    assert f'"GET /sign-in/<redacted>/ HTTP/1.1" {HTTPStatus.OK}' in output  # access log
    assert f'"POST /sign-in/<redacted>/ HTTP/1.1" {HTTPStatus.FOUND}' in output
    assert "Not Found: /sign-in/<redacted>/" in output  # Django's own warnings
    assert "Forbidden (CSRF cookie not set.): /sign-in/<redacted>/" in output
    assert "Gone: /sign-in/<redacted>/" in output
    assert output.count("X-Forwarded-For") == 1  # once for the process, not per request
    assert "TRUSTED_PROXY_HOPS" in output

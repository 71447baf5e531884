"""Shared helpers for the benchmarks: scratch databases and waiting for a server."""

import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def database_url(name: str) -> str:
    """The URL of database `name` on the server DATABASE_URL points at."""
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def production_env(url: str) -> dict[str, str]:
    """This process's environment with production settings (plain HTTP) on database `url`."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "WARNING",
    }


def _drop(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def scratch_database(name: str) -> Iterator[str]:
    """Create an empty database `name` (replacing a leftover one), yield its URL, drop it."""
    _drop(name)
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield database_url(name)
    finally:
        _drop(name)


@contextmanager
def one_refresh_per_turn() -> Iterator[None]:
    """Every turn queues its own refresh, as before coalescing: each takes over the one queued
    before it as if its lease had lapsed, which the service would log as a warning every time."""
    from django.test import override_settings

    logger = logging.getLogger("profiles.services")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with override_settings(PROFILE_REFRESH_LEASE_SECONDS=-3600):  # lapsed when taken
            yield
    finally:
        logger.setLevel(level)


def wait_for_http(url: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


# A bot's token and one person with a profile, printed as the token (manage.py shell -c).
BOT_SETUP = (
    "from bots import services;"
    "from bots.models import Identity;"
    "from profiles.services import update_profile;"
    "token, raw = services.create_api_token(client_name='bench');"
    "services.record_turn(client_id=token.client_id, external_id='bench',"
    " user_message='Hi', assistant_response='Hello');"
    "user = Identity.objects.get(external_id='bench').user;"
    "update_profile(user=user, text='Prefers brief answers. ' * 40, source='user');"
    "print(raw)"
)
PROFILE_PATH = "/api/v1/people/bench/profile"


def migrated_bot(url: str, env: dict[str, str]) -> str:
    """Migrate database `url`, create a bot with one person; return the bot's token."""
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run)
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", BOT_SETUP], **run).stdout
    return out.split()[-1]


@contextmanager
def gunicorn(env: dict[str, str], port: int, *args: str, app: str = "config.wsgi") -> Iterator[str]:
    """Serve `app` with gunicorn.conf.py plus `args`; yield the base URL."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "-b", f"127.0.0.1:{port}", *args],
        cwd=ROOT,
        env={**env, "GUNICORN_CMD_ARGS": "--access-logfile=/dev/null"},
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/healthz")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def wrk(
    url: str, headers: dict[str, str], seconds: int = 10, body: str | None = None
) -> tuple[float, float, int]:
    """Run wrk (2 threads, 16 connections), POSTing `body` as JSON when given; return
    requests/s, p99 in ms and non-2xx count."""
    args = ["wrk", "-t", "2", "-c", "16", "-d", f"{seconds}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    if body is not None:
        script = Path(tempfile.mkdtemp()) / "post.lua"
        script.write_text(f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\n')
        args += ["-s", str(script), "-H", "Content-Type: application/json"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(value) * UNITS[unit], int(errors.group(1)) if errors else 0

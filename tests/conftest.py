from contextlib import contextmanager

import pytest

from schemaguard.middleware import schema_cache
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_tests(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest only exists after collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    schema_cache.clear()  # /readyz must not answer from another test's schema


@pytest.fixture
def own_postgres():
    """A PostgreSQL server of the test's own (pgserver), to stop and start; never the
    machine's shared one."""
    import logging
    import shutil
    import tempfile
    import warnings

    with warnings.catch_warnings(action="ignore"):  # platformdirs: no XDG_RUNTIME_DIR
        import pgserver

    logging.getLogger("pgserver").setLevel(logging.WARNING)  # it narrates every start and stop
    # Not under pytest's tmp_path: the server runs as another user when the tests run as root,
    # and every pytest run (a concurrent one too) makes that folder's root private again.
    folder = tempfile.mkdtemp(prefix="tests-pg-own-")
    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        yield server
    finally:
        server.ensure_postgres_running()  # a failed test may have left it stopped
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def user(db):
    return UserFactory()


def database_url(name: str | None = None) -> str:
    """The URL of the test database (or of `name` on the same server), for a subprocess."""
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    host = quote(db["HOST"], safe="")
    auth = quote(db["USER"], safe="") + (
        f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    )
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{name or db['NAME']}"


def manage_command(*args: str, **env: str) -> dict:
    """Keyword arguments for subprocess.run/Popen of manage.py on the test database."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    return {
        "args": [sys.executable, "manage.py", *args],
        "cwd": settings.BASE_DIR,
        "env": {
            **os.environ,
            "DATABASE_URL": database_url(),
            **env,
        },
        "stdout": subprocess.PIPE,
        "stderr": subprocess.PIPE,
        "text": True,
    }


def run_manage(*args: str, timeout: float = 120, **env: str):
    """Run manage.py in a subprocess against the test database; returns CompletedProcess."""
    import subprocess

    return subprocess.run(**manage_command(*args, **env), timeout=timeout)


@contextmanager
def count_queries(using: str = "default"):
    """Collect the SQL of every query run inside the block, requests included.

    (CaptureQueriesContext miscounts across test-client requests: each request resets the
    query log it slices.)
    """
    from django.db import connections

    seen: list[str] = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connections[using].execute_wrapper(record):
        yield seen

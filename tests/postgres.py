"""Pytest plugin that gives the test run a real PostgreSQL server.

`DATABASE_URL` wins when it is set (CI points it at the machine's server). Otherwise a
throwaway server from the `pgserver` package is started in a temporary folder and removed
when the run ends. Either way this must happen before pytest-django reads the settings,
hence a plugin (`-p tests.postgres` in pyproject.toml) with a hook wrapper that runs first.
"""

import logging
import os
import shutil
import tempfile
import warnings
from urllib.parse import quote

import pytest

_server = None
_server_dir = None


def _start_throwaway_server() -> str:
    global _server, _server_dir
    with warnings.catch_warnings(action="ignore"):  # platformdirs: no XDG_RUNTIME_DIR
        import pgserver

    # pgserver narrates every start and stop at INFO; its own failures still show.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    _server_dir = tempfile.mkdtemp(prefix="tests-pg-")
    _server = pgserver.get_server(_server_dir, cleanup_mode="stop")
    socket_dir = quote(_server_dir, safe="")
    return f"postgres://postgres@{socket_dir}/postgres"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    url = os.environ.get("DATABASE_URL") or _start_throwaway_server()
    if not url.startswith(("postgres://", "postgresql://")):
        raise pytest.UsageError(f"Tests run on PostgreSQL only; DATABASE_URL is {url!r}.")
    os.environ["DATABASE_URL"] = url
    # The production settings module, made usable over plain HTTP without a real secret.
    os.environ.setdefault("SECRET_KEY", "tests-only-" + "x" * 50)
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
    # The RQ queue tests use a Redis database of their own (and empty it).
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    return (yield)


def pytest_unconfigure(config):
    if _server is not None:
        _server.cleanup()
        shutil.rmtree(_server_dir, ignore_errors=True)

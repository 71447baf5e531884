"""A real gunicorn (gunicorn.conf.py, production settings) for tests that need real serving."""

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings


@dataclass
class Gunicorn:
    port: int
    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        """The worker processes: the children of gunicorn's master."""
        tasks = f"/proc/{self.process.pid}/task"
        children = []
        for task in os.listdir(tasks):
            with open(f"{tasks}/{task}/children") as f:
                children += [int(pid) for pid in f.read().split()]
        return children


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_static_collected = False


def collect_static() -> None:
    """Run collectstatic once per test run, as Render's build does: production settings
    serve pages only with its manifest, and a test must not depend on another having run it."""
    global _static_collected
    if not _static_collected:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput"],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DEBUG": "false"},
            check=True,
            capture_output=True,
        )
        _static_collected = True


@contextmanager
def gunicorn(database_url: str, *args: str, **env: str) -> Iterator[Gunicorn]:
    """gunicorn on `database_url`, up and answering /healthz; stopped at the end."""
    collect_static()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", *args],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "PORT": str(port),  # gunicorn binds 0.0.0.0:$PORT by itself
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "0",  # let the test database be dropped at the end
            "DEBUG": "false",
            "GUNICORN_CMD_ARGS": "--access-logfile=/dev/null",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield Gunicorn(port, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

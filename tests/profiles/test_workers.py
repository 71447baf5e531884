"""The queue workers outlive an outage of their store: a PostgreSQL and a Redis of the test's
own are stopped and started again under a running worker, which then does the waiting work."""

import os
import shutil
import socket
import subprocess
import threading
import time
from urllib.parse import quote

import pytest

from profiles.models import RefreshState
from tests.conftest import manage_command, run_manage
from tests.factories import UserFactory


def wait_until(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


class Worker:
    """A manage.py worker process whose output (stdout and stderr) is collected as it runs."""

    def __init__(self, *args: str, **env: str) -> None:
        self.process = subprocess.Popen(
            **{**manage_command(*args, **env), "stderr": subprocess.STDOUT}
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        print(self.output[-4000:])  # shown when the test fails


def retries(worker: Worker) -> int:
    return worker.output.count("; next try in ")


@pytest.fixture
def outage_postgres(own_postgres):
    own_postgres.psql("CREATE DATABASE outage;")
    return own_postgres


def postgres_url(server) -> str:
    socket_dir = quote(str(server.get_postmaster_info().socket_dir), safe="")
    return f"postgres://postgres@{socket_dir}/outage"


def test_db_worker_outlives_a_database_outage(outage_postgres):
    import pgserver
    import psycopg

    url = postgres_url(outage_postgres)
    env = {
        "DATABASE_URL": url,
        "TASKS_BACKEND": "database",
        "PROFILER": "rules",
        "PROFILE_REFRESH_DEBOUNCE": "0",
    }
    assert run_manage("migrate", "--noinput", **env).returncode == 0
    created = run_manage(
        "shell", "-c", "from users.models import User; User.objects.create_user('ann')", **env
    )
    assert created.returncode == 0, created.stderr
    worker = Worker("durable_db_worker", "--no-startup-delay", **env)
    try:
        wait_until(lambda: "Starting worker" in worker.output)
        pgserver.pg_ctl(
            ["-w", "-m", "fast", "stop"],
            pgdata=outage_postgres.pgdata,
            user=outage_postgres.system_user,
        )
        wait_until(lambda: retries(worker) >= 2)  # backing off while the server is down
        assert worker.alive()
        outage_postgres.ensure_postgres_running()

        turn = run_manage("record_interaction", "ann", "Please be brief.", "Sure.", **env)
        assert turn.returncode == 0, turn.stderr

        def profile() -> str | None:
            with psycopg.connect(outage_postgres.get_uri("outage")) as conn:
                return conn.execute(
                    "SELECT user_profile FROM users_user WHERE username = 'ann'"
                ).fetchone()[0]

        wait_until(lambda: "asks for brief answers" in (profile() or ""))
        assert worker.alive()
    finally:
        worker.stop()
    assert "Task worker lost the database" in worker.output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server of the test's own on a free port, without persistence: a restart
    loses every job in it, as a real outage may."""

    def __init__(self) -> None:
        if not shutil.which("redis-server"):
            message = "redis-server is not installed"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self.answers, seconds=30)

    def answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=1).ping()
        except redis.exceptions.ConnectionError:
            return False

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def own_redis():
    server = OwnRedis()
    yield server
    server.kill()


RQ_WORKER = ("durable_rqworker", "default", "--with-scheduler")
RQ_WORKER += ("--job-class", "django_tasks_rq.backend.Job")


def rq_env(redis: OwnRedis, **env: str) -> dict[str, str]:
    # The refresh waits a second for the rest of a burst: in rq's scheduler.
    return {"REDIS_URL": redis.url, "TASKS_BACKEND": "rq", "PROFILE_REFRESH_DEBOUNCE": "1", **env}


@pytest.mark.django_db(transaction=True)
def test_rqworker_outlives_a_redis_outage(own_redis):
    env = rq_env(own_redis, PROFILER="rules")
    person = UserFactory()
    worker = Worker(*RQ_WORKER, **env)
    try:
        wait_until(lambda: "Scheduler for default started" in worker.output)
        own_redis.kill()
        # Down long enough to take rq's scheduler (the debounced refresh needs it) with it.
        wait_until(lambda: "Scheduler [PID" in worker.output)
        wait_until(lambda: worker.output.count("could not connect to Redis") >= 2)
        assert worker.alive()
        own_redis.start()

        turn = run_manage("record_interaction", person.username, "Please be brief.", "Sure.", **env)
        assert turn.returncode == 0, turn.stderr

        def profile() -> str:
            person.refresh_from_db()
            return person.user_profile or ""

        wait_until(lambda: "asks for brief answers" in profile())
        assert worker.alive()
    finally:
        worker.stop()


@pytest.mark.django_db(transaction=True)
def test_rqworker_outlives_losing_redis_in_the_middle_of_a_job(own_redis, fake_llm):
    fake_llm.default.delay = 3  # Redis goes while the job waits for the LLM
    env = rq_env(
        own_redis, PROFILER="llm", LLM_BASE_URL=fake_llm.url, LLM_MODEL="m", LLM_TIMEOUT="60"
    )
    person = UserFactory()
    state = RefreshState.objects.filter(user=person)
    worker = Worker(*RQ_WORKER, **env)
    try:
        wait_until(lambda: "Scheduler for default started" in worker.output)
        first = run_manage("record_interaction", person.username, "hello", "Hi.", **env)
        assert first.returncode == 0, first.stderr
        wait_until(lambda: fake_llm.requests)
        own_redis.kill()
        wait_until(lambda: retries(worker) >= 2)  # rq quit its loop; ours waits for Redis
        assert worker.alive()
        own_redis.start()

        fake_llm.default.delay = 0
        turn = run_manage("record_interaction", person.username, "Please be brief.", "Sure.", **env)
        assert turn.returncode == 0, turn.stderr
        wait_until(
            lambda: len(fake_llm.requests) == 2 and not state.filter(queued_at__isnull=False)
        )
        assert worker.alive()
    finally:
        worker.stop()
    person.refresh_from_db()
    assert person.user_profile == "Prefers short answers."

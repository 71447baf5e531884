"""A deploy under load: reads of users while a long report blocks the table and migrate runs.

Usage (DATABASE_URL names a server where scratch databases may be created):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/deploy_under_load.py

For each mode, on a scratch database at `users 0001` with 100,000 users served by gunicorn
(bench/reader_app.py, 2 workers x 16 threads):
  t=0  reads start: GET /bench/user/<random id>, 50 a second on a fixed schedule (open loop:
       a read's latency counts from when it was due, so a stalled server cannot hide it);
  t=2  a "report" opens a transaction that reads users_user and keeps it for 8 s;
  t=3  `manage.py migrate` adds user_profile (ALTER TABLE needs ACCESS EXCLUSIVE);
  t=16 reads stop.
Modes: protection on with schemaguard's defaults (lock_timeout 3 s, 5 retries with
backoff), on with a 0.5 s lock timeout, and off (MIGRATE_LOCK_TIMEOUT=0: the ALTER waits as
long as it takes and reads queue behind it).
Prints p50/p99/max read latency, slow and failed reads for both, measured in this one run,
then the migrate-time-against-table-size benchmark (bench/migrate_scale.py).
"""

import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` as a script

from bench import migrate_scale  # noqa: E402
from bench.common import ROOT, database_url, production_env, scratch_database, wait_for_http  # noqa: E402

SCRATCH = "bench_deploy"
URL = database_url(SCRATCH)
PORT = int(os.environ.get("BENCH_PORT", "8766"))
USERS = 100_000
RATE, DURATION = 50, 16.0
BLOCK_AT, BLOCK_FOR, MIGRATE_AT = 2.0, 8.0, 3.0
ENV = production_env(URL)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**ENV, **env},
        capture_output=True,
        text=True,
    )


def read(due: float) -> tuple[float, bool]:
    url = f"http://127.0.0.1:{PORT}/bench/user/{random.randint(1, USERS)}"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            ok = response.status == 200
    except OSError:
        ok = False
    return time.monotonic() - due, ok


def blocker() -> None:
    with psycopg.connect(URL) as conn:
        conn.execute("SELECT count(*) FROM users_user").fetchone()
        time.sleep(BLOCK_FOR)
        conn.commit()


def scenario(label: str, **migrate_env: str) -> None:
    assert manage("migrate", "users", "0001", "--noinput").returncode == 0
    start = time.monotonic()
    futures, migrate_result = [], {}

    def run_migrate():
        began = time.monotonic()
        result = manage("migrate", "--noinput", **migrate_env)
        migrate_result.update(code=result.returncode, seconds=time.monotonic() - began)

    timers = [
        threading.Timer(BLOCK_AT, blocker),
        threading.Timer(MIGRATE_AT, run_migrate),
    ]
    for timer in timers:
        timer.start()
    with ThreadPoolExecutor(max_workers=400) as pool:
        for n in range(int(RATE * DURATION)):
            due = start + n / RATE
            time.sleep(max(0.0, due - time.monotonic()))
            futures.append(pool.submit(read, due))
    for timer in timers:
        timer.join()
    results = [f.result() for f in futures]
    latencies = sorted(latency * 1000 for latency, _ in results)
    failed = sum(not ok for _, ok in results)
    slow = sum(latency > 1000 for latency in latencies)
    p99 = latencies[int(0.99 * len(latencies)) - 1]
    print(
        f"  {label:<32} p50 {statistics.median(latencies):7.1f} ms  p99 {p99:7.1f} ms  "
        f"max {latencies[-1]:7.1f} ms  >1 s {slow:4d}/{len(latencies)}  failed {failed}  "
        f"(migrate exit {migrate_result['code']}, {migrate_result['seconds']:.1f} s)"
    )
    return p99


def main() -> None:
    with scratch_database(SCRATCH):
        assert manage("migrate", "--noinput").returncode == 0
        assert manage("migrate", "users", "0001", "--noinput").returncode == 0
        with psycopg.connect(URL, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO users_user (password, is_superuser, username, first_name, "
                "last_name, email, is_staff, is_active, date_joined) SELECT '!', false, "
                "'user' || i, '', '', '', false, true, now() FROM generate_series(1, %s) i",
                [USERS],
            )
            conn.execute("VACUUM ANALYZE users_user")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "bench.reader_app:application", "-k", "gthread",
             "-w", "2", "--threads", "16", "-b", f"127.0.0.1:{PORT}"],
            cwd=ROOT, env=ENV, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_for_http(f"http://127.0.0.1:{PORT}/healthz")
            print(
                f"Reads of {USERS:,} users at {RATE}/s for {DURATION:g} s; a report holds "
                f"users_user for {BLOCK_FOR:g} s from t={BLOCK_AT:g} s; migrate starts at "
                f"t={MIGRATE_AT:g} s"
            )
            on = scenario("on, defaults (lock_timeout 3 s)")
            short = scenario("on, MIGRATE_LOCK_TIMEOUT=0.5", MIGRATE_LOCK_TIMEOUT="0.5")
            off = scenario("off, MIGRATE_LOCK_TIMEOUT=0", MIGRATE_LOCK_TIMEOUT="0")
            print(
                f"  p99 read latency, off / on: {off / on:.1f}x (defaults), "
                f"{off / short:.1f}x (0.5 s)"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    print()
    migrate_scale.main()


if __name__ == "__main__":
    main()

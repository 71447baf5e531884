"""Requests per second and p99 latency of the profile API against /healthz, under gunicorn.

Usage (needs wrk: apt-get install wrk; DATABASE_URL names a server where a scratch database
may be created):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/api_throughput.py

Starts one gunicorn with production settings (DEBUG off; plain HTTP) on a scratch database,
then runs wrk against GET /healthz (no database: the baseline) and against
GET /api/v1/people/<id>/profile with a bearer token (token, person and revision lookups), one
after the other, on the same server in the same run, and prints the ratio.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` as a script

from bench.common import ROOT, production_env, scratch_database, wait_for_http  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8765"))
DURATION, THREADS, CONNECTIONS, WORKERS = "10s", 2, 16, 2
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}
SETUP = (
    "from bots import services;"
    "from profiles.services import update_profile;"
    "token, raw = services.create_api_token(client_name='bench');"
    "turn, _ = services.record_turn(client_id=token.client_id, external_id='bench',"
    " user_message='Hi', assistant_response='Hello');"
    "update_profile(user=turn.user, text='Prefers brief answers. ' * 40, source='user');"
    "print(raw)"
)


def wrk(path: str, headers: dict[str, str]) -> tuple[float, float, int]:
    """Return requests per second, p99 latency in ms and the count of non-2xx answers."""
    args = ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", DURATION, "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*args, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(value) * UNITS[unit], int(errors.group(1)) if errors else 0


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    with scratch_database("bench_api") as url:
        env = production_env(url)
        run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run)
        token = subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], **run)
        token = token.stdout.split()[-1]
        gunicorn = ["gunicorn", "config.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{PORT}"]
        server = subprocess.Popen(
            [sys.executable, "-m", *gunicorn], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
        )
        try:
            wait_for_http(f"http://127.0.0.1:{PORT}/healthz")
            print(
                f"gunicorn {WORKERS} workers; "
                f"wrk {THREADS} threads, {CONNECTIONS} connections, {DURATION}"
            )
            health = wrk("/healthz", {})
            api = wrk("/api/v1/people/bench/profile", {"Authorization": f"Bearer {token}"})
            for label, (rps, p99, errors) in [
                ("GET /healthz (baseline)", health),
                ("GET profile API", api),
            ]:
                print(f"  {label:<26} {rps:8.0f} req/s  p99 {p99:7.2f} ms  non-2xx {errors}")
            print(
                f"  API / healthz throughput: {api[0] / health[0]:.2f}x; "
                f"p99 {api[1] / health[1]:.2f}x"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()

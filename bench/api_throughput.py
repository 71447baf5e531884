"""The bot's profile read and turn write against bare views doing the same query, under
gunicorn.

Usage (needs wrk: apt-get install wrk; DATABASE_URL names a server where a scratch database
may be created):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/api_throughput.py

Starts one gunicorn (gunicorn.conf.py, 2 workers, production settings with bench/urls.py,
the database task queue) on a scratch database and runs wrk (2 threads, 16 connections, 5 s)
against each of these in turn, in ROUNDS rounds, so that a noisy neighbour hits all alike:
- GET /healthz: no database, the ceiling;
- GET /bench/people/<id>/profile: a bare view reading the same row in one query, through the
  same middleware;
- GET /api/v1/people/<id>/profile with a bearer token: the real API;
- POST /bench/people/<id>/interactions: a bare view parsing the same JSON and inserting the
  same row in one query;
- POST /api/v1/people/<id>/interactions with a bearer token: the real API (validation, the
  identity, the turn and its refresh request, in one transaction).
Prints each one's median requests per second and p99 over the rounds, and the median of the
per-round ratios of each API call to its bare view.
"""

import json
import os
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` as a script

from bench.common import (  # noqa: E402
    PROFILE_PATH,
    gunicorn,
    migrated_bot,
    production_env,
    scratch_database,
    wrk,
)

PORT = int(os.environ.get("BENCH_PORT", "8765"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
TURN = json.dumps({"user_message": "Please keep it short.", "assistant_response": "Sure."})


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    with scratch_database("bench_api") as url:
        env = {
            **production_env(url),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "TASKS_BACKEND": "database",
        }
        token = migrated_bot(url, env)
        auth = {"Authorization": f"Bearer {token}"}
        targets = {
            "GET /healthz": ("/healthz", {}, None),
            "bare read view": ("/bench/people/bench/profile", {}, None),
            "read API (token)": (PROFILE_PATH, auth, None),
            "bare insert view": ("/bench/people/bench/interactions", {}, TURN),
            "write API (token)": ("/api/v1/people/bench/interactions", auth, TURN),
        }
        runs = {label: [] for label in targets}
        with gunicorn(env, PORT, "-w", "2") as base:
            print(
                f"gunicorn 2 workers (gunicorn.conf.py); wrk 2 threads, 16 connections, "
                f"5 s each, {ROUNDS} rounds"
            )
            for _ in range(ROUNDS):
                for label, (path, headers, body) in targets.items():
                    runs[label].append(wrk(base + path, headers, seconds=5, body=body))
        for label, results in runs.items():
            rps = statistics.median(r[0] for r in results)
            p99 = statistics.median(r[1] for r in results)
            errors = sum(r[2] for r in results)
            print(f"  {label:<22} {rps:8.0f} req/s  p99 {p99:7.2f} ms  non-2xx {errors}")
        rps = {label: [r[0] for r in results] for label, results in runs.items()}
        for name, api, bare in [
            ("read", "read API (token)", "bare read view"),
            ("write", "write API (token)", "bare insert view"),
        ]:
            ratios = [a / b for a, b in zip(rps[api], rps[bare], strict=True)]
            print(
                f"  {name} API / bare view: {statistics.median(ratios):.2f}x"
                f" (rounds: {', '.join(f'{r:.2f}' for r in ratios)})"
            )


if __name__ == "__main__":
    main()

"""Do stalled clients slow everyone else down? gunicorn's sync, threaded and ASGI workers.

Usage (needs wrk: apt-get install wrk):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/slow_clients.py

For each kind of worker (2 workers, production settings, gunicorn.conf.py otherwise), in one
run on one scratch database: the profile API's throughput under wrk, then the latency of
/healthz and of the profile API (median and worst of 20 requests each) with no other client,
and again while 16 connections sit stalled halfway through sending a POST body. Prints the
delay the stalled clients add (and the worst latency's ratio to the same worker's unloaded
one) and the throughput against the sync workers' (the old setup). The test suite checks
only the behaviour (tests/config/test_serving.py); this is where the timing lives.
"""

import http.client
import os
import socket
import statistics
import sys
import time
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

PORT = int(os.environ.get("BENCH_PORT", "8766"))
STALLED = 16
WORKERS = {
    "sync (old Procfile)": ("config.wsgi", ["-k", "sync", "--threads", "1", "-w", "2"]),
    "gthread x16 (gunicorn.conf.py)": ("config.wsgi", ["-w", "2"]),
    "asgi (gunicorn's)": ("config.asgi:application", ["-k", "asgi", "-w", "2"]),
}


def latencies(path: str, headers: dict[str, str], count: int = 20) -> list[float]:
    """Milliseconds of `count` sequential requests, each on a fresh connection."""
    times = []
    for _ in range(count):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        conn.getresponse().read()
        times.append((time.perf_counter() - start) * 1000)
        conn.close()
    return times


def stall(token: str) -> socket.socket:
    """A client that sends headers and half its body, then nothing."""
    sock = socket.create_connection(("127.0.0.1", PORT))
    sock.sendall(
        b"POST /api/v1/people/slow/interactions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + f"Authorization: Bearer {token}\r\n".encode()
        + b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        + b'{"user_message": "'
        + b"x" * 480
    )
    return sock


def main() -> None:
    with scratch_database("bench_slow") as url:
        env = production_env(url)
        token = migrated_bot(url, env)
        auth = {"Authorization": f"Bearer {token}"}
        results = {}
        for label, (app, args) in WORKERS.items():
            with gunicorn(env, PORT, *args, app=app) as base:
                rps = wrk(base + PROFILE_PATH, auth, seconds=5)[0]
                calm = {p: latencies(p, h) for p, h in (("/healthz", {}), (PROFILE_PATH, auth))}
                stalled = [stall(token) for _ in range(STALLED)]
                time.sleep(0.5)  # let the workers pick them up
                busy = {p: latencies(p, h) for p, h in (("/healthz", {}), (PROFILE_PATH, auth))}
                for sock in stalled:
                    sock.close()
            results[label] = rps, calm, busy
        baseline = next(iter(results.values()))[0]
        print(f"{STALLED} stalled clients; latency median / worst of 20 requests, in ms")
        for label, (rps, calm, busy) in results.items():
            print(f"{label}: profile API {rps:.0f} req/s ({rps / baseline:.2f}x of sync)")
            for path in calm:
                before, during = calm[path], busy[path]
                print(
                    f"  {path:<28} alone {statistics.median(before):7.1f} / {max(before):7.1f}"
                    f"   stalled {statistics.median(during):7.1f} / {max(during):7.1f}"
                    f"   added (worst) {max(during) - max(before):8.1f}"
                    f" ({max(during) / max(before):.2f}x)"
                )


if __name__ == "__main__":
    main()

"""Profiler calls per recorded turn when people send bursts, and what coalescing costs a turn.

Usage (DATABASE_URL names a server where a scratch database may be created):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/coalescing.py

50 people each send a burst of 10 turns within about 2 s through the bot API (in-process
test client, a real token), on the database queue, while two `db_worker` processes refresh
profiles with an LLM profiler that takes 1 s per answer (tests/fakellm.py over HTTP).
- Without coalescing (every turn queues its own refresh, as before; done here by making
  every queued refresh count as stale) the refreshes queued are counted, not run: 500
  one-second calls would take minutes.
- With coalescing (the defaults) the refreshes are run to the end and the LLM's requests are
  counted; every person's last turn must be in the last prompt the LLM saw for them.
Then the latency of `record_interaction` with and without coalescing, 200 calls each.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` as a script

from bench.common import (  # noqa: E402
    ROOT,
    one_refresh_per_turn,
    production_env,
    scratch_database,
)

PEOPLE, TURNS, CALLS = 50, 10, 200


def main() -> None:
    with scratch_database("bench_coalesce") as url:
        os.environ.update(production_env(url))
        os.environ.update(TASKS_BACKEND="database", PROFILER="rules")
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django_tasks_db.models import DBTaskResult

        from bots import services as bots
        from profiles import services
        from profiles.models import RefreshState
        from tests.fakellm import FakeLLM, Reply

        call_command("migrate", verbosity=0)
        fake_llm = FakeLLM().start()
        fake_llm.default = Reply(content="Prefers short answers.", delay=1.0)
        _, raw = bots.create_api_token(client_name="bench")
        api = Client(headers={"Authorization": f"Bearer {raw}"})

        def burst(prefix: str) -> float:
            start = time.perf_counter()
            for turn in range(TURNS):
                for person in range(PEOPLE):
                    api.post(
                        f"/api/v1/people/{prefix}{person}/interactions",
                        json.dumps(
                            {
                                "user_message": f"{prefix}{person} turn {turn}",
                                "assistant_response": "ok",
                            }
                        ),
                        content_type="application/json",
                    )
            return time.perf_counter() - start

        with one_refresh_per_turn():  # the old behaviour
            old_seconds = burst("old")
        old_calls = DBTaskResult.objects.count()
        DBTaskResult.objects.all().delete()
        RefreshState.objects.all().delete()

        env = {
            **os.environ,
            "PROFILER": "llm",
            "LLM_BASE_URL": fake_llm.url,
            "LLM_MODEL": "bench",
            "LLM_TIMEOUT": "30",
            "LOG_LEVEL": "WARNING",
        }
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--no-startup-delay"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(2)
        ]
        try:
            new_seconds = burst("new")
            deadline = time.monotonic() + 600
            while RefreshState.objects.filter(queued_at__isnull=False).exists():
                assert time.monotonic() < deadline, "refreshes did not finish"
                time.sleep(0.5)
        finally:
            for worker in workers:
                worker.terminate()
                worker.wait(timeout=30)
        new_calls = len(fake_llm.requests)
        prompts = [json.dumps(r) for r in fake_llm.requests]
        missing = [
            p
            for p in range(PEOPLE)
            if not any(f"new{p} turn {TURNS - 1}" in prompt for prompt in prompts)
        ]
        fake_llm.stop()

        turns = PEOPLE * TURNS
        print(f"{PEOPLE} people x {TURNS} turns through the API; LLM profiler taking 1 s")
        print(
            f"  per turn (before): {old_calls} refreshes queued for {turns} turns in "
            f"{old_seconds:.1f} s: {old_calls / turns:.2f} per turn"
        )
        print(
            f"  coalesced: {new_calls} LLM calls for {turns} turns in {new_seconds:.1f} s: "
            f"{new_calls / turns:.2f} per turn ({new_calls / max(old_calls, 1):.2f}x); "
            f"last turn missing from the profile of {len(missing)} people"
        )

        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create(username="latency")

        def latency() -> float:
            times = []
            for n in range(CALLS):
                start = time.perf_counter()
                services.record_interaction(user=user, user_message=f"m{n}", assistant_response="r")
                times.append(time.perf_counter() - start)
            return statistics.median(times) * 1000

        with one_refresh_per_turn():
            before = latency()
        after = latency()
        print(
            f"  record_interaction median: per turn {before:.2f} ms, coalesced {after:.2f} ms "
            f"({after / before:.2f}x)"
        )


if __name__ == "__main__":
    main()

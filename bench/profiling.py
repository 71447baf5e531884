"""The profiling pipeline's figures: what a turn costs its caller, the worker, the LLM bill and
the storage.

Usage (DATABASE_URL names a server where a scratch database may be created):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/profiling.py [PART ...]

PART is any of latency, worker, bursts, retention (default: all four, in that order).

1. Latency of `record_interaction` (store + schedule the refresh) with the rules profiler
   on the database queue (the baseline), an LLM profiler that takes 2 s per answer on the
   database queue, and, for contrast, both profilers in-process (immediate backend).
   The LLM is a local Chat Completions server (tests/fakellm.py) that sleeps 2 s.
2. Interactions per second a `db_worker` process refreshes with the rules profiler,
   against the same worker with a profiler that does nothing (the queue's own cost). Every
   turn queues its own refresh here (coalescing off): this measures the worker.
3. bursts: profiler calls per recorded turn when 50 people each send 10 turns within 2 s,
   and `record_interaction` with coalescing against one refresh per turn (bench/coalescing.py).
4. retention: rows kept of a person who sent 1,000 turns, and one prune pass over 1,000,000
   interactions (bench/prune.py).
Parts 3 and 4 run as their own processes: each needs a scratch database and settings of its
own.

Absolute times drift on a shared machine; quote the ratios, measured in this one run.
"""

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
from profiles.profilers import BaseProfiler  # noqa: E402

GIVEN_ENV = dict(os.environ)
CALLS = 200
SCRIPTS = {"bursts": "coalescing.py", "retention": "prune.py"}
PARTS = ("latency", "worker", *SCRIPTS)
WORKER_USERS, WORKER_TURNS = 20, 40
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class NullProfiler(BaseProfiler):
    """Returns the profile unchanged: a worker run with it measures the queue alone."""

    name = "null"

    def profile(self, *, current_profile, interactions):
        return current_profile


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_records(user, calls: int) -> list[float]:
    from profiles.services import record_interaction

    runs = []
    for i in range(calls):
        start = time.perf_counter()
        # Autocommit: the on_commit refresh is scheduled (and, in-process, run) right here.
        record_interaction(
            user=user,
            user_message=f"Please be brief. Why does my python job {i} fail?",
            assistant_response="Check the logs.",
        )
        runs.append(time.perf_counter() - start)
    return runs


def latency(fake_llm) -> None:
    from django.contrib.auth import get_user_model
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    llm = {
        "PROFILER": "profiles.profilers.llm.LLMProfiler",
        "LLM_BASE_URL": fake_llm.url,
        "LLM_MODEL": "bench",
        "LLM_TIMEOUT": 10,
        "LLM_MAX_RETRIES": 0,
    }
    scenarios = [
        ("rules, database queue (baseline)", {"TASKS": DATABASE}, CALLS),
        ("rules, in-process", {"TASKS": IMMEDIATE}, CALLS),
        ("LLM 2 s, database queue", {"TASKS": DATABASE, **llm}, CALLS),
        ("LLM 2 s, in-process", {"TASKS": IMMEDIATE, **llm}, 3),
    ]
    print(f"record_interaction latency ({CALLS} calls each; the in-process LLM only 3)")
    baseline = None
    for label, overrides, calls in scenarios:
        user = get_user_model().objects.create(username=f"bench-{len(label)}-{time.time_ns()}")
        with override_settings(**overrides):
            runs = time_records(user, calls)
        median = statistics.median(runs)
        baseline = baseline or median
        print(
            f"  {label:<34} median {median * 1000:8.2f} ms  p95 "
            f"{percentile(runs, 0.95) * 1000:8.2f} ms  {median / baseline:7.2f}x baseline"
        )
    DBTaskResult.objects.all().delete()


def worker_throughput() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Max, Min
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from profiles.services import record_interaction

    print(f"db_worker throughput ({WORKER_USERS} users x {WORKER_TURNS} interactions)")
    results = {}
    for label, profiler in [
        ("null profiler (baseline)", "bench.profiling.NullProfiler"),
        ("rules profiler", "profiles.profilers.rules.RulesProfiler"),
    ]:
        DBTaskResult.objects.all().delete()
        # One refresh per turn, due at once: this measures the worker, not coalescing.
        with override_settings(TASKS=DATABASE, PROFILE_REFRESH_DEBOUNCE=0), one_refresh_per_turn():
            for u in range(WORKER_USERS):
                user = get_user_model().objects.create(username=f"w{u}-{time.time_ns()}")
                for t in range(WORKER_TURNS):
                    record_interaction(
                        user=user,
                        user_message=f"I prefer examples. My python code {t} and a trip to Rome?",
                        assistant_response="Here is an example.",
                    )
        tasks = DBTaskResult.objects.count()
        subprocess.run(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
            cwd=ROOT,
            env={**os.environ, "TASKS_BACKEND": "database", "PROFILER": profiler},
            check=True,
            capture_output=True,
        )
        # From the first task's start to the last one's end: the worker's start-up excluded.
        span = DBTaskResult.objects.filter(status="SUCCESSFUL").aggregate(
            done=Count("id"), first=Min("started_at"), last=Max("finished_at")
        )
        done, elapsed = span["done"], (span["last"] - span["first"]).total_seconds()
        assert done == tasks, f"{tasks - done} tasks did not succeed"
        results[label] = done / elapsed
        print(f"  {label:<34} {done} tasks in {elapsed:5.1f} s = {results[label]:6.1f} per s")
    base, rules = results.values()
    print(f"  rules / null throughput: {rules / base:.2f}x")


def main(parts: list[str]) -> None:
    if "latency" in parts or "worker" in parts:
        in_process(parts)
    for part, script in SCRIPTS.items():
        if part in parts:
            print(f"{part} (bench/{script}):", flush=True)
            # The environment as it was given: the part above pointed DATABASE_URL elsewhere.
            subprocess.run([sys.executable, ROOT / "bench" / script], env=GIVEN_ENV, check=True)


def in_process(parts: list[str]) -> None:
    with scratch_database("bench_profiling") as url:
        os.environ.update(production_env(url))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from tests.fakellm import FakeLLM, Reply

        call_command("migrate", verbosity=0)
        fake_llm = FakeLLM().start()
        fake_llm.default = Reply(content="Wants brief answers about Python.", delay=2)
        try:
            if "latency" in parts:
                latency(fake_llm)
            if "worker" in parts:
                worker_throughput()
        finally:
            fake_llm.stop()
            connections.close_all()


if __name__ == "__main__":
    chosen = sys.argv[1:] or list(PARTS)
    if unknown := set(chosen) - set(PARTS):
        sys.exit(f"unknown part(s): {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    main(chosen)

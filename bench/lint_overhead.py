"""What the migration checks add to the pre-deploy step when there is nothing to apply.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/lint_overhead.py

On a scratch database migrated to the latest state, in one process, alternating ROUNDS
times: Django's own migrate (the baseline), schemaguard's migrate (lock-safe, lints its plan,
holds back post_deploy migrations, checks the live schema), and `lintmigrations --all` alone.
Prints median milliseconds and the ratios against Django's migrate.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` as a script

from bench.common import production_env, scratch_database  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))


def main() -> None:
    with scratch_database("bench_lint") as url:
        os.environ.update(production_env(url))
        import django
        from django.core.management import call_command
        from django.core.management.commands.migrate import Command as DjangoMigrate

        django.setup()
        call_command("migrate", verbosity=0)

        def timed(run) -> float:
            start = time.perf_counter()
            run()
            return (time.perf_counter() - start) * 1000

        out = io.StringIO()
        runs = {
            "Django's migrate, nothing to apply (baseline)": lambda: call_command(
                DjangoMigrate(stdout=out), verbosity=0
            ),
            "schemaguard's migrate, nothing to apply": lambda: call_command(
                "migrate", verbosity=0, stdout=out
            ),
            "lintmigrations --all": lambda: call_command("lintmigrations", all=True, stdout=out),
        }
        times = {label: [] for label in runs}
        for _ in range(ROUNDS):
            for label, run in runs.items():
                times[label].append(timed(run))
        baseline = statistics.median(next(iter(times.values())))
        print(f"{ROUNDS} rounds, median ms (ratio to Django's migrate):")
        for label, values in times.items():
            median = statistics.median(values)
            print(f"  {label:<48} {median:8.1f} ms  {median / baseline:5.2f}x")


if __name__ == "__main__":
    main()

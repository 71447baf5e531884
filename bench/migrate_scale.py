"""Time `migrate users 0002` (ADD COLUMN user_profile) on a small and a large users table.

Usage (DATABASE_URL names a server where scratch databases may be created):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/migrate_scale.py

Builds one scratch database per size, migrates it to `users 0001`, fills `users_user` with
generate_series, then times the forward migration in-process (Django start-up excluded),
several times, rolling back in between. Prints medians and the large/small ratio measured in
this run; the ratio is the figure to quote, since absolute times drift on a shared machine.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` as a script

from bench.common import ROOT, scratch_database  # noqa: E402

SIZES = (10_000, 1_000_000)
REPEATS = 7

FILL = """
INSERT INTO users_user (password, is_superuser, username, first_name, last_name, email,
                        is_staff, is_active, date_joined)
SELECT '!', false, 'user' || i, '', '', 'user' || i || '@example.com', false, true, now()
FROM generate_series(1, %s) AS i
"""

TIMER = """
import statistics, time, django
django.setup()
from django.core.management import call_command
runs = []
for _ in range({repeats}):
    call_command("migrate", "users", "0001", verbosity=0)
    start = time.perf_counter()
    call_command("migrate", "users", "0002", verbosity=0)
    runs.append(time.perf_counter() - start)
print(statistics.median(runs))
"""


def time_statement(url: str) -> float:
    """Median time of the migration's own SQL, each run rolled back."""
    runs = []
    with psycopg.connect(url) as conn:
        conn.execute("ALTER TABLE users_user DROP COLUMN IF EXISTS user_profile")
        conn.commit()
        for _ in range(REPEATS * 4):
            start = time.perf_counter()
            conn.execute('ALTER TABLE "users_user" ADD COLUMN "user_profile" text NULL')
            runs.append(time.perf_counter() - start)
            conn.rollback()
    return statistics.median(runs)


def main() -> None:
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    results, statement = {}, {}
    for rows in SIZES:
        name = f"bench_migrate_{rows}"
        with scratch_database(name) as url:
            run_env = {**env, "DATABASE_URL": url}
            manage = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
            subprocess.run(manage, cwd=ROOT, env=run_env, check=True)
            subprocess.run([*manage, "users", "0001"], cwd=ROOT, env=run_env, check=True)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(FILL, (rows,))
                conn.execute("VACUUM ANALYZE users_user")
                size = conn.execute(
                    "SELECT pg_size_pretty(pg_total_relation_size('users_user'))"
                ).fetchone()[0]
            out = subprocess.run(
                [sys.executable, "-c", TIMER.format(repeats=REPEATS)],
                cwd=ROOT,
                env=run_env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results[rows] = float(out.strip().splitlines()[-1])
            statement[rows] = time_statement(url)
            print(
                f"{rows:>9,} rows ({size:>7}): migrate users 0002 median "
                f"{results[rows] * 1000:6.1f} ms, the ALTER TABLE alone "
                f"{statement[rows] * 1000:5.2f} ms"
            )
    small, large = SIZES
    print(
        f"ratio {large:,} / {small:,} rows: migrate {results[large] / results[small]:.2f}x, "
        f"ALTER TABLE {statement[large] / statement[small]:.2f}x"
    )


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"(benchmark took {time.perf_counter() - start:.0f} s)")

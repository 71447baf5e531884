"""One retention pass (prune_interactions) over 1,000,000 interactions.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/prune.py

A scratch database with 10,000 people and 100 turns each, spread evenly over two years.
The baseline, in the same run, is a plain `SELECT count(*)` over the table. Then one pass
with the defaults' shape (keep each person's latest 20, drop what is over a year old), and
a second pass with nothing left to do.
"""

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` as a script

from bench.common import production_env, scratch_database  # noqa: E402

PEOPLE, TURNS = 10_000, 100


def main() -> None:
    with scratch_database("bench_prune") as url:
        os.environ.update(production_env(url))
        import django
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        call_command("migrate", verbosity=0)
        from profiles.services import prune_interactions

        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO users_user (password, is_superuser, username, first_name, "
                "last_name, email, is_staff, is_active, date_joined) SELECT '!', false, "
                "'p' || i, '', '', '', false, true, now() FROM generate_series(1, %s) i",
                [PEOPLE],
            )
            cursor.execute(
                "INSERT INTO profiles_interaction (user_id, user_message, assistant_response, "
                "created_at) SELECT u.id, 'message ' || t, 'reply', "
                "now() - (t * interval '7.3 days') FROM users_user u, generate_series(1, %s) t",
                [TURNS],
            )
            cursor.execute("VACUUM ANALYZE profiles_interaction")
            start = time.perf_counter()
            cursor.execute("SELECT count(*) FROM profiles_interaction")
            total = cursor.fetchone()[0]
            baseline = time.perf_counter() - start

        start = time.perf_counter()
        deleted = prune_interactions(keep_latest=20, max_age=timedelta(days=365))
        first = time.perf_counter() - start
        start = time.perf_counter()
        again = prune_interactions(keep_latest=20, max_age=timedelta(days=365))
        second = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT max(c) FROM (SELECT count(*) c FROM profiles_interaction "
                "GROUP BY user_id) t"
            )
            most = cursor.fetchone()[0]
        print(f"{total:,} interactions of {PEOPLE:,} people; count(*) {baseline * 1000:.0f} ms")
        print(
            f"  first pass:  deleted {deleted:,} in {first:.1f} s ({first / baseline:.0f}x count)"
        )
        print(
            f"  second pass: deleted {again:,} in {second:.1f} s ({second / baseline:.0f}x count)"
        )
        print(f"  most rows kept for one person: {most}")


if __name__ == "__main__":
    main()

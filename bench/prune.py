"""One retention pass (prune_interactions) over 1,000,000 interactions, and what it keeps of
a person who sent 1,000 turns.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/prune.py

A scratch database with 5,000 people and 200 turns each, spread evenly over two years, and
three people with 1,000 turns each: one a day, one every ten days, all in the last day.
The baseline, in the same run, is a plain `SELECT count(*)` over the table. Then one pass
with the default settings (keep each person's latest INTERACTIONS_KEEP_LATEST, drop what is
older than INTERACTIONS_MAX_AGE_DAYS), and a second pass with nothing left to do.
"""

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` as a script

from bench.common import production_env, scratch_database  # noqa: E402

PEOPLE, TURNS = 5_000, 200
# A person with 1,000 turns, by the time between two of their turns.
HEAVY = {"one a day": "1 day", "one every ten days": "10 days", "all in the last day": "86 s"}


def main() -> None:
    with scratch_database("bench_prune") as url:
        os.environ.update(production_env(url))
        import django
        from django.conf import settings
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
                "now() - (t * interval '3.65 days') FROM users_user u, generate_series(1, %s) t",
                [TURNS],
            )
            for name, every in HEAVY.items():
                cursor.execute(
                    "INSERT INTO users_user (password, is_superuser, username, first_name, "
                    "last_name, email, is_staff, is_active, date_joined) VALUES "
                    "('!', false, %s, '', '', '', false, true, now())",
                    [name],
                )
                cursor.execute(
                    "INSERT INTO profiles_interaction (user_id, user_message, "
                    "assistant_response, created_at) SELECT u.id, 'message ' || t, 'reply', "
                    "now() - ((t - 1) * %s::interval) FROM users_user u, "
                    "generate_series(1, 1000) t WHERE u.username = %s",
                    [every, name],
                )
            cursor.execute("VACUUM ANALYZE profiles_interaction")
            start = time.perf_counter()
            cursor.execute("SELECT count(*) FROM profiles_interaction")
            total = cursor.fetchone()[0]
            baseline = time.perf_counter() - start

        keep, days = settings.INTERACTIONS_KEEP_LATEST, settings.INTERACTIONS_MAX_AGE_DAYS
        start = time.perf_counter()
        deleted = prune_interactions(keep_latest=keep, max_age=timedelta(days=days))
        first = time.perf_counter() - start
        start = time.perf_counter()
        again = prune_interactions(keep_latest=keep, max_age=timedelta(days=days))
        second = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT u.username, count(*) FROM profiles_interaction i JOIN users_user u "
                "ON u.id = i.user_id WHERE u.username = ANY(%s) GROUP BY u.username",
                [list(HEAVY)],
            )
            kept = dict(cursor.fetchall())
        print(f"{total:,} interactions; count(*) {baseline * 1000:.0f} ms")
        print(f"  settings: keep each person's latest {keep}, drop what is over {days} days old")
        print(
            f"  first pass:  deleted {deleted:,} in {first:.1f} s ({first / baseline:.0f}x count)"
        )
        print(
            f"  second pass: deleted {again:,} in {second:.1f} s ({second / baseline:.0f}x count)"
        )
        print("  rows kept of a person who sent 1,000 turns:")
        for name in HEAVY:
            print(f"    {name:<20} {kept[name]:>5,}")


if __name__ == "__main__":
    main()

"""Admin users list on 1,000 against 100,000 users: time and queries should not grow.

Usage (DATABASE_URL names a server where a scratch database may be created):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/admin_changelist.py

Fills a scratch database with 1,000 users (a third with a profile and a revision), times
the users changelist pages staff use most (median of 7 requests through Django's test
client, in-process), then grows the table to 100,000 users and times them again, printing
the ratio per page.
"""

import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` as a script

from bench.common import production_env, scratch_database  # noqa: E402

PAGES = {
    "first page": "",
    "page 9 of the list": "?p=9",
    "search profile text": "?q=topic+999",
    "filter has profile": "?has_profile=yes",
    "sort by profile updated": "?o=9",
}
FILL = """
INSERT INTO users_user (password, is_superuser, username, first_name, last_name, email,
                        is_staff, is_active, date_joined, user_profile)
SELECT '!', false, 'user' || i, '', '', 'u' || i || '@example.com', false, true, now(),
       CASE WHEN mod(i, 3) = 0 THEN 'Likes topic ' || i END
FROM generate_series(%s, %s) AS i;
INSERT INTO profiles_profilerevision (user_id, text, source, profiler, created_at)
SELECT id, user_profile, 'profiler', 'rules', now() FROM users_user
WHERE user_profile IS NOT NULL AND id NOT IN (SELECT user_id FROM profiles_profilerevision);
"""


def measure(client) -> dict[str, tuple[float, int]]:
    from django.db import connection

    results = {}
    queries = []
    for label, query in PAGES.items():
        runs = []
        for _ in range(7):
            start = time.perf_counter()
            response = client.get("/admin/users/user/" + query)
            runs.append(time.perf_counter() - start)
            assert response.status_code == 200
        queries.clear()
        with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
            client.get("/admin/users/user/" + query)
        results[label] = (statistics.median(runs), len(queries))
    return results


def fill(first: int, last: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FILL, [first, last])
        cursor.execute("ANALYZE")


def main() -> None:
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic here
    with scratch_database("bench_admin") as url:
        os.environ.update(production_env(url))
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client, override_settings

        call_command("migrate", verbosity=0)
        staff = get_user_model().objects.create_superuser("boss", "boss@example.com", "x")
        client = Client()
        client.force_login(staff)
        plain = {
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        }
        try:
            with override_settings(STORAGES={**django.conf.settings.STORAGES, **plain}):
                fill(1, 1_000)
                small = measure(client)
                fill(1_001, 100_000)
                large = measure(client)
        finally:
            connections.close_all()
    print("Admin users changelist, median of 7 requests (queries per request)")
    for label in PAGES:
        (few, few_queries), (many, many_queries) = small[label], large[label]
        print(
            f"  {label:<24} 1,000 users {few * 1000:6.1f} ms ({few_queries})  100,000 users "
            f"{many * 1000:6.1f} ms ({many_queries})  ratio {many / few:5.2f}x"
        )


if __name__ == "__main__":
    main()

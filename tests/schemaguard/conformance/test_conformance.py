"""schemaguard against the peers' own test migrations, on PostgreSQL with 0 and 50,000 rows.

The suites: django-migration-linter's tests/test_project (linter/, Apache-2.0, copied as
they are), django-pg-zero-downtime-migrations' tests/apps (zero_downtime/, MIT, copied as
they are), and squawk's rule examples and strong_migrations' cases rewritten as Django
migrations (cases/). verdicts.py gives each migration its expected verdict and the reason;
schemaguard/README.md lists every remaining disagreement.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)


def run_suite(database_url: str, rows: int) -> tuple[dict, list[dict]]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.schemaguard.conformance.run", str(rows)],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "tests.schemaguard.conformance.settings",
        },
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return lines[-1]["summary"], lines[:-1]


@pytest.mark.parametrize("rows", [0, 50_000])
def test_schemaguard_agrees_with_the_peers_within_the_targets(rows, scratch_db):
    summary, results = run_suite(scratch_db, rows)

    wrong = [
        f"{r['migration']}: expected {r['expected']} ({r['reason']}), got {r['codes']}"
        for r in results
        if (r["expected"] == "unsafe") != bool(r["codes"])
    ]
    print(json.dumps(summary), *wrong, sep="\n")
    assert summary["unsafe"] >= 130  # the suites are all there
    assert summary["safe"] >= 80
    assert summary["caught"] / summary["unsafe"] >= 0.95, wrong
    assert summary["flagged"] / summary["safe"] <= 0.05, wrong
    assert summary["crashes"] == 0, [r for r in results if r["crashed"]]

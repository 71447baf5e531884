"""schemaguard's `lintmigrations --all` against django-migration-linter on the same app.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/lint_speed.py

Generates an app with 300 and with 600 migrations (a mix of what real apps do: nullable
columns, indexes, type changes, renames, drops, RunSQL, RunPython) in a temporary folder,
then for each size, in one process each, alternating ROUNDS times: schemaguard's
`lintmigrations --all` and django-migration-linter's `lint_all_migrations` (no cache). Both
render the SQL of every migration on a PostgreSQL database. Prints median seconds, the ratio
(schemaguard / django-migration-linter, the issue asks under 0.2) and the growth from 300 to
600 migrations (linear: about 2x).
"""

import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` as a script

from bench.common import ROOT, production_env, scratch_database  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
MODELS = 10

OPERATIONS = [  # one per migration, in turn; {m} a model, {n} the migration's number
    'migrations.AddField("m{m}", "f{n}", models.IntegerField(null=True)),',
    'migrations.AddIndex("m{m}", models.Index(fields=["f{p}"], name="i{n}")),',
    'migrations.AlterField("m{m}", "f{q}", models.BigIntegerField(null=True)),',
    'migrations.AddField("m{m}", "c{n}", models.CharField(max_length=50, null=True)),',
    'migrations.AlterField("m{m}", "c{p}", models.CharField(max_length=100, null=True)),',
    'migrations.RunSQL("UPDATE benchapp_m{m} SET f{q} = 1 WHERE id < 10", migrations.RunSQL.noop),',
    "migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),",
    'migrations.RenameField("m{m}", "c{p}", "r{n}"),',
]


def generate(folder: Path, count: int) -> None:
    app = folder / "benchapp"
    (app / "migrations").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "migrations" / "__init__.py").write_text("")
    initial = "".join(
        f'        migrations.CreateModel("M{m}", fields=[("id", models.BigAutoField('
        f"primary_key=True))]),\n"
        for m in range(MODELS)
    )
    previous = "0001_initial"
    (app / "migrations" / f"{previous}.py").write_text(
        "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
        f"    initial = True\n    operations = [\n{initial}    ]\n"
    )
    for n in range(2, count + 1):
        kind = (n - 2) % len(OPERATIONS)
        m = (n - 2) // len(OPERATIONS) % MODELS
        round_start = (n - 2) // len(OPERATIONS) * len(OPERATIONS) + 2  # this round's f and c
        operation = OPERATIONS[kind].format(m=m, n=n, p=round_start + 3, q=round_start)
        if kind == 1:
            operation = operation.replace(f"f{round_start + 3}", f"f{round_start}")
        name = f"{n:04d}_step"
        (app / "migrations" / f"{name}.py").write_text(
            "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
            f"    dependencies = [('benchapp', '{previous}')]\n"
            f"    operations = [\n        {operation}\n    ]\n"
        )
        previous = name


RUNNER = textwrap.dedent(
    """
    import sys, time, io, django
    django.setup()
    from django.core.management import call_command
    which = sys.argv[1]
    start = time.perf_counter()
    if which == "schemaguard":
        try:
            call_command("lintmigrations", all=True, stdout=io.StringIO(), stderr=io.StringIO())
        except SystemExit:
            pass
    else:
        from django_migration_linter import MigrationLinter
        import contextlib
        with contextlib.redirect_stdout(io.StringIO()):
            MigrationLinter(no_cache=True, include_apps=["benchapp"]).lint_all_migrations()
    print(time.perf_counter() - start)
    """
)


def timed(which: str, env: dict) -> float:
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, which],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    medians = {}
    with scratch_database("bench_lint_speed") as url:
        for count in (300, 600):
            with tempfile.TemporaryDirectory() as folder:
                generate(Path(folder), count)
                env = production_env(url) | {
                    "PYTHONPATH": os.pathsep.join([folder, str(ROOT)]),
                    "DJANGO_SETTINGS_MODULE": "bench.lint_speed_settings",
                }
                times = {"schemaguard": [], "django-migration-linter": []}
                for _ in range(ROUNDS):
                    for which in times:
                        times[which].append(timed(which, env))
                medians[count] = {which: statistics.median(t) for which, t in times.items()}
    print(f"{ROUNDS} rounds, median seconds (one process each, start-up excluded):")
    for count, values in medians.items():
        ours, theirs = values["schemaguard"], values["django-migration-linter"]
        print(
            f"  {count} migrations: schemaguard {ours:6.2f} s, django-migration-linter "
            f"{theirs:6.2f} s, ratio {ours / theirs:.3f}"
        )
    growth = medians[600]["schemaguard"] / medians[300]["schemaguard"]
    print(f"  schemaguard from 300 to 600 migrations: {growth:.2f}x (linear: ~2x)")


if __name__ == "__main__":
    main()

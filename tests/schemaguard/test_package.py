"""schemaguard installed with pip into a project made by `django-admin startproject`: none of
our apps, none of our settings. migrate, lintmigrations --all and /readyz work there."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)

SETTINGS_TAIL = """
import dj_database_url
INSTALLED_APPS += ["schemaguard"]
MIDDLEWARE = ["schemaguard.middleware.HealthCheckMiddleware", *MIDDLEWARE]
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
"""


def run(args, cwd, env, timeout=300):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result


def test_a_fresh_startproject_installs_and_runs_schemaguard(tmp_path, scratch_db):
    target = tmp_path / "site-packages"
    # A copy: pip builds in the source folder, and this repository's must stay clean.
    source = tmp_path / "schemaguard"
    shutil.copytree(
        Path(settings.BASE_DIR) / "schemaguard",
        source,
        ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"),
    )
    # Only the package is installed here: Django, pglast and psycopg come from this venv.
    run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
         str(source)],
        cwd=tmp_path,
        env=os.environ,
    )  # fmt: skip
    assert (target / "schemaguard" / "rules.py").exists()
    django_admin = [sys.executable, "-m", "django"]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")
    }
    env |= {"PYTHONPATH": str(target), "DATABASE_URL": scratch_db}
    run([*django_admin, "startproject", "mysite"], cwd=tmp_path, env=env)
    project = tmp_path / "mysite"
    settings_file = project / "mysite" / "settings.py"
    settings_file.write_text("import os\n" + settings_file.read_text() + SETTINGS_TAIL)
    manage = [sys.executable, "manage.py"]

    located = run(
        [*manage, "shell", "-c", "import schemaguard; print(schemaguard.__file__)"],
        cwd=project,
        env=env,
    )
    assert located.stdout.strip().splitlines()[-1].startswith(str(target))  # not our copy

    migrated = run([*manage, "migrate", "--noinput"], cwd=project, env=env)
    assert "Applying schemaguard.0001_initial" in migrated.stdout
    assert "The live schema matches the models." in migrated.stdout

    linted = run([*manage, "lintmigrations", "--all"], cwd=project, env=env)
    assert "schemaguard: no unsafe operations found." in linted.stdout

    ready = run(
        [*manage, "shell", "-c",
         "import json; from django.test import Client; r = Client().get('/readyz');"
         "print(json.dumps([r.status_code, r.json()]))"],
        cwd=project,
        env=env,
    )  # fmt: skip
    assert json.loads(ready.stdout.strip().splitlines()[-1]) == [200, {"status": "ok"}]

"""Settings come from the environment; each case imports them in a fresh interpreter."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

SETTINGS_VARS = {
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "RENDER_EXTERNAL_HOSTNAME",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "SECURE_SSL_REDIRECT",
    "CONN_MAX_AGE",
    "TASKS_BACKEND",
    "PROFILER",
    "LLM_TIMEOUT",
}
PRODUCTION = {
    "SECRET_KEY": "k3y-" + "q8Zr!xV2#mT9&wL5" * 4,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "profiles.example.com",
}
DUMP = """
import json
from config import settings as s
print(json.dumps({name: getattr(s, name, None) for name in %r}, default=str))
"""


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def load(*names: str, **env: str) -> dict:
    result = run_python(DUMP % (names,), **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi"])
def test_web_process_refuses_to_start_without_secret_key(entry_point):
    result = run_python(f"import {entry_point}", DEBUG="false")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_commands_that_sign_nothing_run_with_no_environment_at_all(tmp_path):
    # A developer or CI checking migrations needs no secret and no DEBUG.
    result = run_python(
        "from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'makemigrations', '--check', '--dry-run'])",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_debug_defaults_to_off():
    assert load("DEBUG", SECRET_KEY="x" * 60) == {"DEBUG": False}


def test_debug_without_secret_key_uses_a_development_key():
    loaded = load("SECRET_KEY", "ALLOWED_HOSTS", DEBUG="true")

    assert loaded["SECRET_KEY"].startswith("django-insecure-")
    assert "127.0.0.1" in loaded["ALLOWED_HOSTS"]


def test_misspelt_boolean_fails_instead_of_meaning_false():
    result = run_python("import config.settings", DEBUG="ture")

    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'ture'" in result.stderr


def test_database_url_unset_means_sqlite_in_project_folder():
    db = load("DATABASES", DEBUG="true")["DATABASES"]["default"]

    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(settings.BASE_DIR / "db.sqlite3")


def test_database_url_is_parsed_with_persistent_healthy_connections():
    db = load(
        "DATABASES",
        DEBUG="true",
        DATABASE_URL="postgres://app:s%40cret@db.internal:6543/profiles",
    )["DATABASES"]["default"]

    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "app",
        "s@cret",
        "db.internal",
        6543,
        "profiles",
    )
    assert db["CONN_MAX_AGE"] == 600
    assert db["CONN_HEALTH_CHECKS"] is True


def test_hosts_and_origins_from_env_and_render():
    loaded = load(
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        **{
            **PRODUCTION,
            "ALLOWED_HOSTS": "a.example.com, b.example.com",
            "CSRF_TRUSTED_ORIGINS": "https://a.example.com",
            "RENDER_EXTERNAL_HOSTNAME": "profiles-web.onrender.com",
        },
    )

    assert loaded["ALLOWED_HOSTS"] == [
        "a.example.com",
        "b.example.com",
        "profiles-web.onrender.com",
    ]
    assert loaded["CSRF_TRUSTED_ORIGINS"] == [
        "https://a.example.com",
        "https://profiles-web.onrender.com",
    ]


def test_production_turns_https_on():
    loaded = load(
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        **PRODUCTION,
    )

    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SECURE_HSTS_SECONDS"] >= 31536000
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_ssl_redirect_can_be_turned_off_for_plain_http():
    loaded = load(
        "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", **PRODUCTION, SECURE_SSL_REDIRECT="false"
    )

    assert loaded == {"SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": False}


def test_check_deploy_is_clean_with_production_settings():
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **PRODUCTION,
        DJANGO_SETTINGS_MODULE="config.settings",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_profiler_and_tasks_backend_default_to_offline_in_process():
    loaded = load("PROFILER", "TASKS", DEBUG="true")

    assert loaded["PROFILER"] == "profiles.profilers.rules.RulesProfiler"
    assert loaded["TASKS"]["default"]["BACKEND"].endswith("ImmediateBackend")


def test_profiler_and_tasks_backend_by_short_name_or_dotted_path():
    loaded = load("PROFILER", "TASKS", DEBUG="true", PROFILER="llm", TASKS_BACKEND="database")
    custom = load("PROFILER", DEBUG="true", PROFILER="myapp.profilers.Mine")

    assert loaded["PROFILER"] == "profiles.profilers.llm.LLMProfiler"
    assert loaded["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert custom["PROFILER"] == "myapp.profilers.Mine"


def test_unknown_profiler_and_bad_numbers_fail_clearly():
    profiler = run_python("import config.settings", DEBUG="true", PROFILER="gpt")
    timeout = run_python("import config.settings", DEBUG="true", LLM_TIMEOUT="soon")

    assert "PROFILER must be one of rules, llm, not 'gpt'" in profiler.stderr
    assert "LLM_TIMEOUT must be a number of 0 or more, not 'soon'" in timeout.stderr


def test_manage_py_shows_the_real_settings_error():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={**{k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}, "DEBUG": "ture"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'ture'" in result.stderr
    assert "Models aren't loaded yet" not in result.stderr

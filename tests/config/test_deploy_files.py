"""The deploy files hold the commands that get a schema change to production."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from schemaguard import phases
from schemaguard.models import Release

MIGRATE = "python manage.py migrate --noinput"  # also checks the live schema afterwards
SHELL_SYNTAX = ("&&", "||", ";", "$", "|", "`", ">")


def procfile() -> dict[str, str]:
    lines = (Path(settings.BASE_DIR) / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


@pytest.fixture(scope="module")
def blueprint():
    return yaml.safe_load((Path(settings.BASE_DIR) / "render.yaml").read_text())


@pytest.fixture(scope="module")
def web(blueprint):
    (service,) = [s for s in blueprint["services"] if s["type"] == "web"]
    return service


def test_procfile_runs_gunicorn_and_migrates_on_release():
    processes = procfile()

    assert processes["web"] == "gunicorn config.wsgi"  # port and workers: gunicorn.conf.py
    assert processes["release"] == MIGRATE


def test_deploy_commands_need_no_shell(blueprint):
    commands = [*procfile().values()]
    for service in blueprint["services"]:
        commands += [service["startCommand"], service.get("preDeployCommand", "")]

    for command in commands:
        assert not any(token in command for token in SHELL_SYNTAX), command


def test_render_web_service_migrates_before_deploy(web):
    assert web["runtime"] == "python"
    assert web["preDeployCommand"] == MIGRATE
    assert "collectstatic --noinput" in web["buildCommand"]
    assert "pip install -r requirements.txt" in web["buildCommand"]
    assert web["startCommand"] == procfile()["web"]


def test_render_web_service_is_on_a_plan_with_pre_deploy(web):
    # Render runs preDeployCommand only on paid instance types.
    assert web["plan"] != "free"


@pytest.mark.django_db
def test_render_health_check_is_readiness_and_records_the_release(web, client, monkeypatch):
    # Render polls this path all the time; the polls are what tell the pre-deploy migrate
    # which releases still run, so post_deploy migrations wait for them.
    monkeypatch.setattr(phases, "_last_recorded", float("-inf"))
    assert web["healthCheckPath"] == "/readyz"

    assert client.get(web["healthCheckPath"]).json() == {"status": "ok"}
    assert Release.objects.filter(fingerprint=phases.this_release()[0]).exists()


def test_the_readme_names_the_same_health_check_and_why():
    readme = (settings.BASE_DIR / "README.md").read_text()

    assert "`healthCheckPath: /readyz`" in readme
    assert "healthCheckPath: /healthz" not in readme
    assert "(https://render.com/docs/health-checks)" in readme


def service_env(blueprint, service):
    """A service's variables, with the groups it uses merged in."""
    groups = {g["name"]: g["envVars"] for g in blueprint.get("envVarGroups", [])}
    env = {}
    for var in service["envVars"]:
        for item in groups[var["fromGroup"]] if "fromGroup" in var else [var]:
            env[item["key"]] = item
    return env


def test_render_env_wires_database_and_secrets(blueprint, web):
    env = service_env(blueprint, web)
    (database,) = blueprint["databases"]

    assert env["DATABASE_URL"]["fromDatabase"] == {
        "name": database["name"],
        "property": "connectionString",
    }
    assert env["SECRET_KEY"] == {"key": "SECRET_KEY", "generateValue": True}
    assert env["DEBUG"]["value"] == "false"
    assert env["PYTHON_VERSION"]["value"].startswith("3.")
    assert int(env["WEB_CONCURRENCY"]["value"]) >= 1


def test_render_worker_runs_the_durable_db_worker_with_the_web_settings(blueprint, web):
    (worker,) = [s for s in blueprint["services"] if s["type"] == "worker"]
    env, web_env = service_env(blueprint, worker), service_env(blueprint, web)

    assert worker["startCommand"] == procfile()["worker"] == "python manage.py durable_db_worker"
    assert worker["preDeployCommand"] == web["preDeployCommand"]
    assert env["TASKS_BACKEND"]["value"] == web_env["TASKS_BACKEND"]["value"] == "database"
    assert env["DATABASE_URL"] == web_env["DATABASE_URL"]
    assert env["SECRET_KEY"] is web_env["SECRET_KEY"]  # one generated key, shared


def test_render_cron_applies_held_contract_steps_with_the_web_settings(blueprint, web):
    crons = {s["name"]: s for s in blueprint["services"] if s["type"] == "cron"}
    cron = crons["profiles-post-deploy-migrate"]
    env, web_env = service_env(blueprint, cron), service_env(blueprint, web)

    assert cron["startCommand"] == "python manage.py migrate --post-deploy --noinput"
    assert cron["schedule"].split()[0].startswith("*/")  # every few minutes
    assert crons["profiles-prune"]["startCommand"] == "python manage.py prune_interactions"
    assert service_env(blueprint, crons["profiles-prune"])["DATABASE_URL"] == env["DATABASE_URL"]
    assert env["DATABASE_URL"] == web_env["DATABASE_URL"]
    assert env["SECRET_KEY"] is web_env["SECRET_KEY"]

import json
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.db import connection

from schemaguard.middleware import schema_cache
from tests.conftest import count_queries, manage_command

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client):
    with count_queries() as queries:
        response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_endpoints_skip_https_redirect_and_host_check(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(path, headers={"Host": "10.0.0.7:10000"}).status_code == HTTPStatus.OK
    assert client.get("/").status_code == HTTPStatus.MOVED_PERMANENTLY


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_endpoints_are_get_only(client, path):
    response = client.post(path)

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response["Allow"] == "GET, HEAD"


def test_readyz_reuses_its_schema_comparison_for_a_few_seconds(client):
    assert client.get("/readyz").status_code == HTTPStatus.OK
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE users_user DROP COLUMN user_profile")

    with count_queries() as queries:
        cached = client.get("/readyz")
    schema_cache.checked_at -= 10  # the cache never lives longer than 10 s
    fresh = client.get("/readyz")

    assert cached.status_code == HTTPStatus.OK
    assert len(queries) == 1  # only SELECT 1: the database is still reachable
    assert fresh.status_code == HTTPStatus.SERVICE_UNAVAILABLE


def test_readyz_reports_an_unreachable_database():
    code = (
        "import django, json; django.setup(); from django.test import Client;"
        "r = Client().get('/readyz'); print(json.dumps([r.status_code, r.json()]))"
    )
    kwargs = manage_command(DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere")
    kwargs["args"] = [sys.executable, "-c", code]
    kwargs["env"]["DJANGO_SETTINGS_MODULE"] = "config.settings"

    result = subprocess.run(**kwargs, timeout=60)

    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == HTTPStatus.SERVICE_UNAVAILABLE
    assert body["problems"][0]["code"] == "E000"
    assert "Database unreachable" in body["problems"][0]["message"]

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_home_answers(client):
    response = client.get("/")

    assert response.status_code == HTTPStatus.OK
    assert "Dynamic profiles" in response.text


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0


@pytest.mark.django_db
def test_healthz_is_exempt_from_ssl_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == HTTPStatus.OK
    assert client.get("/").status_code == HTTPStatus.MOVED_PERMANENTLY

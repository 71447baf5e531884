from http import HTTPStatus

import pytest


@pytest.mark.django_db
def test_home_answers(client):
    response = client.get("/")

    assert response.status_code == HTTPStatus.OK
    assert "Dynamic profiles" in response.text


def test_unknown_page_is_404(client, db):
    assert client.get("/no-such-page/").status_code == HTTPStatus.NOT_FOUND

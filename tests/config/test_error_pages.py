"""Error pages and POST-only addresses answer the site's own page, in the visitor's language,
with the status and headers a client relies on."""

from http import HTTPStatus

import pytest
from django.test import Client

from tests.config.test_languages import visible_words
from tests.factories import UserFactory

POST_ONLY = ["/accounts/logout/", "/profile/interactions/", "/profile/history/1/revert/"]
FAILING_URLS = "tests.config.failing_urls"


def visitor(language: str, **kwargs) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False, **kwargs)


def assert_site_page(response, language: str) -> None:
    """The site's layout (its stylesheet and header), in the asked language, nothing leaked."""
    text = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert f'<html lang="{language}">' in text
    assert 'rel="stylesheet" href="/static/site.css"' in text
    assert 'class="brand"' in text
    assert "a detail no visitor may see" not in text
    if language == "ru":
        assert visible_words(text) == set()


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = FAILING_URLS


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("path", POST_ONLY)
def test_get_on_a_post_only_address_is_a_page_with_405_and_allow(path, language):
    client = visitor(language)
    client.force_login(UserFactory())

    response = client.get(path)

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert "POST" in response["Allow"]
    assert_site_page(response, language)
    assert 'href="/"' in response.content.decode()  # a way back


@pytest.mark.django_db
def test_the_api_keeps_its_json_405():
    response = visitor("ru").get("/api/v1/people/42/interactions")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_missing_page_is_the_sites_404(language):
    response = visitor(language).get("/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert_site_page(response, language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_bad_host_header_is_the_sites_400(language):
    response = visitor(language).get("/", HTTP_HOST="attacker.example")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert_site_page(response, language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_form_without_its_csrf_token_is_the_sites_403(language):
    response = visitor(language, enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "a", "password": "b"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert_site_page(response, language)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize(
    "status", [HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN, HTTPStatus.INTERNAL_SERVER_ERROR]
)
def test_raised_errors_are_the_sites_pages(failing_urls, status, language):
    response = visitor(language).get(f"/fail/{status.value}/")

    assert response.status_code == status
    assert_site_page(response, language)


# No database mark: pytest-django refuses any query, so the page must render without one.
@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_500_page_renders_without_the_database(failing_urls, language):
    response = visitor(language).get(
        "/fail/500/", HTTP_COOKIE="sessionid=abcdefghijklmnopqrstuvwxyz123456"
    )

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert_site_page(response, language)
    assert "Log in" in response.content.decode() or "Войти" in response.content.decode()

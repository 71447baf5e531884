"""Every error page and every POST-only address opened in Chromium: the site's own styled page
in the browser's language, with nothing blocked by the Content-Security-Policy."""

from http import HTTPStatus

import pytest
from playwright.sync_api import expect

from tests.config.test_error_pages import FAILING_URLS, POST_ONLY
from tests.config.test_languages import visible_words
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["en", "ru"]


@pytest.fixture(params=LANGUAGES)
def visit(request, browser, live_server, settings):
    """A browser page in one language, that fails the test on anything the CSP refuses."""
    settings.ROOT_URLCONF = FAILING_URLS
    language = request.param
    context = browser.new_context(
        base_url=live_server.url, locale=language, extra_http_headers={"Accept-Language": language}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    yield page, language
    context.close()
    assert refused == []


def assert_styled_site_page(page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("header .brand")).to_be_visible()
    expect(page.locator('link[rel="stylesheet"][href$="site.css"]')).to_have_count(1)
    # The stylesheet was loaded and applied: the column is narrower than the window.
    assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"
    expect(page.locator("main a[href='/']")).to_be_visible()
    if language == "ru":
        assert visible_words(page.content()) == set()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/no-such-page/", HTTPStatus.NOT_FOUND),
        ("/fail/400/", HTTPStatus.BAD_REQUEST),
        ("/fail/403/", HTTPStatus.FORBIDDEN),
        ("/fail/500/", HTTPStatus.INTERNAL_SERVER_ERROR),
        *((path, HTTPStatus.METHOD_NOT_ALLOWED) for path in POST_ONLY),
    ],
)
def test_error_pages_are_styled_and_in_the_browsers_language(visit, path, status):
    page, language = visit

    response = page.goto(path)

    assert response.status == status
    assert_styled_site_page(page, language)


def test_a_form_sent_without_its_cookie_is_the_sites_403(visit):
    page, language = visit
    UserFactory(username="sam")
    page.goto("/accounts/login/")
    page.context.clear_cookies()  # the CSRF cookie is gone, as after a browser restart

    page.locator("#id_username").fill("sam")
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.locator("main form button[type=submit]").click()

    assert sent.value.status == HTTPStatus.FORBIDDEN
    assert_styled_site_page(page, language)

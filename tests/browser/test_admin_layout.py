"""The admin at 1280 px: what staff come for is on screen, and first."""

import pytest
from playwright.sync_api import expect

from profiles import services
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LONG_PROFILE = " ".join(["Prefers short answers about gardening and the weather."] * 20)


@pytest.fixture
def staff_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    person = UserFactory(
        username="a-rather-long-username-for-a-person", email="someone.with.a.long@example.com"
    )
    services.update_profile(user=person, text=LONG_PROFILE, source="admin")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(boss.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    yield page, person
    context.close()


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "[...document.querySelectorAll('html, .results')]"
        ".some(box => box.scrollWidth > box.clientWidth)"
    )


def test_the_users_list_shows_the_profile_columns_without_scrolling(staff_page):
    page, _ = staff_page
    page.goto("/admin/users/user/")

    for column in ("profile length", "profile updated"):
        header = page.locator("#result_list thead th", has_text=column)
        expect(header).to_be_in_viewport(ratio=1)
    assert not scrolls_sideways(page)


def test_the_revisions_list_gives_the_profile_text_room(staff_page):
    page, _ = staff_page
    page.goto("/admin/profiles/profilerevision/")

    cell = page.locator("#result_list td.field-text_start").first
    expect(cell).to_contain_text("Prefers short answers about gardening")
    assert cell.bounding_box()["width"] > 400
    assert not scrolls_sideways(page)


def test_the_user_page_shows_the_profile_before_the_permissions(staff_page):
    page, person = staff_page
    page.goto(f"/admin/users/user/{person.pk}/change/")

    headings = page.locator("#content-main fieldset h2").all_inner_texts()
    assert headings.index("Dynamic profile") < headings.index("Permissions")

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_logs_in_and_finds_a_user_by_profile_text(page):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    UserFactory(username="rustacean", user_profile="Writes Rust daily; prefers terse answers.")
    UserFactory(username="gardener", user_profile="Grows tomatoes.")

    page.goto("/admin/")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator("#users-user").get_by_role("link", name="Users").click()
    page.locator("#searchbar").fill("terse answers")
    page.locator("#searchbar").press("Enter")

    results = page.locator("#result_list tbody tr")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("rustacean")
    results.get_by_role("link", name="rustacean").click()
    expect(page.locator("#id_user_profile")).to_have_value(
        "Writes Rust daily; prefers terse answers."
    )
    expect(page.get_by_text("No interactions yet.")).to_be_visible()

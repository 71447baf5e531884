"""A person who only chats opens their profile from a link the bot sent, in a real browser."""

import pytest
from playwright.sync_api import expect

from bots import services
from bots.models import SignInLink
from tests.bots.conftest import api_client, link_url, send, turn_url

pytestmark = pytest.mark.django_db(transaction=True)


def test_open_from_chat_see_edit_and_the_link_is_spent(page, live_server):
    bot = api_client(services.create_api_token(client_name="telegram bot")[1])
    send(
        bot,
        turn_url("123456789"),
        {"user_message": "Please be brief. Why is my Python slow?", "assistant_response": "..."},
    )
    url = send(bot, link_url("123456789"), {}).json()["url"]
    url = url.replace("http://testserver", live_server.url)

    # The chat app fetches the link for its preview; then the person taps it.
    page.request.get(url)
    page.goto(url)
    expect(page.get_by_role("heading", name="Sign in to your profile")).to_be_visible()
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/profile/")
    profile = page.get_by_test_id("profile-text")
    expect(profile).to_contain_text("asks for brief answers")
    expect(profile).to_contain_text("programming")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Your profile").fill("Call me Sam. Short answers, please.")
    page.get_by_role("button", name="Save").click()
    expect(profile).to_have_text("Call me Sam. Short answers, please.")
    assert bot.get("/api/v1/people/123456789/profile").json()["user_profile"] == (
        "Call me Sam. Short answers, please."
    )

    # The same link again, in a fresh browser: refused, nobody signed in.
    page.context.clear_cookies()
    page.goto(url)
    expect(page.get_by_role("alert")).to_contain_text("already been used or it has expired")
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
    page.goto(f"{live_server.url}/profile/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/profile/")
    assert SignInLink.objects.get().used_at is not None

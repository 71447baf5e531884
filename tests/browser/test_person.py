"""A person's whole journey, in a real browser."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from profiles.models import Interaction
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a sturdy passphrase 42"


def sign_up(page, username="sam"):
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()


def record(page, message, reply="OK."):
    page.get_by_label("Your message").fill(message)
    page.get_by_label("The assistant's reply").fill(reply)
    page.get_by_role("button", name="Record").click()


def test_sign_up_talk_edit_revert_export_and_delete(page):
    sign_up(page)
    expect(page).to_have_url("/profile/")
    expect(page.get_by_role("heading", name="Your profile", exact=True)).to_be_visible()
    profile = page.get_by_test_id("profile-text")
    expect(profile).to_contain_text("Your profile is empty")

    record(page, "Please be brief. Why is my Python code slow?")
    expect(page.get_by_role("status")).to_contain_text("Interaction recorded")
    expect(profile).to_contain_text("asks for brief answers")
    expect(profile).to_contain_text("Topics of interest: programming.")
    generated = profile.inner_text()

    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_text("At most 4,000 characters")).to_be_visible()
    page.get_by_label("Your profile").fill("I am Sam.\nI like <b>tea</b>.")
    page.get_by_role("button", name="Save").click()
    expect(profile).to_have_text("I am Sam.\nI like <b>tea</b>.", use_inner_text=True)
    expect(page.get_by_text("Last changed")).to_contain_text("by the person")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    revisions = page.locator(".revisions li")
    expect(revisions).to_have_count(2)
    revisions.nth(1).get_by_role("button", name=re.compile("^Restore the version of")).click()
    expect(page.get_by_role("status")).to_contain_text("back to that version")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    expect(profile).to_have_text(generated, use_inner_text=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data").click()
    data = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert data["account"]["username"] == "sam"
    assert data["user_profile"] == generated
    assert [i["user_message"] for i in data["interactions"]] == [
        "Please be brief. Why is my Python code slow?"
    ]
    assert len(data["revisions"]) == 3

    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Delete your account").click()
    page.get_by_label("Your password").fill("wrong")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("alert")).to_contain_text("That is not your password.")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("status")).to_contain_text("everything stored about you")
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    assert not get_user_model().objects.filter(username="sam").exists()
    assert not Interaction.objects.exists()


def test_sign_up_errors_are_shown_next_to_the_fields(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Email").fill("sam@example.com")
    page.get_by_label("Password", exact=True).fill("123")
    page.get_by_label("Password confirmation").fill("123")
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("alert").first).to_contain_text("too short")
    assert not get_user_model().objects.exists()


def test_log_out_and_back_in(page):
    sign_up(page)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Sign up").first).to_be_visible()

    page.get_by_role("link", name="Log in", exact=True).click()
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/profile/")


def test_the_delete_confirmation_tick_sits_at_the_start_of_its_row(page, live_server):
    chat_person = UserFactory(username="chat-tg-1-42")
    chat_person.set_unusable_password()  # confirms with a tick, not a password
    chat_person.save()
    client = Client()
    client.force_login(chat_person)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )

    page.goto("/accounts/delete/")

    tick = page.get_by_role("checkbox")
    label = page.get_by_text("Yes, delete my account and everything stored about me")
    assert tick.bounding_box()["width"] < 40
    assert tick.bounding_box()["x"] == pytest.approx(label.bounding_box()["x"], abs=2)

"""The site in the browser's language (Accept-Language: ru), and the switcher on every page."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "крепкий пароль 42"


@pytest.fixture
def russian_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", extra_http_headers={"Accept-Language": "ru"}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_a_russian_speaker_gets_russian_pages_and_a_russian_profile(russian_page):
    page = russian_page
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", name="Динамические профили")).to_be_visible()

    page.get_by_role("link", name="Регистрация").first.click()
    page.get_by_label("Имя пользователя").fill("olga")
    page.get_by_label("Адрес электронной почты").fill("olga@example.com")
    page.get_by_label("Пароль", exact=True).fill(PASSWORD)
    page.get_by_label("Подтверждение пароля").fill(PASSWORD)
    page.get_by_role("button", name="Регистрация").click()

    expect(page).to_have_url("/profile/")
    expect(page.get_by_role("status")).to_have_text("Добро пожаловать, olga.")
    profile = page.get_by_test_id("profile-text")
    expect(profile).to_have_text(
        "Ваш профиль пуст. Он заполнится, пока вы общаетесь с ассистентом."
    )

    page.get_by_label("Ваше сообщение").fill(
        "Меня зовут Ольга, я родилась 14 марта 1991 года в 06:40 в Новосибирске. "
        "Что значит Луна в Скорпионе? Коротко, пожалуйста."
    )
    page.get_by_label("Ответ ассистента").fill("Это про чувства.")
    page.get_by_role("button", name="Записать").click()
    expect(page.get_by_role("status")).to_have_text("Реплика записана. Профиль обновится в фоне.")
    expect(profile).to_contain_text(
        "О себе: имя: Ольга; дата рождения: 14 марта 1991; время рождения: 06:40; "
        "место рождения: Новосибирск."
    )
    expect(profile).to_contain_text("Предпочтения: просит краткие ответы.")
    expect(page.get_by_text("Последнее изменение")).to_contain_text("профилировщик на правилах")

    page.get_by_role("link", name="Изменить").click()
    expect(page.get_by_text("Не более 4\u00a0000 символов")).to_be_visible()

    page.get_by_role("navigation", name="Главное меню").get_by_role(
        "link", name="Учётная запись"
    ).click()
    page.get_by_role("link", name="Удалить учётную запись и всё, что о вас хранится").click()
    page.get_by_label("Ваш пароль").fill("не тот")
    page.get_by_role("button", name="Удалить мою учётную запись").click()
    expect(page.get_by_role("alert")).to_have_text("Это не ваш пароль.")
    assert get_user_model().objects.filter(username="olga").exists()


def test_the_switcher_changes_the_language_for_every_later_page(russian_page):
    page = russian_page
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Войти")).to_be_visible()
    switcher = page.get_by_role("form", name="Язык")
    expect(switcher.get_by_role("button", name="Русский")).to_be_disabled()

    switcher.get_by_role("button", name="English").click()

    # Back on the same page, now in English, although the browser still asks for Russian.
    expect(page).to_have_url("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_role("link", name="Sign up").first.click()
    expect(page.get_by_role("heading", name="Sign up")).to_be_visible()

    page.get_by_role("form", name="Language").get_by_role("button", name="Русский").click()
    expect(page).to_have_url("/accounts/signup/")
    expect(page.get_by_role("heading", name="Регистрация")).to_be_visible()

"""The site speaks the person's language: Russian pages for `Accept-Language: ru`, English
otherwise, and a catalog that covers every string the code marks for translation."""

import gettext
import html
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from bots import services as bots_services
from profiles import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CATALOG = settings.BASE_DIR / "locale" / "ru" / "LC_MESSAGES" / "django.po"
# Latin words a Russian page may show: proper names, units and what the person typed.
LATIN_ALLOWED = {"UTC", "API", "Bearer", "Authorization", "English", "olga", "chat"}


def russian() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="ru")


def visible_words(page: str) -> set[str]:
    """The Latin-script words a reader sees: text and the labels of buttons and links."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    labels = " ".join(re.findall(r'(?:aria-label|placeholder|title)="([^"]*)"', page))
    text = html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + labels)
    return set(re.findall(r"[A-Za-z]{2,}", text)) - LATIN_ALLOWED


def entries(po) -> str:
    """The catalog without its date and source line references: a template edit that only
    moves a string does not make it out of date."""
    text = re.sub(r'"POT-Creation-Date: [^"]*"', "", po.read_text())
    return re.sub(r"(?m)^#: .*\n", "", text)


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} not found: apt-get install gettext"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it
        pytest.skip(message)
    return path


@pytest.fixture
def olga(db):
    olga = UserFactory(username="olga", email="olga@example.com")
    services.record_interaction(
        user=olga, user_message="Меня зовут Ольга. Коротко, пожалуйста.", assistant_response="Да."
    )
    services.refresh_profile(user_id=olga.pk)  # the rules profiler, writing Russian
    olga.refresh_from_db()
    assert olga.user_profile.startswith("О себе: имя: Ольга.")
    return olga


def test_every_page_of_a_person_is_in_russian(olga):
    client = russian()
    for url in ("/", "/accounts/login/", "/accounts/signup/"):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert '<html lang="ru">' in response.text
        assert visible_words(response.text) == set(), url

    client.force_login(olga)
    pages = [
        "profiles:profile",
        "profiles:edit",
        "profiles:history",
        "profiles:clear",
        "account",
        "password_change",
        "password_change_done",
        "delete_account",
    ]
    for name in pages:
        response = client.get(reverse(name))
        assert response.status_code == HTTPStatus.OK, name
        assert visible_words(response.text) == set(), name
    assert "Последнее изменение" in client.get(reverse("profiles:profile")).text


def test_the_profile_page_names_its_profiler_and_dates_in_russian(olga):
    revision = olga.profile_revisions.get()
    revision.created_at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    revision.save()
    olga.interactions.update(created_at=datetime(2026, 3, 14, 6, 40, tzinfo=UTC))
    client = russian()
    client.force_login(olga)

    page = client.get(reverse("profiles:profile")).text
    history = client.get(reverse("profiles:history")).text

    assert "1 декабря 2026, 09:30 UTC, автор: профилировщик на правилах" in page
    assert "14 марта 2026, 06:40 UTC" in page
    assert "1 декабря 2026, 09:30:00 UTC, автор: профилировщик на правилах" in history


def test_form_errors_and_messages_are_in_russian(olga):
    client = russian()
    refused = client.post("/accounts/signup/", {"username": "chat-me", "email": "x"})
    assert refused.status_code == HTTPStatus.OK
    assert "Имена пользователей, начинающиеся с «chat-», зарезервированы" in refused.text
    assert visible_words(refused.text) == set()

    client.force_login(olga)
    wrong = client.post(reverse("delete_account"), {"password": "nope"})
    assert "Это не ваш пароль." in wrong.text
    saved = client.post(reverse("profiles:edit"), {"user_profile": "Я люблю чай."}, follow=True)
    assert "Ваш профиль сохранён." in saved.text
    assert visible_words(saved.text) == set()


def test_sign_in_and_lockout_pages_are_in_russian(olga):
    token, _ = bots_services.create_api_token(client_name="bot")
    bots_services.record_turn(
        client_id=token.client_id, external_id="42", user_message="Привет", assistant_response="!"
    )
    _, key = bots_services.create_sign_in_link(identity=token.client.identities.get())
    client = russian()
    for url, status in (
        (f"/sign-in/{key}/", HTTPStatus.OK),
        ("/sign-in/not-a-key/", HTTPStatus.NOT_FOUND),
    ):
        response = client.get(url)
        assert response.status_code == status
        assert visible_words(response.text) == set(), url

    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = client.post("/accounts/login/", {"username": "olga", "password": "no"})
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Слишком много неудачных попыток входа" in locked.text
    assert visible_words(locked.text) == set()


@pytest.mark.parametrize(
    ("accept", "lang", "heading"),
    [
        (None, "en", "Log in"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru", "Войти"),
        ("de-DE,de;q=0.9", "en", "Log in"),  # no German catalog: English
    ],
)
def test_the_language_follows_accept_language_and_falls_back_to_english(accept, lang, heading):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = Client(**headers).get("/accounts/login/")

    assert f'<html lang="{lang}">' in response.text
    assert f"<h1>{heading}</h1>" in response.text
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    "odd",
    ["", "*", "ru;q=x", "\x00ru", "xx-" * 2000, "zh-Hant-TW-x-private-very-long", "\xe2\x80\xaeru"],
)
def test_odd_language_headers_and_cookies_get_english(odd):
    client = Client(HTTP_ACCEPT_LANGUAGE=odd)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = odd

    response = client.get("/accounts/login/")

    assert response.status_code == HTTPStatus.OK
    assert "<h1>Log in</h1>" in response.text


def test_the_switcher_keeps_the_choice_over_the_browsers_language():
    client = russian()
    chosen = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/signup/"})
    assert chosen.status_code == HTTPStatus.FOUND
    assert chosen["Location"] == "/accounts/signup/"

    assert "<h1>Sign up</h1>" in client.get("/accounts/signup/").text

    # An unknown language or an outside address changes nothing and sends nobody away.
    odd = client.post(reverse("set_language"), {"language": "xx", "next": "https://evil.test/"})
    assert odd.status_code == HTTPStatus.FOUND
    assert odd["Location"] == "/"
    assert "<h1>Sign up</h1>" in client.get("/accounts/signup/").text


def test_switching_on_a_refused_turn_returns_to_the_profile_page(olga):
    client = russian()
    client.force_login(olga)
    refused = client.post(
        reverse("profiles:record"), {"user_message": "", "assistant_response": ""}
    )
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert 'name="next" value="/profile/"' in refused.text  # not the POST-only address

    switched = client.post(reverse("set_language"), {"language": "en", "next": "/profile/"})
    assert "<h1>Your profile</h1>" in client.get(switched["Location"]).text


def test_the_admin_speaks_russian_too(admin_client, olga):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    page = admin_client.get(reverse("admin:users_user_change", args=[olga.pk]))
    assert "Динамический профиль" in page.text
    assert "Последние реплики" in page.text

    cleared = admin_client.post(
        reverse("admin:users_user_changelist"),
        {"action": "clear_profiles", "_selected_action": [olga.pk]},
        follow=True,
    )
    assert "Очищен 1 профиль." in cleared.text
    assert "Обновить профиль сейчас" in cleared.text


def test_the_admin_names_our_apps_in_russian(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    index = admin_client.get(reverse("admin:index")).text

    for app_name in ("Пользователи", "Динамические профили", "Боты"):
        assert f">{app_name}</a>" in index
    for english in ("Users", "Dynamic profiles", "Bots"):
        assert f">{english}</a>" not in index


def test_the_api_stays_english_for_a_russian_client(db):
    _, token = bots_services.create_api_token(client_name="bot")
    response = Client(HTTP_ACCEPT_LANGUAGE="ru").get(
        "/api/v1/people/nobody/profile", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert re.search(r"[A-Za-z]{3}", response.json()["error"])


def test_the_catalog_covers_every_marked_string(tmp_path):
    """makemessages on a copy of the code finds nothing untranslated or fuzzy in Russian."""
    need("xgettext")
    msgfmt = need("msgfmt")
    for name in ("config", "users", "profiles", "bots", "schemaguard", "templates", "locale"):
        shutil.copytree(settings.BASE_DIR / name, tmp_path / name)
    shutil.copy(settings.BASE_DIR / "manage.py", tmp_path)
    run = {"cwd": tmp_path, "capture_output": True, "text": True, "check": True}
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "ru"], env=env, **run)
    copy = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"

    stats = subprocess.run([msgfmt, "--statistics", "-o", "/dev/null", copy], **run).stderr
    assert re.fullmatch(r"\d+ translated messages\.\n", stats), stats
    assert entries(copy) == entries(CATALOG), "locale/ru is out of date: run makemessages"


def test_the_compiled_catalog_matches_its_source(tmp_path):
    msgfmt = need("msgfmt")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "-o", fresh, CATALOG], check=True)

    def catalog(path):
        with open(path, "rb") as f:
            return gettext.GNUTranslations(f)._catalog

    assert catalog(CATALOG.with_suffix(".mo")) == catalog(fresh), "run compilemessages"

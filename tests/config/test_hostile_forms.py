"""What a careless or hostile person types into the pages: always a 4xx or a form error."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model

from profiles.models import Interaction
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

HOSTILE = [
    "nul\x00byte",
    "x" * 200_000,
    "🙂\u202e\u200f",
    "",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
]
FORMS = {
    "/accounts/signup/": ["username", "email", "password1", "password2"],
    "/accounts/login/": ["username", "password"],
    "/accounts/": ["username", "email"],
    "/accounts/password/": ["old_password", "new_password1", "new_password2"],
    "/accounts/delete/": ["password"],
    "/profile/edit/": ["user_profile"],
    "/profile/interactions/": ["user_message", "assistant_response"],
    "/i18n/setlang/": ["language", "next"],
}


@pytest.mark.parametrize("url", FORMS)
@pytest.mark.parametrize("value", HOSTILE, ids=["nul", "200k", "rtl", "empty", "html", "sql"])
def test_hostile_form_input_never_errors_and_loses_nothing(client, user, url, value):
    if not url.startswith(("/accounts/signup/", "/accounts/login/")):
        client.force_login(user)
    before = (get_user_model().objects.count(), Interaction.objects.count())

    response = client.post(url, dict.fromkeys(FORMS[url], value))

    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    assert get_user_model().objects.filter(pk=user.pk).exists()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    # A turn is text the person said, whatever it looks like: stored exactly, escaped when
    # shown. Only NUL (Django's form fields refuse it) and empty turns are turned away.
    if url == "/profile/interactions/" and value and "\x00" not in value:
        assert Interaction.objects.get().user_message == value
    else:
        assert (get_user_model().objects.count(), Interaction.objects.count()) == before


@pytest.mark.parametrize("url", FORMS)
def test_lists_instead_of_strings_never_error(client, user, url):
    client.force_login(user)

    response = client.post(url, {field: ["a", "b"] for field in FORMS[url]})

    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR

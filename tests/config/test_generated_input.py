"""Generated text, surrogates and control characters included, against every form and the API:
never a 5xx, and a request either does all it should or writes nothing."""

import json
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bots import services
from bots.models import Identity
from profiles.models import Interaction, ProfileRevision
from profiles.text import clean_text
from tests.config.test_hostile_forms import FORMS as PAGE_FORMS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Any code point (lone surrogates and controls included), with the troublesome ones often.
HOSTILE = ["\ud800", "\udfff", "\x00", "\x01", "\r", "\n", "\u202e", "\ufeff", "\u200b"]
# (A list joined, not st.text: st.text drew no surrogate at all from this alphabet.)
ANY_TEXT = st.lists(
    st.one_of(st.characters(codec=None, categories=None), st.sampled_from(HOSTILE)), max_size=60
).map("".join)
GENERATED = settings(
    max_examples=40,
    derandomize=True,  # the same inputs every run; a failure replays
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FORMS = {**PAGE_FORMS, "/admin/login/": ["username", "password"]}


def form_body(fields: list[str], value: str) -> bytes:
    """A urlencoded body as a browser would send it, lone surrogates as their UTF-8 bytes."""
    raw = quote(value.encode("utf-8", "surrogatepass"), safe="")
    return "&".join(f"{field}={raw}" for field in fields).encode()


def snapshot():
    return (
        get_user_model().objects.count(),
        Interaction.objects.count(),
        ProfileRevision.objects.count(),
    )


@pytest.mark.parametrize("url", FORMS)
def test_forms_answer_generated_text_without_a_5xx_or_a_partial_write(url):
    person = UserFactory(username="person")
    client = Client()
    client.force_login(person)

    @GENERATED
    @given(value=ANY_TEXT)
    def post(value):
        before = snapshot()
        response = client.post(
            url,
            form_body(FORMS[url], value),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
        person.refresh_from_db()  # never deleted: no form here is given the password
        if response.status_code != HTTPStatus.FOUND:
            assert snapshot() == before  # refused: nothing written
        elif url == "/profile/interactions/":
            assert snapshot() == (before[0], before[1] + 1, before[2])
            assert "\r" not in Interaction.objects.first().user_message

    post()


def test_api_answers_generated_text_without_a_5xx_or_a_partial_write():
    token, raw = services.create_api_token(client_name="gen")
    bot = Client(headers={"Authorization": f"Bearer {raw}"})
    services.record_turn(
        client_id=token.client_id, external_id="42", user_message="m", assistant_response="r"
    )

    @GENERATED
    @given(person_id=ANY_TEXT, message=ANY_TEXT, profile=ANY_TEXT)
    def call(person_id, message, profile):
        path = quote(person_id.encode("utf-8", "surrogatepass"), safe="")
        body = json.dumps({"user_message": message, "assistant_response": message})
        before = snapshot()

        turn = bot.post(
            f"/api/v1/people/{path}/interactions", body, content_type="application/json"
        )
        assert turn.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
        if turn.status_code == HTTPStatus.ACCEPTED:
            stored = Interaction.objects.get(pk=turn.json()["id"])
            assert stored.user_message == clean_text(message)
            assert Identity.objects.filter(user=stored.user, external_id=person_id).exists()
        else:
            assert snapshot() == before

        profile_before = get_user_model().objects.get(bot_identities__external_id="42")
        put = bot.put(
            "/api/v1/people/42/profile",
            json.dumps({"user_profile": profile}),
            content_type="application/json",
        )
        assert put.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)
        if put.status_code == HTTPStatus.BAD_REQUEST:
            after = get_user_model().objects.get(pk=profile_before.pk)
            assert after.user_profile == profile_before.user_profile

    call()

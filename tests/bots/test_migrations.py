"""v1 to v2 on a database holding tokens and bot-created users, forward and back."""

import hashlib
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client as HttpClient

from bots.models import ApiToken, Identity

pytestmark = pytest.mark.django_db(transaction=True)

V1 = [("bots", None), ("profiles", "0002_apitoken"), ("users", "0002_user_user_profile")]
RAW = {"tg-1": "dp_first-telegram-token", "tg-2": "dp_second-telegram-token", "web": "dp_web"}


def tables() -> set[str]:
    return set(connection.introspection.table_names())


@pytest.fixture
def v1_database():
    """A v1 database: tokens named per bot, users the bot API created by username."""
    executor = MigrationExecutor(connection)
    executor.migrate(V1)
    apps = executor.loader.project_state(V1[1:]).apps  # (bots, None): no bots yet
    ApiToken = apps.get_model("profiles", "ApiToken")
    User = apps.get_model("users", "User")
    Interaction = apps.get_model("profiles", "Interaction")
    for key, name in (("tg-1", "telegram bot"), ("tg-2", "telegram bot"), ("web", "web bot")):
        digest = hashlib.sha256(RAW[key].encode()).hexdigest()
        ApiToken.objects.create(name=name, key_hash=digest, prefix=RAW[key][:10])
    people = {
        "alice": {"password": "!unusable"},  # created by the bot API
        "bob": {"password": "!unusable"},
        "carol_tg": {"password": "md5$salt$hash"},  # signed up on the website
        "staffer": {"password": "!unusable", "is_staff": True},
        "quiet": {"password": "!unusable"},  # never talked to a bot
    }
    for username, fields in people.items():
        user = User.objects.create(username=username, **fields)
        if username != "quiet":
            Interaction.objects.create(user=user, user_message="hi", assistant_response="ok")
    yield
    call_command("migrate", verbosity=0)


def test_tokens_move_to_bots_without_losing_a_row_and_people_are_carried_over(v1_database):
    assert "profiles_apitoken" in tables()
    assert "bots_apitoken" not in tables()

    call_command("migrate", verbosity=0)

    assert "profiles_apitoken" not in tables()
    tokens = ApiToken.objects.select_related("client").order_by("id")
    assert [(t.prefix, t.client.name) for t in tokens] == [
        (RAW["tg-1"][:10], "telegram bot"),
        (RAW["tg-2"][:10], "telegram bot"),
        (RAW["web"][:10], "web bot"),
    ]
    carried = {(i.client.name, i.external_id, i.user.username) for i in Identity.objects.all()}
    assert carried == {
        (client, name, name) for client in ("telegram bot", "web bot") for name in ("alice", "bob")
    }
    # Every old token still works and reaches the same people under the same ids.
    for raw in RAW.values():
        bot = HttpClient(headers={"Authorization": f"Bearer {raw}"})
        assert bot.get("/api/v1/people/alice/profile").status_code == HTTPStatus.OK
        assert bot.get("/api/v1/people/carol_tg/profile").status_code == HTTPStatus.NOT_FOUND


def test_rolling_back_restores_the_v1_table_and_names(v1_database):
    call_command("migrate", verbosity=0)

    executor = MigrationExecutor(connection)
    executor.migrate(V1)

    assert "profiles_apitoken" in tables()
    assert not {"bots_apitoken", "bots_client", "bots_identity"} & tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, prefix FROM profiles_apitoken ORDER BY id")
        assert cursor.fetchall() == [
            ("telegram bot", RAW["tg-1"][:10]),
            ("telegram bot", RAW["tg-2"][:10]),
            ("web bot", RAW["web"][:10]),
        ]

    call_command("migrate", verbosity=0)  # and forward again
    assert ApiToken.objects.count() == 3
    assert Identity.objects.count() == 4

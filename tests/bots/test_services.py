import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bots import services
from bots.models import IdempotencyKey, Identity, SignInLink
from profiles.models import Interaction


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_turns_for_one_id_make_one_person():
    token, _ = services.create_api_token(client_name="tg")
    start = threading.Barrier(4)
    created = []

    def first_turn(n):
        try:
            start.wait()
            recorded = services.record_turn(
                client_id=token.client_id,
                external_id="42",
                user_message=f"turn {n}",
                assistant_response="ok",
            )
            created.append(recorded.person_created)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_turn, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(created) == [False, False, False, True]
    assert Identity.objects.count() == 1
    assert get_user_model().objects.count() == 1
    assert Interaction.objects.filter(user=Identity.objects.get().user).count() == 4


@pytest.mark.django_db
def test_a_failing_turn_creates_no_person(monkeypatch):
    token, _ = services.create_api_token(client_name="tg")

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "record_interactions", broken)
    with pytest.raises(RuntimeError):
        services.record_turn(
            client_id=token.client_id, external_id="42", user_message="m", assistant_response="r"
        )

    assert not Identity.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "flags", [{"is_staff": True}, {"is_superuser": True}, {"is_active": False}]
)
def test_the_service_refuses_sign_in_links_for_staff_or_deactivated_people(flags):
    # The rule lives in the service, so no caller (the API, the admin, a command) can skip it.
    token, _ = services.create_api_token(client_name="tg")
    services.record_turn(
        client_id=token.client_id, external_id="42", user_message="Hi", assistant_response="Ok"
    )
    identity = Identity.objects.select_related("user").get()
    get_user_model().objects.filter(pk=identity.user_id).update(**flags)
    identity.user.refresh_from_db()

    with pytest.raises(services.SignInLinkRefused):
        services.create_sign_in_link(identity=identity)
    assert not SignInLink.objects.exists()


@pytest.mark.django_db
def test_prune_interactions_deletes_idempotency_keys_past_the_window(settings):
    token, _ = services.create_api_token(client_name="tg")
    turn = {"client_id": token.client_id, "user_message": "m", "assistant_response": "r"}
    services.record_turn(external_id="old", idempotency_key="k", **turn)
    services.record_turn(external_id="new", idempotency_key="k", **turn)
    IdempotencyKey.objects.filter(identity__external_id="old").update(
        created_at=timezone.now()
        - timedelta(hours=settings.API_IDEMPOTENCY_WINDOW_HOURS, minutes=1)
    )
    out = StringIO()

    call_command("prune_interactions", stdout=out)

    assert list(IdempotencyKey.objects.values_list("identity__external_id", flat=True)) == ["new"]
    assert "prune_idempotency_keys: deleted 1." in out.getvalue()
    assert Interaction.objects.count() == 2  # recent turns are not touched

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from profiles.models import Interaction

pytestmark = pytest.mark.django_db(transaction=True)


def test_record_interaction_command_records_and_prints_profile(user):
    out = StringIO()

    call_command("record_interaction", user.username, "Please be brief.", "OK.", stdout=out)

    (interaction,) = Interaction.objects.filter(user=user)
    assert f"Recorded interaction {interaction.pk} for {user.username}." in out.getvalue()
    assert "Preferences: asks for brief answers." in out.getvalue()


def test_record_interaction_command_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("record_interaction", "ghost", "hi", "hello")

from http import HTTPStatus

import pytest
from django.test import TestCase
from django.urls import reverse

from profiles import services
from profiles.models import Interaction, ProfileRevision
from tests.conftest import count_queries
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    alice = UserFactory(username="alice")
    for i in range(12):
        Interaction.objects.create(user=alice, user_message=f"message {i}", assistant_response="ok")
        services.update_profile(user=alice, text=f"Profile v{i}", source="profiler")
    return alice


def change_form(alice):
    return reverse("admin:users_user_change", args=[alice.pk])


def test_user_page_shows_latest_revisions_and_interactions(admin_client, alice):
    page = admin_client.get(change_form(alice))

    assert page.status_code == HTTPStatus.OK
    assert "Profile v11" in page.text
    assert "Profile v2" in page.text  # the 10th newest
    assert "Profile v1<" not in page.text
    assert "message 11" in page.text
    assert f"?user__id__exact={alice.pk}" in page.text


def test_user_page_query_count_does_not_grow_with_history(admin_client, alice):
    newcomer = UserFactory(username="newcomer")
    services.update_profile(user=newcomer, text="New.", source="user")

    def queries(user):
        with count_queries() as captured:
            assert admin_client.get(change_form(user)).status_code == HTTPStatus.OK
        return len(captured)

    assert queries(alice) == queries(newcomer) > 0


def test_history_links_filter_the_lists(admin_client, alice):
    other = UserFactory(username="bob")
    services.update_profile(user=other, text="Bob's profile", source="user")

    for name in ("profilerevision", "interaction"):
        url = reverse(f"admin:profiles_{name}_changelist") + f"?user__id__exact={alice.pk}"
        page = admin_client.get(url)
        assert page.status_code == HTTPStatus.OK
        assert {obj.user_id for obj in page.context["cl"].result_list} == {alice.pk}


def test_history_is_read_only(admin_client, alice):
    revision = alice.profile_revisions.first()
    url = reverse("admin:profiles_profilerevision_change", args=[revision.pk])

    page = admin_client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert 'name="text"' not in page.text
    assert admin_client.get(reverse("admin:profiles_profilerevision_add")).status_code == (
        HTTPStatus.FORBIDDEN
    )
    delete = reverse("admin:profiles_profilerevision_delete", args=[revision.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert ProfileRevision.objects.filter(pk=revision.pk).exists()


def form_data(user, **changes):
    return {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "user_profile": user.user_profile or "",
        **changes,
    }


def test_admin_edit_goes_through_service_with_admin_revision(admin_client, alice):
    response = admin_client.post(change_form(alice), form_data(alice, user_profile=" Edited. "))

    assert response.status_code == HTTPStatus.FOUND
    alice.refresh_from_db()
    assert alice.user_profile == "Edited."
    latest = alice.profile_revisions.order_by("-id").first()
    assert (latest.text, latest.source) == ("Edited.", "admin")


def test_admin_edit_of_other_fields_writes_no_revision(admin_client, alice):
    before = alice.profile_revisions.count()

    admin_client.post(change_form(alice), form_data(alice, email="new@example.com"))

    alice.refresh_from_db()
    assert alice.email == "new@example.com"
    assert alice.profile_revisions.count() == before


def test_admin_rejects_over_long_profile(admin_client, alice):
    response = admin_client.post(change_form(alice), form_data(alice, user_profile="x" * 4001))

    assert response.status_code == HTTPStatus.OK
    assert "at most 4000 characters" in response.text
    alice.refresh_from_db()
    assert alice.user_profile == "Profile v11"


def changelist(admin_client, **params):
    return admin_client.get(reverse("admin:users_user_changelist"), params)


def test_changelist_shows_profile_length_and_last_update(admin_client, alice):
    page = changelist(admin_client, q="alice")

    (row,) = page.context["cl"].result_list
    assert row.profile_chars == len("Profile v11")
    assert row.profile_updated_at == alice.profile_revisions.order_by("-id").first().created_at
    assert "Profile length" in page.text


def test_changelist_searches_username_email_and_profile(admin_client, alice):
    UserFactory(username="bob", email="bob@corp.example")

    def found(q):
        return [u.username for u in changelist(admin_client, q=q).context["cl"].result_list]

    assert found("Profile v11") == ["alice"]
    assert found("corp.example") == ["bob"]
    assert found("alic") == ["alice"]


def test_changelist_queries_do_not_grow_with_users(admin_client):
    def queries():
        with count_queries() as captured:
            assert changelist(admin_client).status_code == HTTPStatus.OK
        return len(captured)

    UserFactory.create_batch(3)
    few = queries()
    for user in UserFactory.create_batch(60):
        services.update_profile(user=user, text="text", source="user")

    assert queries() == few > 0


def test_refresh_action_refreshes_selected_profiles(admin_client, alice):
    services.update_profile(user=alice, text="stale", source="admin")

    with TestCase.captureOnCommitCallbacks(execute=True):
        admin_client.post(
            reverse("admin:users_user_changelist"),
            {"action": "refresh_profiles", "_selected_action": [alice.pk]},
        )

    alice.refresh_from_db()
    assert alice.user_profile.startswith("stale\n\nCommunication style:")


def test_clear_action_clears_selected_profiles(admin_client, alice):
    bob = UserFactory(username="bob", user_profile="keep")

    response = admin_client.post(
        reverse("admin:users_user_changelist"),
        {"action": "clear_profiles", "_selected_action": [alice.pk]},
        follow=True,
    )

    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.user_profile is None
    assert bob.user_profile == "keep"
    assert "Cleared 1 profile." in response.text
    assert alice.profile_revisions.order_by("-id").first().source == "admin"


def test_interaction_list_reads_only_the_start_of_each_text(admin_client, alice):
    Interaction.objects.create(user=alice, user_message="m" * 199_000, assistant_response="r" * 3)

    with count_queries() as seen:
        page = admin_client.get(reverse("admin:profiles_interaction_changelist"))

    assert page.status_code == HTTPStatus.OK
    assert "m" * 79 + "…" in page.text
    (listing,) = [sql for sql in seen if "LEFT(" in sql]
    for column in (
        '"profiles_interaction"."user_message"',
        '"profiles_interaction"."assistant_response"',
    ):
        assert listing.count(column) == listing.count(f"LEFT({column}")  # never whole

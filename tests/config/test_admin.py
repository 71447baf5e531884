"""Every registered admin, ours and the libraries', obeys the staff user's Django model
permissions."""

from http import HTTPStatus

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bots import services
from bots.models import ApiToken, Identity
from profiles.services import update_profile
from tests.factories import UserFactory

# All of them, so that a new one cannot slip through.
ADMINS = sorted(model._meta.label for model in admin.site._registry)


def test_every_admin_of_ours_is_checked():
    ours = {"bots.ApiToken", "bots.Client", "bots.Identity", "users.User", "axes.AccessAttempt"}
    assert ours | {"profiles.Interaction", "profiles.ProfileRevision"} <= set(ADMINS)


@pytest.fixture
def rows(db, settings):
    """One row of every model with an admin."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # its page
    token, _ = services.create_api_token(client_name="tg")
    services.record_turn(
        client_id=token.client_id, external_id="42", user_message="Hi", assistant_response="Ok"
    )
    user = Identity.objects.get(external_id="42").user
    update_profile(user=user, text="Likes tea.", source="admin")
    address = {"user_agent": "b", "ip_address": "10.0.0.1", "username": "x", "http_accept": "*"}
    AccessAttempt.objects.create(**address, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**address)
    AccessFailureLog.objects.create(**address)
    Group.objects.create(name="support")
    DBTaskResult.objects.create(
        args_kwargs={"args": [user.pk], "kwargs": {}},
        task_path="profiles.tasks.refresh_profile_task",
        backend_name="default",
        run_after=timezone.now(),
    )
    return token


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


def grant(user, *codenames: str):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


def model_admin(label: str):
    return next(a for m, a in admin.site._registry.items() if m._meta.label == label)


def urls(label: str) -> dict[str, str]:
    model_admin_ = model_admin(label)
    opts = model_admin_.opts
    pk = model_admin_.model._default_manager.order_by("pk").first().pk
    name = f"admin:{opts.app_label}_{opts.model_name}"
    return {
        "list": reverse(f"{name}_changelist"),
        "add": reverse(f"{name}_add"),
        "change": reverse(f"{name}_change", args=[pk]),
        "delete": reverse(f"{name}_delete", args=[pk]),
        "history": reverse(f"{name}_history", args=[pk]),
    }


def offered_actions(label: str, user) -> set[str]:
    request = RequestFactory().get("/")
    request.user = user
    return set(model_admin(label).get_actions(request))


@pytest.mark.parametrize("label", ADMINS)
def test_staff_without_permissions_gets_403_everywhere(client, rows, staff, label):
    client.force_login(staff)

    for url in urls(label).values():
        assert client.get(url).status_code == HTTPStatus.FORBIDDEN, url
    for action in offered_actions(label, UserFactory(is_superuser=True, is_staff=True)):
        response = client.post(urls(label)["list"], {"action": action, ACTION_CHECKBOX_NAME: ["1"]})
        assert response.status_code == HTTPStatus.FORBIDDEN, action


@pytest.mark.parametrize("label", ADMINS)
def test_view_permission_shows_and_changes_nothing(client, rows, staff, label):
    opts = model_admin(label).opts
    grant(staff, f"view_{opts.model_name}")
    client.force_login(staff)
    pages = urls(label)

    assert client.get(pages["list"]).status_code == HTTPStatus.OK
    change = client.get(pages["change"])
    assert change.status_code == HTTPStatus.OK
    assert 'name="_save"' not in change.text
    assert client.post(pages["change"], {}).status_code == HTTPStatus.FORBIDDEN
    for page in ("add", "delete"):
        assert client.get(pages[page]).status_code == HTTPStatus.FORBIDDEN, page
    assert client.post(pages["delete"], {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert offered_actions(label, staff) == set()
    assert model_admin(label).model._default_manager.exists()


def revoke(client, token: ApiToken):
    return client.post(
        reverse("admin:bots_apitoken_changelist"),
        {"action": "revoke", ACTION_CHECKBOX_NAME: [token.pk]},
    )


def test_viewing_tokens_does_not_allow_revoking_them(client, rows, staff):
    grant(staff, "view_apitoken")
    client.force_login(staff)

    revoke(client, rows)

    rows.refresh_from_db()
    assert rows.revoked_at is None


def test_change_permission_revokes_tokens(client, rows, staff):
    grant(staff, "change_apitoken")
    client.force_login(staff)

    response = revoke(client, rows)

    assert response.status_code == HTTPStatus.FOUND
    rows.refresh_from_db()
    assert rows.revoked_at is not None


def test_a_tokens_page_is_read_only_even_for_a_superuser(admin_client, rows):
    url = reverse("admin:bots_apitoken_change", args=[rows.pk])

    assert 'name="_save"' not in admin_client.get(url).text
    assert admin_client.post(url, {}).status_code == HTTPStatus.FORBIDDEN
    assert ApiToken.objects.count() == 1

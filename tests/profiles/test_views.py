import http.client
import json
from http import HTTPStatus

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from profiles import services
from profiles.models import Interaction, ProfileRevision
from tests.conftest import count_queries, database_url
from tests.factories import UserFactory
from tests.server import gunicorn

pytestmark = pytest.mark.django_db

PAGES = ["profile", "edit", "clear", "history", "export"]


@pytest.fixture
def me(client, user):
    client.force_login(user)
    return user


@pytest.fixture
def stranger(db):
    other = UserFactory(username="stranger")
    services.update_profile(user=other, text="STRANGER SECRET PROFILE", source="user")
    Interaction.objects.create(
        user=other, user_message="STRANGER SECRET MESSAGE", assistant_response="x"
    )
    return other


@pytest.mark.parametrize("name", PAGES)
def test_pages_need_login(client, name):
    response = client.get(reverse(f"profiles:{name}"))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


def test_home_is_a_landing_page_or_the_profile(client, user):
    landing = client.get("/")
    assert landing.status_code == HTTPStatus.OK
    assert reverse("signup") in landing.text

    client.force_login(user)
    assert client.get("/")["Location"] == reverse("profiles:profile")


@pytest.mark.parametrize("name", PAGES)
def test_pages_never_show_another_persons_data(client, me, stranger, name):
    response = client.get(reverse(f"profiles:{name}"))

    assert response.status_code == HTTPStatus.OK
    assert "STRANGER" not in response.getvalue().decode()


def test_profile_page_escapes_text_and_keeps_line_breaks(client, me):
    services.update_profile(user=me, text="<script>alert(1)</script>\nLikes tea.", source="user")
    Interaction.objects.create(user=me, user_message="<b>hi</b>", assistant_response="hello")

    page = client.get(reverse("profiles:profile")).text

    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Likes tea." in page
    assert "<script>alert" not in page
    assert "&lt;b&gt;hi&lt;/b&gt;" in page
    assert "by the person" in page


def test_profile_page_query_count_does_not_grow(client, me):
    def queries():
        with count_queries() as captured:
            assert client.get(reverse("profiles:profile")).status_code == HTTPStatus.OK
        return len(captured)

    services.update_profile(user=me, text="one", source="user")
    Interaction.objects.create(user=me, user_message="m", assistant_response="r")
    few = queries()
    for i in range(30):
        services.update_profile(user=me, text=f"v{i}", source="profiler")
        Interaction.objects.create(user=me, user_message=f"m{i}", assistant_response="r")

    assert queries() == few > 0


def test_edit_shows_limit_and_saves_as_user_revision(client, me):
    form = client.get(reverse("profiles:edit"))
    assert "At most 4,000 characters" in form.text
    assert 'maxlength="4000"' in form.text

    response = client.post(
        reverse("profiles:edit"), {"user_profile": "  I am Sam.\r\nI like tea. "}
    )

    assert response["Location"] == reverse("profiles:profile")
    me.refresh_from_db()
    assert me.user_profile == "I am Sam.\nI like tea."  # line endings normalised
    assert me.profile_revisions.get().source == "user"


def test_edit_refuses_over_long_profile_and_keeps_the_old_one(client, me):
    services.update_profile(user=me, text="Old.", source="user")

    response = client.post(reverse("profiles:edit"), {"user_profile": "x" * 4001})

    assert response.status_code == HTTPStatus.OK
    assert "at most 4000 characters (it has 4001)" in response.text
    me.refresh_from_db()
    assert me.user_profile == "Old."


def test_edit_refuses_nul_with_a_message(client, me):
    response = client.post(reverse("profiles:edit"), {"user_profile": "a\x00b"})

    # Django's form field rejects NUL with a clear message; nothing reaches the database.
    assert response.status_code == HTTPStatus.OK
    assert "Null characters are not allowed." in response.text


def test_clear_asks_then_clears(client, me):
    services.update_profile(user=me, text="Something.", source="user")

    confirm = client.get(reverse("profiles:clear"))
    assert "Yes, clear it" in confirm.text
    me.refresh_from_db()
    assert me.user_profile == "Something."

    client.post(reverse("profiles:clear"))
    me.refresh_from_db()
    assert me.user_profile is None


def test_record_interaction_form_updates_profile(client, me, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("profiles:record"),
            {"user_message": "Please be brief about python.", "assistant_response": "OK."},
        )

    assert response["Location"] == reverse("profiles:profile")
    assert Interaction.objects.get(user=me).user_message == "Please be brief about python."
    me.refresh_from_db()
    assert "asks for brief answers" in me.user_profile


def test_record_interaction_form_errors_are_400(client, me):
    response = client.post(
        reverse("profiles:record"), {"user_message": "", "assistant_response": ""}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This field is required." in response.text
    assert not Interaction.objects.exists()


def test_history_lists_revisions_and_reverts(client, me):
    first = services.update_profile(user=me, text="First.", source="user")
    services.update_profile(user=me, text="Second.", source="profiler", profiler="rules")

    page = client.get(reverse("profiles:history")).text
    assert page.index("Second.") < page.index("First.")
    assert "by the rules profiler" in page

    response = client.post(reverse("profiles:revert", args=[first.pk]))
    assert response["Location"] == reverse("profiles:history")
    me.refresh_from_db()
    assert me.user_profile == "First."


def test_reverting_someone_elses_revision_is_404(client, me, stranger):
    theirs = stranger.profile_revisions.get()

    assert (
        client.post(reverse("profiles:revert", args=[theirs.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )
    assert (
        client.get(reverse("profiles:revert", args=[theirs.pk])).status_code
        == HTTPStatus.METHOD_NOT_ALLOWED
    )
    assert not ProfileRevision.objects.filter(user=me).exists()


def test_history_bad_page_number_shows_a_page(client, me):
    services.update_profile(user=me, text="x", source="user")

    for page in ("999", "abc", "-1"):
        assert client.get(reverse("profiles:history"), {"page": page}).status_code == HTTPStatus.OK


def test_export_downloads_all_my_data(client, me, stranger):
    services.update_profile(user=me, text="Mine 🙂", source="user")
    Interaction.objects.create(user=me, user_message="hello", assistant_response="hi")

    response = client.get(reverse("profiles:export"))

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="profile-export-')
    content = b"".join(response.streaming_content)
    data = json.loads(content)
    assert data["account"]["username"] == me.username
    assert data["user_profile"] == "Mine 🙂"
    assert [r["text"] for r in data["revisions"]] == ["Mine 🙂"]
    assert [(i["user_message"], i["assistant_response"]) for i in data["interactions"]] == [
        ("hello", "hi")
    ]
    assert "STRANGER" not in content.decode()


def exported(client) -> dict:
    response = client.get(reverse("profiles:export"))
    assert response.streaming  # sent as it is read, never held whole
    return json.loads(b"".join(response.streaming_content))


def test_an_empty_export_is_valid_json(client, me):
    data = exported(client)

    assert data["account"]["username"] == me.username
    assert data["user_profile"] is None
    assert data["revisions"] == data["interactions"] == []


ODD_TEXTS = [
    '"quoted", \\back\\slashes\\, {"not": "json"}, ] }',
    "line\nbreaks\r\n\ttabs and a\u2028separator\u2029",
    "\x01\x1b[31m control \x7f characters",
    "🙂 ёжик 中文 עברית \u200b\ufeff",
    "</script><!-- \\u0000",
    " ",
    "x" * Interaction._meta.get_field("user_message").max_length,
]


def test_the_export_is_exactly_what_is_stored(client, me):
    for i, text in enumerate(ODD_TEXTS):
        Interaction.objects.create(user=me, user_message=text, assistant_response=ODD_TEXTS[-i])
    services.update_profile(user=me, text=ODD_TEXTS[0], source="user")
    services.update_profile(user=me, text=ODD_TEXTS[1], source="user")
    me.refresh_from_db()

    data = exported(client)

    assert data["user_profile"] == me.user_profile
    assert data["revisions"] == [
        {
            "created_at": r.created_at.isoformat(),
            "source": r.source,
            "profiler": r.profiler,
            "text": r.text,
        }
        for r in me.profile_revisions.order_by("created_at", "id")
    ]
    assert data["interactions"] == [
        {
            "created_at": i.created_at.isoformat(),
            "user_message": i.user_message,
            "assistant_response": i.assistant_response,
        }
        for i in me.interactions.order_by("created_at", "id")
    ]
    assert [i["user_message"] for i in data["interactions"]] == ODD_TEXTS


def test_line_breaks_count_once_against_the_limit(client, user):
    client.force_login(user)
    text = ("a" * 98 + "\r\n") * 40  # 3,960 characters as typed, 4,000 as sent

    response = client.post("/profile/edit/", {"user_profile": text})

    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.user_profile == text.replace("\r\n", "\n").strip()


def test_turns_typed_in_the_browser_are_stored_with_plain_newlines(client, user):
    client.force_login(user)

    client.post(
        "/profile/interactions/", {"user_message": "one\r\ntwo", "assistant_response": "a\rb"}
    )

    turn = user.interactions.get()
    assert (turn.user_message, turn.assistant_response) == ("one\ntwo", "a\nb")


def peak_memory_kb(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM), in kB."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))


@pytest.mark.django_db(transaction=True)
def test_exporting_100_mb_raises_a_workers_memory_by_less_than_64_mb(client, user):
    with connection.cursor() as cursor:  # 500 turns of 200,000 characters: 100 MB of text
        cursor.execute(
            "INSERT INTO profiles_interaction (user_id, user_message, assistant_response, "
            "created_at) SELECT %s, repeat(md5(n::text), 6250), repeat('y', 100000), now() "
            "FROM generate_series(1, 500) AS n",
            [user.pk],
        )
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    with gunicorn(database_url(), "-w", "1") as server:
        (worker,) = server.worker_pids()

        def get(path: str) -> int:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            assert response.status == HTTPStatus.OK
            size = 0
            while chunk := response.read(1 << 16):
                size += len(chunk)
            conn.close()
            return size

        get(reverse("profiles:profile"))  # the worker has loaded everything a page needs
        before = peak_memory_kb(worker)
        size = get(reverse("profiles:export"))
        grown_mb = (peak_memory_kb(worker) - before) / 1024

    assert size > 100_000_000
    assert grown_mb < 64, f"the worker grew by {grown_mb:.0f} MB"

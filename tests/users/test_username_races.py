"""Two requests racing for one username: one wins, the others get the form back."""

import threading
from collections import Counter
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()
RACERS = 8
ROUNDS = 3  # a few races, so a lucky schedule cannot hide a loser's 500
TAKEN = "A user with that username already exists."
PASSWORD = "a sturdy passphrase 42"


def race(post, clients) -> list:
    """POST from every client at once; the responses, or the exceptions raised."""
    start = threading.Barrier(len(clients))
    answers = []

    def run(client):
        try:
            start.wait()
            answers.append(post(client))
        except Exception as exc:  # surfaced by the caller; a thread cannot fail the test
            answers.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def assert_one_winner(answers, winner_location: str):
    statuses = Counter(getattr(a, "status_code", repr(a)) for a in answers)
    assert statuses == {HTTPStatus.OK: RACERS - 1, HTTPStatus.FOUND: 1}, statuses
    for answer in answers:
        if answer.status_code == HTTPStatus.FOUND:
            assert answer["Location"] == winner_location
        else:
            assert answer.context["form"].errors["username"] == [TAKEN]
            assert TAKEN in answer.text


def test_simultaneous_sign_ups_for_one_name_make_one_account():
    for name in (f"racer{n}" for n in range(ROUNDS)):

        def sign_up(client, name=name):
            data = {"username": name, "email": f"{name}@example.com"}
            passwords = {"password1": PASSWORD, "password2": PASSWORD}
            return client.post(reverse("signup"), {**data, **passwords})

        clients = [Client(raise_request_exception=False) for _ in range(RACERS)]
        answers = race(sign_up, clients)

        assert_one_winner(answers, reverse("profiles:profile"))
        assert list(User.objects.filter(username__startswith=name).values_list("username")) == [
            (name,)
        ]


def test_simultaneous_renames_to_one_name_rename_one_account():
    for name in (f"racer{n}" for n in range(ROUNDS)):
        people = UserFactory.create_batch(RACERS)
        clients = []
        for person in people:
            clients.append(Client(raise_request_exception=False))
            clients[-1].force_login(person)

        def rename(client, name=name):
            user = client.session["_auth_user_id"]
            data = {"username": name, "email": f"{user}@example.com"}
            return client.post(reverse("account"), data)

        answers = race(rename, clients)

        assert_one_winner(answers, reverse("account"))
        renamed = User.objects.get(username=name)
        assert renamed.email == f"{renamed.pk}@example.com"
        # The losers keep their names and their emails: nothing half-written.
        for person in people:
            if person.pk != renamed.pk:
                person.refresh_from_db()
                assert person.username.startswith("user")
                assert person.email == f"{person.username}@example.com"

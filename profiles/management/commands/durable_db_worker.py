"""`db_worker` that waits out a database outage instead of exiting."""

from django.db import InterfaceError, OperationalError, connection, connections
from django_tasks_db.management.commands import db_worker

from profiles.workers import one_line, retry_until

DATABASE_DOWN = (OperationalError, InterfaceError)


def reconnect() -> None:
    connections.close_all()  # the old connections died with the server
    connection.ensure_connection()


class Command(db_worker.Command):
    help = (
        "Run django-tasks-db's db_worker (same options); when the database goes away, "
        "retry with backoff and resume instead of exiting."
    )

    def handle(self, **options) -> None:
        while True:
            try:
                return super().handle(**options)
            except DATABASE_DOWN as exc:
                failure = f"Task worker lost the database: {one_line(exc)}"
            retry_until(reconnect, failure=failure, errors=DATABASE_DOWN)

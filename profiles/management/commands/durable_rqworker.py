"""`rqworker` that waits out a Redis outage instead of exiting."""

import django_rq
from django_rq.management.commands import rqworker

from profiles.workers import REDIS_DOWN, one_line, retry_until


class Command(rqworker.Command):
    help = (
        "Run django-rq's rqworker (same options) with profiles.workers.DurableWorker: when "
        "Redis goes away, retry with backoff and resume instead of exiting."
    )

    def handle(self, *queues: str, **options) -> None:
        options["worker_class"] = options["worker_class"] or "profiles.workers.DurableWorker"
        connection = django_rq.get_connection(queues[0] if queues else "default")
        try:
            connection.ping()  # rq needs Redis to build its worker
        except REDIS_DOWN as exc:
            failure = f"Task worker cannot reach Redis: {one_line(exc)}"
            retry_until(connection.ping, failure=failure, errors=REDIS_DOWN)
        super().handle(*queues, **options)

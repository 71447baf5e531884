from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from profiles.services import prune_interactions
from users.signin import prune_sign_in_records


class Command(BaseCommand):
    help = (
        "Delete interactions older than INTERACTIONS_MAX_AGE_DAYS, keeping each person's "
        "INTERACTIONS_KEEP_LATEST newest ones, and finished task rows older than "
        "TASK_RESULTS_MAX_AGE_DAYS, and records of sign-ins and failed sign-in attempts "
        "older than SIGN_IN_RECORDS_MAX_AGE_DAYS, and whatever the PRUNERS find expired. "
        "Profiles and their revisions are never pruned."
    )

    def handle(self, *args, **options):
        deleted = prune_interactions(
            keep_latest=settings.INTERACTIONS_KEEP_LATEST,
            max_age=timedelta(days=settings.INTERACTIONS_MAX_AGE_DAYS),
        )
        self.stdout.write(
            f"Deleted {deleted} interaction(s) older than {settings.INTERACTIONS_MAX_AGE_DAYS} "
            f"days beyond each person's latest {settings.INTERACTIONS_KEEP_LATEST}."
        )
        max_age = settings.SIGN_IN_RECORDS_MAX_AGE_DAYS
        deleted = prune_sign_in_records(max_age=timedelta(days=max_age))
        self.stdout.write(f"Deleted {deleted} sign-in record(s) older than {max_age} days.")
        for path in settings.PRUNERS:
            self.stdout.write(f"{path}: deleted {import_string(path)()}.")
        if isinstance(task_backends["default"], DatabaseBackend):
            call_command(
                "prune_db_task_results",
                queue_name="*",
                min_age_days=settings.TASK_RESULTS_MAX_AGE_DAYS,
                stdout=self.stdout,
                stderr=self.stderr,
            )
        else:
            self.stdout.write("Task results are not kept in the database (TASKS_BACKEND).")

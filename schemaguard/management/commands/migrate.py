"""Django's migrate, made safe to run against a live PostgreSQL database.

An app command of the same name takes precedence over Django's own (as staticfiles does
with runserver), so `python manage.py migrate` in a pre-deploy step gets this unchanged.
On PostgreSQL it
- holds an advisory lock for the whole run, so concurrent runs apply migrations one at a
  time (the others wait, then find nothing to do);
- sets lock_timeout and statement_timeout for its own session, so a DDL statement waiting
  behind a long transaction gives up instead of stalling every query queued behind it;
- on a lock timeout, lets the failed (atomic) migration roll back, logs who held the lock,
  waits with exponential backoff and jitter, and tries again, a bounded number of times.
On other databases it is Django's migrate.

On every database, it first checks the migrations it is about to apply (schemaguard.lint) and
refuses, applying nothing, when one has an unacknowledged error. A run that brings all apps
up to date (no app or migration named) then
compares the live schema with the models, as `check --deploy --database` does, and exits 1
on a mismatch: a deploy needs this one command, not two joined by a shell.
"""

import logging
import random
import time
from contextlib import contextmanager

from django.core.management.base import CommandError
from django.core.management.commands import migrate as django_migrate
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import DatabaseError, connections
from django.db.migrations.exceptions import AmbiguityError, NodeNotFoundError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from schemaguard.conf import setting
from schemaguard.lint import Linter, is_post_deploy, report
from schemaguard.locks import blockers, is_lock_timeout, migrate_lock, session_timeouts
from schemaguard.phases import held_back, still_running_without
from schemaguard.schema import find_problems

logger = logging.getLogger("schemaguard")

MAX_RETRY_DELAY = 30.0


def retry_delay(attempt: int) -> float:
    base = setting("RETRY_DELAY") * 2 ** (attempt - 1)
    return min(base * random.uniform(0.5, 1.5), MAX_RETRY_DELAY)


def migration_tables(connection, migration) -> set[str]:
    """The tables a migration's operations name, before and after it (best effort)."""
    if migration is None:
        return set()
    loader = MigrationLoader(connection)
    node = (migration.app_label, migration.name)
    tables = set()
    for at_end in (False, True):
        state = loader.project_state(node, at_end=at_end)
        for operation in migration.operations:
            name = getattr(operation, "model_name", None) or getattr(operation, "name", None)
            try:
                model = state.apps.get_model(migration.app_label, name)
            except (LookupError, TypeError, ValueError):
                continue
            tables.add(model._meta.db_table)
    return tables


@contextmanager
def holding_back(hold: set):
    """For this block only, Django's migrate builds plans that leave out `hold`.

    Django's migrate command creates its executor from the name in its own module, with no
    hook of its own; the name is swapped for the block and restored after it, and only when
    something is held back.
    """
    if not hold:
        yield
        return

    class HoldingExecutor(MigrationExecutor):
        def migration_plan(self, targets, clean_start=False):
            plan = super().migration_plan(targets, clean_start)
            return [(m, back) for m, back in plan if back or (m.app_label, m.name) not in hold]

    original = django_migrate.MigrationExecutor
    django_migrate.MigrationExecutor = HoldingExecutor
    try:
        yield
    finally:
        django_migrate.MigrationExecutor = original


class Command(DjangoMigrateCommand):
    help = (
        DjangoMigrateCommand.help
        + " On PostgreSQL: one run at a time (advisory lock), with lock_timeout and retries."
        + " After a full run, the live schema must match the models."
    )

    def migration_progress_callback(self, action, migration=None, fake=False):
        if action in ("apply_start", "unapply_start"):
            self.current_migration = migration
        super().migration_progress_callback(action, migration, fake)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--post-deploy",
            action="store_true",
            help="Run after a deploy (a cron job): apply the held post_deploy migrations "
            "that no running release still lacks, and say which release blocks the others.",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="With --post-deploy: wait up to this long for blocking releases to go.",
        )

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        hold: set = set()
        if not (options["plan"] or options["check_unapplied"] or options["fake"]):
            loader, forward = self._lint_plan(connection, options)
            hold = self._hold_back(loader, forward, options)
        with holding_back(hold):
            if connection.vendor == "postgresql":
                self._migrate_safely(connection, *args, **options)
            else:
                super().handle(*args, **options)
        full_run = not any(
            options[name] for name in ("app_label", "migration_name", "plan", "prune")
        )
        if full_run:
            self._verify_schema(connection)

    def _hold_back(self, loader, forward: list, options) -> set:
        """The post_deploy migrations (and their dependents) a release still running lacks."""
        held = held_back(loader, forward)
        deadline = time.monotonic() + (options["wait"] if options["post_deploy"] else 0)
        while True:
            gated = {n for n in held if is_post_deploy(loader.graph.nodes[n])}
            blocking = still_running_without(gated)
            if not blocking or time.monotonic() >= deadline:
                break
            time.sleep(min(5.0, max(deadline - time.monotonic(), 0)))
        if not blocking:
            return set()
        hold = {
            n
            for n in held
            if n in blocking or any(parent in blocking for parent in loader.graph.forwards_plan(n))
        }
        for node in sorted(hold):
            why = blocking.get(node)
            reason = (
                f"still running without it: {'; '.join(why)}"
                if why
                else "it depends on a held post_deploy migration"
            )
            self.stdout.write(
                self.style.WARNING(f"Held back {node[0]}.{node[1]} (post_deploy): {reason}.")
            )
        self.stdout.write(
            "Held migrations are applied by `migrate --post-deploy` (or the next deploy) once "
            "no release without them is seen for SCHEMAGUARD['RELEASE_SEEN_SECONDS']."
        )
        return hold

    def _lint_plan(self, connection, options) -> tuple:
        """Check what this run would apply; refuse before touching anything. Returns the
        loader and the migrations the plan applies."""
        executor = MigrationExecutor(connection)
        app_label, name = options["app_label"], options["migration_name"]
        graph = executor.loader.graph
        try:
            if app_label and name:
                targets = [
                    (app_label, None)
                    if name == "zero"
                    else (app_label, executor.loader.get_migration_by_prefix(app_label, name).name)
                ]
            elif app_label:
                targets = [node for node in graph.leaf_nodes() if node[0] == app_label]
            else:
                targets = graph.leaf_nodes()
            plan = executor.migration_plan(targets)
        except (KeyError, ValueError, AmbiguityError, NodeNotFoundError):
            return executor.loader, []  # Django's migrate explains a bad target itself
        forward = [(m.app_label, m.name) for m, backwards in plan if not backwards]
        findings = Linter(connection, executor.loader).lint(forward)
        if report(findings, self.stdout, self.stderr, self.style):
            raise CommandError(
                "Refusing to migrate: the plan has unsafe operations (above). Nothing was "
                "applied. Fix them, or acknowledge one with allow_unsafe = {'<code>': "
                "'<why it is safe here>'} on the migration."
            )
        return executor.loader, forward

    def _verify_schema(self, connection) -> None:
        problems = [p for p in find_problems(connection) if p.serious]
        if problems:
            raise CommandError(
                "The live schema does not match the models after migrating:\n"
                + "\n".join(f"  {p.code} {p.message}" for p in problems)
                + "\nSee schemaguard's README.md, 'When a deploy logs UndefinedColumn'."
            )
        if self.verbosity >= 1:
            self.stdout.write("The live schema matches the models.")

    def _migrate_safely(self, connection, *args, **options) -> None:
        retries = int(setting("RETRIES"))
        with (
            migrate_lock(connection),
            session_timeouts(
                connection,
                lock_timeout=setting("LOCK_TIMEOUT"),
                statement_timeout=setting("STATEMENT_TIMEOUT"),
            ),
        ):
            for attempt in range(1, retries + 2):
                self.current_migration = None
                try:
                    return super().handle(*args, **options)
                except DatabaseError as exc:
                    if not is_lock_timeout(exc):
                        raise
                    self._lock_timed_out(connection, attempt, retries)

    def _lock_timed_out(self, connection, attempt: int, retries: int) -> None:
        """Log who blocked which migration; wait before the next try, or give up."""
        migration = self.current_migration
        if migration and self.verbosity >= 1:  # ends the "Applying ..." line
            self.stdout.write(self.style.WARNING(" lock timeout"))
        name = f"{migration.app_label}.{migration.name}" if migration else "a migration"
        with connection.cursor() as cursor:
            holders = blockers(cursor, migration_tables(connection, migration))
        who = "; ".join(holders) or "no blocking session is left"
        timeout = setting("LOCK_TIMEOUT")
        if attempt > retries:
            raise CommandError(
                f"Gave up applying {name} after {attempt} attempts: each time it waited "
                f"{timeout:g} s for a table lock (lock_timeout) held by other sessions. "
                f"Blocking sessions: {who}. The migration was rolled back: schema and "
                "migration history are as they were before it. Find the blocker "
                "(pg_stat_activity), let it finish or end it, and run migrate again."
            )
        delay = retry_delay(attempt)
        logger.warning(
            "Migration %s could not get its lock within %g s (attempt %d of %d), rolled "
            "back; blocking sessions: %s. Retrying in %.1f s.",
            name,
            timeout,
            attempt,
            retries + 1,
            who,
            delay,
        )
        time.sleep(delay)

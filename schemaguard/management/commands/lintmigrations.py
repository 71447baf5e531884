"""Check migrations for operations that lock big tables or break the release still serving."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections
from django.db.migrations.exceptions import AmbiguityError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from schemaguard.lint import Linter, report


class Command(BaseCommand):
    help = (
        "Check migrations against schemaguard's rules (README, 'Schema changes'). By default "
        "the migrations not yet applied to the database; exit 1 on an unacknowledged error."
    )

    def add_arguments(self, parser):
        parser.add_argument("app_label", nargs="?", help="Only this app's migrations.")
        parser.add_argument("migration_name", nargs="?", help="Only this migration.")
        parser.add_argument(
            "--all", action="store_true", help="Every migration, not only the unapplied ones."
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, app_label, migration_name, all, database, **options):
        connection = connections[database]
        reachable = _reachable(connection)
        loader = MigrationLoader(connection if reachable else None, ignore_no_migrations=True)
        linter = Linter(connection if reachable else None, loader)
        if app_label:
            if app_label not in loader.migrated_apps:
                raise CommandError(f"App {app_label!r} has no migrations.")
            nodes = sorted(n for n in loader.graph.nodes if n[0] == app_label)
            if migration_name:
                try:
                    nodes = [loader.get_migration_by_prefix(app_label, migration_name)]
                except (KeyError, AmbiguityError) as exc:
                    raise CommandError(str(exc)) from None
                nodes = [(m.app_label, m.name) for m in nodes]
            findings = linter.lint(nodes, new_tables_carry=False)
        elif all:
            nodes = [
                n for leaf in loader.graph.leaf_nodes() for n in loader.graph.forwards_plan(leaf)
            ]
            findings = linter.lint(list(dict.fromkeys(nodes)), new_tables_carry=False)
        elif reachable:
            plan = MigrationExecutor(connection).migration_plan(loader.graph.leaf_nodes())
            findings = linter.lint(
                [(m.app_label, m.name) for m, backwards in plan if not backwards]
            )
        else:
            raise CommandError(
                f"Database {database!r} cannot be reached to find the unapplied migrations; "
                "name an app, or use --all."
            )
        if report(findings, self.stdout, self.stderr, self.style):
            raise SystemExit(1)
        if not findings:
            self.stdout.write("schemaguard: no unsafe operations found.")


def _reachable(connection) -> bool:
    try:
        connection.ensure_connection()
    except DatabaseError:
        return False
    return True

"""Check migrations for operations that lock big tables or break the release still serving."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections
from django.db.migrations.exceptions import AmbiguityError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from schemaguard.compat import measure
from schemaguard.lint import Linter, report


class Command(BaseCommand):
    help = (
        "Check migrations against schemaguard's rules (its README.md, 'Migration checks'). "
        "By default "
        "the migrations not yet applied to the database; exit 1 on an unacknowledged error."
    )

    def add_arguments(self, parser):
        parser.add_argument("app_label", nargs="?", help="Only this app's migrations.")
        parser.add_argument("migration_name", nargs="?", help="Only this migration.")
        parser.add_argument(
            "--all", action="store_true", help="Every migration, not only the unapplied ones."
        )
        parser.add_argument(
            "--compat",
            action="store_true",
            help="Also apply the unapplied migrations to a scratch PostgreSQL database, one at "
            "a time, check after each that the release before them still fits the schema, and "
            "report the locks each took and the tables it rewrote.",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, app_label, migration_name, all, compat, database, **options):
        connection = connections[database]
        reachable = _reachable(connection)
        if compat and not (reachable and connection.vendor == "postgresql"):
            raise CommandError("--compat needs the PostgreSQL database to be reachable.")
        loader = MigrationLoader(connection if reachable else None, ignore_no_migrations=True)
        linter = Linter(connection if reachable else None, loader)
        pending = []
        if app_label:
            if app_label not in loader.migrated_apps:
                raise CommandError(f"App {app_label!r} has no migrations.")
            nodes = sorted(n for n in loader.graph.nodes if n[0] == app_label)
            if migration_name:
                try:
                    migration = loader.get_migration_by_prefix(app_label, migration_name)
                except (KeyError, AmbiguityError) as exc:
                    raise CommandError(str(exc)) from None
                nodes = [(migration.app_label, migration.name)]
            findings = linter.lint(nodes, new_tables_carry=False)
        elif all:
            graph = loader.graph
            nodes = [n for leaf in graph.leaf_nodes() for n in graph.forwards_plan(leaf)]
            findings = linter.lint(list(dict.fromkeys(nodes)), new_tables_carry=False)
        elif reachable:
            plan = MigrationExecutor(connection).migration_plan(loader.graph.leaf_nodes())
            pending = [(m.app_label, m.name) for m, backwards in plan if not backwards]
            findings = linter.lint(pending)
        else:
            raise CommandError(
                f"Database {database!r} cannot be reached to find the unapplied migrations; "
                "name an app, or use --all."
            )
        failed = report(findings, self.stdout, self.stderr, self.style)
        if not findings:
            self.stdout.write("schemaguard: no unsafe operations found.")
        if compat:
            measured = measure(connection, loader, pending)
            for result in measured:
                (self.stderr if result.blocking else self.stdout).write(str(result))
            broken = sum(result.blocking for result in measured)
            self.stdout.write(
                f"schemaguard --compat: {len(measured)} unapplied migration(s) applied to a "
                f"scratch database; {broken} break the release before them."
            )
            failed = failed or bool(broken)
        if failed:
            raise SystemExit(1)


def _reachable(connection) -> bool:
    try:
        connection.ensure_connection()
    except DatabaseError:
        return False
    return True

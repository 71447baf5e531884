"""The live schema check: `python manage.py check --deploy --database default`.

Registered as a deployment check with the database tag, so it runs only when asked for a
database, and never in the checks `migrate` runs before migrating (a check that fails on
pending migrations must not stop the command that applies them).
"""

from django.core.checks import Error, Info, Tags, register
from django.db import DatabaseError, connections

from .schema import find_problems


@register(Tags.database, deploy=True)
def check_live_schema(app_configs=None, databases=None, **kwargs):
    messages = []
    for alias in databases or ():
        try:
            problems = find_problems(connections[alias])
        except DatabaseError as exc:
            messages.append(Error(f"Cannot reach database {alias!r}: {exc}", id="schemaguard.E000"))
            continue
        for problem in problems:
            level = Error if problem.serious else Info
            messages.append(level(f"[{alias}] {problem.message}", id=f"schemaguard.{problem.code}"))
    return messages

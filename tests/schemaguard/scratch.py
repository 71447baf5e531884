"""Real migration files in a scratch app, and manage.py runs that load it."""

import os
import re
import textwrap
from pathlib import Path

from tests.conftest import run_manage

HEADER = """\
import django.db.models.deletion
from django.contrib.postgres.operations import (
    AddConstraintNotValid,
    AddIndexConcurrently,
    ValidateConstraint,
)
from django.db import migrations, models
from django.contrib.postgres.functions import RandomUUID
from django.db.models.functions import Now, Pi


def forwards(apps, schema_editor):
    pass

"""


class ScratchApp:
    def __init__(self, root: Path, label: str = "sgscratch") -> None:
        self.root, self.label = root, label
        self.folder = root / label / "migrations"
        self.folder.mkdir(parents=True)
        (root / label / "__init__.py").write_text("")
        (self.folder / "__init__.py").write_text("")
        self.names: list[str] = []

    def migration(self, name: str, operations: str, code: str = "", **attributes) -> str:
        """Write migrations/<NNNN>_<name>.py after the previous one (with `code` before the
        class); returns its name."""
        full = f"{len(self.names) + 1:04d}_{name}"
        dependencies = [(self.label, self.names[-1])] if self.names else []
        extra = "".join(f"    {key} = {value!r}\n" for key, value in attributes.items())
        (self.folder / f"{full}.py").write_text(
            HEADER
            + textwrap.dedent(code)
            + "\n\nclass Migration(migrations.Migration):\n"
            + f"    dependencies = {dependencies!r}\n"
            + extra
            + "    operations = [\n"
            + textwrap.indent(textwrap.dedent(operations).strip(), " " * 8)
            + "\n    ]\n"
        )
        self.names.append(full)
        return full

    def manage(self, *args: str, database_url: str):
        return run_manage(
            *args,
            DATABASE_URL=database_url,
            DJANGO_SETTINGS_MODULE="tests.schemaguard.scratch_settings",
            SCRATCH_APPS=self.label,
            PYTHONPATH=os.pathsep.join([str(self.root), os.environ.get("PYTHONPATH", ".")]),
        )


FINDING = re.compile(r"^(ERROR|WARNING) \[([\w-]+)\] (\w+)\.(\w+)", re.MULTILINE)


def findings(output: str) -> dict[str, set[str]]:
    """Migration name -> the codes reported on it."""
    found: dict[str, set[str]] = {}
    for _level, code, _app, name in FINDING.findall(output):
        found.setdefault(name, set()).add(code)
    return found

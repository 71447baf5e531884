"""Dependencies point one way: config wires everything; bots may import profiles and users;
profiles may import users; users and schemaguard import no app of ours; the settings import
no code of ours (dotted paths only)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

OURS = {"config", "users", "profiles", "bots", "schemaguard"}
MAY_IMPORT = {
    "users": set(),
    "profiles": {"users"},
    "bots": {"profiles", "users"},
    "schemaguard": set(),
}


def imported_packages(path: Path) -> set[str]:
    """The top-level packages a module imports (relative imports stay in its own package).
    A migration's string references ("users.User") are not imports and are not counted."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name.split(".")[0] for name in names}


def wrong_imports(files: list[Path], allowed: set[str], own: str) -> dict[str, set[str]]:
    found = {}
    for path in files:
        wrong = imported_packages(path) & OURS - allowed - {own}
        if wrong:
            found[str(path.relative_to(settings.BASE_DIR))] = wrong
    return found


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_each_app_imports_only_the_apps_below_it(app):
    files = sorted((settings.BASE_DIR / app).rglob("*.py"))
    assert files

    assert wrong_imports(files, MAY_IMPORT[app], app) == {}


def test_the_settings_import_no_code_of_ours():
    assert wrong_imports([settings.BASE_DIR / "config" / "settings.py"], set(), "") == {}


def test_imports_are_read_from_the_code_not_from_strings(tmp_path):
    module = tmp_path / "0002_example.py"
    module.write_text(
        "import profiles.tasks\n"
        "from bots import services\n"
        "from .models import User\n"
        "def later():\n"
        "    from schemaguard.phases import record_release\n"
        "dependencies = [('profiles', '0001_initial')]\n"
        "to = 'bots.Client'\n"
    )

    assert imported_packages(module) & OURS == {"profiles", "bots", "schemaguard"}

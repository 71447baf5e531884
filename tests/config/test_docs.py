"""The README stays short, and no link in the manual leads nowhere."""

import re
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
MANUAL = [
    BASE / "README.md",
    *sorted((BASE / "docs").glob("*.md")),
    BASE / "bench" / "README.md",
    BASE / "schemaguard" / "README.md",
]
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def prose(path: Path) -> str:
    """The file without its code blocks: a `# comment` in a shell example is no heading."""
    return FENCE.sub("", path.read_text())


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(prose(path)):
        base = slug(heading)
        # GitHub numbers repeated headings: the second "Setup" is #setup-1.
        found.add(f"{base}-{seen[base]}" if base in seen else base)
        seen[base] = seen.get(base, 0) + 1
    return found


def test_the_readme_is_at_most_300_lines():
    assert len((BASE / "README.md").read_text().splitlines()) <= 300


def test_the_slug_follows_github():
    assert slug("What `migrate` does on PostgreSQL") == "what-migrate-does-on-postgresql"
    assert slug("Background work and the worker") == "background-work-and-the-worker"


@pytest.mark.parametrize("path", MANUAL, ids=lambda p: str(p.relative_to(BASE)))
def test_every_relative_link_resolves(path):
    assert path.exists()
    broken = []
    for target in LINK.findall(prose(path)):
        if re.match(r"[a-z][a-z+.-]*:", target):  # https:, mailto: ...
            continue
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        heading = anchor and linked.suffix == ".md"
        if not linked.exists() or (heading and anchor not in anchors(linked)):
            broken.append(target)
    assert not broken, f"{path.relative_to(BASE)} links to what does not exist: {broken}"

"""The project's settings plus the peers' test apps (and our rewritten cases), all checked."""

from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

HERE = Path(__file__).resolve().parent
PEER_APPS = [
    f"tests.schemaguard.conformance.{suite}.{app.name}"
    for suite in ("linter", "zero_downtime", "cases")
    for app in sorted((HERE / suite).iterdir())
    if (app / "migrations").is_dir()
]
INSTALLED_APPS = [*INSTALLED_APPS, *PEER_APPS]
SCHEMAGUARD = {"APPS": {name.rsplit(".", 1)[1] for name in PEER_APPS}}
# Two of the zero-downtime apps share their tables (they are run one at a time there).
SILENCED_SYSTEM_CHECKS = ["fields.W342", "models.W042", "models.E028"]

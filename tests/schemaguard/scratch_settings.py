"""The project's settings plus scratch apps that tests write to a temporary folder.

SCRATCH_APPS (comma-separated labels) are installed and checked by schemaguard; their
folder is on PYTHONPATH.
"""

import os

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS, SCHEMAGUARD

SCRATCH_APPS = [app for app in os.environ.get("SCRATCH_APPS", "").split(",") if app]
INSTALLED_APPS = [*INSTALLED_APPS, *SCRATCH_APPS]
SCHEMAGUARD = {**SCHEMAGUARD, "APPS": set(SCRATCH_APPS)}

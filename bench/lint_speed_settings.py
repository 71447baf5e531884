"""The project's settings plus the generated `benchapp` (bench/lint_speed.py)."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS, SCHEMAGUARD

INSTALLED_APPS = [*INSTALLED_APPS, "benchapp"]
SCHEMAGUARD = {**SCHEMAGUARD, "APPS": {"benchapp"}}

"""schemaguard's settings: one dict, `SCHEMAGUARD`, in the project's settings; defaults here.

    SCHEMAGUARD = {"SMALL_TABLE_ROWS": 50_000, "LOCK_TIMEOUT": 5}

Every key is optional; a key this module does not know is refused (a typo would otherwise be
silently ignored).
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS: dict[str, Any] = {
    # The lock-safe migrate (PostgreSQL). Seconds; 0 turns a timeout off.
    "LOCK_TIMEOUT": 3.0,  # lock_timeout of migrate's session
    "STATEMENT_TIMEOUT": 0.0,  # statement_timeout of migrate's session
    "RETRIES": 5,  # tries again this many times after a lock timeout
    "RETRY_DELAY": 1.0,  # before the first retry; doubles, with jitter, at most 30 s
    # Migration checks. Lock and rewrite findings on tables with more rows are errors,
    # on smaller ones warnings.
    "SMALL_TABLE_ROWS": 10_000,
    # The app labels whose migrations are checked; None: every app not installed as a
    # package (not under site-packages), that is the project's own.
    "APPS": None,
    # {"app_label": "last exempt migration"}: history written before the checks.
    "EXEMPT_UNTIL": {},
    # Deploy phases: a release seen running this recently (seconds) holds back the
    # post_deploy migrations it lacks.
    "RELEASE_SEEN_SECONDS": 180,
    # /readyz reuses its comparison of models and schema this long (seconds, at most 10).
    "READYZ_CACHE_SECONDS": 5.0,
}


def setting(name: str) -> Any:
    """The project's value for `name`, or its default."""
    configured = getattr(settings, "SCHEMAGUARD", None) or {}
    unknown = set(configured) - set(DEFAULTS)
    if unknown:
        raise ImproperlyConfigured(
            f"SCHEMAGUARD has unknown key(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(DEFAULTS)}."
        )
    return configured.get(name, DEFAULTS[name])

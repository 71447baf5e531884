"""schemaguard's settings: one dict, defaults declared once, a typo refused."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from schemaguard.conf import DEFAULTS, setting


def test_a_key_not_set_is_its_default(settings):
    settings.SCHEMAGUARD = {}

    assert setting("SMALL_TABLE_ROWS") == DEFAULTS["SMALL_TABLE_ROWS"] == 10_000


def test_the_project_value_wins(settings):
    settings.SCHEMAGUARD = {"SMALL_TABLE_ROWS": 5}

    assert setting("SMALL_TABLE_ROWS") == 5


def test_an_unknown_key_is_refused_by_name(settings):
    settings.SCHEMAGUARD = {"SMALL_TABLE_ROW": 5}

    with pytest.raises(ImproperlyConfigured, match="SMALL_TABLE_ROW"):
        setting("SMALL_TABLE_ROWS")


def test_the_environment_still_sets_this_project_s_values(monkeypatch):
    import importlib

    import config.settings

    monkeypatch.setenv("MIGRATE_LOCK_TIMEOUT", "0.5")
    monkeypatch.setenv("SCHEMAGUARD_SMALL_TABLE_ROWS", "123")
    reloaded = importlib.reload(config.settings)
    try:
        assert reloaded.SCHEMAGUARD["LOCK_TIMEOUT"] == 0.5
        assert reloaded.SCHEMAGUARD["SMALL_TABLE_ROWS"] == 123
        assert "RETRIES" not in reloaded.SCHEMAGUARD  # the default stays in schemaguard.conf
    finally:
        monkeypatch.undo()
        importlib.reload(config.settings)

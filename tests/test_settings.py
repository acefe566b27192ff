"""Limits come from askbudget/settings.py, overridable from the environment within reason."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("raw, expected", [("500", 500), ("2.5e3", 2500), ("inf", None), ("nan", None),
                                           ("1e400", None), ("-1", None), ("0", None), ("abc", None), ("", None)])
def test_a_setting_from_the_environment_is_a_finite_positive_number(
        raw: str, expected: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    from askbudget import settings

    monkeypatch.setenv("ASKBUDGET_MAX_ROWS", raw)
    default = next(s.default for s in settings.SETTINGS if s.name == "MAX_ROWS")
    assert settings.MAX_ROWS == (default if expected is None else expected)

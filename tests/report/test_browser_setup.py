"""Browser tests skip with a reason that names the fix when Chromium is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report import browser


def test_a_missing_chromium_names_the_packages_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    reason = browser.missing_browser()
    assert reason is not None and "apt-get install chromium chromium-driver" in reason

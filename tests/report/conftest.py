"""The review page's browser tests share one headless Chromium per module (Debian's, never a download)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.report.browser import missing_browser, start_chromium

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    reason = missing_browser()
    if reason is not None:
        pytest.skip(reason)
    yield from start_chromium()

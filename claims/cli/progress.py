"""A one-line progress display on standard error, shown only when it is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Redraws `extracting: N documents (F failed), C claims, T s` at most ten times a second."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self._drawn = 0.0
        self.documents = 0
        self.failed = 0
        self.claims = 0

    def update(self, claims: int, failed: bool) -> None:
        self.documents += 1
        self.failed += int(failed)
        self.claims += claims
        now = time.monotonic()
        if self.enabled and now - self._drawn >= 0.1:
            self._drawn = now
            self.stream.write(
                f"\rextracting: {self.documents} documents ({self.failed} failed), "
                f"{self.claims} claims, {now - self.started:.1f} s\x1b[K"
            )
            self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

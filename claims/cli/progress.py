"""Progress people can see: documents done / total, rate and ETA on standard error.

On a terminal, a tqdm bar redrawn in place (and refreshed every second, so the clock moves while
a long document is in flight). Elsewhere (CI logs, nohup, a pipe), a plain line every `interval`
seconds — also while no document finishes — and a last one at the end if any was printed, so a
13-minute run is never silent. It is a run sink: the driver feeds it.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from tqdm import tqdm

from claims.run.document import DocumentResult
from claims.run.manifest import Manifest
from claims.run.sinks import RunInfo

PLAIN_INTERVAL = 10.0
TERMINAL_REFRESH = 1.0


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _rate(documents: int, seconds: float) -> str:
    if documents == 0 or seconds <= 0:
        return "— documents/min"
    per_second = documents / seconds
    return f"{per_second:.2f} documents/s" if per_second >= 1 else f"{per_second * 60:.1f} documents/min"


class Progress:
    """A run sink that shows how far the run is. `terminal` None: decide by `stream.isatty()`;
    `clock` and `interval` are for tests (a fake clock, a short interval)."""

    def __init__(
        self,
        stream: TextIO | None = None,
        terminal: bool | None = None,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        default = TERMINAL_REFRESH if self.terminal else PLAIN_INTERVAL
        self.interval = interval if interval is not None else default
        self.clock = clock
        self.total: int | None = None
        self.documents = 0
        self.failed = 0
        self.partial = 0
        self.claims = 0
        self.started = clock()
        self._last_line = self.started
        self._lines = 0
        self._bar: Any = None
        self._ticker: asyncio.Task[None] | None = None

    # --- the sink ------------------------------------------------------------------------------

    def start(self, run: RunInfo) -> None:
        self.total = run.total
        self.started = self._last_line = self.clock()
        if self.terminal:
            self._bar = tqdm(
                total=self.total,
                desc="extracting",
                unit="doc",
                file=self.stream,
                leave=False,
                dynamic_ncols=True,
                mininterval=0.1,
            )
        with contextlib.suppress(RuntimeError):  # no running loop: lines only as documents finish
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    def write(self, result: DocumentResult) -> None:
        self.documents += 1
        self.failed += int(result.error is not None)
        self.partial += int(result.partial)
        self.claims += len(result.claims)
        if self._bar is not None:
            self._bar.set_postfix_str(self._counts(), refresh=False)
            self._bar.update(1)
        else:
            self.maybe_print()

    def finish(self, manifest: Manifest) -> None:
        if not self.terminal and self._lines:
            self.print_line()
        self.close()

    # --- display -------------------------------------------------------------------------------

    def note(self, message: str) -> None:
        """A line of text (a warning) that must not be drawn over by the bar."""
        if self._bar is not None:
            self._bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream)

    def _counts(self) -> str:
        parts = [f"{self.claims} claims"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.partial:
            parts.append(f"{self.partial} partial")
        return ", ".join(parts)

    def line(self) -> str:
        """`extracting: 12/40 documents (85 claims, 1 failed), 0.8 documents/s, 15 s, ETA 35 s`"""
        elapsed = self.clock() - self.started
        done = f"{self.documents}/{self.total}" if self.total is not None else f"{self.documents}"
        text = f"extracting: {done} documents ({self._counts()}), {_rate(self.documents, elapsed)}"
        text += f", {_duration(elapsed)} elapsed"
        if self.total is not None and self.documents and self.documents < self.total:
            eta = (self.total - self.documents) * elapsed / self.documents
            text += f", ETA {_duration(eta)}"
        return text

    def print_line(self) -> None:
        self._last_line = self.clock()
        self._lines += 1
        print(self.line(), file=self.stream, flush=True)

    def maybe_print(self) -> None:
        """A plain line when `interval` has passed since the last one (or since the start)."""
        if not self.terminal and self.clock() - self._last_line >= self.interval:
            self.print_line()

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            if self._bar is not None:
                self._bar.refresh()
            else:
                self.maybe_print()

    def close(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        if self._bar is not None:
            self._bar.close()
            self._bar = None

"""The one run driver: documents in, a `DocumentResult` per document out as each finishes.

Both front doors use it — `claims.extract` (with a collecting sink) and `claims extract` (with
the JSONL sink and a progress line) — so there is one loop, one set of run statistics and one
clock. What happens to the results is the sinks' business: the driver calls `start` before the
first document, `write` for each finished one, and `finish` with the manifest after the last.

- The engine runs the documents: `LocalEngine` (asyncio, at most `options.concurrency` requests
  in flight over the whole run) unless another is given; load errors pass through as results
  carrying their error record, so every input is seen.
- With `done` (what `claims.run.resume.prepare_resume` found), finished documents are skipped
  and counted as resumed, and partial documents redo only their failed chunks.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from claims.backends.protocol import Backend
from claims.inputs.documents import Document, DocumentError
from claims.run.document import DocumentResult
from claims.run.engine import Engine, LocalEngine
from claims.run.manifest import Manifest, RunStats, progress_record
from claims.run.options import ExtractOptions
from claims.run.resume import ResumeState
from claims.run.sinks import RunInfo, Sink

SECRET_SETTINGS = frozenset({"api_key"})


def new_run_id(started: datetime) -> str:
    """Sortable by start time, unique by its random tail: `20261204T210501Z-3f9c2a1b`."""
    return f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


class RunDriver:
    """Runs documents through the pipeline once; iterate it (`async for`) to drive the run.

    `settings` is the public view of the settings (`Settings.public()`), kept in the manifest;
    `total` the number of documents expected, when known (for progress displays); `engine` what
    runs the documents (default: `LocalEngine`, here with asyncio).
    """

    def __init__(
        self,
        items: Iterable[Document | DocumentError],
        backend: Backend,
        options: ExtractOptions,
        sinks: Sequence[Sink] = (),
        settings: Mapping[str, Any] | None = None,
        done: ResumeState | None = None,
        *,
        total: int | None = None,
        run_id: str | None = None,
        engine: Engine | None = None,
    ) -> None:
        self.items = items
        self.backend = backend
        self.options = options
        self.sinks = tuple(sinks)
        self.settings = {k: v for k, v in (settings or {}).items() if k not in SECRET_SETTINGS}
        self.done = done or ResumeState()
        self.total = total
        self.engine: Engine = engine or LocalEngine()
        self.started_at = datetime.now(UTC)
        self.run_id = run_id or new_run_id(self.started_at)
        self.stats = RunStats()
        for record in self.done.finished.values():
            self.stats.add_resumed(record)
        self._clock = time.perf_counter()
        self._wall: float | None = None
        self._final: Manifest | None = None
        self._running = False

    def info(self) -> RunInfo:
        return RunInfo(
            run_id=self.run_id,
            backend=self.backend.name,
            described=self.backend.describe(),
            options=self.options,
            settings=self.settings,
            started_at=self.started_at.isoformat(timespec="seconds"),
            total=self.total,
            resumed=self.stats.resumed,
        )

    def __aiter__(self) -> AsyncIterator[DocumentResult]:
        if self._running:
            raise RuntimeError("a RunDriver runs once; make a new one for another run")
        self._running = True
        return self._run()

    async def _run(self) -> AsyncIterator[DocumentResult]:
        info = self.info()
        for sink in self.sinks:
            sink.start(info)
        self._clock = time.perf_counter()
        async for result in self.engine.results(self.items, self.backend, self.options, self.done):
            self.stats.add(progress_record(result))
            for sink in self.sinks:
                sink.write(result)
            yield result
        self._wall = time.perf_counter() - self._clock
        manifest = self._final = self.manifest()
        for sink in self.sinks:
            sink.finish(manifest)

    @property
    def wall_seconds(self) -> float:
        """Time since the first document started (the whole run, once it is over)."""
        return self._wall if self._wall is not None else time.perf_counter() - self._clock

    def manifest(self) -> Manifest:
        """The manifest of the run so far (complete once the iteration is over)."""
        if self._final is not None:
            return self._final
        return Manifest.of_run(
            run_id=self.run_id,
            backend=self.backend.name,
            described=self.backend.describe(),
            settings=self.settings,
            options=self.options,
            stats=self.stats,
            started_at=self.started_at.isoformat(timespec="seconds"),
            wall_seconds=self.wall_seconds,
        )


async def run_documents(
    items: Iterable[Document | DocumentError],
    backend: Backend,
    options: ExtractOptions,
    sinks: Sequence[Sink] = (),
    **kw: Any,
) -> Manifest:
    """Run every document into the sinks; return the manifest."""
    driver = RunDriver(items, backend, options, sinks, **kw)
    async for _result in driver:
        pass
    return driver.manifest()

"""Running one shard: load its documents, run the per-document pipeline, write its outputs.

The same function serves a first run, a `--resume` and a retry after a worker was killed: it
first cleans the shard's files of a half-written document (`prepare_resume`), skips documents
already finished, appends the rest, and renames the done marker into place last. No Ray here:
the Ray actor only calls this, and plain tests call it directly.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterable, Iterator
from typing import Any

from claims.backends.protocol import Backend
from claims.engines.shards import Shard, ShardStore, load_shard
from claims.inputs.documents import Document, DocumentError, LoadOptions
from claims.run.document import DocumentResult
from claims.run.driver import RunDriver
from claims.run.options import ExtractOptions
from claims.run.resume import ResumeState, prepare_resume
from claims.run.sinks import JsonlSink


class ShardSink(JsonlSink):
    """The run's JSONL sink, whose progress records also say where each document came from and
    whether it loaded (the combine step needs both to report a duplicate id across shards)."""

    def __init__(self, paths: Any, sources: dict[str, str | None], append: bool) -> None:
        super().__init__(paths, append=append)
        self.sources = sources

    def progress_of(self, result: DocumentResult) -> dict[str, Any]:
        loaded = result.error is None or result.error.stage != "load"
        source = self.sources.pop(result.doc_id, None) if loaded else _error_source(result)
        return {**super().progress_of(result), "source": source, "loaded": loaded}


async def process_shard(
    shard: Shard,
    store: ShardStore,
    backend: Backend,
    options: ExtractOptions,
    published: str | None = None,
    load_options: LoadOptions | None = None,
) -> dict[str, Any]:
    """Finish `shard` (resuming whatever an earlier attempt wrote); return its done summary."""
    if store.is_done(shard):
        return store.done_summary(shard)
    started = time.perf_counter()
    paths = store.paths(shard)
    assert paths.progress is not None
    resuming = paths.progress.is_file()
    done = prepare_resume(paths) if resuming else ResumeState()
    store.note_worker(shard, {"pid": os.getpid(), "host": socket.gethostname()})
    sources: dict[str, str | None] = {}
    items = _remember_sources(load_shard(shard, published, load_options), sources, done)
    documents = failed = partial = claims = 0
    sink = ShardSink(paths, sources, append=resuming)
    with sink:
        async for result in RunDriver(items, backend, options, sinks=[sink], done=done):
            documents += 1
            failed += 0 if result.ok else 1
            partial += int(result.partial)
            claims += len(result.claims)
    summary = {
        "shard": shard.index,
        "documents": documents + len(done.finished),
        "resumed": len(done.finished),
        "failed": failed,
        "partial": partial,
        "claims": claims + sum(int(record.get("claims", 0)) for record in done.finished.values()),
        "seconds": round(time.perf_counter() - started, 3),
    }
    store.mark_done(shard, summary)
    return summary


def _error_source(result: DocumentResult) -> str | None:
    return result.error.source if result.error is not None else None


def _remember_sources(
    items: Iterable[Document | DocumentError], sources: dict[str, str | None], done: ResumeState
) -> Iterator[Document | DocumentError]:
    for item in items:
        if isinstance(item, Document) and item.id not in done.finished:
            sources[item.id] = item.source
        yield item

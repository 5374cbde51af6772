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
from claims.inputs.documents import Document, DocumentError
from claims.jsonl import write_record
from claims.run.manifest import progress_record
from claims.run.pipeline import DocumentResult, ExtractOptions, extract_stream
from claims.run.sinks import DocumentSink, prepare_resume


class ShardSink(DocumentSink):
    """The run's sink, whose progress records also say where each document came from and whether
    it loaded (the combine step needs both to report a duplicate id across shards)."""

    def write_located(self, result: DocumentResult, source: str | None, loaded: bool) -> dict[str, Any]:
        for claim in result.claims:
            write_record(self.claims, claim)
        if self.rejected is not None:
            for rejected in result.rejected:
                write_record(self.rejected, rejected)
        if self.errors is not None and result.error is not None:
            write_record(self.errors, result.error)
        record = {**progress_record(result), "source": source, "loaded": loaded}
        if self.progress is not None:
            write_record(self.progress, record)
        return record


async def process_shard(
    shard: Shard,
    store: ShardStore,
    backend: Backend,
    options: ExtractOptions,
    published: str | None = None,
) -> dict[str, Any]:
    """Finish `shard` (resuming whatever an earlier attempt wrote); return its done summary."""
    if store.is_done(shard):
        return store.done_summary(shard)
    started = time.perf_counter()
    paths = store.paths(shard)
    assert paths.progress is not None
    resuming = paths.progress.is_file()
    done = prepare_resume(paths) if resuming else {}
    store.note_worker(shard, {"pid": os.getpid(), "host": socket.gethostname()})
    sources: dict[str, str | None] = {}
    items = _remember_sources(_skip(load_shard(shard, published), done), sources)
    documents = failed = claims = 0
    sink = ShardSink(paths, append=resuming)
    with sink:
        async for result in extract_stream(items, backend, options):
            loaded = result.error is None or result.error.stage != "load"
            source = sources.pop(result.doc_id, None) if loaded else _error_source(result)
            sink.write_located(result, source, loaded)
            documents += 1
            failed += 0 if result.ok else 1
            claims += len(result.claims)
    summary = {
        "shard": shard.index,
        "documents": documents + len(done),
        "resumed": len(done),
        "failed": failed,
        "claims": claims + sum(int(record.get("claims", 0)) for record in done.values()),
        "seconds": round(time.perf_counter() - started, 3),
    }
    store.mark_done(shard, summary)
    return summary


def _error_source(result: DocumentResult) -> str | None:
    return result.error.source if result.error is not None else None


def _skip(
    items: Iterable[Document | DocumentError], done: dict[str, Any]
) -> Iterator[Document | DocumentError]:
    for item in items:
        if isinstance(item, Document) and item.id in done:
            continue
        yield item


def _remember_sources(
    items: Iterable[Document | DocumentError], sources: dict[str, str | None]
) -> Iterator[Document | DocumentError]:
    for item in items:
        if isinstance(item, Document):
            sources[item.id] = item.source
        yield item

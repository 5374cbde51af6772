"""Engines: what runs the per-document pipeline over many documents for the run driver.

The driver owns the statistics, the clock, the sinks and the manifest; an engine only turns
documents into `DocumentResult`s, in any order. `LocalEngine` runs them here with asyncio; an
engine that runs shards elsewhere (Ray on a cluster) implements the same one method and plugs
into `RunDriver(engine=...)` without the driver changing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from typing import Protocol

from claims.backends.protocol import Backend
from claims.inputs.documents import Document, DocumentError
from claims.run.document import DocumentResult, extract_document
from claims.run.options import ExtractOptions
from claims.run.resume import ResumeState


class Engine(Protocol):
    """Runs documents through the pipeline; yields one result per input as each finishes."""

    def results(
        self,
        items: Iterable[Document | DocumentError],
        backend: Backend,
        options: ExtractOptions,
        done: ResumeState,
    ) -> AsyncIterator[DocumentResult]:
        """Every input once: load errors as results with their record; documents `done.finished`
        skipped; documents in `done.partial` retried with their `Retry`."""
        ...


class LocalEngine:
    """This process, asyncio: at most `options.concurrency` requests (and documents) in flight."""

    async def results(
        self,
        items: Iterable[Document | DocumentError],
        backend: Backend,
        options: ExtractOptions,
        done: ResumeState,
    ) -> AsyncIterator[DocumentResult]:
        limiter = asyncio.Semaphore(options.concurrency)
        pending: set[asyncio.Task[DocumentResult]] = set()
        iterator = iter(items)
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < options.concurrency:
                    item = next(iterator, None)
                    if item is None:
                        exhausted = True
                        break
                    if isinstance(item, DocumentError):
                        yield DocumentResult(item.doc_id or item.source, error=item.record())
                        continue
                    if item.id in done.finished:
                        continue
                    work = extract_document(item, backend, options, limiter, retry=done.partial.get(item.id))
                    pending.add(asyncio.create_task(work))
                if not pending:
                    return
                finished, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in finished:
                    yield task.result()
        finally:
            for task in pending:
                task.cancel()

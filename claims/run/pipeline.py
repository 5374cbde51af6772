"""The former home of the per-document pipeline, kept so that old imports still work.

New code imports from `claims.run.options`, `claims.run.document` and `claims.run.driver`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable

from claims.backends.protocol import Backend
from claims.inputs.documents import Document, DocumentError
from claims.run.document import DocumentResult, extract_document
from claims.run.driver import RunDriver
from claims.run.options import ExtractOptions

__all__ = ["DocumentResult", "ExtractOptions", "extract_document", "extract_stream"]


async def extract_stream(
    items: Iterable[Document | DocumentError], backend: Backend, options: ExtractOptions
) -> AsyncIterator[DocumentResult]:
    """The results of a run without sinks, as they finish (see `claims.run.driver.RunDriver`)."""
    async for result in RunDriver(items, backend, options):
        yield result

"""The library's front door: `claims.extract(...)` and its async twin `claims.aextract(...)`.

    import claims
    result = claims.extract("eval/seeds")            # offline rules backend by default
    for claim in result.claims:
        print(claim.type, claim.quote, claim.span)

This is a top layer (like the CLI): it picks a backend by name, then hands over to the core.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claims.backend import Backend, Usage
from claims.backends import create_backend
from claims.config import resolve_settings
from claims.documents import Document, DocumentError, load_documents
from claims.pipeline import DocumentResult, ExtractOptions, extract_stream
from claims.runinfo import git_state, package_versions
from claims.schema import ErrorRecord, RejectedClaim, VerifiedClaim

Sources = str | Path | Sequence[str | Path] | Iterable[Document]


@dataclass
class ExtractionResult:
    """Every verified claim, every rejected proposal and every failed document of a run."""

    claims: list[VerifiedClaim] = field(default_factory=list)
    rejected: list[RejectedClaim] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)


def _as_items(sources: Sources) -> Iterable[Document | DocumentError]:
    if isinstance(sources, str | Path):
        return load_documents([sources])
    items = list(sources)
    if all(isinstance(item, str | Path) for item in items):
        return load_documents(items)  # type: ignore[arg-type]
    return items  # type: ignore[return-value]


async def aextract(
    sources: Sources,
    *,
    backend: str | Backend | None = None,
    options: ExtractOptions | None = None,
    **settings: Any,
) -> ExtractionResult:
    """Extract and verify claims from documents (paths, or `Document` objects).

    `backend` is a backend name (`rules`, `openai`, `local`), a `Backend` instance, or None to
    resolve it from the environment; other keyword arguments are settings (model, base_url, …).
    """
    options = options or ExtractOptions()
    owned = not isinstance(backend, Backend)
    chosen = create_backend(resolve_settings(backend=backend, **settings)) if owned else backend  # type: ignore[arg-type]
    assert isinstance(chosen, Backend)
    result = ExtractionResult()
    usage = Usage()
    documents = 0
    proposed = 0
    started = time.perf_counter()
    try:
        async for document_result in extract_stream(_as_items(sources), chosen, options):
            documents += 1
            proposed += document_result.proposed
            _collect(result, document_result, usage)
    finally:
        if owned:
            await chosen.aclose()
    result.manifest = {
        **chosen.describe(),
        "backend": chosen.name,
        "documents": documents,
        "claims": len(result.claims),
        "proposed": proposed,
        "rejected": len(result.rejected),
        "errors": len(result.errors),
        "usage": {
            "requests": usage.requests,
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "cached": usage.cached,
        },
        "wall_seconds": round(time.perf_counter() - started, 3),
        "versions": package_versions(),
        "git": git_state(),
    }
    return result


def _collect(result: ExtractionResult, document_result: DocumentResult, usage: Usage) -> None:
    result.claims.extend(document_result.claims)
    result.rejected.extend(document_result.rejected)
    if document_result.error is not None:
        result.errors.append(document_result.error)
    usage.add(document_result.usage)


def extract(
    sources: Sources,
    *,
    backend: str | Backend | None = None,
    options: ExtractOptions | None = None,
    **settings: Any,
) -> ExtractionResult:
    """Synchronous twin of `aextract` (do not call it from inside a running event loop)."""
    return asyncio.run(aextract(sources, backend=backend, options=options, **settings))

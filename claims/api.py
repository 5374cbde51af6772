"""The library's front door: `claims.extract(...)` and its async twin `claims.aextract(...)`.

    import claims
    result = claims.extract("eval/seeds")            # offline rules backend by default
    result = claims.extract("eval/seeds", backend="openai", base_url="http://localhost:11434/v1",
                            model="qwen2.5:7b-instruct", mode="json")
    for claim in result.claims:
        print(claim.type, claim.quote, claim.span)

This is a top layer (like the CLI): it picks a backend by name, wraps it in the disk cache, then
hands over to the core.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claims.backends.cache import CachedBackend, is_cacheable
from claims.backends.protocol import Backend
from claims.backends.registry import create_backend
from claims.inputs.documents import Document, DocumentError, load_documents
from claims.run.driver import RunDriver
from claims.run.manifest import Manifest
from claims.run.options import ExtractOptions
from claims.run.sinks import CollectingSink, Sink
from claims.schema import ErrorRecord, RejectedClaim, VerifiedClaim
from claims.settings import Settings, resolve_settings

Sources = str | Path | Sequence[str | Path] | Iterable[Document]


@dataclass
class ExtractionResult:
    """Every verified claim, every rejected proposal and every failed document of a run."""

    claims: list[VerifiedClaim] = field(default_factory=list)
    rejected: list[RejectedClaim] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    manifest: Manifest = field(kw_only=True)
    """The run manifest (run id, backend, totals, usage, software, time)."""


def _as_items(sources: Sources) -> Iterable[Document | DocumentError]:
    if isinstance(sources, str | Path):
        return load_documents([sources])
    items = list(sources)
    if all(isinstance(item, str | Path) for item in items):
        return load_documents(items)  # type: ignore[arg-type]
    return items  # type: ignore[return-value]


def open_backend(backend: str | Backend | None = None, **settings: Any) -> tuple[Backend, Settings | None]:
    """A ready backend: a given instance as is, or one built from settings (flag → environment →
    backend default → default), wrapped in the disk cache when it asks to be cached and the cache
    is on; with the settings the backend runs with (and their origins), for the manifest."""
    if isinstance(backend, Backend):
        return backend, None
    resolved = resolve_settings(backend=backend, **settings)
    created = create_backend(resolved)
    ran_with = getattr(created, "settings", None)
    effective = ran_with if isinstance(ran_with, Settings) else resolved  # what the backend runs with
    if resolved.use_cache and is_cacheable(created):
        return CachedBackend(created, resolved.cache_dir), effective
    return created, effective


async def aextract(
    sources: Sources,
    *,
    backend: str | Backend | None = None,
    options: ExtractOptions | None = None,
    sinks: Sequence[Sink] = (),
    **settings: Any,
) -> ExtractionResult:
    """Extract and verify claims from documents (paths, or `Document` objects).

    `backend` is a backend name (`rules`, `openai`, `local`), a `Backend` instance, or None to
    resolve it from the environment; `sinks` receive each finished document as well (a database,
    say); other keyword arguments are settings (model, base_url, mode, api_key, temperature,
    timeout, max_retries, schema_retries, cache_dir, use_cache, …).
    """
    options = options or ExtractOptions()
    owned = not isinstance(backend, Backend)
    chosen, resolved = open_backend(backend, **settings)
    collected = CollectingSink()
    driver = RunDriver(
        _as_items(sources),
        chosen,
        options,
        (collected, *sinks),
        settings=resolved.public() if resolved else None,
    )
    try:
        async for _result in driver:
            pass
    finally:
        if owned:
            await chosen.aclose()
    return ExtractionResult(
        claims=collected.claims,
        rejected=collected.rejected,
        errors=collected.errors,
        manifest=driver.manifest(),
    )


def extract(
    sources: Sources,
    *,
    backend: str | Backend | None = None,
    options: ExtractOptions | None = None,
    sinks: Sequence[Sink] = (),
    **settings: Any,
) -> ExtractionResult:
    """Synchronous twin of `aextract` (do not call it from inside a running event loop)."""
    return asyncio.run(aextract(sources, backend=backend, options=options, sinks=sinks, **settings))

"""A disk cache of proposals around any backend, so a rerun of the same input asks nobody.

The key is a sha256 of a canonical JSON of everything that changes the answer: the backend's
`describe()` (endpoint, model, mode, prompt and schema hashes, generation settings — which by
the Backend contract never holds a secret), the chunk text, the publication date, the language,
and the re-ask feedback. The value is the proposal as JSON. A hit costs no request and counts as
`usage.cached`. instructor's own cache is not used: its namespace is random per client, so it
misses across processes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import diskcache

from claims.backends.protocol import RUN_FACTS, Backend, Proposal, ProposalRequest, Usage
from claims.schema import ProposedClaims

KEY_VERSION = 1


def cache_key(described: dict[str, str | None], request: ProposalRequest) -> str:
    """The cache key of one request to one configured backend."""
    material: dict[str, Any] = {
        "version": KEY_VERSION,
        "backend": {name: value for name, value in described.items() if name not in RUN_FACTS},
        "text": request.chunk.text,
        "published": request.document.published,
        "language": request.document.language,
        "feedback": list(request.feedback),
    }
    canonical = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def is_cacheable(backend: Backend) -> bool:
    """Whether a backend asks to be cached (slow, paid or non-deterministic ones do)."""
    return bool(getattr(backend, "cacheable", False))


class CachedBackend:
    """Wraps a backend: answers from the cache when it can, and stores every fresh answer."""

    cacheable = False  # already cached: wrapping it again would only double the writes

    def __init__(self, backend: Backend, directory: Path) -> None:
        self.inner = backend
        self.name = backend.name
        self.directory = Path(directory)
        self._described = backend.describe()
        self._cache = diskcache.Cache(str(self.directory))
        self.hits = 0
        self.misses = 0

    def describe(self) -> dict[str, str | None]:
        """The inner backend's, as it is now (run facts such as the mode `auto` settled on)."""
        return self.inner.describe()

    async def propose(self, request: ProposalRequest) -> Proposal:
        key = cache_key(self._described, request)
        stored = self._cache.get(key)
        if isinstance(stored, str):
            try:
                claims = ProposedClaims.model_validate_json(stored).claims
            except ValueError:
                claims = None  # an entry from an older schema: ask again and overwrite it
            if claims is not None:
                self.hits += 1
                return Proposal(claims=list(claims), usage=Usage(cached=1))
        self.misses += 1
        proposal = await self.inner.propose(request)
        self._cache.set(key, ProposedClaims(claims=proposal.claims).model_dump_json())
        return proposal

    async def aclose(self) -> None:
        try:
            await self.inner.aclose()
        finally:
            self._cache.close()

"""The one interface every extractor implements: a chunk of a document in, proposed claims out.

The core (pipeline, verifier) only knows this protocol; the concrete backends live in
`claims.backends` and the core never imports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from claims.chunking import Chunk as Chunk  # re-exported: a backend receives chunks
from claims.inputs.documents import Document
from claims.schema import ProposedClaim


@dataclass(slots=True)
class Usage:
    """Requests and tokens spent, counted over every attempt (re-asks and retries included)."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: int = 0
    """Answers read from our own disk cache instead of asked (no request, no tokens)."""
    cached_prompt_tokens: int = 0
    """Prompt tokens the provider served from its prompt cache (`prompt_tokens_details.cached_tokens`),
    part of `prompt_tokens`, where the server reports them."""

    def add(self, other: Usage) -> None:
        self.requests += other.requests
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cached += other.cached
        self.cached_prompt_tokens += other.cached_prompt_tokens

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True, slots=True)
class ProposalRequest:
    """What a backend is asked: one chunk, its document's context, and (on a re-ask) feedback."""

    document: Document
    chunk: Chunk
    feedback: tuple[str, ...] = ()


@dataclass(slots=True)
class Proposal:
    """A backend's answer for one chunk."""

    claims: list[ProposedClaim]
    usage: Usage = field(default_factory=Usage)


class BackendError(Exception):
    """A backend could not answer for a chunk; its message is one line and holds no secret.

    `kind` names the failure for the error record (e.g. `APITimeoutError`); `usage` holds what the
    failed attempts cost, so that the run's accounting counts every attempt, failed or not.
    """

    def __init__(self, message: str, *, kind: str | None = None, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.kind = kind or type(self).__name__
        self.usage = usage or Usage()


class TruncatedAnswer(BackendError):
    """The answer hit the token limit (finish_reason == "length"): the chunk is too long for one
    answer. The pipeline splits the chunk in two and asks for each half."""


RUN_FACTS = ("mode_used", "modes_refused")
"""Keys of `describe()` that report what a run found out rather than what was asked for (the
shape mode `auto` settled on): they may change during a run, so they never key a cache."""


@runtime_checkable
class Backend(Protocol):
    """An extractor. `describe()` feeds provenance, the run manifest and the cache key, so it must
    hold no secret, and it must name everything that changes the answer (model, endpoint, mode,
    prompt hash, generation settings).

    A backend may also set a class attribute `cacheable = True` to let the run cache its answers
    (`claims.backends.cache.CachedBackend`); backends without it (fast, deterministic ones) are not cached.
    """

    name: str

    def describe(self) -> dict[str, str | None]:
        """At least `model`, `endpoint`, `mode` and `prompt_hash` (None where not applicable)."""
        ...

    async def propose(self, request: ProposalRequest) -> Proposal:
        """Propose claims for one chunk."""
        ...

    async def aclose(self) -> None:
        """Release connections, servers and the like."""
        ...

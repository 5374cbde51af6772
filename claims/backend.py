"""The one interface every extractor implements: a chunk of a document in, proposed claims out.

The core (pipeline, verifier) only knows this protocol; the concrete backends live in
`claims.backends` and the core never imports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from claims.documents import Document
from claims.schema import ProposedClaim


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of a document's text and where it sits in the original."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Usage:
    """Requests and tokens spent, counted over every attempt (re-asks and retries included)."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: int = 0

    def add(self, other: Usage) -> None:
        self.requests += other.requests
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cached += other.cached

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
    """A backend could not answer for a chunk; its message is one line and holds no secret."""


@runtime_checkable
class Backend(Protocol):
    """An extractor. `describe()` feeds provenance and the run manifest, so it must hold no secret."""

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

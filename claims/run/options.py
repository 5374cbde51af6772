"""The options of a run: everything about it that is not the documents or the backend."""

from __future__ import annotations

from dataclasses import dataclass

from claims.chunking import DEFAULT_CHUNK_CHARS, DEFAULT_OVERLAP_CHARS


@dataclass(frozen=True)
class ExtractOptions:
    """Everything about a run that is not the documents or the backend."""

    chunk_chars: int = DEFAULT_CHUNK_CHARS
    chunk_overlap: int = DEFAULT_OVERLAP_CHARS
    concurrency: int = 4
    """Most requests in flight at once (and most documents in progress)."""
    strict: bool = False
    reask: int = 1
    """How many times a chunk whose quotes failed the verifier is asked again (0 = never)."""
    max_splits: int = 2
    """How many times a chunk whose answer was truncated is halved (2: down to quarters)."""

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1 (--concurrency)")
        if self.chunk_chars < 1:
            raise ValueError("chunk size must be at least 1 character (--chunk-chars)")
        if not 0 <= self.chunk_overlap < self.chunk_chars:
            raise ValueError("chunk overlap must be 0 or more and less than the chunk size (--chunk-overlap)")
        if self.reask < 0 or self.max_splits < 0:
            raise ValueError("re-asks and splits cannot be negative (--reask)")

"""One document through the pipeline: chunk, propose, verify, merge.

The pipeline knows only the `Backend` protocol. Every document ends as a `DocumentResult`:
its verified claims and rejected proposals, or error records; nothing is silently dropped.

- Chunks of a document are proposed concurrently; one semaphore bounds the requests in flight
  over the whole run (`concurrency`), whatever the mix of long and short documents.
- Quotes are verified against the whole document, preferring the occurrence nearest the chunk,
  so a sentence cut by a chunk boundary is still found; claims of all chunks are then merged.
- Grounding loop: a chunk whose quotes were not found is asked again (`reask` times) with the
  failed quotes as feedback. A claim still ungrounded after the last re-ask is rejected with its
  reason; one the re-ask grounded counts in `regrounded`.
- A truncated answer (finish_reason "length") splits the chunk in two and asks for each half,
  at most `max_splits` levels deep.
- One chunk does not sink its document: a chunk that fails (an HTTP error after the client's
  retries, an answer still truncated at the deepest split) becomes an error record naming the
  chunk and its span, and the other chunks' claims are kept; the document is `partial`. Only
  when no chunk succeeded does the document fail as a whole. A `Retry` asks again only for the
  failed chunks of a partial document and merges the new claims with the kept ones.
- Tokens are counted for every attempt, including those of chunks and documents that fail.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from claims.backends.protocol import Backend, BackendError, Chunk, ProposalRequest, TruncatedAnswer, Usage
from claims.chunking import split_in_two, split_into_chunks
from claims.inputs.documents import Document
from claims.merge import event_key, merge_claims
from claims.run.options import ExtractOptions
from claims.schema import ErrorRecord, ProposedClaim, Provenance, RejectedClaim, Span, VerifiedClaim
from claims.verify.verifier import Verifier


@dataclass(frozen=True)
class ChunkRef:
    """Which chunk of a document: its index and span (a retry redoes it only if both still match)."""

    index: int
    start: int
    end: int

    def as_dict(self) -> dict[str, int]:
        return {"chunk": self.index, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, raw: Any) -> ChunkRef | None:
        """The reference a progress record holds, or None when it is not one."""
        if not isinstance(raw, dict):
            return None
        index, start, end = (raw.get(key) for key in ("chunk", "start", "end"))
        for value in (index, start, end):
            if not isinstance(value, int) or isinstance(value, bool):
                return None
        assert isinstance(index, int) and isinstance(start, int) and isinstance(end, int)
        return cls(index, start, end)


@dataclass
class Retry:
    """What an earlier run kept of a partial document: only the `failed` chunks are asked again
    and their claims merged with the kept ones; the counts carry over into the new result."""

    failed: tuple[ChunkRef, ...]
    claims: list[VerifiedClaim] = field(default_factory=list)
    rejected: list[RejectedClaim] = field(default_factory=list)
    proposed: int = 0
    reasked: int = 0
    regrounded: int = 0
    usage: Usage = field(default_factory=Usage)


@dataclass
class DocumentResult:
    """What became of one document."""

    doc_id: str
    document: Document | None = None
    """The document itself (None for one that could not be loaded)."""
    claims: list[VerifiedClaim] = field(default_factory=list)
    rejected: list[RejectedClaim] = field(default_factory=list)
    error: ErrorRecord | None = None
    """The document failed as a whole (it could not be loaded, or no chunk succeeded)."""
    usage: Usage = field(default_factory=Usage)
    proposed: int = 0
    """Claims the backend proposed, over every attempt (re-asks included) of the chunks that succeeded."""
    reasked: int = 0
    """Claims whose quote was not found and that were asked again."""
    regrounded: int = 0
    """Of those, how many a re-ask turned into a verified claim."""
    chunk_errors: list[ErrorRecord] = field(default_factory=list)
    """Chunks that failed while others succeeded: the document is partial, its claims are kept."""

    @property
    def ok(self) -> bool:
        """Every chunk of the document succeeded."""
        return self.error is None and not self.chunk_errors

    @property
    def partial(self) -> bool:
        """Some chunks failed, others succeeded: their claims are kept, --resume redoes the rest."""
        return self.error is None and bool(self.chunk_errors)

    @property
    def errors(self) -> list[ErrorRecord]:
        """Every error record of the document: the document's own, or those of its failed chunks."""
        return ([self.error] if self.error is not None else []) + self.chunk_errors

    @property
    def failed_chunks(self) -> list[ChunkRef]:
        return [
            ChunkRef(error.chunk, error.span.start, error.span.end)
            for error in self.chunk_errors
            if error.chunk is not None and error.span is not None
        ]


@dataclass
class _ChunkOutcome:
    """One chunk's contribution, committed to the document only when the whole chunk succeeded."""

    claims: list[VerifiedClaim] = field(default_factory=list)
    rejected: list[RejectedClaim] = field(default_factory=list)
    proposed: int = 0
    reasked: int = 0
    regrounded: int = 0


class _DocumentRun:
    """The state of one document's extraction, shared by its concurrently processed chunks."""

    def __init__(
        self, document: Document, backend: Backend, options: ExtractOptions, limiter: asyncio.Semaphore
    ) -> None:
        self.document = document
        self.backend = backend
        self.options = options
        self.limiter = limiter
        self.verifier = Verifier({document.id: document.text}, strict=options.strict)
        self.described = backend.describe()
        self.result = DocumentResult(document.id, document)

    def provenance(self, chunk: Chunk) -> Provenance:
        return Provenance(
            backend=self.backend.name,
            model=self.described.get("model"),
            prompt_hash=self.described.get("prompt_hash"),
            chunk=chunk.index,
        )

    async def propose(
        self, chunk: Chunk, feedback: tuple[str, ...], outcome: _ChunkOutcome, depth: int = 0
    ) -> list[tuple[Chunk, ProposedClaim]]:
        """Ask the backend about a chunk; on a truncated answer, ask about each half instead."""
        try:
            async with self.limiter:
                proposal = await self.backend.propose(ProposalRequest(self.document, chunk, feedback))
        except BackendError as error:
            self.result.usage.add(error.usage)
            if isinstance(error, TruncatedAnswer):
                halves = split_in_two(chunk) if depth < self.options.max_splits else None
                if halves is None:
                    raise TruncatedAnswer(
                        f"{error} for a piece of {len(chunk.text)} characters, after {depth} splits; "
                        "raise --max-tokens or lower --chunk-chars",
                        kind=error.kind,
                    ) from None
                first = await self.propose(halves[0], feedback, outcome, depth + 1)
                return first + await self.propose(halves[1], feedback, outcome, depth + 1)
            raise
        self.result.usage.add(proposal.usage)
        outcome.proposed += len(proposal.claims)
        return [(chunk, claim) for claim in proposal.claims]

    async def extract_chunk(self, chunk: Chunk) -> _ChunkOutcome:
        """Propose, verify, and re-ask (bounded) for the quotes that were not found."""
        doc_id = self.document.id
        outcome = _ChunkOutcome()
        grounded_by_reask: set[tuple[object, ...]] = set()
        earlier: list[tuple[RejectedClaim, ProposedClaim]] = []
        pairs = await self.propose(chunk, (), outcome)
        for attempt in range(self.options.reask + 1):
            not_found: list[tuple[RejectedClaim, ProposedClaim]] = []
            for source_chunk, claim in pairs:
                verified = self.verifier.verify(
                    doc_id, claim, self.provenance(source_chunk), near=(source_chunk.start, source_chunk.end)
                )
                if isinstance(verified, RejectedClaim):
                    if verified.reason == "not_found":
                        not_found.append((verified, claim))
                    else:
                        outcome.rejected.append(verified)
                else:
                    outcome.claims.append(verified)
                    if attempt > 0:
                        grounded_by_reask.add(event_key(claim))
            if not not_found or attempt == self.options.reask:
                break
            outcome.reasked += len(not_found)
            earlier.extend(not_found)
            feedback = tuple(dict.fromkeys(claim.quote for _, claim in not_found))
            pairs = await self.propose(chunk, feedback, outcome)
        final_keys = {event_key(claim) for _, claim in not_found}
        outcome.regrounded += sum(1 for _, claim in earlier if event_key(claim) in grounded_by_reask)
        for rejected, _claim in not_found:
            outcome.rejected.append(_noting_reasks(rejected, attempt))
        for rejected, claim in earlier:
            if event_key(claim) not in grounded_by_reask and event_key(claim) not in final_keys:
                # the re-ask left this claim out: it still failed, so it is still reported
                outcome.rejected.append(_noting_reasks(rejected, attempt))
        return outcome

    def commit(self, outcome: _ChunkOutcome) -> None:
        self.result.claims.extend(outcome.claims)
        self.result.rejected.extend(outcome.rejected)
        self.result.proposed += outcome.proposed
        self.result.reasked += outcome.reasked
        self.result.regrounded += outcome.regrounded

    def error_record(self, error: Exception, chunk: Chunk | None = None, chunks: int = 0) -> ErrorRecord:
        message = _one_line(str(error)) or type(error).__name__
        if chunk is not None:
            message = f"chunk {chunk.index} of {chunks} (characters {chunk.start}-{chunk.end}): {message}"
        return ErrorRecord(
            doc_id=self.document.id,
            source=self.document.source,
            stage="extract",
            error=error.kind if isinstance(error, BackendError) else type(error).__name__,
            message=message,
            chunk=None if chunk is None else chunk.index,
            span=None if chunk is None else Span(start=chunk.start, end=chunk.end),
        )


def _noting_reasks(rejected: RejectedClaim, reasks: int) -> RejectedClaim:
    if reasks == 0:
        return rejected
    detail = f"{rejected.detail} (re-asked {reasks} time{'s' if reasks > 1 else ''})"
    return rejected.model_copy(update={"detail": detail})


def _retried_chunks(chunks: Sequence[Chunk], retry: Retry) -> list[Chunk] | None:
    """The chunks a retry redoes, or None when the chunking changed since (other --chunk-chars)."""
    wanted = set(retry.failed)
    selected = [chunk for chunk in chunks if ChunkRef(chunk.index, chunk.start, chunk.end) in wanted]
    return selected if selected and len(selected) == len(wanted) else None


async def extract_document(
    document: Document,
    backend: Backend,
    options: ExtractOptions,
    limiter: asyncio.Semaphore | None = None,
    retry: Retry | None = None,
) -> DocumentResult:
    """Extract, verify and merge the claims of one document; failures become error records.

    `limiter` bounds the requests in flight; the run driver shares one over the whole run.
    With `retry`, only its failed chunks are asked again (when the chunking still matches;
    otherwise the whole document is redone) and the kept claims are merged with the new ones.
    """
    run = _DocumentRun(document, backend, options, limiter or asyncio.Semaphore(options.concurrency))
    result = run.result
    all_chunks = split_into_chunks(document.id, document.text, options.chunk_chars, options.chunk_overlap)
    chunks = all_chunks
    retried = _retried_chunks(all_chunks, retry) if retry is not None else None
    if retry is not None and retried is not None:
        chunks = retried
        result.claims = list(retry.claims)
        result.rejected = list(retry.rejected)
        result.proposed, result.reasked, result.regrounded = retry.proposed, retry.reasked, retry.regrounded
        result.usage.add(retry.usage)
    outcomes = await asyncio.gather(*(run.extract_chunk(chunk) for chunk in chunks), return_exceptions=True)
    failures: list[tuple[Chunk, Exception]] = []
    for chunk, outcome in zip(chunks, outcomes, strict=True):
        if isinstance(outcome, Exception):
            failures.append((chunk, outcome))
        elif isinstance(outcome, BaseException):  # cancellation and the like are not ours to record
            raise outcome
        else:
            run.commit(outcome)
    if failures and len(failures) == len(chunks) and retried is None:
        # no chunk succeeded: the document failed as a whole and is retried as a whole
        result.error = run.error_record(failures[0][1])
        result.claims, result.rejected = [], []
        result.proposed = result.reasked = result.regrounded = 0
        return result
    result.chunk_errors = [run.error_record(error, chunk, len(all_chunks)) for chunk, error in failures]
    result.claims = merge_claims(result.claims)
    return result


def _one_line(message: str) -> str:
    return " ".join(message.split())[:500]

"""From documents to verified claims: chunk, propose, verify, merge — one document at a time.

The pipeline knows only the `Backend` protocol. Every document ends as a `DocumentResult`:
its verified claims and rejected proposals, or an error record; nothing is silently dropped.

- Chunks of a document are proposed concurrently; one semaphore bounds the requests in flight
  over the whole run (`concurrency`), whatever the mix of long and short documents.
- Quotes are verified against the whole document, preferring the occurrence nearest the chunk,
  so a sentence cut by a chunk boundary is still found; claims of all chunks are then merged.
- Grounding loop: a chunk whose quotes were not found is asked again (`reask` times) with the
  failed quotes as feedback. A claim still ungrounded after the last re-ask is rejected with its
  reason; one the re-ask grounded counts in `regrounded`.
- A truncated answer (finish_reason "length") splits the chunk in two and asks for each half,
  at most `max_splits` levels deep.
- Tokens are counted for every attempt, including those of a document that fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field

from claims.backends.protocol import Backend, BackendError, Chunk, ProposalRequest, TruncatedAnswer, Usage
from claims.chunking import DEFAULT_CHUNK_CHARS, DEFAULT_OVERLAP_CHARS, split_in_two, split_into_chunks
from claims.inputs.documents import Document, DocumentError
from claims.merge import event_key, merge_claims
from claims.schema import ErrorRecord, ProposedClaim, Provenance, RejectedClaim, VerifiedClaim
from claims.verify.verifier import Verifier


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


@dataclass
class DocumentResult:
    """What became of one document."""

    doc_id: str
    document: Document | None = None
    """The document as extracted (None for an input that could not be loaded)."""
    claims: list[VerifiedClaim] = field(default_factory=list)
    rejected: list[RejectedClaim] = field(default_factory=list)
    error: ErrorRecord | None = None
    usage: Usage = field(default_factory=Usage)
    proposed: int = 0
    """Claims the backend proposed, over every attempt (re-asks included)."""
    reasked: int = 0
    """Claims whose quote was not found and that were asked again."""
    regrounded: int = 0
    """Of those, how many a re-ask turned into a verified claim."""

    @property
    def ok(self) -> bool:
        return self.error is None


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
        self.result = DocumentResult(document.id, document=document)

    def provenance(self, chunk: Chunk) -> Provenance:
        return Provenance(
            backend=self.backend.name,
            model=self.described.get("model"),
            prompt_hash=self.described.get("prompt_hash"),
            chunk=chunk.index,
        )

    async def propose(
        self, chunk: Chunk, feedback: tuple[str, ...], depth: int = 0
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
                first = await self.propose(halves[0], feedback, depth + 1)
                return first + await self.propose(halves[1], feedback, depth + 1)
            raise
        self.result.usage.add(proposal.usage)
        self.result.proposed += len(proposal.claims)
        return [(chunk, claim) for claim in proposal.claims]

    async def extract_chunk(self, chunk: Chunk) -> None:
        """Propose, verify, and re-ask (bounded) for the quotes that were not found."""
        doc_id = self.document.id
        grounded: list[VerifiedClaim] = []
        grounded_by_reask: set[tuple[object, ...]] = set()
        earlier: list[tuple[RejectedClaim, ProposedClaim]] = []
        pairs = await self.propose(chunk, ())
        for attempt in range(self.options.reask + 1):
            not_found: list[tuple[RejectedClaim, ProposedClaim]] = []
            for source_chunk, claim in pairs:
                outcome = self.verifier.verify(
                    doc_id, claim, self.provenance(source_chunk), near=(source_chunk.start, source_chunk.end)
                )
                if isinstance(outcome, RejectedClaim):
                    if outcome.reason == "not_found":
                        not_found.append((outcome, claim))
                    else:
                        self.result.rejected.append(outcome)
                else:
                    grounded.append(outcome)
                    if attempt > 0:
                        grounded_by_reask.add(event_key(claim))
            if not not_found or attempt == self.options.reask:
                break
            self.result.reasked += len(not_found)
            earlier.extend(not_found)
            feedback = tuple(dict.fromkeys(claim.quote for _, claim in not_found))
            pairs = await self.propose(chunk, feedback)
        self.result.claims.extend(grounded)
        final_keys = {event_key(claim) for _, claim in not_found}
        self.result.regrounded += sum(1 for _, claim in earlier if event_key(claim) in grounded_by_reask)
        for rejected, _claim in not_found:
            self.result.rejected.append(_noting_reasks(rejected, attempt))
        for rejected, claim in earlier:
            if event_key(claim) not in grounded_by_reask and event_key(claim) not in final_keys:
                # the re-ask left this claim out: it still failed, so it is still reported
                self.result.rejected.append(_noting_reasks(rejected, attempt))


def _noting_reasks(rejected: RejectedClaim, reasks: int) -> RejectedClaim:
    if reasks == 0:
        return rejected
    detail = f"{rejected.detail} (re-asked {reasks} time{'s' if reasks > 1 else ''})"
    return rejected.model_copy(update={"detail": detail})


async def extract_document(
    document: Document,
    backend: Backend,
    options: ExtractOptions,
    limiter: asyncio.Semaphore | None = None,
) -> DocumentResult:
    """Extract, verify and merge the claims of one document; failures become an error record.

    `limiter` bounds the requests in flight; `extract_stream` shares one over the whole run.
    """
    run = _DocumentRun(document, backend, options, limiter or asyncio.Semaphore(options.concurrency))
    result = run.result
    chunks = split_into_chunks(document.id, document.text, options.chunk_chars, options.chunk_overlap)
    outcomes = await asyncio.gather(*(run.extract_chunk(chunk) for chunk in chunks), return_exceptions=True)
    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    for failure in failures:
        if not isinstance(failure, Exception):  # cancellation and the like are not ours to record
            raise failure
    if failures:
        error = failures[0]
        result.error = ErrorRecord(
            doc_id=document.id,
            source=document.source,
            stage="extract",
            error=error.kind if isinstance(error, BackendError) else type(error).__name__,
            message=_one_line(str(error)) or type(error).__name__,
        )
        result.claims = []
        result.rejected = []  # the document will be retried as a whole (e.g. by --resume)
        return result
    result.claims = merge_claims(result.claims)
    return result


async def extract_stream(
    items: Iterable[Document | DocumentError], backend: Backend, options: ExtractOptions
) -> AsyncIterator[DocumentResult]:
    """Process documents with at most `options.concurrency` requests (and documents) in flight;
    yield results as they finish.

    Load errors pass through as results carrying their error record, so the caller sees every input.
    """
    if options.concurrency < 1:
        raise ValueError("concurrency must be at least 1")
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
                pending.add(asyncio.create_task(extract_document(item, backend, options, limiter)))
            if not pending:
                return
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                yield task.result()
    finally:
        for task in pending:
            task.cancel()


def _one_line(message: str) -> str:
    return " ".join(message.split())[:500]

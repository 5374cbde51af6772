"""From documents to verified claims: chunk, propose, verify, merge — one document at a time.

The pipeline knows only the `Backend` protocol. Every document ends as a `DocumentResult`:
its verified claims and rejected proposals, or an error record; nothing is silently dropped.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field

from claims.backend import Backend, Chunk, ProposalRequest, Usage
from claims.chunking import DEFAULT_CHUNK_CHARS, DEFAULT_OVERLAP_CHARS, split_into_chunks
from claims.documents import Document, DocumentError
from claims.merge import merge_claims
from claims.schema import ErrorRecord, Provenance, RejectedClaim, VerifiedClaim
from claims.verify import Verifier


@dataclass(frozen=True)
class ExtractOptions:
    """Everything about a run that is not the documents or the backend."""

    chunk_chars: int = DEFAULT_CHUNK_CHARS
    chunk_overlap: int = DEFAULT_OVERLAP_CHARS
    concurrency: int = 4
    strict: bool = False
    reask: int = 1
    """How many times a chunk whose quotes failed the verifier is asked again (0 = never)."""


@dataclass
class DocumentResult:
    """What became of one document."""

    doc_id: str
    claims: list[VerifiedClaim] = field(default_factory=list)
    rejected: list[RejectedClaim] = field(default_factory=list)
    error: ErrorRecord | None = None
    usage: Usage = field(default_factory=Usage)
    proposed: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None


async def extract_document(document: Document, backend: Backend, options: ExtractOptions) -> DocumentResult:
    """Extract, verify and merge the claims of one document; failures become an error record."""
    result = DocumentResult(document.id)
    verifier = Verifier({document.id: document.text}, strict=options.strict)
    described = backend.describe()
    try:
        for chunk in split_into_chunks(
            document.id, document.text, options.chunk_chars, options.chunk_overlap
        ):
            provenance = Provenance(
                backend=backend.name,
                model=described.get("model"),
                prompt_hash=described.get("prompt_hash"),
                chunk=chunk.index,
            )
            await _extract_chunk(document, chunk, backend, verifier, provenance, options, result)
    except Exception as error:  # a backend failure ends this document, not the run
        result.error = ErrorRecord(
            doc_id=document.id,
            source=document.source,
            stage="extract",
            error=type(error).__name__,
            message=_one_line(str(error)) or type(error).__name__,
        )
        result.claims = []
        return result
    result.claims = merge_claims(result.claims)
    return result


async def _extract_chunk(
    document: Document,
    chunk: Chunk,
    backend: Backend,
    verifier: Verifier,
    provenance: Provenance,
    options: ExtractOptions,
    result: DocumentResult,
) -> None:
    feedback: tuple[str, ...] = ()
    for attempt in range(options.reask + 1):
        proposal = await backend.propose(ProposalRequest(document, chunk, feedback))
        result.usage.add(proposal.usage)
        result.proposed += len(proposal.claims)
        failed: list[RejectedClaim] = []
        for claim in proposal.claims:
            outcome = verifier.verify(document.id, claim, provenance, near=(chunk.start, chunk.end))
            if isinstance(outcome, RejectedClaim):
                failed.append(outcome)
            else:
                result.claims.append(outcome)
        regroundable = [r for r in failed if r.reason == "not_found"]
        if not regroundable or attempt == options.reask:
            result.rejected.extend(failed)
            return
        result.rejected.extend(r for r in failed if r.reason != "not_found")
        feedback = tuple(str(r.claim.get("quote", "")) for r in regroundable)


async def extract_stream(
    items: Iterable[Document | DocumentError], backend: Backend, options: ExtractOptions
) -> AsyncIterator[DocumentResult]:
    """Process documents with at most `options.concurrency` in flight; yield results as they finish.

    Load errors pass through as results carrying their error record, so the caller sees every input.
    """
    if options.concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    pending: set[asyncio.Task[DocumentResult]] = set()
    iterator = iter(items)
    exhausted = False
    while True:
        while not exhausted and len(pending) < options.concurrency:
            item = next(iterator, None)
            if item is None:
                exhausted = True
                break
            if isinstance(item, DocumentError):
                yield DocumentResult(item.doc_id or item.source, error=item.record())
                continue
            pending.add(asyncio.create_task(extract_document(item, backend, options)))
        if not pending:
            return
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            yield task.result()


def _one_line(message: str) -> str:
    return " ".join(message.split())[:500]

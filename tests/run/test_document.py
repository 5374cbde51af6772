"""The per-document pipeline with an in-process scripted backend: grounding loop, chunks, truncation,
failed chunks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from claims.backends.protocol import BackendError, Proposal, ProposalRequest, TruncatedAnswer, Usage
from claims.inputs.documents import Document
from claims.run.document import ChunkRef, DocumentResult, Retry, extract_document
from claims.run.driver import RunDriver
from claims.run.options import ExtractOptions
from claims.schema import PROPOSED_CLAIM_ADAPTER, ProposedClaim
from tests.fakes.claimdata import CHUNKED, PARAGRAPHS, delivery, meeting, three_chunk_text

GROUNDED = "Die Ministerin Lindqvist traf ihren Kollegen Tamm am Montag in Tallinn."
INVENTED = "Lindqvist und Tamm trafen sich in Riga zu langen Gesprächen."


def claim(raw: dict[str, object]) -> ProposedClaim:
    return PROPOSED_CLAIM_ADAPTER.validate_python(raw)


@dataclass
class ScriptedBackend:
    """A fake backend (no model): `answer(request)` decides the claims; it records every request."""

    answer: Callable[[ProposalRequest], list[ProposedClaim]]
    name: str = "scripted"
    requests: list[ProposalRequest] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    delay: float = 0.0

    def describe(self) -> dict[str, str | None]:
        return {"model": "scripted", "endpoint": None, "mode": None, "prompt_hash": None}

    async def propose(self, request: ProposalRequest) -> Proposal:
        self.requests.append(request)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            return Proposal(self.answer(request), Usage(requests=1, prompt_tokens=10, completion_tokens=5))
        finally:
            self.in_flight -= 1

    async def aclose(self) -> None:
        pass


def run(document: Document, backend: ScriptedBackend, **options: int) -> DocumentResult:
    return asyncio.run(extract_document(document, backend, ExtractOptions(**options)))  # type: ignore[arg-type]


def test_an_ungrounded_quote_is_reasked_once_and_the_fix_is_kept() -> None:
    def answer(request: ProposalRequest) -> list[ProposedClaim]:
        return [claim(meeting(GROUNDED if request.feedback else INVENTED))]

    backend = ScriptedBackend(answer)
    result = run(Document(id="d", text=GROUNDED), backend)
    assert [c.quote for c in result.claims] == [GROUNDED]
    assert result.rejected == []
    assert backend.requests[1].feedback == (INVENTED,)
    assert (result.reasked, result.regrounded, result.proposed) == (1, 1, 2)
    assert result.usage.requests == 2 and result.usage.prompt_tokens == 20


def test_a_quote_still_ungrounded_after_the_reask_is_rejected_with_its_reason() -> None:
    backend = ScriptedBackend(lambda _request: [claim(meeting(INVENTED))])
    result = run(Document(id="d", text=GROUNDED), backend, reask=1)
    assert result.claims == []
    (rejected,) = result.rejected
    assert rejected.reason == "not_found"
    assert rejected.detail is not None and "re-asked 1 time" in rejected.detail
    assert len(backend.requests) == 2


def test_a_claim_the_reask_leaves_out_is_still_rejected_not_dropped() -> None:
    def answer(request: ProposalRequest) -> list[ProposedClaim]:
        return [] if request.feedback else [claim(meeting(INVENTED)), claim(meeting(GROUNDED))]

    result = run(Document(id="d", text=GROUNDED), ScriptedBackend(answer))
    assert [c.quote for c in result.claims] == [GROUNDED]
    assert [r.claim["quote"] for r in result.rejected] == [INVENTED]


def test_reask_zero_never_asks_again() -> None:
    backend = ScriptedBackend(lambda _request: [claim(meeting(INVENTED))])
    result = run(Document(id="d", text=GROUNDED), backend, reask=0)
    assert len(backend.requests) == 1 and len(result.rejected) == 1


def test_too_short_quotes_are_rejected_without_a_reask() -> None:
    backend = ScriptedBackend(lambda _request: [claim(meeting("Lindqvist traf"))])
    result = run(Document(id="d", text=GROUNDED), backend)
    assert [r.reason for r in result.rejected] == ["too_short"]
    assert len(backend.requests) == 1


def long_document() -> Document:
    filler = " ".join(f"Satz Nummer {i} handelt von nichts Besonderem." for i in range(60))
    return Document(id="long", text=f"{filler}\n\n{GROUNDED}\n\n{filler}")


def test_the_same_claim_found_in_two_chunks_becomes_one_claim() -> None:
    def answer(request: ProposalRequest) -> list[ProposedClaim]:
        return [claim(meeting(GROUNDED))] if GROUNDED in request.chunk.text else []

    document = long_document()
    backend = ScriptedBackend(answer)
    result = run(document, backend, chunk_chars=2000, chunk_overlap=600)
    chunks_with_it = [r for r in backend.requests if GROUNDED in r.chunk.text]
    assert len(backend.requests) > 2 and len(chunks_with_it) == 2
    (merged,) = result.claims
    assert document.text[merged.span.start : merged.span.end] == GROUNDED


def test_quotes_are_verified_against_the_whole_document() -> None:
    """A chunk's claim may quote a sentence the chunk boundary cut: the document has it whole."""
    document = long_document()
    backend = ScriptedBackend(lambda request: [claim(meeting(GROUNDED))] if request.chunk.index == 0 else [])
    result = run(document, backend, chunk_chars=2000, chunk_overlap=100)
    assert GROUNDED not in backend.requests[0].chunk.text
    assert [c.quote for c in result.claims] == [GROUNDED]


def test_a_truncated_answer_splits_the_chunk_and_asks_for_each_half() -> None:
    text = f"{GROUNDED}\n\nDer Iran lieferte im Mai Drohnen an Russland, meldete die Agentur."
    seen: list[str] = []

    async def propose(request: ProposalRequest) -> Proposal:
        seen.append(request.chunk.text)
        if request.chunk.text == text:
            raise TruncatedAnswer("cut", usage=Usage(requests=1, completion_tokens=4096))
        if GROUNDED in request.chunk.text:
            return Proposal([claim(meeting(GROUNDED))], Usage(requests=1))
        quote = "Der Iran lieferte im Mai Drohnen an Russland, meldete die Agentur."
        return Proposal([claim(delivery(quote))], Usage(requests=1))

    backend = ScriptedBackend(lambda _r: [])
    backend.propose = propose  # type: ignore[method-assign]
    result = run(Document(id="t", text=text), backend)
    assert result.ok
    assert len(seen) == 3 and seen[1] + seen[2] == text
    assert sorted(c.type for c in result.claims) == ["arms_delivery", "meeting"]
    assert result.usage.completion_tokens == 4096 and result.usage.requests == 3


def test_a_chunk_that_stays_truncated_ends_in_an_error_record() -> None:
    async def propose(request: ProposalRequest) -> Proposal:
        raise TruncatedAnswer("the answer reached the token limit", usage=Usage(requests=1))

    backend = ScriptedBackend(lambda _r: [])
    backend.propose = propose  # type: ignore[method-assign]
    result = run(Document(id="t", text=long_document().text), backend, max_splits=1)
    assert result.error is not None
    assert result.error.error == "TruncatedAnswer"
    assert "--max-tokens" in result.error.message
    # the whole chunk, then its first half at the depth limit: both failed attempts are counted
    assert result.usage.requests == 2


def test_the_concurrency_bound_holds_over_documents_and_chunks() -> None:
    backend = ScriptedBackend(lambda _r: [], delay=0.01)
    documents = [long_document().model_copy(update={"id": f"d{i}"}) for i in range(6)]

    async def run_all() -> list[DocumentResult]:
        options = ExtractOptions(concurrency=3, chunk_chars=1000, chunk_overlap=100)
        return [r async for r in RunDriver(documents, backend, options)]

    results = asyncio.run(run_all())
    assert len(results) == 6
    assert backend.max_in_flight == 3


def test_bad_options_name_the_flag() -> None:
    with pytest.raises(ValueError, match="--chunk-overlap"):
        ExtractOptions(chunk_chars=100, chunk_overlap=100)
    with pytest.raises(ValueError, match="--concurrency"):
        ExtractOptions(concurrency=0)


def paragraph_claims(request: ProposalRequest) -> list[ProposedClaim]:
    return [claim(meeting(text, a, b)) for text, a, b in PARAGRAPHS if text in request.chunk.text]


@dataclass
class FailingChunk(ScriptedBackend):
    """Scripted: requests for chunks whose text holds `marker` fail with a server error."""

    marker: str = PARAGRAPHS[1][0]

    async def propose(self, request: ProposalRequest) -> Proposal:
        if self.marker in request.chunk.text:
            self.requests.append(request)
            raise BackendError("HTTP 500: kaputt", kind="InternalServerError", usage=Usage(requests=1))
        return await super().propose(request)


def test_a_failed_chunk_keeps_the_other_chunks_claims_and_names_its_span() -> None:
    document = Document(id="d", text=three_chunk_text(), source="d.txt")
    result = run(document, FailingChunk(paragraph_claims), **CHUNKED)
    assert result.partial and not result.ok and result.error is None
    assert sorted(c.quote for c in result.claims) == sorted([PARAGRAPHS[0][0], PARAGRAPHS[2][0]])
    (error,) = result.chunk_errors
    assert (error.doc_id, error.source, error.stage, error.error) == (
        "d",
        "d.txt",
        "extract",
        "InternalServerError",
    )
    assert error.chunk == 1 and error.span is not None
    assert PARAGRAPHS[1][0] in document.text[error.span.start : error.span.end]
    assert error.message.startswith("chunk 1 of 3 (characters 144-286): HTTP 500")
    assert result.failed_chunks == [ChunkRef(1, error.span.start, error.span.end)]
    assert result.errors == [error]
    assert result.usage.requests == 3, "the failed attempt is counted too"
    assert result.document == document


def test_a_document_whose_every_chunk_failed_fails_as_a_whole() -> None:
    backend = FailingChunk(paragraph_claims, marker="Minister")
    result = run(Document(id="d", text=three_chunk_text()), backend, **CHUNKED)
    assert not result.partial and result.error is not None and result.chunk_errors == []
    assert result.error.chunk is None and result.claims == [] and result.rejected == []
    assert result.errors == [result.error]


def test_a_retry_asks_only_for_the_failed_chunk_and_merges_with_the_kept_claims() -> None:
    document = Document(id="d", text=three_chunk_text())
    first = run(document, FailingChunk(paragraph_claims), **CHUNKED)
    retry = Retry(
        failed=tuple(first.failed_chunks),
        claims=first.claims,
        rejected=first.rejected,
        proposed=first.proposed,
        usage=first.usage,
    )
    backend = ScriptedBackend(lambda request: [*paragraph_claims(request), claim(meeting(PARAGRAPHS[0][0]))])
    again = asyncio.run(
        extract_document(document, backend, ExtractOptions(**CHUNKED), retry=retry)  # type: ignore[arg-type]
    )
    assert [r.chunk.index for r in backend.requests] == [1]
    assert again.ok
    assert [c.quote for c in again.claims] == [text for text, _a, _b in PARAGRAPHS]
    (kept_first,) = [c for c in again.claims if c.quote == PARAGRAPHS[0][0]]
    assert len(kept_first.alt_spans) == 0, "the re-proposed first meeting merged into the kept one"
    assert again.proposed == first.proposed + 2
    assert again.usage.requests == first.usage.requests + 1


def test_a_retry_after_the_chunking_changed_redoes_the_whole_document() -> None:
    document = Document(id="d", text=three_chunk_text())
    retry = Retry(failed=(ChunkRef(1, 100, 200),), claims=[], proposed=5)
    backend = ScriptedBackend(paragraph_claims)
    again = asyncio.run(
        extract_document(document, backend, ExtractOptions(**CHUNKED), retry=retry)  # type: ignore[arg-type]
    )
    assert sorted(r.chunk.index for r in backend.requests) == [0, 1, 2]
    assert len(again.claims) == 3 and again.proposed == 3

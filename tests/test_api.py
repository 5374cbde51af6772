"""claims.extract over HTTP against the scripted FAKE server: verified records out, nothing lost."""

from __future__ import annotations

from typing import Any

from claims.api import extract
from claims.inputs.documents import Document
from claims.run.options import ExtractOptions
from tests.fakes.claimdata import (
    PARAGRAPHS,
    delivery,
    first_line_meeting,
    meeting,
    paragraph_meetings,
    three_chunk_text,
)
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, RecordedRequest, Reply


def settings(server: FakeOpenAIServer, **more: Any) -> dict[str, Any]:
    return {"base_url": server.url, "model": MODEL_ID, "max_retries": 1} | more


def docs(n: int, prefix: str = "doc") -> list[Document]:
    return [
        Document(
            id=f"{prefix}{i}", text=f"Ministerin Lindqvist traf Minister Tamm in Stadt {i}.\nSonst nichts."
        )
        for i in range(n)
    ]


def test_a_hallucinated_quote_is_rejected_and_a_real_one_verified(fake_server: FakeOpenAIServer) -> None:
    text = "Der Iran lieferte im Mai Drohnen an Russland, meldete die Agentur.\nDas Wetter war gut."
    fake_server.default = lambda _request: Reply.claims(
        delivery("Der Iran lieferte im Mai Drohnen an Russland, meldete die Agentur."),
        meeting("Putin und Raisi unterzeichneten in Teheran einen Vertrag."),
    )
    result = extract(
        [Document(id="d", text=text)], backend="openai", **settings(fake_server, use_cache=False)
    )
    (claim,) = result.claims
    assert text[claim.span.start : claim.span.end] == claim.quote
    assert claim.provenance.model == MODEL_ID and claim.provenance.backend == "openai"
    (rejected,) = result.rejected
    assert rejected.reason == "not_found" and rejected.doc_id == "d"
    assert len(fake_server.requests) == 2, "one re-ask for the ungrounded quote"
    assert fake_server.requests[1].user_text.count("Putin und Raisi") == 1
    manifest = result.manifest
    assert manifest.totals.claims_proposed == 4 and manifest.totals.claims_verified == 1
    assert manifest.totals.claims_rejected == 1
    assert manifest.usage.requests == 2 and manifest.usage.prompt_tokens == 200
    assert manifest.endpoint == fake_server.url and manifest.prompt_hash


def test_repeated_server_errors_fail_one_document_and_the_others_go_on(fake_server: FakeOpenAIServer) -> None:
    fake_server.default = first_line_meeting
    fake_server.script("Stadt 2.", *[Reply.error(500, "kaputt", retry_after_ms="5")] * 10)
    result = extract(docs(5), backend="openai", **settings(fake_server))
    assert sorted(c.doc_id for c in result.claims) == ["doc0", "doc1", "doc3", "doc4"]
    (error,) = result.errors
    assert (error.doc_id, error.stage, error.error) == ("doc2", "extract", "InternalServerError")
    assert "HTTP 500" in error.message and "kaputt" in error.message
    assert len(fake_server.requests_with("Stadt 2.")) == 2, "max_retries=1: two attempts, then the error"
    assert result.manifest.totals.documents_failed == 1
    assert result.manifest.totals.errors == {"InternalServerError": 1}


def test_the_concurrency_limit_holds_at_the_server(fake_server: FakeOpenAIServer) -> None:
    fake_server.default = first_line_meeting
    fake_server.delay = 0.1
    result = extract(
        docs(12), backend="openai", options=ExtractOptions(concurrency=3), **settings(fake_server)
    )
    assert len(result.claims) == 12
    assert fake_server.max_in_flight == 3


def test_a_cached_rerun_makes_zero_requests(fake_server: FakeOpenAIServer) -> None:
    fake_server.default = first_line_meeting
    first = extract(docs(4), backend="openai", **settings(fake_server))
    assert len(fake_server.requests) == 4
    again = extract(docs(4), backend="openai", **settings(fake_server))
    assert len(fake_server.requests) == 4
    assert again.manifest.usage.cached == 4 and again.manifest.usage.requests == 0
    assert sorted(c.claim_id for c in again.claims) == sorted(c.claim_id for c in first.claims)
    extract(docs(4), backend="openai", **settings(fake_server, use_cache=False))
    assert len(fake_server.requests) == 8, "--no-cache asks again"


def test_a_truncated_answer_over_http_splits_the_chunk(fake_server: FakeOpenAIServer) -> None:
    first = "Ministerin Lindqvist traf Minister Tamm am Montag in Tallinn."
    second = "Der Iran lieferte im Mai Drohnen an Russland, meldete die Agentur."
    text = f"{first}\n\n{second}"

    def answer(request: RecordedRequest) -> Reply:
        if first in request.article and second in request.article:
            return Reply.truncated()
        return Reply.claims(meeting(first) if first in request.article else delivery(second))

    fake_server.default = answer
    result = extract([Document(id="t", text=text)], backend="openai", **settings(fake_server))
    assert result.errors == []
    assert sorted(c.type for c in result.claims) == ["arms_delivery", "meeting"]
    assert len(fake_server.requests) == 3


def test_one_chunk_with_an_over_long_answer_does_not_sink_its_document(fake_server: FakeOpenAIServer) -> None:
    """The bug of a long text through the openai path: one chunk's answer stayed truncated at the
    deepest split, and the document lost the claims of all its other chunks."""
    fake_server.default = paragraph_meetings
    fake_server.script(PARAGRAPHS[1][0], *[Reply.truncated()] * 20)
    text = three_chunk_text()
    result = extract(
        [Document(id="long", text=text)],
        backend="openai",
        options=ExtractOptions(max_splits=1, chunk_chars=200, chunk_overlap=0),
        **settings(fake_server, use_cache=False),
    )
    assert sorted(c.quote for c in result.claims) == sorted([PARAGRAPHS[0][0], PARAGRAPHS[2][0]])
    (error,) = result.errors
    assert (error.doc_id, error.error, error.chunk) == ("long", "TruncatedAnswer", 1)
    assert error.span is not None and PARAGRAPHS[1][0] in text[error.span.start : error.span.end]
    assert result.manifest.totals.documents_partial == 1 and result.manifest.totals.documents_failed == 0
    assert result.manifest.totals.claims_verified == 2
    assert result.manifest.usage.requests == 2 + 2, "two good chunks; the bad one whole, then its first half"

"""The held-out set in eval/holdout is well formed: every gold quote is really in its document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from claims.inputs.documents import Document, load_documents
from claims.schema import PROPOSED_CLAIM_ADAPTER, Provenance, RejectedClaim
from claims.verify.verifier import Verifier
from tests.conftest import EVAL

HOLDOUT = EVAL / "holdout"
DOCS = HOLDOUT / "docs"
GOLD = HOLDOUT / "gold.jsonl"
PROVENANCE = Provenance(backend="test")


def _texts() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.txt"))}


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_gold_doc_id_is_a_document_and_every_document_is_listed() -> None:
    texts = _texts()
    assert len(texts) == 14
    gold = _lines(GOLD)
    assert gold, "the holdout gold is empty"
    assert {line["doc_id"] for line in gold} <= set(texts)
    listed = _lines(DOCS / "documents.jsonl")
    assert [item["doc_id"] for item in listed] == sorted(texts)
    assert all(item["language"] in ("de", "en") and item["published"] for item in listed)


def test_every_holdout_quote_and_alt_quote_verifies_with_exact_offsets() -> None:
    texts = _texts()
    verifier = Verifier(texts)
    checked = 0
    for line in _lines(GOLD):
        for quote in [line["quote"], *line["alt_quotes"]]:
            claim = PROPOSED_CLAIM_ADAPTER.validate_python({**line, "quote": quote})
            outcome = verifier.verify(line["doc_id"], claim, PROVENANCE)
            assert not isinstance(outcome, RejectedClaim), (line["doc_id"], quote, outcome)
            assert texts[line["doc_id"]][outcome.span.start : outcome.span.end] == quote
            assert outcome.match == "exact"
            checked += 1
    assert checked == 87 + 38


def test_the_documents_load_with_their_publication_dates() -> None:
    documents = [item for item in load_documents([DOCS]) if isinstance(item, Document)]
    assert len(documents) == 14
    assert all(document.published and document.language for document in documents)

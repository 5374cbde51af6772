"""The committed comparison of the local model's two requests is what its committed predictions score
today: a change to the scorer that moves those numbers fails here until the report is regenerated."""

from __future__ import annotations

import json

import pytest

from claims.inputs.documents import load_documents, split_loaded
from claims.scoring.evaluate import evaluate
from claims.scoring.records import load_gold, load_predictions
from claims.scoring.summary import compare_with_first, summarize
from tests.conftest import EVAL, SEEDS

REPORTS = EVAL / "reports"
PREDICTIONS = REPORTS / "predictions"
SETS = {
    "seeds": (EVAL / "gold" / "seeds.jsonl", SEEDS),
    "holdout": (EVAL / "holdout" / "gold.jsonl", EVAL / "holdout" / "docs"),
    "dev": (EVAL / "events" / "dev" / "gold.jsonl", EVAL / "events" / "dev" / "docs"),
    "blind": (EVAL / "events" / "blind" / "gold.jsonl", EVAL / "events" / "blind" / "docs"),
}
SYSTEMS = {
    "before-issue-14.jsonl": "-d3fd29a",
    "no-country-list.jsonl": "-no-country-list",
    "local-default.jsonl": "",
}


def test_the_pooled_request_comparison_matches_its_predictions() -> None:
    committed = json.loads((REPORTS / "local-qwen2.5-coder-1.5b-requests.json").read_text(encoding="utf-8"))
    documents, errors = split_loaded(load_documents([str(docs) for _, docs in SETS.values()]))
    assert not errors
    texts = {document.id: document.text for document in documents}
    gold = [claim for path, _ in SETS.values() for claim in load_gold(path)]
    summaries = []
    for label, suffix in SYSTEMS.items():
        predicted = [
            claim
            for name in SETS
            for claim in load_predictions(PREDICTIONS / f"local-qwen-{name}{suffix}.claims.jsonl")
        ]
        summaries.append(summarize(evaluate(gold, predicted, texts), label))
    compare_with_first(summaries)
    for fresh, saved in zip(summaries, committed["systems"], strict=True):
        assert fresh.label == saved["label"]
        assert fresh.model_dump(mode="json")["micro"] == saved["micro"]
        assert fresh.model_dump(mode="json")["per_document"] == saved["per_document"]
    for fresh, saved in zip(summaries[1:], committed["systems"][1:], strict=True):
        assert fresh.versus_first is not None
        assert fresh.versus_first.model_dump(mode="json") == saved["versus_first"]
        assert fresh.versus_first.documents == 32 and fresh.versus_first.reading == "no clear difference"
    assert summaries[1].versus_first.delta == pytest.approx(-0.006, abs=0.0005)  # type: ignore[union-attr]
    assert summaries[2].versus_first.delta == pytest.approx(0.032, abs=0.0005)  # type: ignore[union-attr]

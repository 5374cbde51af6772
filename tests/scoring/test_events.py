"""Scoring event grouping: pairwise and B-cubed, gold labels, the seeds, end to end, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.cli import main
from claims.scoring.evaluate import evaluate
from claims.scoring.events import (
    bcubed,
    load_event_labels,
    pairwise,
    score_end_to_end,
    score_gold_grouping,
)
from claims.scoring.records import EvalClaim, ScoringInputError, load_gold
from tests.conftest import EVAL, GOLD, ROOT, seed_texts

EVENTS = EVAL / "gold" / "events.jsonl"


def test_pairwise_counts() -> None:
    counts = pairwise(["x", "x", "x", "y"], ["a", "a", "b", "b"])
    assert (counts.tp, counts.fp, counts.fn) == (1, 2, 1)
    assert counts.as_dict()["precision"] == pytest.approx(1 / 3)
    assert pairwise(["x", "y"], ["a", "b"]).as_dict()["precision"] is None  # no pair either way


def test_bcubed_known_values() -> None:
    scores = bcubed(["x", "x", "y"], ["a", "b", "b"])
    assert scores["precision"] == pytest.approx((1 / 2 + 1 / 2 + 1) / 3)
    assert scores["recall"] == pytest.approx((1 + 1 / 2 + 1 / 2) / 3)
    assert bcubed([], [])["f1"] is None


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=30))
def test_identical_clusterings_score_one(pairs: list[tuple[int, int]]) -> None:
    labels = [a for a, _ in pairs]
    renamed = [f"event-{a}" for a in labels]
    assert bcubed(renamed, labels)["f1"] == pytest.approx(1.0)
    counts = pairwise(renamed, labels)
    assert counts.fp == counts.fn == 0


def _gold() -> list[EvalClaim]:
    return load_gold(GOLD)


def test_done_when_seed_gold_grouping_reaches_f1_095() -> None:
    """The issue's bar: the seed gold claims grouped against events.jsonl give pairwise F1 >= 0.95."""
    gold = _gold()
    scores = score_gold_grouping(gold, load_event_labels(EVENTS, gold), seed_texts())
    assert scores["pairwise"]["f1"] >= 0.95
    assert scores["claims"] == len(gold)


def test_a_wrong_grouping_is_listed_with_its_rule() -> None:
    gold = _gold()
    labels = load_event_labels(EVENTS, gold)
    labels[29] = labels[28]  # claim 30 (PRK→RUS relation) wrongly labelled one with the visit
    scores = score_gold_grouping(gold, labels, seed_texts())
    assert scores["pairwise"]["fn"] >= 1
    assert any("type" in item["why"] for item in scores["missed_links"])


def test_event_labels_must_fit_the_gold(tmp_path: Path) -> None:
    gold = _gold()
    lines = EVENTS.read_text(encoding="utf-8").splitlines()
    short = tmp_path / "short.jsonl"
    short.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(ScoringInputError, match="no event label for gold line 65"):
        load_event_labels(short, gold)
    wrong = tmp_path / "wrong.jsonl"
    first = json.loads(lines[0]) | {"doc_id": "elsewhere"}
    wrong.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(ScoringInputError, match=r"wrong.jsonl:1: doc_id differs from gold line 1"):
        load_event_labels(wrong, gold)
    beyond = tmp_path / "beyond.jsonl"
    beyond.write_text(json.dumps({"line": 99, "event": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(ScoringInputError, match="line 99 is not a line"):
        load_event_labels(beyond, gold)


def test_end_to_end_counts_missed_and_extra_claims() -> None:
    gold = _gold()
    labels = load_event_labels(EVENTS, gold)
    texts = seed_texts()
    # predictions: the gold without claims 29 (the treaty) and 30 (the PRK→RUS relation) of one
    # document, and with an extra copy of claim 12 in a document that has no such claim
    predicted = [g for n, g in enumerate(gold, start=1) if n not in (29, 30)]
    extra = gold[11].claim.model_copy(update={"quote": "Russland zahlt in Gold"})
    predicted.append(EvalClaim(doc_id=gold[63].doc_id, claim=extra, origin="extra"))
    evaluation = evaluate(gold, predicted, texts)
    scores = score_end_to_end(evaluation, gold, labels, texts)
    assert scores["missed_gold"] == 2
    assert scores["unmatched_predictions"] == 1
    assert scores["pairwise"]["fp"] == 3  # the extra IRN→RUS claim joins the relation of 12, 58, 60
    assert scores["pairwise"]["fn"] == 2  # 29-61 and 30-63 are lost
    assert scores["pairwise"]["tp"] == 4
    assert len(scores["false_links"]) == 3 and len(scores["missed_links"]) == 2


def test_claims_eval_reports_event_grouping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "scores.json"
    report = tmp_path / "report.md"
    assert main(["eval", "--pred", str(GOLD), "--json", str(out), "--report", str(report)]) == 0
    events = json.loads(out.read_text(encoding="utf-8"))["events"]
    assert events["gold_grouping"]["pairwise"]["f1"] == 1.0
    assert events["end_to_end"]["bcubed"]["f1"] == 1.0
    assert "## Event grouping" in report.read_text(encoding="utf-8")


def test_claims_eval_without_labels_for_other_gold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(GOLD.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "scores.json"
    assert main(["eval", "--gold", str(gold), "--pred", str(gold), "--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")).get("events") is None
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"line": 1}\n', encoding="utf-8")
    assert main(["eval", "--gold", str(gold), "--pred", str(gold), "--events", str(bad)]) != 0

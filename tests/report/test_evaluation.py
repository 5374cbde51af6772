"""The evaluation contract: what the report reads from `claims eval --json`, leniently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.report.evaluation import EvalInputError, parse_evaluation, read_evaluation


def test_reads_overall_per_document_and_errors() -> None:
    evaluation = parse_evaluation(
        {
            "overall": {"precision": 0.5, "recall": 1.0, "per_type": {"meeting": {}}},
            "per_document": {"a": {"tp": 1, "fp": 1, "fn": 0}},
            "errors": {
                "false_positives": [{"doc_id": "a", "claim_id": "c1", "type": "meeting", "quote": "q"}],
                "false_negatives": [{"doc_id": "a", "type": "meeting", "quote": "gold", "status": "planned"}],
            },
            "run": {"model": "x"},
        }
    )
    assert evaluation.overall == {"precision": 0.5, "recall": 1.0}  # nested values are not shown
    assert evaluation.per_document == {"a": {"tp": 1, "fp": 1, "fn": 0}}
    assert [e.claim_id for e in evaluation.false_positives] == ["c1"]
    missed = evaluation.false_negatives[0]
    assert (missed.doc_id, missed.type, missed.quote) == ("a", "meeting", "gold")
    assert missed.fields["status"] == "planned"


def test_errors_inside_a_document_take_its_id_and_duplicates_count_once() -> None:
    error = {"type": "meeting", "quote": "q"}
    evaluation = parse_evaluation(
        {
            "per_document": {"a": {"false_positives": [error], "false_negatives": [error]}},
            "errors": {"false_positives": [{**error, "doc_id": "a"}]},
        }
    )
    assert [e.doc_id for e in evaluation.false_positives] == ["a"]
    assert [e.doc_id for e in evaluation.false_negatives] == ["a"]
    assert evaluation.per_document == {"a": {}}


def test_an_empty_object_is_an_evaluation_without_errors() -> None:
    evaluation = parse_evaluation({})
    assert evaluation.false_positives == [] and evaluation.false_negatives == [] and evaluation.overall == {}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "expected a JSON object"),
        ({"errors": []}, "errors: expected a JSON object"),
        ({"errors": {"false_positives": {}}}, "errors.false_positives: expected a list"),
        ({"errors": {"false_negatives": ["x"]}}, r"false_negatives\[0\]: expected an object"),
        ({"errors": {"false_negatives": [{"quote": "q"}]}}, "no doc_id"),
        ({"per_document": {"a": 3}}, "per_document.a: expected a JSON object"),
    ],
)
def test_a_malformed_evaluation_is_refused_with_where_and_why(raw: object, message: str) -> None:
    with pytest.raises(EvalInputError, match=message):
        parse_evaluation(raw, "eval.json")


def test_a_file_that_is_not_json_names_the_file_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "eval.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(EvalInputError, match=r"eval\.json: not valid JSON .*claims eval --json"):
        read_evaluation(path)
    with pytest.raises(EvalInputError, match="no such file"):
        read_evaluation(tmp_path / "missing.json")


def test_a_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "eval.json"
    path.write_text(json.dumps({"overall": {"f1": 0.25}}), encoding="utf-8")
    assert read_evaluation(path).overall == {"f1": 0.25}


def test_the_output_of_claims_eval_is_read_as_its_model(tmp_path: Path) -> None:
    """`claims eval --json` writes an EvaluationSummary: the page shows its micro scores, its
    per-document scores and every error it lists."""
    from claims.cli import main
    from tests.conftest import GOLD, SEEDS

    predicted = tmp_path / "pred.jsonl"
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    left_out = gold[-1]["doc_id"]  # every claim of the last document is missed
    missed_gold = [g for g in gold if g["doc_id"] == left_out and not g.get("optional")]
    predicted.write_text("".join(json.dumps(g) + "\n" for g in gold if g["doc_id"] != left_out), "utf-8")
    out = tmp_path / "eval.json"
    arguments = ["--gold", str(GOLD), "--docs", str(SEEDS), "--pred", str(predicted), "--json", str(out)]
    assert main(["eval", *arguments]) == 0
    evaluation = read_evaluation(out)
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert evaluation.overall["label"] == "pred.jsonl"
    assert evaluation.overall["tp"] == summary["micro"]["tp"]
    assert set(evaluation.per_document) == set(summary["per_document"])
    assert evaluation.overall["fn"] == len(missed_gold) > 0
    assert sorted(e.quote or "" for e in evaluation.false_negatives) == sorted(
        g["quote"] for g in missed_gold
    )
    missed = evaluation.false_negatives[0]
    assert missed.doc_id == left_out and missed.type
    assert missed.fields["why"]


def test_a_summary_that_does_not_fit_the_model_names_the_field(tmp_path: Path) -> None:
    with pytest.raises(EvalInputError, match=r"not an evaluation summary \(micro\.tp: "):
        parse_evaluation({"label": "x", "micro": {"tp": "many"}}, "e.json")
    with pytest.raises(EvalInputError, match="holds 2 scored systems"):
        parse_evaluation({"systems": [{}, {}]}, "e.json")

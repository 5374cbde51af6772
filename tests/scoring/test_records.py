"""Gold and prediction files are read in both formats; bad input fails with one line naming the fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claims.scoring.records import (
    ScoringInputError,
    load_gold,
    load_predictions,
    load_rejected,
    predictions_from_records,
)
from tests.conftest import GOLD, gold_lines

MEETING: dict[str, Any] = {
    "doc_id": "d1",
    "type": "meeting",
    "quote": "Putin traf Xi in Peking.",
    "participants": [{"name": "Putin", "country": "RUS"}, {"name": "Xi", "country": "CHN"}],
    "status": "occurred",
}


def write_lines(path: Path, *lines: Any) -> Path:
    path.write_text(
        "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
        encoding="utf-8",
    )
    return path


def test_the_seed_gold_loads_with_optional_and_alt_quotes() -> None:
    gold = load_gold(GOLD)
    raw = gold_lines()
    assert len(gold) == len(raw)
    assert [g.optional for g in gold] == [bool(r["optional"]) for r in raw]
    assert [list(g.alt_quotes) for g in gold] == [r["alt_quotes"] for r in raw]
    assert gold[0].origin == f"{GOLD}:1"


def test_a_verified_record_keeps_its_span_and_provenance(tmp_path: Path) -> None:
    record = {**MEETING, "span": {"start": 3, "end": 27}, "provenance": {"backend": "rules"}, "claim_id": "x"}
    [claim] = load_predictions(write_lines(tmp_path / "p.jsonl", record))
    assert claim.span == (3, 27)
    assert claim.provenance == {"backend": "rules"}


def test_on_the_prediction_side_optional_and_alt_quotes_mean_nothing(tmp_path: Path) -> None:
    line = {**MEETING, "optional": True, "alt_quotes": ["Putin und Xi."]}
    [claim] = load_predictions(write_lines(tmp_path / "p.jsonl", line))
    assert not claim.optional
    assert claim.alt_quotes == ()
    assert claim.span is None


def test_records_of_a_run_become_predictions() -> None:
    claims = predictions_from_records([MEETING], "rules")
    assert claims[0].origin == "rules#1"
    assert claims[0].type == "meeting"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"p\.jsonl:1: not valid JSON"),
        ("[1, 2]", r"p\.jsonl:1: expected a JSON object"),
        ({**MEETING, "doc_id": None}, r"p\.jsonl:1: no 'doc_id'"),
        ({**MEETING, "participants": [{"name": "Putin"}]}, r"p\.jsonl:1: participants: .*ANNOTATION\.md"),
        ({**MEETING, "date": "22.04.2024"}, r"p\.jsonl:1: date: "),
        ({**MEETING, "type": "summit"}, r"p\.jsonl:1: "),
    ],
)
def test_a_malformed_line_is_one_error_naming_file_and_line(tmp_path: Path, line: Any, message: str) -> None:
    path = write_lines(tmp_path / "p.jsonl", line)
    with pytest.raises(ScoringInputError, match=message) as caught:
        load_predictions(path)
    assert "\n" not in str(caught.value)


def test_gold_alt_quotes_must_be_strings(tmp_path: Path) -> None:
    with pytest.raises(ScoringInputError, match="alt_quotes must be a list of strings"):
        load_gold(write_lines(tmp_path / "g.jsonl", {**MEETING, "alt_quotes": "one"}))


def test_a_missing_file_names_itself(tmp_path: Path) -> None:
    with pytest.raises(ScoringInputError, match=r"nope\.jsonl: no such file; give the gold JSONL"):
        load_gold(tmp_path / "nope.jsonl")


def test_a_non_utf8_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_bytes(b'{"doc_id": "\xe4"}\n')
    with pytest.raises(ScoringInputError, match="not UTF-8"):
        load_gold(path)


def test_rejected_records_load_and_bad_ones_are_named(tmp_path: Path) -> None:
    good = {"doc_id": "d1", "reason": "not_found", "claim": {"quote": "x"}}
    assert [r.reason for r in load_rejected(write_lines(tmp_path / "r.jsonl", good, good))] == [
        "not_found",
        "not_found",
    ]
    with pytest.raises(ScoringInputError, match=r"r2\.jsonl:1: reason: "):
        load_rejected(write_lines(tmp_path / "r2.jsonl", {**good, "reason": "boring"}))

"""Reading verified and rejected records: a line that does not fit stops the report, named."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.report.inputs import RecordInputError, read_rejected, read_verified
from tests.report.helpers import seed_claims, seed_rejected, write_jsonl


def test_round_trips_verified_and_rejected_records(tmp_path: Path) -> None:
    claims = seed_claims()
    rejected = seed_rejected()
    assert read_verified(write_jsonl(tmp_path / "v.jsonl", claims)) == claims
    assert read_rejected(write_jsonl(tmp_path / "r.jsonl", rejected)) == rejected


def test_a_rejected_record_is_not_a_verified_claim(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "mixed.jsonl", [*seed_claims()[:2], seed_rejected()[0]])
    with pytest.raises(RecordInputError, match=r"mixed\.jsonl:3: not a verified claim .*claims verify"):
        read_verified(path)


def test_a_line_that_is_not_json_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"doc_id": "a"}\n\n{oops\n', encoding="utf-8")
    with pytest.raises(RecordInputError, match=r"bad\.jsonl:1: not a rejected claim"):
        read_rejected(path)
    path.write_text("\n{oops\n", encoding="utf-8")
    with pytest.raises(RecordInputError, match=r"bad\.jsonl:2: not valid JSON"):
        read_verified(path)


def test_a_missing_file_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(RecordInputError, match="no such file; give the output of `claims verify`"):
        read_verified(tmp_path / "nothing.jsonl")

"""`claims verify` and `claims schema` as a user runs them: a real process, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import GOLD, ROOT, SEEDS, seed_texts


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claims.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_gold_verifies_against_the_seeds(tmp_path: Path) -> None:
    rejected = tmp_path / "rejected.jsonl"
    result = run("verify", "--source", str(SEEDS), str(GOLD), "--rejected", str(rejected))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(GOLD.read_text(encoding="utf-8").splitlines())
    texts = seed_texts()
    for record in records:
        assert texts[record["doc_id"]][record["span"]["start"] : record["span"]["end"]] == record["quote"]
        assert record["provenance"]["backend"] == "external"
    assert rejected.read_text(encoding="utf-8") == ""
    assert "verified 65, rejected 0" in result.stderr


def test_rejections_go_to_their_file_with_reasons(tmp_path: Path) -> None:
    claims = tmp_path / "claims.jsonl"
    base = {"type": "meeting", "status": "occurred", "participants": [{"name": "Putin"}, {"name": "Xi"}]}
    lines = [
        {**base, "doc_id": "004_427d236a20c172f4", "quote": "Putin traf heute den Papst in Rom."},
        {**base, "doc_id": "missing", "quote": "Putin traf heute den Papst."},
        {**base, "doc_id": "004_427d236a20c172f4", "quote": "Putin traf"},
        {"doc_id": "004_427d236a20c172f4", "type": "meeting"},
    ]
    claims.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")
    rejected = tmp_path / "out" / "rejected.jsonl"
    result = run("verify", "--source", str(SEEDS), str(claims), "--rejected", str(rejected))
    assert result.returncode == 1  # one line was not JSON: bad input is a non-zero exit
    assert f"{claims}:5: not valid JSON" in result.stderr
    reasons = [json.loads(line)["reason"] for line in rejected.read_text(encoding="utf-8").splitlines()]
    assert reasons == ["not_found", "unknown_document", "too_short", "invalid", "invalid"]
    assert result.stdout == ""


def test_documents_jsonl_and_single_text_are_sources(tmp_path: Path) -> None:
    text = "Am Montag traf Putin in Peking Xi Jinping."
    (tmp_path / "note.txt").write_text(text, encoding="utf-8")
    claim = {
        "doc_id": "note",
        "type": "meeting",
        "quote": "traf Putin in Peking",
        "status": "occurred",
        "participants": [{"name": "Putin", "country": "RUS"}, {"name": "Xi Jinping", "country": "CHN"}],
    }
    claims = tmp_path / "c.jsonl"
    claims.write_text(json.dumps(claim) + "\n", encoding="utf-8")
    single = run("verify", "--source", str(tmp_path / "note.txt"), str(claims))
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "note", "text": text}) + "\n", encoding="utf-8")
    from_jsonl = run("verify", "--source", str(docs), str(claims))
    assert single.returncode == from_jsonl.returncode == 0
    assert (
        json.loads(single.stdout)["span"] == json.loads(from_jsonl.stdout)["span"] == {"start": 10, "end": 30}
    )


def test_missing_inputs_fail_in_one_line_naming_the_file(tmp_path: Path) -> None:
    result = run("verify", "--source", str(tmp_path / "nowhere"), str(GOLD))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "nowhere" in result.stderr
    result = run("verify", "--source", str(SEEDS), str(tmp_path / "none.jsonl"))
    assert result.returncode == 2 and "none.jsonl: no such file" in result.stderr


def test_schema_check_fails_on_a_stale_folder_and_write_fixes_it(tmp_path: Path) -> None:
    stale = run("schema", "--check", "--dir", str(tmp_path))
    assert stale.returncode == 1 and "claims schema --write" in stale.stderr
    assert run("schema", "--write", "--dir", str(tmp_path)).returncode == 0
    assert run("schema", "--check", "--dir", str(tmp_path)).returncode == 0
    printed = json.loads(run("schema").stdout)
    assert printed["properties"]["claims"]["type"] == "array"


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("claims ")

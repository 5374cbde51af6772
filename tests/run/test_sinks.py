"""Per-document output and resuming: partial documents are dropped, finished ones kept once."""

from __future__ import annotations

import json
from pathlib import Path

from claims.run.sinks import OutputPaths, prepare_resume


def test_outputs_default_to_files_beside_the_claims_file(tmp_path: Path) -> None:
    paths = OutputPaths.beside(str(tmp_path / "run" / "claims.jsonl"), errors=str(tmp_path / "e.jsonl"))
    assert paths.rejected == tmp_path / "run" / "claims.rejected.jsonl"
    assert paths.errors == tmp_path / "e.jsonl"
    assert paths.manifest == tmp_path / "run" / "claims.manifest.json"
    assert paths.progress == tmp_path / "run" / "claims.progress.jsonl"
    assert OutputPaths.beside(None).progress is None


def lines(*records: dict[str, object]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def test_resume_keeps_finished_documents_and_drops_the_rest(tmp_path: Path) -> None:
    paths = OutputPaths.beside(str(tmp_path / "out.jsonl"))
    assert paths.claims and paths.progress and paths.errors
    paths.claims.write_text(
        lines({"doc_id": "a", "n": 1}, {"doc_id": "b", "n": 2}, {"doc_id": "c", "n": 3})
        + '{"doc_id": "c", "n"'
    )
    paths.errors.write_text(lines({"doc_id": "f", "error": "InternalServerError"}))
    paths.progress.write_text(
        lines({"doc_id": "a", "ok": True}, {"doc_id": "b", "ok": True}, {"doc_id": "f", "ok": False})
        + '{"doc_id": "c", "o'
    )
    done = prepare_resume(paths)
    assert sorted(done.finished) == ["a", "b"] and done.partial == {}
    assert [json.loads(x)["doc_id"] for x in paths.claims.read_text().splitlines()] == ["a", "b"]
    assert paths.errors.read_text() == "", "a failed document is retried, so its old error goes"
    assert [json.loads(x)["doc_id"] for x in paths.progress.read_text().splitlines()] == ["a", "b"]

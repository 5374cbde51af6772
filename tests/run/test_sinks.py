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


def test_resume_hands_a_partial_documents_kept_claims_to_its_retry(tmp_path: Path) -> None:
    from claims.run.document import ChunkRef
    from tests.fakes.claimdata import PARAGRAPHS, three_chunk_text

    text = three_chunk_text()
    start = text.index(PARAGRAPHS[0][0])
    claim: dict[str, object] = {
        "doc_id": "p",
        "claim_id": "c0",
        "type": "meeting",
        "quote": PARAGRAPHS[0][0],
        "status": "occurred",
        "date": None,
        "location": None,
        "attributed_to": None,
        "participants": [
            {"name": "Lindqvist", "country": "SWE", "role": None},
            {"name": "Tamm", "country": "EST", "role": None},
        ],
        "span": {"start": start, "end": start + len(PARAGRAPHS[0][0])},
        "match": "exact",
        "occurrences": 1,
        "provenance": {"backend": "scripted", "chunk": 0},
    }
    paths = OutputPaths.beside(str(tmp_path / "out.jsonl"))
    assert paths.claims and paths.progress and paths.errors
    paths.claims.write_text(lines({"doc_id": "a", "n": 1}, claim))
    paths.errors.write_text(lines({"doc_id": "p", "error": "InternalServerError", "chunk": 1}))
    partial = {
        "doc_id": "p",
        "ok": False,
        "partial": True,
        "proposed": 4,
        "failed_chunks": [{"chunk": 1, "start": 144, "end": 286}],
        "usage": {"requests": 3, "prompt_tokens": 30},
    }
    paths.progress.write_text(lines({"doc_id": "a", "ok": True}, partial))
    state = prepare_resume(paths)
    assert sorted(state.finished) == ["a"]
    retry = state.partial["p"]
    assert retry.failed == (ChunkRef(1, 144, 286),) and retry.proposed == 4
    assert retry.usage.requests == 3 and retry.usage.prompt_tokens == 30
    assert [c.quote for c in retry.claims] == [PARAGRAPHS[0][0]]
    assert [json.loads(x)["doc_id"] for x in paths.claims.read_text().splitlines()] == ["a"], (
        "the partial document is written anew, whole, by the resumed run"
    )
    assert paths.errors.read_text() == ""
    assert [json.loads(x)["doc_id"] for x in paths.progress.read_text().splitlines()] == ["a"]


def test_a_partial_document_whose_records_no_longer_validate_is_redone_whole(tmp_path: Path) -> None:
    paths = OutputPaths.beside(str(tmp_path / "out.jsonl"))
    assert paths.claims and paths.progress
    paths.claims.write_text(lines({"doc_id": "p", "type": "meeting", "quote": "old schema"}))
    paths.progress.write_text(
        lines(
            {
                "doc_id": "p",
                "ok": False,
                "partial": True,
                "failed_chunks": [{"chunk": 0, "start": 0, "end": 9}],
            }
        )
    )
    state = prepare_resume(paths)
    assert state.partial == {} and state.finished == {}
    assert paths.claims.read_text() == ""

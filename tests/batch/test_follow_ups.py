"""Follow-up batches: re-asks, split chunks, failed and expired requests, refused requests — each
against the FAKE Files + Batches server, compared with the online path on the same script."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.batch.helpers import canonical, cli, lines
from tests.fakes.batch_server import FakeBatchServer
from tests.fakes.claimdata import first_line_meeting, meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, Reply

TEXTS = {
    "reask": "Lindqvist traf Tamm am Montag in Tallinn zu Gesprächen über die Ostsee.",
    "split": "\n\n".join(
        f"Absatz {n}: Lindqvist traf Tamm am {n}. Mai in Tallinn zu langen Gesprächen über die Ostsee."
        for n in range(8)
    ),
    "plain": "Lindqvist traf Tamm in Riga.",
}
SCRIPT: dict[str, list[Reply]] = {
    # a quote that is not in the text, then (re-asked with it as feedback) the right one
    "Montag": [
        Reply.claims(meeting("Lindqvist traf Tamm am Dienstag in Tallinn")),
        Reply.claims(meeting("Lindqvist traf Tamm am Montag in Tallinn")),
    ],
    # the whole chunk's answer is cut off: each half is asked on its own
    "Absatz 0": [Reply.truncated(), Reply.claims(meeting("Lindqvist traf Tamm am 1. Mai in Tallinn"))],
    "Absatz 7": [Reply.claims(meeting("Lindqvist traf Tamm am 7. Mai in Tallinn"))],
}


def write_docs(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, text in TEXTS.items():
        (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


def scripted() -> FakeOpenAIServer:
    chat = FakeOpenAIServer(default=first_line_meeting)
    for marker, replies in SCRIPT.items():
        chat.script(marker, *replies)
    return chat


def run_online(docs: Path, out: Path) -> int:
    server = scripted()
    with server.running():
        return cli(
            "extract", docs, "--backend", "openai", "--base-url", server.url, "--model", MODEL_ID,
            "--reask", 1, "--no-cache", "-o", out,
        )  # fmt: skip


def run_batch(
    docs: Path, folder: Path, out: Path, fake: FakeBatchServer, between: Callable[[int], None] | None = None
) -> list[dict[str, Any]]:
    """prepare → submit → collect/retry until nothing is held; the pending lists seen on the way."""
    assert cli("batch", "prepare", docs, "-o", folder, "--model", MODEL_ID, "--reask", 1) == 0
    seen: list[dict[str, Any]] = []
    with fake.running():
        assert cli("batch", "submit", folder, "--base-url", fake.url) == 0
        for round_ in range(8):
            code = cli("batch", "collect", folder, "-o", out, "--base-url", fake.url)
            pending = lines(folder / "pending.jsonl")
            if not pending:
                return seen
            seen.extend(pending)
            if between is not None:
                between(round_)
            if all(p["reason"] == "waiting" for p in pending):
                continue
            assert code == 1
            assert cli("batch", "retry", folder, "--base-url", fake.url) == 0
    raise AssertionError("the batch never finished")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    return write_docs(tmp_path / "docs")


def test_reasks_and_splits_give_the_online_records(docs: Path, tmp_path: Path) -> None:
    online = tmp_path / "online" / "claims.jsonl"
    assert run_online(docs, online) == 0
    out = tmp_path / "out" / "claims.jsonl"
    seen = run_batch(docs, tmp_path / "batch", out, FakeBatchServer(chat=scripted(), polls=0))
    assert {p["reason"] for p in seen} == {"new"}
    assert any(p["request"]["body"]["messages"][-1]["content"].count("Dienstag") for p in seen), "a re-ask"
    assert canonical(out) == canonical(online)
    assert canonical(out.with_name("claims.rejected.jsonl")) == canonical(
        online.with_name("claims.rejected.jsonl")
    )
    manifest = json.loads(out.with_name("claims.manifest.json").read_text())
    expected = json.loads(online.with_name("claims.manifest.json").read_text())
    assert manifest["usage"] == expected["usage"]
    for key in (
        "claims_verified",
        "claims_reasked",
        "claims_regrounded",
        "claims_rejected",
        "claims_by_type",
    ):
        assert manifest["totals"][key] == expected["totals"][key], key
    assert manifest["totals"]["claims_regrounded"] == 1
    assert (manifest["model"], manifest["prompt_hash"]) == (expected["model"], expected["prompt_hash"])
    assert {c["doc_id"] for c in lines(out)} == set(TEXTS)


def test_failed_and_expired_requests_go_into_a_follow_up_batch(docs: Path, tmp_path: Path) -> None:
    fake = FakeBatchServer(chat=scripted(), polls=0, expire_after=1)
    failures = {"left": 1}

    def fail(body: dict[str, Any]) -> tuple[int, str] | None:
        if "Riga" in json.dumps(body, ensure_ascii=False) and failures["left"]:
            failures["left"] -= 1
            return 500, "scripted server error"
        return None

    fake.fail = fail

    def after(round_: int) -> None:
        fake.expire_after = None  # the follow-up batches finish in time

    out = tmp_path / "out" / "claims.jsonl"
    seen = run_batch(docs, tmp_path / "batch", out, fake, between=after)
    assert {"expired"} <= {p["reason"] for p in seen}
    assert {c["doc_id"] for c in lines(out)} == set(TEXTS)
    assert lines(out.with_name("claims.errors.jsonl")) == []
    assert any(b["status"] == "expired" for b in fake.batches.values())


def test_a_refused_request_is_an_error_record_naming_the_status(docs: Path, tmp_path: Path) -> None:
    fake = FakeBatchServer(chat=scripted(), polls=0)
    fake.fail = lambda body: (
        (400, "scripted refusal") if "Riga" in json.dumps(body, ensure_ascii=False) else None
    )
    out = tmp_path / "out" / "claims.jsonl"
    run_batch(docs, tmp_path / "batch", out, fake)
    errors = lines(out.with_name("claims.errors.jsonl"))
    assert [(e["doc_id"], e["stage"]) for e in errors] == [("plain", "extract")]
    assert "HTTP 400" in errors[0]["message"] and "scripted refusal" in errors[0]["message"]
    assert {c["doc_id"] for c in lines(out)} == {"reask", "split"}


def test_final_writes_documents_still_waiting_as_errors(docs: Path, tmp_path: Path) -> None:
    folder, out = tmp_path / "batch", tmp_path / "out" / "claims.jsonl"
    assert cli("batch", "prepare", docs, "-o", folder, "--model", MODEL_ID) == 0
    fake = FakeBatchServer(chat=scripted(), polls=5)
    with fake.running():
        assert cli("batch", "submit", folder, "--base-url", fake.url) == 0
        assert cli("batch", "collect", folder, "-o", out, "--base-url", fake.url, "--final") == 1
    errors = lines(out.with_name("claims.errors.jsonl"))
    assert sorted(e["doc_id"] for e in errors) == sorted(TEXTS)
    assert {e["error"] for e in errors} == {"BatchUnanswered"}

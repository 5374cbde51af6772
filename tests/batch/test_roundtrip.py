"""A batch round trip against the FAKE Files + Batches server writes what the online run writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.batch.helpers import answer_from, canonical, cli, lines, recorded_answers
from tests.conftest import SEEDS
from tests.fakes.batch_server import FakeBatchServer
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer

SECRET = "sk-test-batch-secret-0123456789"


def online(tmp_path: Path, reask: int) -> tuple[Path, FakeOpenAIServer]:
    server = FakeOpenAIServer(default=answer_from(recorded_answers()))
    out = tmp_path / "online" / "claims.jsonl"
    with server.running():
        code = cli(
            "extract", SEEDS, "--backend", "openai", "--base-url", server.url, "--model", MODEL_ID,
            "--reask", reask, "--no-cache", "-o", out,
        )  # fmt: skip
    assert code in (0, 1)
    return out, server


def test_batch_round_trip_writes_the_online_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    online_out, online_server = online(tmp_path, reask=1)
    fake = FakeBatchServer(chat=FakeOpenAIServer(default=answer_from(recorded_answers())), polls=1)
    folder = tmp_path / "batch"
    out = tmp_path / "out" / "claims.jsonl"
    assert cli("batch", "prepare", SEEDS, "-o", folder, "--model", MODEL_ID, "--reask", 1) == 0
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with fake.running():
        assert cli("batch", "submit", folder, "--base-url", fake.url) == 0
        assert cli("batch", "submit", folder, "--base-url", fake.url) == 0  # a rerun submits nothing
        assert len(fake.batches) == 1
        # the batch is still running: every document is held back, nothing is written
        assert cli("batch", "collect", folder, "-o", out, "--base-url", fake.url) == 1
        assert lines(out) == []
        rounds = 0
        while cli("batch", "collect", folder, "-o", out, "--base-url", fake.url) != 0:
            pending = lines(folder / "pending.jsonl")
            assert pending and {p["reason"] for p in pending} <= {"new", "waiting"}
            assert cli("batch", "retry", folder, "--base-url", fake.url) == 0
            rounds += 1
            assert rounds < 4
    # the same records as the online path: claims, rejected claims, errors
    assert canonical(out) == canonical(online_out)
    assert lines(out), "the recorded answers give claims"
    for suffix in (".rejected.jsonl", ".errors.jsonl"):
        assert canonical(out.with_name("claims" + suffix)) == canonical(
            online_out.with_name("claims" + suffix)
        )
    # every request the batch asked is byte for byte what the online path posted
    online_bodies = {json.dumps(r.body, sort_keys=True) for r in online_server.requests}
    batch_bodies = {
        json.dumps(line["body"], sort_keys=True)
        for path in (folder / "requests").glob("*.jsonl")
        for line in lines(path)
    }
    assert batch_bodies == online_bodies
    # the manifest counts the same requests and tokens
    manifest = json.loads(out.with_name("claims.manifest.json").read_text())
    online_manifest = json.loads(online_out.with_name("claims.manifest.json").read_text())
    assert manifest["usage"] == online_manifest["usage"]
    totals, online_totals = manifest["totals"], online_manifest["totals"]
    for key in (
        "documents",
        "claims_verified",
        "claims_rejected",
        "claims_reasked",
        "claims_by_type",
        "errors",
    ):
        assert totals[key] == online_totals[key], key
    # the key was sent to the server, and written nowhere
    assert all(headers.get("authorization") == f"Bearer {SECRET}" for _m, _p, headers in fake.seen)
    for path in [*folder.rglob("*"), *out.parent.rglob("*")]:
        if path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path

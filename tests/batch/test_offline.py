"""Request files run offline (`vllm run-batch` format, answered here by a SCRIPTED fake), and a
collect killed half-way that is simply run again."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import claims.db
from claims.batch.collect import collect, read_outcomes
from claims.batch.state import BatchDir
from claims.run.paths import OutputPaths
from claims.run.sinks import CollectingSink
from tests.batch.helpers import canonical, cli, lines
from tests.fakes.batch_server import fake_vllm_run_batch
from tests.fakes.claimdata import first_line_meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer

CLAIMS = Path(sys.executable).with_name("claims")


def make_docs(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"doc{n:05d}.txt").write_text(
            f"Lindqvist traf Tamm am {n % 28 + 1}. Mai in Tallinn.\n\nDas Treffen dauerte {n} Minuten.\n",
            encoding="utf-8",
        )
    return folder


def offline_results(folder: Path) -> list[Path]:
    chat = FakeOpenAIServer(default=first_line_meeting, record=False)
    outputs = []
    for request_file in sorted((folder / "requests").glob("*.jsonl")):
        output = folder.parent / f"{request_file.stem}.vllm.jsonl"
        fake_vllm_run_batch(request_file, output, chat)
        outputs.append(output)
    return outputs


def test_vllm_output_is_collected_like_the_batch_api(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "docs", 7)
    folder = tmp_path / "batch"
    assert cli("batch", "prepare", docs, "-o", folder, "--model", MODEL_ID, "--max-lines", 3) == 0
    assert len(list((folder / "requests").glob("*.jsonl"))) == 3  # 7 requests, at most 3 a file
    results = offline_results(folder)
    out = tmp_path / "out" / "claims.jsonl"
    assert cli("batch", "collect", folder, "-o", out, "--results", *results) == 0
    online = tmp_path / "online" / "claims.jsonl"
    server = FakeOpenAIServer(default=first_line_meeting)
    with server.running():
        assert (
            cli(
                "extract",
                docs,
                "--backend",
                "openai",
                "--base-url",
                server.url,
                "--model",
                MODEL_ID,
                "-o",
                online,
            )
            == 0
        )
    assert canonical(out) == canonical(online)
    assert len(lines(out)) == 7


def test_a_killed_collect_run_again_writes_nothing_twice(tmp_path: Path) -> None:
    total = 1500
    docs = make_docs(tmp_path / "docs", total)
    folder = tmp_path / "batch"
    assert cli("batch", "prepare", docs, "-o", folder, "--model", MODEL_ID) == 0
    results = offline_results(folder)
    out = tmp_path / "out" / "claims.jsonl"
    progress = out.with_name("claims.progress.jsonl")
    command = [str(CLAIMS), "batch", "collect", str(folder), "-o", str(out), "--results", *map(str, results)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if progress.is_file() and progress.read_bytes().count(b"\n") >= 200:
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    complete = progress.read_text(encoding="utf-8").split("\n")[:-1]  # a cut-off last line is not a record
    written_at_kill = len(complete)
    assert 0 < written_at_kill < total, "the collect was killed half-way"
    assert cli("batch", "collect", folder, "-o", out, "--results", *results) == 0
    claims = lines(out)
    assert len(claims) == total
    assert len({c["doc_id"] for c in claims}) == total
    assert len(lines(progress)) == total
    manifest = json.loads(out.with_name("claims.manifest.json").read_text())
    assert manifest["totals"]["resumed_documents"] == written_at_kill
    assert manifest["totals"]["documents"] == total


def test_collect_writes_to_other_sinks_the_same_records(tmp_path: Path) -> None:
    docs = make_docs(tmp_path / "docs", 4)
    folder = tmp_path / "batch"
    assert cli("batch", "prepare", docs, "-o", folder, "--model", MODEL_ID) == 0
    state = BatchDir(folder)
    outcomes = read_outcomes(state, state.load(), offline_results(folder))
    out = tmp_path / "out" / "claims.jsonl"
    collecting = CollectingSink()
    report = asyncio.run(
        collect(state, OutputPaths.beside(str(out)), outcomes, have_results=True, sinks=[collecting])
    )
    assert sorted(c.claim_id for c in collecting.claims) == sorted(c["claim_id"] for c in lines(out))
    assert len(collecting.claims) == 4
    assert collecting.manifest is not None and collecting.manifest == report.manifest


def test_a_killed_collect_with_db_run_again_has_every_document_once_in_the_database(tmp_path: Path) -> None:
    total = 300
    docs = make_docs(tmp_path / "docs", total)
    folder = tmp_path / "batch"
    assert cli("batch", "prepare", docs, "-o", folder, "--model", MODEL_ID) == 0
    results = offline_results(folder)
    out = tmp_path / "out" / "claims.jsonl"
    database = tmp_path / "claims.sqlite"
    progress = out.with_name("claims.progress.jsonl")
    command = [str(CLAIMS), "batch", "collect", str(folder), "-o", str(out), "--db", str(database)]
    command += ["--results", *map(str, results)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if progress.is_file() and progress.read_bytes().count(b"\n") >= 40:
            break
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < len(progress.read_text(encoding="utf-8").split("\n")[:-1]) < total, "killed half-way"
    assert cli("batch", "collect", folder, "-o", out, "--db", database, "--results", *results) == 0
    assert len({c["doc_id"] for c in lines(out)}) == len(lines(out)) == total
    with claims.db.open(str(database)) as db:
        counts = db.counts()
        stored = [db.document(f"doc{n:05d}") for n in range(total)]
    assert all(document is not None for document in stored)
    assert counts["documents"] == total and counts["claims"] == total and counts["errors"] == 0


def test_prepare_honours_examples_and_collect_finds_their_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = make_docs(tmp_path / "docs", 3)
    plain, shown, from_env = tmp_path / "plain", tmp_path / "shown", tmp_path / "env"
    assert cli("batch", "prepare", docs, "-o", plain, "--model", MODEL_ID) == 0
    assert cli("batch", "prepare", docs, "-o", shown, "--model", MODEL_ID, "--examples", 2) == 0
    monkeypatch.setenv("CLAIMS_EXAMPLES", "1")
    assert cli("batch", "prepare", docs, "-o", from_env, "--model", MODEL_ID) == 0
    monkeypatch.delenv("CLAIMS_EXAMPLES")
    examples = [BatchDir(f).load().settings.get("examples") for f in (plain, shown, from_env)]
    assert examples == [0, 2, 1]

    def requests(folder: Path) -> list[dict[str, Any]]:
        return [line for path in sorted((folder / "requests").glob("*.jsonl")) for line in lines(path)]

    system = [requests(f)[0]["body"]["messages"][0]["content"] for f in (plain, shown, from_env)]
    assert len(system[0]) < len(system[2]) < len(system[1]), "the examples are in the requests"
    ids = [{line["custom_id"] for line in requests(f)} for f in (plain, shown, from_env)]
    assert not ids[0] & ids[1] and not ids[1] & ids[2] and not ids[0] & ids[2]
    out = tmp_path / "out" / "claims.jsonl"
    assert cli("batch", "collect", shown, "-o", out, "--results", *offline_results(shown)) == 0
    assert len(lines(out)) == 3, "collect rebuilds the requests with their examples"

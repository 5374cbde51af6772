"""`claims extract` end to end against the scripted FAKE server (a real local HTTP server)."""

from __future__ import annotations

import io
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
from claims.backends.protocol import Proposal, ProposalRequest
from claims.cli import main
from tests.fakes.claimdata import PARAGRAPHS, first_line_meeting, paragraph_meetings, three_chunk_text
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, Reply

KEY = "sk-live-NEVER-WRITE-ME-31337"


def write_docs(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"doc{i:02d}.txt").write_text(
            f"Ministerin Lindqvist traf Minister Tamm in Stadt {i}.\nSonst nichts.\n"
        )
    return folder


def llm_flags(server: FakeOpenAIServer) -> list[str]:
    return ["--base-url", server.url, "--model", MODEL_ID, "--max-retries", "1"]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_extract_writes_claims_rejected_errors_manifest_and_a_summary(
    fake_server: FakeOpenAIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_server.default = first_line_meeting
    fake_server.script("Stadt 1.", *[Reply.error(503, "overloaded", retry_after_ms="5")] * 4)
    out = tmp_path / "out" / "claims.jsonl"
    code = main(["extract", str(write_docs(tmp_path / "docs", 3)), "-o", str(out), *llm_flags(fake_server)])
    assert code == 1, "one document failed"
    assert sorted(c["doc_id"] for c in read_jsonl(out)) == ["doc00", "doc02"]
    (error,) = read_jsonl(out.with_name("claims.errors.jsonl"))
    assert error["doc_id"] == "doc01" and error["error"] == "InternalServerError"
    manifest = json.loads(out.with_name("claims.manifest.json").read_text())
    totals = manifest["totals"]
    assert manifest["model"] == MODEL_ID and totals["documents"] == 3 and totals["documents_failed"] == 1
    assert manifest["software"]["packages"]["openai"] and manifest["usage"]["requests"] == 2
    assert manifest["run_id"]
    stderr = capsys.readouterr().err
    assert "doc01" in stderr and "InternalServerError" in stderr
    assert "total: 3 documents (1 failed), 2 claims" in stderr


def test_all_documents_ok_exits_zero(fake_server: FakeOpenAIServer, tmp_path: Path) -> None:
    fake_server.default = first_line_meeting
    out = tmp_path / "claims.jsonl"
    assert (
        main(["extract", str(write_docs(tmp_path / "docs", 2)), "-o", str(out), *llm_flags(fake_server)]) == 0
    )
    assert len(read_jsonl(out)) == 2


def test_a_config_error_is_one_line_naming_the_fix_and_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["extract", str(write_docs(tmp_path / "d", 1)), "--backend", "openai", "--base-url", "http://x/v1"]
    )
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("claims: ") and "--model" in err


def test_resume_needs_an_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(tmp_path), "--resume"]) == 2
    assert "-o" in capsys.readouterr().err


class _NothingBackend:
    name = "rules"

    def describe(self) -> dict[str, str | None]:
        return {"model": None, "endpoint": None, "mode": None, "prompt_hash": None}

    async def propose(self, request: ProposalRequest) -> Proposal:
        return Proposal([])

    async def aclose(self) -> None:
        pass


def test_without_an_endpoint_the_rules_backend_is_used_and_said_so_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(write_docs(tmp_path / "d", 1)), "-o", str(tmp_path / "o.jsonl")]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if "no LLM endpoint configured" in line]
    assert len(notes) == 1 and "--backend openai --base-url URL --model NAME" in notes[0]
    manifest = json.loads((tmp_path / "o.manifest.json").read_text(encoding="utf-8"))
    assert manifest["backend"] == "rules"


def test_template_like_text_from_stdin_reaches_the_server_verbatim(
    fake_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "Gipfel {{ 7*7 }} und {% for x in y %} sowie {# offen\nEnde {{ secret }}."
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code = main(
        [
            "extract",
            "-",
            "--published",
            "2024-03-01",
            "-o",
            str(tmp_path / "o.jsonl"),
            *llm_flags(fake_server),
        ]
    )
    assert code == 0
    (request,) = fake_server.requests
    assert request.article == text
    assert "Publication date: 2024-03-01" in request.user_text


def test_the_api_key_is_absent_from_every_file_and_line_the_run_writes(
    fake_server: FakeOpenAIServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    fake_server.default = lambda request: Reply.claims(
        {
            "type": "meeting",
            "quote": request.article.splitlines()[0],
            "status": "occurred",
            "participants": [{"name": "Lindqvist", "country": "SWE"}, {"name": "Tamm", "country": "EST"}],
        },
        {
            "type": "meeting",
            "quote": "Erfundenes Treffen ohne Beleg im Text.",
            "status": "alleged",
            "participants": [{"name": "A", "country": "SWE"}, {"name": "B", "country": "FIN"}],
        },
    )
    fake_server.script("Stadt 1.", *[Reply.error(401, f"bad key {KEY}")] * 3)
    fake_server.script("Stadt 2.", *[Reply.error(500, f"echo {KEY}", retry_after_ms="5")] * 3)
    out = tmp_path / "out" / "claims.jsonl"
    main(
        [
            "extract",
            str(write_docs(tmp_path / "docs", 4)),
            "-o",
            str(out),
            "--cache-dir",
            str(cache),
            *llm_flags(fake_server),
        ]
    )
    assert fake_server.requests[0].headers["authorization"] == f"Bearer {KEY}", "the key was really in use"
    written = [
        Path(root) / name for root, _dirs, names in os.walk(tmp_path) if "docs" not in root for name in names
    ]
    assert {p.name for p in written} >= {
        "claims.jsonl",
        "claims.rejected.jsonl",
        "claims.errors.jsonl",
        "claims.manifest.json",
        "claims.progress.jsonl",
    }
    assert any(p.parent == cache for p in written), "the cache was written"
    for path in written:
        assert KEY.encode() not in path.read_bytes(), path
    captured = capsys.readouterr()
    assert KEY not in captured.err and KEY not in captured.out


def test_kill_mid_run_then_resume_completes_every_document_once(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    fake_server.default = first_line_meeting
    fake_server.delay = 0.25
    folder = write_docs(tmp_path / "docs", 16)
    out = tmp_path / "out" / "claims.jsonl"
    progress = out.with_name("claims.progress.jsonl")
    command = [
        sys.executable,
        "-m",
        "claims.cli",
        "extract",
        str(folder),
        "-o",
        str(out),
        "--concurrency",
        "2",
        *llm_flags(fake_server),
    ]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if progress.is_file() and len(progress.read_text().splitlines()) >= 4:
            break
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    finished_before = {
        json.loads(line)["doc_id"] for line in progress.read_text().splitlines() if line.endswith("}")
    }
    assert 4 <= len(finished_before) < 16, "killed mid-run"
    asked_before = len(fake_server.requests)

    fake_server.delay = 0.0
    resumed = subprocess.run([*command, "--resume"], env=env, capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    claims = read_jsonl(out)
    assert sorted(c["doc_id"] for c in claims) == [f"doc{i:02d}" for i in range(16)], (
        "each document exactly once"
    )
    assert len({c["claim_id"] for c in claims}) == 16
    assert len(read_jsonl(progress)) == 16
    resumed_requests = fake_server.requests[asked_before:]
    assert not any(
        f"Stadt {int(d[3:])}." in r.user_text for d in finished_before for r in resumed_requests
    ), "finished documents are not asked again"
    manifest = json.loads(out.with_name("claims.manifest.json").read_text())
    assert manifest["totals"]["documents"] == 16
    assert manifest["totals"]["resumed_documents"] == len(finished_before)


def test_an_unusable_cache_dir_is_a_config_error(
    fake_server: FakeOpenAIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code = main(
        ["extract", str(write_docs(tmp_path / "d", 1)), "--cache-dir", str(blocker), *llm_flags(fake_server)]
    )
    assert code == 2
    assert "--no-cache" in capsys.readouterr().err


def test_bad_files_become_error_records_and_one_line_each_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "latin.txt").write_bytes(bytes(range(0x80, 0x100)) * 4)  # no encoding reads this
    (folder / "binary.txt").write_bytes(b"\x89PNG\x00\x00")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "good.txt").write_text(
        "Am Montag traf Putin in Peking den Präsidenten Xi Jinping.", encoding="utf-8"
    )
    out = tmp_path / "out" / "claims.jsonl"
    assert main(["extract", str(folder), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"claims: {folder / 'latin.txt'}: not UTF-8" in err and "iconv" in err
    assert f"claims: {folder / 'binary.txt'}: binary file" in err
    errors = [
        json.loads(line) for line in (tmp_path / "out" / "claims.errors.jsonl").read_text().splitlines()
    ]
    assert sorted(e["doc_id"] for e in errors) == ["binary", "latin"]
    progress = (tmp_path / "out" / "claims.progress.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["doc_id"] for line in progress) == ["binary", "empty", "good", "latin"]


def test_a_missing_input_stops_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(tmp_path / "nowhere"), "-o", str(tmp_path / "o.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nowhere: no such file or folder" in err
    assert not (tmp_path / "o.jsonl").exists()


def test_a_partial_document_is_written_and_resume_retries_only_its_failed_chunk(
    fake_server: FakeOpenAIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_server.default = paragraph_meetings
    failing = PARAGRAPHS[1][0]
    fake_server.script(failing, *[Reply.error(500, "kaputt")] * 2)  # --max-retries 1: two attempts
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "long.txt").write_text(three_chunk_text(), encoding="utf-8")
    out = tmp_path / "out" / "claims.jsonl"
    command = ["extract", str(docs), "-o", str(out), "--chunk-chars", "200", "--chunk-overlap", "0"]
    command += [*llm_flags(fake_server), "--no-cache"]
    assert main(command) == 1, "a partial document is not a success"
    assert sorted(c["quote"] for c in read_jsonl(out)) == sorted([PARAGRAPHS[0][0], PARAGRAPHS[2][0]])
    (error,) = read_jsonl(out.with_name("claims.errors.jsonl"))
    assert error["doc_id"] == "long" and error["chunk"] == 1 and error["error"] == "InternalServerError"
    (record,) = read_jsonl(out.with_name("claims.progress.jsonl"))
    assert record["partial"] is True and record["ok"] is False
    assert record["failed_chunks"] == [{"chunk": 1, **error["span"]}]
    requests_before = record["usage"]["requests"]
    stderr = capsys.readouterr().err
    assert "chunk 1 of 3" in stderr and "--resume" in stderr
    assert "total: 1 documents (0 failed, 1 partial), 2 claims" in stderr

    asked_before = len(fake_server.requests)
    assert main([*command, "--resume"]) == 0
    retried = fake_server.requests[asked_before:]
    assert len(retried) == 1 and failing in retried[0].article, "only the failed chunk is asked again"
    claims = read_jsonl(out)
    assert sorted(c["quote"] for c in claims) == sorted(text for text, _a, _b in PARAGRAPHS)
    assert len({c["claim_id"] for c in claims}) == 3
    assert read_jsonl(out.with_name("claims.errors.jsonl")) == []
    (record,) = read_jsonl(out.with_name("claims.progress.jsonl"))
    assert record["ok"] is True and record["claims"] == 3
    assert record["usage"]["requests"] == requests_before + 1, "the counts carry over"
    manifest = json.loads(out.with_name("claims.manifest.json").read_text())
    assert manifest["totals"]["documents_partial"] == 0 and manifest["totals"]["claims_verified"] == 3


def test_the_manifest_records_each_setting_with_its_origin(
    fake_server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMS_SCHEMA_RETRIES", "0")
    monkeypatch.setenv("CLAIMS_TIMEOUT", "30")
    out = tmp_path / "claims.jsonl"
    code = main(
        [
            "extract",
            str(write_docs(tmp_path / "docs", 1)),
            "-o",
            str(out),
            *llm_flags(fake_server),
            "--timeout",
            "120",
        ]
    )
    assert code == 0
    settings = json.loads(out.with_name("claims.manifest.json").read_text())["settings"]
    assert (settings["timeout"], settings["origins"]["timeout"]) == (120.0, "flag")
    assert (settings["schema_retries"], settings["origins"]["schema_retries"]) == (0, "environment")
    assert (settings["max_tokens"], settings["origins"]["max_tokens"]) == (4096, "default")
    assert settings["origins"]["backend"] == "flag", "--base-url chose the openai backend"
    assert settings["api_key_set"] is False


@pytest.mark.parametrize("inputs", [["--urls", "URLS"], ["https://example.org/page"]])
def test_engine_ray_refuses_urls_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], inputs: list[str]
) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.org/a\n", encoding="utf-8")
    argv = [str(urls) if arg == "URLS" else arg for arg in inputs]
    out = tmp_path / "o.jsonl"
    assert main(["extract", *argv, "-o", str(out), "--backend", "rules", "--engine", "ray"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--engine ray reads files and folders only" in err
    assert not out.exists()


def test_a_killed_run_with_db_resumed_has_every_document_once_in_files_and_database(tmp_path: Path) -> None:
    seeds = sorted((Path(__file__).resolve().parents[2] / "eval" / "seeds").glob("*.txt"))
    source = tmp_path / "docs.jsonl"
    with source.open("w", encoding="utf-8") as stream:
        for n in range(60):
            for path in seeds:
                record = {"id": f"{path.stem}-{n:02d}", "text": path.read_text(encoding="utf-8")}
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    total = 60 * len(seeds)
    out, database = tmp_path / "out" / "claims.jsonl", tmp_path / "claims.sqlite"
    progress = out.with_name("claims.progress.jsonl")
    command = [
        sys.executable,
        "-m",
        "claims.cli",
        "extract",
        str(source),
        "-o",
        str(out),
        "--db",
        str(database),
    ]
    command += ["--backend", "rules"]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if progress.is_file() and progress.read_bytes().count(b"\n") >= 30:
            break
        time.sleep(0.002)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert 0 < progress.read_bytes().count(b"\n") < total, "killed mid-run"
    resumed = subprocess.run([*command, "--resume"], env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    written = read_jsonl(out)
    assert len({c["claim_id"] for c in written}) == len(written), "no claim twice in the file"
    assert sorted(r["doc_id"] for r in read_jsonl(progress)) == sorted(
        f"{p.stem}-{n:02d}" for n in range(60) for p in seeds
    )
    with claims.db.open(str(database)) as db:
        counts = db.counts()
    assert counts["documents"] == total and counts["claims"] == len(written) > total

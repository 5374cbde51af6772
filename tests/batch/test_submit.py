"""Submitting against the FAKE Files + Batches server: reruns, a crash mid-submit, status, and
the API key kept out of every message."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.batch.state import BatchDir
from claims.batch.submit import CREATING
from tests.batch.helpers import cli
from tests.fakes.batch_server import FakeBatchServer
from tests.fakes.claimdata import first_line_meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer

SECRET = "sk-test-never-shown-9876543210"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(3):
        (docs / f"d{n}.txt").write_text(f"Lindqvist traf Tamm am {n + 1}. Mai.", encoding="utf-8")
    assert cli("batch", "prepare", docs, "-o", tmp_path / "b", "--model", MODEL_ID, "--max-lines", 2) == 0
    return tmp_path / "b"


def fake() -> FakeBatchServer:
    return FakeBatchServer(chat=FakeOpenAIServer(default=first_line_meeting), polls=0)


def test_a_crash_between_creating_and_saving_a_batch_creates_no_second_one(folder: Path) -> None:
    server = fake()
    with server.running():
        assert cli("batch", "submit", folder, "--base-url", server.url) == 0
        assert len(server.batches) == 2
        state = BatchDir(folder)
        index = state.load()
        lost = index.files[1]
        batch_id = lost.batch_id
        lost.batch_id, lost.status = None, CREATING  # as a kill right after batches.create leaves it
        state.save(index)
        assert cli("batch", "submit", folder, "--base-url", server.url) == 0
        assert len(server.batches) == 2
        assert state.load().files[1].batch_id == batch_id
        uploads = [p for m, p, _h in server.seen if m == "POST" and p.endswith("/files")]
        assert len(uploads) == 2


def test_status_prints_each_batch(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = fake()
    with server.running():
        assert cli("batch", "status", folder, "--offline") == 0
        assert capsys.readouterr().out.count("unsubmitted") == 2
        assert cli("batch", "submit", folder, "--base-url", server.url) == 0
        assert cli("batch", "status", folder, "--base-url", server.url) == 0
    table = capsys.readouterr().out
    assert table.count("completed") == 2 and "batch_fake_" in table


def test_a_refused_key_is_named_but_never_shown(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server = fake()
    server.require_key = "sk-the-right-one"
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with server.running():
        assert cli("batch", "submit", folder, "--base-url", server.url) == 2
    err = capsys.readouterr().err
    assert "HTTP 401" in err and "OPENAI_API_KEY" in err
    assert SECRET not in err
    for path in folder.rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace")


def test_a_folder_stays_with_its_endpoint(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = fake(), fake()
    with first.running(), second.running():
        assert cli("batch", "submit", folder, "--base-url", first.url) == 0
        assert cli("batch", "submit", folder, "--base-url", second.url) == 2
    assert "pass the same --base-url" in capsys.readouterr().err

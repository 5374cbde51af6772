"""Faults: SIGKILL in the middle of a run, two writers at once, and secrets of server databases."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import claims.db
from claims.cli import main
from tests.cli.test_extract_cmd import llm_flags, write_docs
from tests.db.conftest import postgres_database
from tests.fakes.claimdata import first_line_meeting
from tests.fakes.openai_server import FakeOpenAIServer

ROOT = Path(__file__).resolve().parents[2]


def extract_command(folder: Path, db: str, server: FakeOpenAIServer, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "claims.cli",
        "extract",
        str(folder),
        "--db",
        db,
        *llm_flags(server),
        *extra,
    ]


def child_env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def finished(path: Path) -> int:
    if not path.is_file():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as connection:
            return int(connection.execute("SELECT count(*) FROM run_documents WHERE ok").fetchone()[0])
    except sqlite3.Error:
        return 0


def claims_per_document(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT doc_id, count(*) FROM claims GROUP BY doc_id").fetchall()
    return dict(rows)


def test_sigkill_mid_run_leaves_whole_documents_and_resume_finishes_each_once(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    fake_server.default = first_line_meeting
    fake_server.delay = 0.25
    folder = write_docs(tmp_path / "docs", 16)
    db_path = tmp_path / "claims.db"
    command = extract_command(folder, str(db_path), fake_server, "--concurrency", "2")
    child = subprocess.Popen(command, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and finished(db_path) < 4:
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        done = {row[0] for row in connection.execute("SELECT doc_id FROM run_documents WHERE ok")}
        stored = {row[0] for row in connection.execute("SELECT doc_id FROM documents")}
        pending = connection.execute("SELECT count(*) FROM claims WHERE event_id IS NULL").fetchone()[0]
    assert 4 <= len(done) < 16, "killed mid-run"
    assert set(claims_per_document(db_path)) == done == stored, "no half-written document"
    assert pending == 0, "events were written with their claims"
    asked_before = len(fake_server.requests)

    fake_server.delay = 0.0
    resumed = subprocess.run(
        [*command, "--resume"], env=child_env(), capture_output=True, text=True, timeout=120
    )
    assert resumed.returncode == 0, resumed.stderr
    assert claims_per_document(db_path) == {f"doc{i:02d}": 1 for i in range(16)}, "each document exactly once"
    assert not any(
        f"Stadt {int(d[3:])}." in r.user_text for d in done for r in fake_server.requests[asked_before:]
    ), "finished documents are not asked again"
    with claims.db.open(db_path) as db:
        assert db.counts()["runs"] == 2 and db.counts()["documents"] == 16
        assert sum(len(event.claims) for event in db.events()) == 16


def test_two_processes_writing_one_database_both_finish_and_nothing_is_lost(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    fake_server.default = first_line_meeting
    fake_server.delay = 0.02
    first = write_docs(tmp_path / "a", 12)
    second = tmp_path / "b"
    second.mkdir()
    for path in sorted(first.glob("*.txt")):  # other ids, other texts
        (second / f"b-{path.name}").write_text(path.read_text().replace("Stadt", "Dorf"))
    db_path = tmp_path / "shared.db"
    children = [
        subprocess.Popen(
            extract_command(folder, str(db_path), fake_server),
            env=child_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in (first, second)
    ]
    for child in children:
        _, stderr = child.communicate(timeout=120)
        assert child.returncode == 0, stderr
    counts = claims_per_document(db_path)
    assert len(counts) == 24 and set(counts.values()) == {1}
    with claims.db.open(db_path) as db:
        assert db.counts()["runs"] == 2
        assert sum(len(event.claims) for event in db.events()) == 24
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.postgres
def test_a_server_password_never_reaches_the_manifest_a_log_line_or_an_error(
    fake_server: FakeOpenAIServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_server.default = first_line_meeting
    folder = write_docs(tmp_path / "docs", 2)
    for url in postgres_database():
        password = str(__import__("sqlalchemy").engine.make_url(url).password)
        assert len(password) >= 8
        assert main(["extract", str(folder), "--db", url, *llm_flags(fake_server)]) == 0
        assert main(["db", "events", "--db", url, "--format", "jsonl"]) == 0
        assert main(["db", "export", "--db", url, "-o", str(tmp_path / "events.jsonl")]) == 0
        assert main(["report", "--db", url, "-o", str(tmp_path / "report.html")]) == 0
        wrong = url.replace(password, password + "-wrong")
        assert main(["db", "info", "--db", wrong]) == 2
        without = url.replace(f":{password}@", "@")
        monkeypatch.setenv("PGPASSWORD", password)
        assert main(["db", "info", "--db", without]) == 0
        assert main(["report", "--db", without, "-o", str(tmp_path / "report-from-env.html")]) == 0
        monkeypatch.setenv("PGPASSWORD", password + "-wrong")
        assert main(["db", "info", "--db", without]) == 2
        monkeypatch.delenv("PGPASSWORD")
        captured = capsys.readouterr()
        with claims.db.open(url) as db, db.engine.connect() as connection:
            manifests = [row[0] for row in connection.exec_driver_sql("SELECT manifest FROM runs")]
            stored_events = len(db.events())
        assert manifests and all(json.loads(m)["run_id"] for m in manifests)
        pages = [(tmp_path / name).read_text() for name in ("report.html", "report-from-env.html")]
        assert stored_events and all(f'"events":{{"count":{stored_events},' in page for page in pages)
        everything = (
            captured.out
            + captured.err
            + "".join(manifests)
            + (tmp_path / "events.jsonl").read_text()
            + "".join(pages)
        )
        assert password not in everything
        assert all(url not in page and without not in page for page in pages)
        error_lines = [  # ("wrote PATH" lines: this test's own folder is named …_password_…)
            line
            for line in captured.err.splitlines()
            if ("password" in line.lower() or "***" in line) and not line.startswith("wrote ")
        ]
        assert error_lines, "the failed logins were reported"
        assert all(line.startswith("claims: ") for line in error_lines), error_lines

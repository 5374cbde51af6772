"""`claims db` end to end: import a run, list, show, explain, search and export events."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import claims.db
from claims.cli import main
from claims.jsonl import dumps
from tests.db.builders import corpus

BLIND = Path(__file__).resolve().parents[2] / "eval" / "events" / "blind"


def write_run(folder: Path) -> tuple[Path, Path]:
    """A run's files as claims extract writes them, and the documents they came from."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    meta = []
    lines: list[str] = []
    for doc, outcome in corpus():
        (docs / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
        meta.append(json.dumps({"id": doc.id, "published": doc.published, "language": "de"}))
        lines.extend(dumps(claim) for claim in outcome.claims)
    (docs / "documents.jsonl").write_text("\n".join(meta) + "\n")
    claims_file = folder / "out" / "claims.jsonl"
    claims_file.parent.mkdir()
    claims_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return claims_file, docs


@pytest.fixture
def loaded(tmp_path: Path) -> str:
    claims_file, docs = write_run(tmp_path)
    db = str(tmp_path / "claims.db")
    assert main(["db", "add", str(claims_file), "--source", str(docs), "--db", db]) == 0
    return db


def test_add_imports_a_run_and_the_same_files_twice_add_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims_file, docs = write_run(tmp_path)
    db = tmp_path / "claims.db"
    assert main(["db", "add", str(claims_file), "--source", str(docs), "--db", str(db)]) == 0
    assert "5 documents added" in capsys.readouterr().err
    with sqlite3.connect(db) as connection:
        before = [
            connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in ("claims", "runs")
        ]
    assert main(["db", "add", str(claims_file), "--source", str(docs), "--db", str(db)]) == 0
    assert "0 documents added, 5 already there" in capsys.readouterr().err
    with sqlite3.connect(db) as connection:
        after = [
            connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in ("claims", "runs")
        ]
    assert before == after == [7, 1]


def test_add_names_a_claim_whose_document_is_missing_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims_file, docs = write_run(tmp_path)
    (docs / "d3.txt").unlink()
    db = tmp_path / "claims.db"
    assert main(["db", "add", str(claims_file), "--source", str(docs), "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "'d3'" in err and f"{claims_file}:" in err and "--source" in err
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM claims").fetchone()[0] == 0


def test_events_as_table_jsonl_and_csv(loaded: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "events", "--db", loaded, "--country", "IRN"]) == 0
    table = capsys.readouterr().out
    assert table.strip().endswith("2 events") and "meeting" in table and "arms_delivery" in table
    assert main(["db", "events", "--db", loaded, "--country", "IRN", "--format", "jsonl"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(events) == 2
    for event in events:
        assert {
            "event_id",
            "type",
            "actors",
            "date",
            "location",
            "status_counts",
            "documents",
            "sources",
        } <= set(event)
        for claim in event["claims"]:
            assert set(claim) >= {"doc_id", "claim_id", "quote", "span", "status"}
            text = Path(loaded).parent.joinpath("docs", f"{claim['doc_id']}.txt").read_text(encoding="utf-8")
            assert text[claim["span"]["start"] : claim["span"]["end"]] == claim["quote"]
    assert main(["db", "events", "--db", loaded, "--type", "meeting", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 2 and {row["type"] for row in rows} == {"meeting"}


def test_show_explain_and_search(loaded: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["db", "events", "--db", loaded, "--type", "meeting", "--country", "IRN", "--format", "jsonl"])
        == 0
    )
    (event,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["db", "show", event["event_id"], "--db", loaded]) == 0
    shown = capsys.readouterr().out
    assert shown.count("»") == 3 and "/news/" not in shown and "d0.txt" in shown
    assert main(["db", "explain", event["event_id"], "--db", loaded]) == 0
    explained = capsys.readouterr().out
    assert "linked (directly, by the rules)" in explained and "kept apart" in explained
    assert main(["db", "search", "Waffenlieferung", "--db", loaded]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("d4\t")
    assert main(["db", "show", "ev_nope", "--db", loaded]) == 1
    assert "no event 'ev_nope'" in capsys.readouterr().err


def test_export_jsonl_csv_and_parquet(loaded: str, tmp_path: Path) -> None:
    assert main(["db", "export", "--db", loaded, "--format", "jsonl", "-o", str(tmp_path / "e.jsonl")]) == 0
    events = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert len(events) == 4 and sum(len(e["claims"]) for e in events) == 7
    assert main(["db", "export", "--db", loaded, "--format", "csv", "-o", str(tmp_path / "e.csv")]) == 0
    assert len(list(csv.DictReader((tmp_path / "e.csv").open()))) == 4
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")
    assert (
        main(["db", "export", "--db", loaded, "--format", "parquet", "-o", str(tmp_path / "e.parquet")]) == 0
    )
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == 4 and sorted(table.column("event_id").to_pylist()) == sorted(
        e["event_id"] for e in events
    )


@pytest.mark.parametrize("content", [b"hello, not a database\n", b"SQLite format 3\x00" + b"\xee" * 2000])
def test_a_bad_db_file_is_a_one_line_error_and_stays_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    assert main(["db", "events", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"claims: {path}")
    assert path.read_bytes() == content
    assert main(["extract", str(tmp_path), "--db", str(path), "--backend", "rules"]) == 2
    assert path.read_bytes() == content


def test_claims_db_reads_the_database_from_the_environment(
    loaded: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLAIMS_DB", loaded)
    assert main(["db", "info"]) == 0
    assert "claims     7" in capsys.readouterr().out


def test_add_keeps_every_distinct_claim_of_the_blind_gold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Claims that share a claim_id but not the date (Kazan and Ashgabat in one sentence, Modi's
    talks on two days) are two claims, stored and counted as such."""
    gold = BLIND / "gold.jsonl"
    assert main(["verify", "--source", str(BLIND / "docs"), str(gold)]) == 0
    verified = tmp_path / "verified.jsonl"
    verified.write_text(capsys.readouterr().out, encoding="utf-8")
    assert len(verified.read_text().splitlines()) == 25
    db = tmp_path / "claims.db"
    assert main(["db", "add", str(verified), "--source", str(BLIND / "docs"), "--db", str(db)]) == 0
    assert "; 25 claims," in capsys.readouterr().err
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM claims").fetchone()[0] == 25
    with claims.db.open(db) as opened:
        (ashgabat,) = [event for event in opened.events() if event.location == "Ashgabat"]
        assert ashgabat.date == "2024-10-11" and len(ashgabat.claims) == 1
        kazan = [e for e in opened.events(type="meeting", country=["IRN"]) if e.date == "2024-10-23"]
        assert kazan and all(e.event_id != ashgabat.event_id for e in kazan)


def test_add_names_the_first_problem_of_a_bad_claim_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims_file, docs = write_run(tmp_path)
    lines = claims_file.read_text().splitlines()
    bad = json.loads(lines[1])
    bad["date"] = "June 2024"
    claims_file.write_text("\n".join([lines[0], json.dumps(bad), *lines[2:]]) + "\n")
    db = tmp_path / "claims.db"
    assert main(["db", "add", str(claims_file), "--source", str(docs), "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"claims: {claims_file}:2: not a verified claim (date: ")
    assert "meeting" not in err.split("(")[1], "the claim type is a tag, not a field"


def test_two_documents_of_one_publisher_are_one_source(tmp_path: Path) -> None:
    claims_file, docs = write_run(tmp_path)
    meta = docs / "documents.jsonl"
    lines = [json.loads(line) for line in meta.read_text().splitlines()]
    for line in lines:
        if line["id"] in ("d0", "d1"):
            line["publisher"] = "tagesschau.de"
    meta.write_text("".join(json.dumps(line) + "\n" for line in lines))
    db = str(tmp_path / "claims.db")
    assert main(["db", "add", str(claims_file), "--source", str(docs), "--db", db]) == 0
    with claims.db.open(db) as opened:
        (supply,) = opened.events(type="arms_delivery", country=["IRN"])
        assert (supply.documents, supply.sources) == (2, 1)
        (meeting,) = opened.events(type="meeting", country=["IRN"])
        assert (meeting.documents, meeting.sources) == (3, 2)  # d2's publisher is unknown: its own
        stored = opened.document("d0")
        assert stored is not None and stored.site == "tagesschau.de"


def test_events_into_a_closed_pipe_end_quietly(loaded: str) -> None:
    """`claims db events | head -1`: the reader goes away; no traceback, the status of SIGPIPE."""
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-m", "claims.cli", "db", "events", "--db", loaded, "--format", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, PYTHONPATH=str(root)),
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # before the command writes a line
    stderr = child.stderr.read().decode()
    assert child.wait(timeout=60) == 141
    assert stderr == ""

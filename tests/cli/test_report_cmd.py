"""`claims report`: one HTML file from the CLI; bad input is one line naming the file and the fix."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from claims.cli import main
from tests.conftest import SEEDS
from tests.report.helpers import seed_claims, seed_rejected, write_jsonl


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def test_writes_one_self_contained_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    claims = write_jsonl(tmp_path / "verified.jsonl", seed_claims())
    rejected = write_jsonl(tmp_path / "rejected.jsonl", seed_rejected())
    evaluation = tmp_path / "eval.json"
    evaluation.write_text(json.dumps({"overall": {"f1": 0.5}}), encoding="utf-8")
    output = tmp_path / "out" / "report.html"
    code, err = run(
        [
            "report",
            str(claims),
            "--source",
            str(SEEDS),
            "--rejected",
            str(rejected),
            "--eval",
            str(evaluation),
            "-o",
            str(output),
        ],
        capsys,
    )
    assert code == 0
    assert err.splitlines() == [
        "claims: 1 rejected claims name no given document; listed apart in the report",
        f"wrote {output}: 5 documents, 65 claims, 4 rejected",
    ]
    page = output.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "report-data" in page


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (lambda d: [str(d / "none.jsonl")], "none.jsonl: no such file; give the output of `claims verify`"),
        (lambda d: [str(d / "v.jsonl"), "--eval", str(d / "bad.json")], "bad.json: not valid JSON"),
        (lambda d: [str(d / "v.jsonl"), "--rejected", str(d / "v.jsonl")], "v.jsonl:1: not a rejected claim"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_args: Callable[[Path], list[str]], message: str
) -> None:
    write_jsonl(tmp_path / "v.jsonl", seed_claims())
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    args = make_args(tmp_path)
    code, err = run(["report", *args, "--source", str(SEEDS), "-o", str(tmp_path / "r.html")], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("claims: ") and message in err
    assert not (tmp_path / "r.html").exists()


def test_claims_against_another_source_stop_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims = write_jsonl(tmp_path / "v.jsonl", seed_claims())
    other = tmp_path / "other"
    other.mkdir()
    (other / "000_b8597e5840640336.txt").write_text("Ein ganz anderer Text.", encoding="utf-8")
    code, err = run(["report", str(claims), "--source", str(other), "-o", str(tmp_path / "r.html")], capsys)
    assert code == 2
    assert "v.jsonl: " in err and "give the --source the claims were verified against" in err


def test_a_source_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    claims = write_jsonl(tmp_path / "v.jsonl", [])
    code, err = run(["report", str(claims), "--source", str(tmp_path / "nope"), "-o", "x.html"], capsys)
    assert code == 2 and "no such file or folder" in err


def test_an_unreadable_document_is_warned_about_and_fails_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "docs"
    source.mkdir()
    (source / "good.txt").write_text("Ein Text.", encoding="utf-8")
    (source / "bad.txt").write_bytes(bytes(range(0x80, 0x100)) * 4)
    claims = write_jsonl(tmp_path / "v.jsonl", [])
    output = tmp_path / "r.html"
    code, err = run(["report", str(claims), "--source", str(source), "-o", str(output)], capsys)
    assert code == 1
    assert "bad.txt: not UTF-8" in err and output.is_file()


def test_a_near_miss_off_its_source_names_the_rejected_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims = write_jsonl(tmp_path / "v.jsonl", [])
    record = next(r for r in seed_rejected() if r.near_miss is not None)
    assert record.near_miss is not None
    moved = record.model_copy(update={"near_miss": record.near_miss.model_copy(update={"text": "anders"})})
    rejected = write_jsonl(tmp_path / "r.jsonl", [moved])
    argv = ["report", str(claims), "--source", str(SEEDS), "--rejected", str(rejected), "-o", "x.html"]
    code, err = run(argv, capsys)
    assert code == 2
    assert err.startswith(f"claims: {rejected}: a rejected claim's near miss is not at ")


# --- with a claims database ---------------------------------------------------------------------


def test_a_database_alone_makes_the_page_with_its_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.report.eventdb import conflict_corpus, make_db

    database = make_db(tmp_path / "claims.db", conflict_corpus())
    output = tmp_path / "report.html"
    code, err = run(["report", "--db", str(database), "-o", str(output)], capsys)
    assert code == 0
    assert err.splitlines() == [f"wrote {output}: 5 documents, 6 claims, 0 rejected, 4 events"]
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', output.read_text(), re.S).group(1))  # type: ignore[union-attr]
    assert data["events"]["count"] == 4 and len(data["documents"]) == 5


def test_claim_files_with_a_database_take_the_events_from_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims = write_jsonl(tmp_path / "verified.jsonl", seed_claims())
    database = tmp_path / "seeds.db"
    assert main(["db", "add", str(claims), "--source", str(SEEDS), "--db", str(database)]) == 0
    capsys.readouterr()
    output = tmp_path / "report.html"
    code, err = run(
        ["report", str(claims), "--source", str(SEEDS), "--db", str(database), "-o", str(output)], capsys
    )
    assert code == 0
    assert err.splitlines() == [f"wrote {output}: 5 documents, 65 claims, 0 rejected, 60 events"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "nothing to report; give CLAIMS.jsonl with --source, or --db PATH|URL, or both"),
        (["{claims}"], "--source is missing; give the documents the claims were verified against"),
        (["--source", str(SEEDS), "--db", "{db}"], "no CLAIMS.jsonl to go with it"),
        (["--db", "{db}", "--rejected", "{claims}"], "needs CLAIMS.jsonl (with --db alone, the page shows"),
        (["--db", "{missing}"], "missing.db: no such database file; give --db the file"),
        (["--db", "{foreign}"], "foreign.db: not a SQLite database (nothing was changed)"),
    ],
)
def test_bad_database_arguments_are_one_line_naming_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    from tests.report.eventdb import conflict_corpus, make_db

    paths = {
        "{claims}": str(write_jsonl(tmp_path / "v.jsonl", [])),
        "{db}": str(make_db(tmp_path / "claims.db", conflict_corpus())),
        "{missing}": str(tmp_path / "missing.db"),
        "{foreign}": str(tmp_path / "foreign.db"),
    }
    (tmp_path / "foreign.db").write_text("kein SQLite\n", encoding="utf-8")
    output = tmp_path / "r.html"
    code, err = run(["report", *[paths.get(arg, arg) for arg in argv], "-o", str(output)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("claims: ") and message in err, err
    assert not output.exists() and not (tmp_path / "missing.db").exists()
    assert (tmp_path / "foreign.db").read_text(encoding="utf-8") == "kein SQLite\n"

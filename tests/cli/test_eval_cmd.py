"""`claims eval`: the seeds against themselves, the JSON shape, reports, backends, and bad input."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from claims.cli import main
from tests.conftest import GOLD, ROOT, SEEDS, gold_lines
from tests.fakes.claimdata import first_line_meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer

SCORE_KEYS = {"precision", "recall", "f1", "tp", "fp", "fn"}
RUN_KEYS = {
    "backend",
    "endpoint",
    "model",
    "mode",
    "prompt_hash",
    "tokens",
    "software",
    "command",
    "started_at",
    "seconds",
    "gold",
    "predictions",
    "documents",
}


def write_jsonl(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def run_eval(*arguments: str) -> int:
    return main(["eval", *arguments])


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("at_root")
def test_the_seed_gold_against_itself_with_the_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "scores.json"
    assert run_eval("--pred", "eval/gold/seeds.jsonl", "--json", str(out)) == 0
    table = capsys.readouterr().out
    assert "seeds.jsonl" in table
    assert [line.split()[1:] for line in table.splitlines() if line.startswith("all ")] == [
        ["1.000", "1.000", "1.000", "51", "0", "0"]
    ]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["micro"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 51, "fp": 0, "fn": 0}
    assert set(result["per_type"]) == {"meeting", "arms_delivery", "treaty_signing"}
    assert all(set(scores) == SCORE_KEYS for scores in result["per_type"].values())
    assert set(result["per_document"]) == {p.stem for p in SEEDS.glob("*.txt")}
    assert all(scores["f1"] == 1.0 for scores in result["per_document"].values())
    assert result["attributes"]["status_accuracy"] == {"value": 1.0, "agree": 51, "n": 51}
    assert result["attributes"]["weapon_category_overlap"] == {"value": 1.0, "n": 7}
    run = result["run"]
    assert set(run) >= RUN_KEYS
    assert run["gold"]["sha256"] == hashlib.sha256(GOLD.read_bytes()).hexdigest()
    assert run["predictions"]["sha256"] == run["gold"]["sha256"]
    assert run["documents"]["count"] == 5
    assert run["software"]["packages"]["claims"] is not None and run["software"]["python"]
    assert "--pred eval/gold/seeds.jsonl" in run["command"]


@pytest.mark.usefixtures("at_root")
def test_the_command_runs_as_a_program_from_the_repository_root(tmp_path: Path) -> None:
    out = tmp_path / "scores.json"
    completed = subprocess.run(
        [sys.executable, "-m", "claims.cli", "eval", "--pred", "eval/gold/seeds.jsonl", "--json", str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["micro"]["f1"] == 1.0


def crafted_predictions(tmp_path: Path) -> Path:
    """The seed gold with one delivery swapped, one claim dropped and one invented."""
    lines = gold_lines()
    lines[11]["supplier"], lines[11]["recipient"] = lines[11]["recipient"], lines[11]["supplier"]
    invented = {
        **lines[63],
        "participants": [{"name": "Joe Biden", "country": "USA"}, {"name": "Olaf Scholz"}],
    }
    del lines[55]
    return write_jsonl(tmp_path / "crafted.jsonl", [*lines, invented])


@pytest.mark.usefixtures("at_root")
def test_several_predictions_side_by_side_with_grounding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crafted = crafted_predictions(tmp_path)
    rejected = write_jsonl(
        tmp_path / "rejected.jsonl",
        [
            {"doc_id": "x", "reason": "not_found", "claim": {}},
            {"doc_id": "x", "reason": "too_short", "claim": {}},
        ],
    )
    out = tmp_path / "both.json"
    code = run_eval(
        "--pred", str(GOLD), "--pred", str(crafted), "--rejected", str(rejected), "--rejected", str(rejected),
        "--json", str(out),
    )  # fmt: skip
    assert code == 0
    table = capsys.readouterr().out
    header = next(line for line in table.splitlines() if "crafted.jsonl" in line)
    assert header.index("seeds.jsonl") < header.index("crafted.jsonl")
    [all_row] = [line.split() for line in table.splitlines() if line.startswith("all ")]
    assert all_row[1:] == [
        "1.000",
        "1.000",
        "1.000",
        "51",
        "0",
        "0",
        "0.961",
        "0.961",
        "0.961",
        "49",
        "2",
        "2",
    ]
    systems = json.loads(out.read_text(encoding="utf-8"))["systems"]
    assert [s["label"] for s in systems] == ["seeds.jsonl", "crafted.jsonl"]
    assert systems[1]["micro"] == {
        "precision": 49 / 51,
        "recall": 49 / 51,
        "f1": 49 / 51,
        "tp": 49,
        "fp": 2,
        "fn": 2,
    }
    assert systems[1]["grounding"] == {
        "rate": 2 / 67,
        "verified": 65,
        "rejected": 2,
        "by_reason": {"not_found": 1, "too_short": 1},
    }
    assert systems[0]["versus_first"] is None
    versus = systems[1]["versus_first"]
    assert versus["baseline"] == "seeds.jsonl" and versus["documents"] == 5
    assert versus["delta"] == pytest.approx(49 / 51 - 1)
    assert versus["low"] <= versus["delta"] <= versus["high"] <= 0
    [versus_row] = [line for line in table.splitlines() if line.startswith("F1 vs first")]
    assert "(baseline)" in versus_row and f"{versus['delta']:+.3f}".replace("-", "−") in versus_row
    assert "paired bootstrap over the 5 documents" in table and "too narrow to trust" in table


@pytest.mark.usefixtures("at_root")
def test_the_report_lists_every_error_with_its_quote(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    assert run_eval("--pred", str(crafted_predictions(tmp_path)), "--report", str(report)) == 0
    text = report.read_text(encoding="utf-8")
    for heading in (
        "## Summary",
        "## Per type",
        "## Per document",
        "## Attributes",
        "## Run record",
        "## Errors",
    ):
        assert heading in text
    lines = gold_lines()
    assert text.count("- **FP**") == 2
    assert text.count("- **FN**") == 2
    assert f"> {lines[11]['quote']}" in text  # the swapped delivery: FP and FN on the same quote
    assert f"> {lines[55]['quote']}" in text  # the dropped claim
    assert "supplier and recipient are swapped" in text
    assert "Joe Biden (USA)" in text


def test_any_gold_set_in_this_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "Lawrow traf Wang Yi in Peking. Iran liefert Drohnen an Russland.", encoding="utf-8"
    )
    (docs / "b.txt").write_text("Hier steht nichts über Treffen.", encoding="utf-8")
    (docs / "documents.jsonl").write_text('{"doc_id": "a", "published": "2024-01"}\n', encoding="utf-8")
    meeting = {
        "doc_id": "a",
        "type": "meeting",
        "quote": "Lawrow traf Wang Yi in Peking.",
        "participants": [{"name": "Lawrow", "country": "RUS"}, {"name": "Wang Yi", "country": "CHN"}],
        "status": "occurred",
        "optional": False,
        "alt_quotes": [],
    }
    gold = write_jsonl(tmp_path / "gold.jsonl", [meeting])
    stray = {**meeting, "doc_id": "b", "quote": "Hier steht nichts über Treffen."}
    variant = {**meeting, "participants": [{"name": "Lawrows"}, {"name": "Wang"}]}
    pred = write_jsonl(tmp_path / "pred.jsonl", [variant, stray])
    out = tmp_path / "out.json"
    assert run_eval("--gold", str(gold), "--docs", str(docs), "--pred", str(pred), "--json", str(out)) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["micro"] == {"precision": 0.5, "recall": 1.0, "f1": 2 / 3, "tp": 1, "fp": 1, "fn": 0}
    assert result["per_document"]["b"]["fp"] == 1


# --- --backend --------------------------------------------------------------------------------


@pytest.mark.usefixtures("at_root")
def test_backend_runs_extraction_through_the_library_and_records_its_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_server: FakeOpenAIServer
) -> None:
    """Through the real library and HTTP to the FAKE server (scripted answers, no model): the run
    record takes backend, endpoint, model, tokens and time from the extraction's manifest."""
    monkeypatch.setenv("OPENAI_BASE_URL", fake_server.url)
    fake_server.default = first_line_meeting
    out = tmp_path / "backend.json"
    assert run_eval("--backend", "openai", "--model", MODEL_ID, "--json", str(out)) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["label"] == f"openai:{MODEL_ID}"
    run = result["run"]
    assert (run["backend"], run["endpoint"], run["model"]) == ("openai", fake_server.url, MODEL_ID)
    assert run["prompt_hash"] and run["mode"]
    requests = len(fake_server.requests)
    assert requests >= 5, "one request per seed chunk at least"
    assert run["tokens"]["requests"] == requests
    assert run["tokens"]["prompt_tokens"] == 100 * requests, "the fake counts 100 prompt tokens an answer"
    assert run["manifest"]["run_id"] and run["manifest"]["totals"]["documents"] == 5
    assert run["extraction_seconds"] == run["manifest"]["wall_seconds"]
    assert run["extraction_errors"] == 0 and run["predictions"] is None
    assert result["grounding"] is not None


@pytest.mark.usefixtures("at_root")
def test_backend_request_settings_reach_the_requests_the_command_and_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_server: FakeOpenAIServer
) -> None:
    """`--examples` and `--request-schema` shape what the FAKE server is sent, and the report says
    which were used and where each came from, so a committed measurement can be read and rerun."""
    monkeypatch.setenv("OPENAI_BASE_URL", fake_server.url)
    fake_server.default = first_line_meeting
    out, report = tmp_path / "backend.json", tmp_path / "backend.md"
    flags = ["--examples", "2", "--request-schema", "full", "--json", str(out), "--report", str(report)]
    assert run_eval("--backend", "openai", "--model", MODEL_ID, *flags) == 0
    sent = fake_server.requests[0]
    assert sent.messages[0]["content"].count("## Example ") == 2
    assert "pattern" in json.dumps(sent.body["tools"]), "the full schema carries the contract's patterns"
    run = json.loads(out.read_text(encoding="utf-8"))["run"]
    assert "--examples 2 --request-schema full" in run["command"]
    assert run["manifest"]["settings"]["request_schema"] == "full"
    assert "| request | examples: 2 (flag), request_schema: full (flag) |" in report.read_text(
        encoding="utf-8"
    )


@pytest.mark.usefixtures("at_root")
def test_a_failing_backend_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_eval("--backend", "openai") == 2
    err = capsys.readouterr().err
    assert err.startswith("claims: --backend openai: ConfigError: ") and err.count("\n") == 1


@pytest.mark.usefixtures("at_root")
def test_backend_rules_through_the_real_library(tmp_path: Path) -> None:
    out = tmp_path / "rules.json"
    assert run_eval("--backend", "rules", "--json", str(out)) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert set(result["micro"]) == SCORE_KEYS
    assert result["run"]["backend"] == "rules" and result["run"]["model"].startswith("rules-")
    assert result["run"]["tokens"]["requests"] == 0
    assert result["grounding"] is not None


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "nothing to score: give --pred"),
        (["--pred", "missing.jsonl"], "missing.jsonl: no such file; give the predictions JSONL"),
        (
            ["--gold", "nope.jsonl", "--pred", str(GOLD)],
            "nope.jsonl: no such file; give the gold claims JSONL",
        ),
        (["--docs", "nowhere", "--pred", str(GOLD)], "nowhere: no such file or folder"),
        (["--pred", str(GOLD), "--rejected", "a", "--rejected", "b"], "2 --rejected for 1 --pred"),
    ],
)
@pytest.mark.usefixtures("at_root")
def test_bad_arguments_fail_with_one_line(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_eval(*arguments) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


@pytest.mark.usefixtures("at_root")
def test_a_malformed_prediction_line_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(gold_lines()[0]) + "\n{oops\n", encoding="utf-8")
    assert run_eval("--pred", str(bad)) == 2
    assert f"{bad}:2: not valid JSON" in capsys.readouterr().err


def test_gold_that_belongs_to_other_documents_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "other.txt").write_text("Ein Text.", encoding="utf-8")
    assert run_eval("--gold", str(GOLD), "--docs", str(docs), "--pred", str(GOLD)) == 2
    assert "none of the gold's documents" in capsys.readouterr().err

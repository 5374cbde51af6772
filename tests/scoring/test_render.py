"""The terminal table is aligned and side by side; the report carries every section."""

from __future__ import annotations

from claims.scoring.evaluate import evaluate
from claims.scoring.render import number, render_report, render_table
from claims.scoring.run_record import RunRecord
from claims.scoring.summary import summarize
from tests.scoring.builders import DOC, actor, meeting

S1 = "Putin traf Xi in Peking."
TEXT = S1 + " Sonst nichts."
PUTIN, XI = actor("Putin", "RUS"), actor("Xi", "CHN")


def summaries(*labels: str) -> list[dict[str, object]]:
    gold = [meeting(S1, PUTIN, XI, gold=True)]
    result = []
    for index, label in enumerate(labels):
        predicted = (
            [meeting(S1, PUTIN, XI)]
            if index == 0
            else [meeting(S1, actor("Modi", "IND"), actor("Orban", "HUN"))]
        )
        summary = summarize(
            evaluate(gold, predicted, {DOC: TEXT}), label, None, RunRecord(label=label, model="m|1")
        )
        result.append(summary.model_dump(mode="json"))
    return result


def test_number() -> None:
    assert number(None) == "—"
    assert number(2 / 3) == "0.667"
    assert number(1) == "1.000"


def test_score_rows_are_aligned_column_for_column() -> None:
    table = render_table(summaries("first.jsonl", "second.jsonl"))
    lines = table.splitlines()
    header = next(line for line in lines if line.strip().startswith("P "))
    rows = [line for line in lines if line.startswith(("all", "  meeting", DOC))]
    assert len(rows) == 3
    for row in rows:
        assert len(row) == len(header)
        # every number ends where its header ends
        for heading in ("F1", "FN"):
            end = header.index(heading) + len(heading)
            assert row[end - 1] != " "
    assert lines[2].index("first.jsonl") < lines[2].index("second.jsonl")
    assert rows[0].split()[1:7] == ["1.000", "1.000", "1.000", "1", "0", "0"]


def test_a_long_label_is_cut_to_its_block() -> None:
    table = render_table(summaries("x" * 80))
    assert "x" * 80 not in table
    assert "…" in table


def test_the_report_has_every_section_and_escapes_table_cells() -> None:
    report = render_report(summaries("a|b.jsonl", "second.jsonl"), title="T")
    assert report.startswith("# T\n")
    for heading in (
        "## Summary",
        "## Per type",
        "## Per document",
        "## Attributes",
        "## Run record",
        "## Errors",
    ):
        assert heading in report
    assert "| a\\|b.jsonl |" in report
    assert "m\\|1" in report
    assert "- **FP** `meeting` — Modi (IND), Orban (HUN)" in report
    assert "- **FN**" in report
    assert f"  > {S1}" in report


def test_the_difference_from_the_first_system_shows_only_side_by_side() -> None:
    pair = summaries("first.jsonl", "second.jsonl")
    pair[1]["versus_first"] = {
        "baseline": "first.jsonl", "delta": -1.0, "low": -1.0, "high": 0.25, "level": 0.95,
        "documents": 30, "rounds": 10_000, "seed": 0,
    }  # fmt: skip
    report = render_report(pair)
    header = next(line for line in report.splitlines() if line.startswith("| system"))
    assert header.endswith("| grounding | F1 vs first [interval] |")
    assert "| (baseline) |" in report and "| −1.000 [−1.000, +0.250] |" in report
    assert "paired bootstrap over the 30 documents (10,000 resamples)" in report
    assert "too narrow" not in report  # 30 documents is enough for the warning to stay away
    assert "F1 vs first" not in render_report(pair[:1]) + render_table(pair[:1])
    assert "−1.000 [−1.000, +0.250]" in render_table(pair)

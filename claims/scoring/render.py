"""The terminal table and the Markdown report, drawn from evaluation summaries (`summary.summarize`).

Several summaries are shown side by side: one column block per system in the terminal, one row
(or column) per system in the report. Rendering never computes a score; it only formats the
summary, so the table, the report and the JSON cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from claims.scoring.evaluate import CLAIM_TYPES
from claims.scoring.significance import FEW_DOCUMENTS
from claims.scoring.summary import EvaluationSummary

Summary = dict[str, Any]
"""An evaluation summary as JSON data (`EvaluationSummary.model_dump(mode="json")`)."""
SCORE_COLUMNS = ("P", "R", "F1", "TP", "FP", "FN")
ATTRIBUTES = (
    ("status_accuracy", "status accuracy"),
    ("date_agreement", "date agreement"),
    ("location_agreement", "location agreement"),
    ("weapon_category_overlap", "weapon-category overlap"),
    ("evidence_overlap", "evidence overlap"),
)
VERSUS_ROW = "F1 vs first (interval)"
_BLOCK = "{:>6} {:>6} {:>6} {:>5} {:>5} {:>5}"
_BLOCK_WIDTH = len(_BLOCK.format(*SCORE_COLUMNS))
_EMPTY = {"precision": None, "recall": None, "f1": None, "tp": 0, "fp": 0, "fn": 0}


def number(value: float | None) -> str:
    """A score with three decimals, or an em dash when undefined."""
    return "—" if value is None else f"{value:.3f}"


def _score_cells(scores: dict[str, Any]) -> list[str]:
    return [
        number(scores["precision"]),
        number(scores["recall"]),
        number(scores["f1"]),
        str(scores["tp"]),
        str(scores["fp"]),
        str(scores["fn"]),
    ]


def _attribute_cell(attribute: dict[str, Any]) -> str:
    if "agree" in attribute:
        return f"{number(attribute['value'])} ({attribute['agree']}/{attribute['n']})"
    return f"{number(attribute['value'])} (n={attribute['n']})"


def _grounding_cell(grounding: dict[str, Any] | None) -> str:
    if grounding is None:
        return "— (no rejected file)"
    proposed = grounding["verified"] + grounding["rejected"]
    return f"{number(grounding['rate'])} ({grounding['rejected']}/{proposed} rejected)"


def signed(value: float | None) -> str:
    """A difference with its sign (a true minus sign), or an em dash when undefined."""
    if value is None:
        return "—"
    return f"{value:+.3f}".replace("-", "−")


def versus_cell(summary: Summary) -> str:
    """The F1 difference from the first system and its interval: `+0.030 [−0.052, +0.110]`."""
    difference = summary.get("versus_first")
    if difference is None:
        return "(baseline)"
    interval = f"[{signed(difference['low'])}, {signed(difference['high'])}]"
    return f"{signed(difference['delta'])} {interval}"


def versus_note(summaries: Sequence[Summary]) -> str | None:
    """How the difference column was computed, once per table; None when there is nothing to compare."""
    difference = next((s["versus_first"] for s in summaries if s.get("versus_first")), None)
    if difference is None:
        return None
    return (
        f"F1 against {difference['baseline']}: the difference and its {difference['level']:.0%} interval "
        f"from a paired bootstrap over the {difference['documents']} documents ({difference['rounds']:,} "
        "resamples); an interval that holds 0 means the gap may be the luck of the documents."
        + (
            f" With fewer than {FEW_DOCUMENTS} documents the interval is too narrow to trust."
            if difference["documents"] < FEW_DOCUMENTS
            else ""
        )
    )


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _as_data(summaries: Sequence[EvaluationSummary | Summary]) -> list[Summary]:
    return [s.model_dump(mode="json") if isinstance(s, EvaluationSummary) else s for s in summaries]


def render_table(given: Sequence[EvaluationSummary | Summary]) -> str:
    """Plain-text tables with aligned columns, one column block per summary."""
    summaries = _as_data(given)
    first = summaries[0]
    totals = first["totals"]
    doc_ids = list(first["per_document"])
    names = ["all", *(f"  {t}" for t in CLAIM_TYPES), *doc_ids]
    attribute_names = [label for _key, label in ATTRIBUTES] + ["grounding (rejected)", VERSUS_ROW]
    width = max(len(n) for n in [*names, *attribute_names])
    gap = "   "

    def line(name: str, blocks: list[str]) -> str:
        return (name.ljust(width) + gap + gap.join(blocks)).rstrip()

    lines = [
        f"gold: {totals['gold_required']} required and {totals['gold_optional']} optional claims "
        f"in {totals['documents']} documents",
        "",
        line("", [_fit(s["label"], _BLOCK_WIDTH).center(_BLOCK_WIDTH) for s in summaries]),
        line("", [_BLOCK.format(*SCORE_COLUMNS) for _ in summaries]),
    ]
    rows: list[tuple[str, list[dict[str, Any]]]] = [("all", [s["micro"] for s in summaries])]
    rows += [(f"  {t}", [s["per_type"][t] for s in summaries]) for t in CLAIM_TYPES]
    rows += [(d, [s["per_document"].get(d, _EMPTY) for s in summaries]) for d in doc_ids]
    for index, (name, scores) in enumerate(rows):
        if index == 1 + len(CLAIM_TYPES):  # documents after the types
            lines.append("")
        lines.append(line(name, [_BLOCK.format(*_score_cells(s)) for s in scores]))
    lines += ["", "on true positives:"]
    for key, label in ATTRIBUTES:
        lines.append(
            line(label, [_attribute_cell(s["attributes"][key]).ljust(_BLOCK_WIDTH) for s in summaries])
        )
    lines.append(
        line("grounding (rejected)", [_grounding_cell(s["grounding"]).ljust(_BLOCK_WIDTH) for s in summaries])
    )
    note = versus_note(summaries)
    if note is not None:
        lines.append(line(VERSUS_ROW, [versus_cell(s).ljust(_BLOCK_WIDTH) for s in summaries]))
        lines += ["", note]
    if all(s.get("events") is not None for s in summaries):
        lines += ["", "event grouping (pairwise P / R / F1, B-cubed F1):"]
        for key, label in EVENT_SCORES:
            lines.append(line(label, [_event_cell(s["events"][key]).ljust(_BLOCK_WIDTH) for s in summaries]))
    return "\n".join(lines) + "\n"


EVENT_SCORES = (("gold_grouping", "gold claims grouped"), ("end_to_end", "end to end"))


def _event_cell(scores: dict[str, Any]) -> str:
    pairs = scores["pairwise"]
    return (
        f"{number(pairs['precision'])} / {number(pairs['recall'])} / {number(pairs['f1'])}, "
        f"B³ {number(scores['bcubed']['f1'])}"
    )


# --- Markdown ----------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    text = "—" if value is None or value == "" else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], numeric: bool = True) -> list[str]:
    """A Markdown table; the first column left-aligned, the others right-aligned if `numeric`."""
    out = ["| " + " | ".join(_cell(h) for h in header) + " |"]
    out.append("|" + "|".join("---:" if i and numeric else "---" for i in range(len(header))) + "|")
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def _claim_lines(item: dict[str, Any], kind: str) -> list[str]:
    arrow = " → " if item["type"] == "arms_delivery" else ", "
    details = ", ".join(
        f"{key} {item[key]}" for key in ("status", "date", "location") if item.get(key) is not None
    )
    return [
        f"- **{kind}** `{item['type']}` — {arrow.join(item['actors'])} ({details}) — `{item['origin']}`  ",
        f"  *why:* {item['why']}",
        "",
        f"  > {item['quote']}",
        "",
    ]


REQUEST_SETTINGS = ("examples", "request_schema")
"""Settings that shape a model's request beyond its model and mode, shown with their origin."""


def _request_settings(manifest: Any) -> str | None:
    """`examples: 5 (backend default), request_schema: full (flag)` from a manifest's settings."""
    settings = manifest.get("settings") if isinstance(manifest, dict) else None
    if not isinstance(settings, dict) or settings.get("backend") == "rules":
        return None
    origins = settings.get("origins") or {}
    shown = [
        f"{name}: {settings[name]} ({origins.get(name, 'default')})"
        for name in REQUEST_SETTINGS
        if name in settings
    ]
    return ", ".join(shown) or None


def _run_lines(run: dict[str, Any] | None) -> list[str]:
    rows = []
    if run is None:
        return ["(no run record)", ""]
    for key, value in run.items():
        if key == "manifest":
            request = _request_settings(value)
            if request:
                rows.append(("request", request))
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {'—' if v is None else v}" for k, v in value.items())
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        rows.append((key, value))
    return _table(["field", "value"], rows, numeric=False)


def render_report(given: Sequence[EvaluationSummary | Summary], title: str = "Evaluation") -> str:
    """Markdown: summary, per type, per document, attributes, run record, then every error."""
    summaries = _as_data(given)
    first = summaries[0]
    totals = first["totals"]
    out = [
        f"# {title}",
        "",
        f"Gold: {totals['gold_required']} required and {totals['gold_optional']} optional claims in "
        f'{totals["documents"]} documents. Scoring as in ANNOTATION.md ("Scoring"); scores are '
        "micro-averaged; — means undefined (nothing to divide by).",
        "",
        "## Summary",
        "",
    ]
    note = versus_note(summaries)
    versus = ["F1 vs first [interval]"] if note is not None else []
    out += _table(
        ["system", *SCORE_COLUMNS, "grounding", *versus],
        [
            [s["label"], *_score_cells(s["micro"]), _grounding_cell(s["grounding"])]
            + ([versus_cell(s)] if note is not None else [])
            for s in summaries
        ],
    )
    if note is not None:
        out += [note, ""]
    out += ["## Per type", ""]
    out += _table(
        ["type", "system", *SCORE_COLUMNS],
        [[t, s["label"], *_score_cells(s["per_type"][t])] for t in CLAIM_TYPES for s in summaries],
    )
    out += ["## Per document", ""]
    out += _table(
        ["document", "system", *SCORE_COLUMNS],
        [
            [d, s["label"], *_score_cells(s["per_document"].get(d, _EMPTY))]
            for d in first["per_document"]
            for s in summaries
        ],
    )
    out += ["## Attributes of true positives", ""]
    out += _table(
        ["attribute", *(s["label"] for s in summaries)],
        [[label, *(_attribute_cell(s["attributes"][key]) for s in summaries)] for key, label in ATTRIBUTES],
    )
    if all(s.get("events") is not None for s in summaries):
        out += _events_section(summaries)
    out += ["## Run record", ""]
    for s in summaries:
        out += [f"### {s['label']}", "", *_run_lines(s["run"])]
    out += ["## Errors", ""]
    for s in summaries:
        out += _error_section(s)
    warnings = sorted({w for s in summaries for w in s["warnings"]})
    if warnings:
        out += ["## Warnings", "", *(f"- {w}" for w in warnings), ""]
    return "\n".join(out).rstrip() + "\n"


def _events_section(summaries: Sequence[Summary]) -> list[str]:
    """Event grouping scores (ANNOTATION.md, "Events across documents"), then every wrong pair."""
    out = [
        "## Event grouping",
        "",
        "Pairwise precision/recall/F1 over pairs of claims (a pair is positive when both are one event) "
        "and B-cubed. *Gold claims grouped*: the gold claims themselves, grouped by `claims.events`. "
        "*End to end*: the predictions grouped, each matched prediction standing for its gold claim; "
        "an unmatched prediction is its own gold event, an unmatched required gold claim its own "
        "predicted event.",
        "",
    ]
    rows = []
    for s in summaries:
        for key, label in EVENT_SCORES:
            e = s["events"][key]
            pairs, b3 = e["pairwise"], e["bcubed"]
            rows.append(
                [
                    s["label"],
                    label,
                    e["claims"],
                    e["gold_events"],
                    e["predicted_events"],
                    *_score_cells(pairs),
                    number(b3["precision"]),
                    number(b3["recall"]),
                    number(b3["f1"]),
                ]
            )
    header = ["system", "grouping", "claims", "gold events", "predicted events", *SCORE_COLUMNS]
    out += _table([*header, "B³ P", "B³ R", "B³ F1"], rows)
    for s in summaries:
        for key, label in EVENT_SCORES:
            e = s["events"][key]
            if not (e["false_links"] or e["missed_links"]):
                continue
            out += [f"### {s['label']}: {label}, wrong pairs", ""]
            for kind, items in (("false link", e["false_links"]), ("missed link", e["missed_links"])):
                out += [f"- **{kind}** `{i['type']}` `{i['a']}` – `{i['b']}`: {i['why']}" for i in items]
            out.append("")
    return out


def _error_section(summary: Summary) -> list[str]:
    errors = summary["errors"]
    out = [
        f"### {summary['label']}",
        "",
        f"{len(errors['false_positives'])} false positives, {len(errors['false_negatives'])} false "
        f"negatives, {len(errors['attribute_disagreements'])} true positives with disagreeing attributes.",
        "",
    ]
    for doc_id in summary["per_document"]:
        fps = [e for e in errors["false_positives"] if e["doc_id"] == doc_id]
        fns = [e for e in errors["false_negatives"] if e["doc_id"] == doc_id]
        disagreements = [e for e in errors["attribute_disagreements"] if e["doc_id"] == doc_id]
        if not (fps or fns or disagreements):
            continue
        out += [f"#### {doc_id}", ""]
        for item in fps:
            out += _claim_lines(item, "FP")
        for item in fns:
            out += _claim_lines(item, "FN")
        for item in disagreements:
            fields = "; ".join(
                f"{name}: predicted {values['predicted']!r}, gold {values['gold']!r}"
                for name, values in item["fields"].items()
            )
            out += [
                f"- **attributes** `{item['type']}` — {', '.join(item['actors'])} — "
                f"`{item['predicted_origin']}` vs `{item['gold_origin']}`: {fields}",
                "",
            ]
    return out

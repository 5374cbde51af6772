"""`claims eval`: score predicted claims against hand-labelled gold (ANNOTATION.md, "Scoring").

Predictions come from files (`--pred`, repeatable: shown side by side) or from running a backend
through the library (`--backend`, repeatable). The scoring itself lives in `claims.scoring`;
this module only reads arguments, runs, prints and writes.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claims.api import extract
from claims.cli.common import CliError, output_stream, warn
from claims.inputs.documents import Document, InputError, load_documents, split_loaded
from claims.run.manifest import Manifest
from claims.scoring.evaluate import evaluate
from claims.scoring.events import load_event_labels, score_events
from claims.scoring.grounding import Grounding, grounding_of
from claims.scoring.records import (
    EvalClaim,
    ScoringInputError,
    load_gold,
    load_predictions,
    load_rejected,
    predictions_from_records,
)
from claims.scoring.render import render_report, render_table
from claims.scoring.run_record import build_run_record, now
from claims.scoring.summary import compare_with_first, summarize
from claims.settings import REQUEST_SCHEMAS

DEFAULT_GOLD = "eval/gold/seeds.jsonl"
DEFAULT_DOCS = "eval/seeds"
DEFAULT_EVENTS = "eval/gold/events.jsonl"


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "eval",
        help="score predicted claims against gold (precision, recall, F1, attributes)",
        description=(
            "Score predictions against hand-labelled gold as ANNOTATION.md's 'Scoring' section says. "
            "Give one or more --pred files (verified records or gold-format lines), or run "
            "--backend NAME; several are shown side by side, each with its F1 difference from the first "
            "and a 95% paired-bootstrap interval over the documents."
        ),
    )
    parser.add_argument("--gold", default=DEFAULT_GOLD, help=f"gold claims JSONL (default: {DEFAULT_GOLD})")
    parser.add_argument(
        "--docs",
        default=DEFAULT_DOCS,
        help=f"a documents JSONL, or a folder of <doc_id>.txt and documents.jsonl (default: {DEFAULT_DOCS})",
    )
    parser.add_argument(
        "--pred", action="append", default=[], metavar="PRED.jsonl", help="predicted claims (repeatable)"
    )
    parser.add_argument(
        "--backend",
        action="append",
        default=[],
        metavar="NAME",
        help="run this backend through the library (cached) and score its claims (repeatable)",
    )
    parser.add_argument("--model", help="the model --backend uses (default: the backend's own)")
    parser.add_argument(
        "--examples",
        type=int,
        metavar="N",
        help="few-shot examples in --backend's requests (CLAIMS_EXAMPLES; default: the backend's own)",
    )
    parser.add_argument(
        "--request-schema",
        choices=REQUEST_SCHEMAS,
        help="the JSON Schema --backend sends (CLAIMS_REQUEST_SCHEMA; default: the backend's own)",
    )
    parser.add_argument(
        "--rejected",
        action="append",
        default=[],
        metavar="R.jsonl",
        help="the rejected claims belonging to each --pred, in the same order: gives the grounding rate",
    )
    parser.add_argument(
        "--events",
        metavar="EVENTS.jsonl",
        help=f"gold event labels of the --gold claims: also score event grouping (default with the "
        f"default --gold: {DEFAULT_EVENTS})",
    )
    parser.add_argument("--json", dest="json_out", metavar="OUT.json", help="write the scores as JSON")
    parser.add_argument("--report", metavar="OUT.md", help="write a Markdown report with every error")
    parser.set_defaults(func=run)


@dataclass
class System:
    """One prediction set to score, and what is known about where it came from."""

    label: str
    claims: list[EvalClaim]
    grounding: Grounding | None = None
    predictions_path: Path | None = None
    rejected_path: Path | None = None
    manifest: Manifest | None = None
    extraction_seconds: float | None = None
    extraction_errors: int | None = None
    notes: list[str] = field(default_factory=list)


def run(args: argparse.Namespace) -> int:
    started = now()
    if not args.pred and not args.backend:
        raise CliError(
            "nothing to score: give --pred PRED.jsonl (e.g. --pred eval/gold/seeds.jsonl) or --backend"
        )
    if args.rejected and len(args.rejected) != len(args.pred):
        raise CliError(
            f"{len(args.rejected)} --rejected for {len(args.pred)} --pred; "
            "give one --rejected per --pred, in the same order"
        )
    gold_path = Path(args.gold)
    if not gold_path.is_file():
        hint = " (run from the repository root, or give --gold)" if args.gold == DEFAULT_GOLD else ""
        raise CliError(f"{gold_path}: no such file; give the gold claims JSONL{hint}")
    documents = _load_documents(args.docs)
    texts = {d.id: d.text for d in documents}
    try:
        gold = load_gold(gold_path)
        labels = _event_labels(args, gold)
        systems = [_file_system(path, rejected) for path, rejected in _paired(args.pred, args.rejected)]
    except ScoringInputError as error:
        raise CliError(str(error)) from None
    systems += [_backend_system(name, documents, args) for name in args.backend]
    _unique_labels(systems)
    command = _command(args)
    summaries = []
    shown: set[str] = set()
    for system in systems:
        try:
            evaluation = evaluate(gold, system.claims, texts)
        except ScoringInputError as error:
            raise CliError(str(error)) from None
        for message in [*system.notes, *evaluation.warnings]:
            if message not in shown:
                shown.add(message)
                warn(message)
        record = build_run_record(
            label=system.label,
            command=command,
            started=started,
            gold_path=gold_path,
            docs_path=args.docs,
            documents=texts,
            predictions=system.claims,
            predictions_path=system.predictions_path,
            rejected_path=system.rejected_path,
            manifest=system.manifest,
            extraction_seconds=system.extraction_seconds,
            extraction_errors=system.extraction_errors,
        )
        summary = summarize(evaluation, system.label, system.grounding, record)
        if labels is not None:
            summary.events = score_events(evaluation, gold, labels, texts)
        summaries.append(summary)
    compare_with_first(summaries)
    sys.stdout.write(render_table(summaries))
    if args.json_out:
        data = [summary.model_dump(mode="json") for summary in summaries]
        payload = data[0] if len(data) == 1 else {"systems": data}
        with output_stream(args.json_out) as stream:
            assert stream is not None
            stream.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    if args.report:
        with output_stream(args.report) as stream:
            assert stream is not None
            stream.write(render_report(summaries, title=f"Evaluation against {gold_path.name}"))
    return 0


def _event_labels(args: argparse.Namespace, gold: list[EvalClaim]) -> list[str] | None:
    """The gold event labels to score grouping with: --events, or the seeds' labels by default."""
    if args.events is None:
        if args.gold != DEFAULT_GOLD or not Path(DEFAULT_EVENTS).is_file():
            return None
        args.events = DEFAULT_EVENTS
    return load_event_labels(Path(args.events), gold)


def _paired(preds: list[str], rejected: list[str]) -> list[tuple[str, str | None]]:
    return [(path, rejected[index] if rejected else None) for index, path in enumerate(preds)]


def _load_documents(docs: str) -> list[Document]:
    try:
        documents, errors = split_loaded(load_documents([docs]))
    except InputError as error:
        hint = " (run from the repository root, or give --docs)" if docs == DEFAULT_DOCS else ""
        raise CliError(f"{error}{hint}") from None
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise CliError(f"{errors[0].message}{more}")
    if not documents:
        raise CliError(f"{docs}: no documents found; give a folder of <doc_id>.txt or a documents JSONL")
    return documents


def _file_system(path: str, rejected: str | None) -> System:
    predictions_path = Path(path)
    claims = load_predictions(predictions_path)
    system = System(label=predictions_path.name, claims=claims, predictions_path=predictions_path)
    if rejected is not None:
        system.rejected_path = Path(rejected)
        system.grounding = grounding_of(len(claims), load_rejected(system.rejected_path))
    return system


def _backend_system(name: str, documents: list[Document], args: argparse.Namespace) -> System:
    """Run extraction through the library (`claims.api.extract`, cached) and score its claims."""
    model: str | None = args.model
    given = {"model": model, "examples": args.examples, "request_schema": args.request_schema}
    settings: dict[str, Any] = {key: value for key, value in given.items() if value is not None}
    try:
        result = extract(documents, backend=name, **settings)
    except Exception as error:  # any backend failure ends the run with one line, never a traceback
        message = " ".join(str(error).split())[:300] or type(error).__name__
        raise CliError(f"--backend {name}: {type(error).__name__}: {message}") from None
    label = name if model is None else f"{name}:{model}"
    claims = predictions_from_records(result.claims, label)
    system = System(
        label=label,
        claims=claims,
        grounding=grounding_of(len(claims), result.rejected),
        manifest=result.manifest,
        extraction_seconds=result.manifest.wall_seconds,
        extraction_errors=len(result.errors),
    )
    if result.errors:
        reasons = Counter(error.error for error in result.errors)
        system.notes.append(
            f"--backend {name}: {len(result.errors)} documents or chunks failed ("
            + ", ".join(f"{n} {kind}" for kind, n in sorted(reasons.items()))
            + "); their gold claims count as missed"
        )
    return system


def _unique_labels(systems: list[System]) -> None:
    """Label prediction files by name; where two share a name, by their path; then by position."""
    counts = Counter(s.label for s in systems)
    for system in systems:
        if counts[system.label] > 1 and system.predictions_path is not None:
            system.label = str(system.predictions_path)
    seen: Counter[str] = Counter()
    for system in systems:
        seen[system.label] += 1
        if seen[system.label] > 1:
            system.label = f"{system.label} ({seen[system.label]})"


def _command(args: argparse.Namespace) -> str:
    """The command line that reproduces this evaluation (rebuilt from the parsed arguments)."""
    parts = ["claims", "eval", "--gold", args.gold, "--docs", args.docs]
    for path in args.pred:
        parts += ["--pred", path]
    for path in args.rejected:
        parts += ["--rejected", path]
    for name in args.backend:
        parts += ["--backend", name]
    if args.model:
        parts += ["--model", args.model]
    if args.examples is not None:
        parts += ["--examples", str(args.examples)]
    if args.request_schema:
        parts += ["--request-schema", args.request_schema]
    if args.events and not (args.events == DEFAULT_EVENTS and args.gold == DEFAULT_GOLD):
        parts += ["--events", args.events]
    if args.json_out:
        parts += ["--json", args.json_out]
    if args.report:
        parts += ["--report", args.report]
    return shlex.join(parts)

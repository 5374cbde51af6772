"""`claims report`: verified claims highlighted in their sources, as one self-contained HTML page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from claims.cli.common import CliError, warn
from claims.inputs.documents import InputError, load_documents, split_loaded
from claims.report import (
    EvalInputError,
    RecordInputError,
    ReportBuildError,
    make_report,
    read_evaluation,
    read_rejected,
    read_verified,
)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help="write a review page: verified claims highlighted in their sources (one HTML file)",
        description="One self-contained HTML file (no network): documents, highlighted claims, their "
        "fields, rejected claims with their near misses and, with --eval, false positives and negatives.",
    )
    parser.add_argument(
        "claims_file", metavar="CLAIMS.jsonl", help="verified claims (the output of `claims verify`)"
    )
    parser.add_argument(
        "--source", required=True, help="the documents the claims were verified against (folder, .txt, JSONL)"
    )
    parser.add_argument("--rejected", metavar="R.jsonl", help="rejected claims (`claims verify --rejected`)")
    parser.add_argument("--eval", metavar="EVAL.json", help="evaluation result (`claims eval --json`)")
    parser.add_argument("--title", help="the page title (default: claims review — N documents)")
    parser.add_argument("-o", "--output", required=True, metavar="report.html", help="the HTML file to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        documents, load_errors = split_loaded(load_documents([args.source]))
        claims = read_verified(Path(args.claims_file))
        rejected = read_rejected(Path(args.rejected)) if args.rejected else []
        evaluation = read_evaluation(Path(args.eval)) if args.eval else None
    except (InputError, RecordInputError, EvalInputError) as error:
        raise CliError(str(error)) from None
    for load_error in load_errors:
        warn(load_error.message)
    try:
        page, warnings = make_report(documents, claims, rejected, evaluation, args.title)
    except ReportBuildError as error:
        where = args.rejected if error.records == "rejected" else args.claims_file
        raise CliError(f"{where}: {error}") from None
    for message in warnings:
        warn(message)
    output = Path(args.output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(page, encoding="utf-8")
    except OSError as error:
        raise CliError(f"{output}: cannot write ({error.strerror}); choose a writable path") from None
    print(
        f"wrote {output}: {len(documents)} documents, {len(claims)} claims, {len(rejected)} rejected",
        file=sys.stderr,
    )
    return 1 if load_errors else 0

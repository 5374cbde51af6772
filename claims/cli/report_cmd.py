"""`claims report`: verified claims highlighted in their sources, as one self-contained HTML page;
with `--db`, the events of a claims database too."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claims.cli.common import CliError, warn
from claims.inputs.documents import Document, DocumentError, InputError, load_documents, split_loaded
from claims.report import (
    EvalInputError,
    RecordInputError,
    ReportBuildError,
    make_report,
    read_evaluation,
    read_rejected,
    read_verified,
)
from claims.schema import RejectedClaim, VerifiedClaim

if TYPE_CHECKING:
    from claims.report.database import DatabaseContent

USAGE_FIX = "give CLAIMS.jsonl with --source, or --db PATH|URL, or both"


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help="write a review page: verified claims highlighted in their sources, events of a database "
        "(one HTML file)",
        description="One self-contained HTML file (no network): documents, highlighted claims, their\n"
        "fields, rejected claims with their near misses and, with --eval, false positives and negatives.\n"
        "With --db, an Events view too: the database's events by date or type, each with the quotes\n"
        "of all its sources (a click opens the quote in its document).\n\n"
        "The page comes from files (CLAIMS.jsonl --source PATH), from a database alone (--db: its\n"
        "stored documents, claims and rejected claims), or from both (the files' documents and\n"
        "claims, the database's events).",
        epilog="examples:\n"
        "  claims report out/claims.jsonl --source eval/seeds -o report.html\n"
        "  claims report --db claims.db -o report.html\n"
        "  claims report out/claims.jsonl --source eval/seeds --db claims.db -o report.html",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "claims_file",
        nargs="?",
        metavar="CLAIMS.jsonl",
        help="verified claims (the output of `claims verify`); needs --source",
    )
    parser.add_argument(
        "--source", help="the documents the claims were verified against (folder, .txt, JSONL)"
    )
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help="a claims database (SQLite file or postgresql://…): adds the Events view; alone, the page's "
        "documents and claims come from it too. Given explicitly (CLAIMS_DB is not read here); a "
        "password in the URL never reaches the page",
    )
    parser.add_argument(
        "--rejected",
        metavar="R.jsonl",
        help="rejected claims (`claims verify --rejected`), with CLAIMS.jsonl",
    )
    parser.add_argument("--eval", metavar="EVAL.json", help="evaluation result (`claims eval --json`)")
    parser.add_argument("--title", help="the page title (default: claims review — N documents[, M events])")
    parser.add_argument("-o", "--output", required=True, metavar="report.html", help="the HTML file to write")
    parser.set_defaults(func=run)


def _check_arguments(args: argparse.Namespace) -> None:
    if args.claims_file is None and args.db is None:
        raise CliError(f"nothing to report; {USAGE_FIX}")
    if args.claims_file is not None and args.source is None:
        raise CliError(
            f"{args.claims_file}: --source is missing; give the documents the claims were verified against"
        )
    if args.claims_file is None and args.source is not None:
        raise CliError(f"--source {args.source}: no CLAIMS.jsonl to go with it; {USAGE_FIX}")
    if args.claims_file is None and args.rejected is not None:
        raise CliError(
            f"--rejected {args.rejected}: needs CLAIMS.jsonl (with --db alone, the page shows the "
            "database's rejected claims)"
        )


def _read_database(target: str, everything: bool) -> DatabaseContent:
    # The database layer (SQLAlchemy) is imported only when a report reads a database.
    from claims.report.database import ReportDatabaseError, read_database

    try:
        return read_database(target, everything=everything)
    except ReportDatabaseError as error:
        raise CliError(str(error)) from None


def _shown(target: str) -> str:
    from claims.db.engine import redact

    return redact(target)


def run(args: argparse.Namespace) -> int:
    _check_arguments(args)
    documents: list[Document] = []
    claims: list[VerifiedClaim] = []
    rejected: list[RejectedClaim] = []
    load_errors: list[DocumentError] = []
    try:
        if args.claims_file is not None:
            documents, load_errors = split_loaded(load_documents([args.source]))
            claims = read_verified(Path(args.claims_file))
            rejected = read_rejected(Path(args.rejected)) if args.rejected else []
        evaluation = read_evaluation(Path(args.eval)) if args.eval else None
    except (InputError, RecordInputError, EvalInputError) as error:
        raise CliError(str(error)) from None
    content = _read_database(args.db, everything=args.claims_file is None) if args.db is not None else None
    for load_error in load_errors:
        warn(load_error.message)
    if content is not None and args.claims_file is None:
        documents, claims, rejected = content.documents, content.claims, content.rejected
    events = content.events if content is not None else None
    try:
        page, warnings = make_report(documents, claims, rejected, evaluation, args.title, events)
    except ReportBuildError as error:
        if args.claims_file is None or error.records == "events":
            where = _shown(args.db)
        else:
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
    counts = f"{len(documents)} documents, {len(claims)} claims, {len(rejected)} rejected"
    if events is not None:
        counts += f", {len(events)} events"
    print(f"wrote {output}: {counts}", file=sys.stderr)
    return 1 if load_errors else 0

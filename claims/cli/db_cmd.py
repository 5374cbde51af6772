"""`claims db`: the database of documents, runs, claims and events — import, query, explain,
export. A thin layer over claims.db."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import claims.db
from claims.cli.common import CliError
from claims.db.engine import DatabaseError
from claims.db.exporting import FORMATS, format_table, write_csv, write_jsonl, write_parquet
from claims.db.importing import import_run
from claims.db.linking import EventSummary

DB_HELP = "a SQLite file or postgresql://user@host/name (env CLAIMS_DB, default claims.db)"


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH|URL", help=DB_HELP)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "db",
        help="the claims database: import runs, find events across documents, search quotes, export",
        description="Documents, runs, claims and the events that link claims across documents.",
    )
    commands = parser.add_subparsers(dest="db_command", metavar="SUBCOMMAND")
    parser.set_defaults(func=lambda args: _usage(parser))

    add = commands.add_parser("add", help="import an existing run's files (the same files twice add nothing)")
    add.add_argument("claims_file", metavar="CLAIMS.jsonl")
    add.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="PATH",
        help="the documents the claims were extracted from (folder, .txt, documents JSONL); repeatable",
    )
    add.add_argument(
        "--rejected", metavar="F", help="rejected claims (default: CLAIMS.rejected.jsonl beside)"
    )
    add.add_argument("--errors", metavar="F", help="error records (default: CLAIMS.errors.jsonl beside)")
    add.set_defaults(func=_add)

    events = commands.add_parser("events", help="list events, filtered")
    events.add_argument("--type", choices=["meeting", "arms_delivery", "treaty_signing"])
    events.add_argument("--country", nargs="+", default=[], metavar="ISO3", help="every one of these states")
    events.add_argument("--actor", metavar="NAME", help="an actor whose name contains NAME")
    events.add_argument("--since", metavar="DATE", help="dated on or after (YYYY[-MM[-DD]])")
    events.add_argument("--until", metavar="DATE", help="dated on or before")
    events.add_argument("--status", choices=["occurred", "alleged", "planned", "speculative"])
    events.add_argument("--min-sources", type=int, metavar="N", help="reported by at least N sources")
    events.add_argument("--limit", type=int, metavar="N")
    events.add_argument("--format", choices=["table", "jsonl", "csv"], default="table")
    events.set_defaults(func=_events)

    show = commands.add_parser("show", help="one event with every supporting quote in its document")
    show.add_argument("event_id", metavar="EVENT_ID")
    show.set_defaults(func=_show)

    explain = commands.add_parser("explain", help="which rule linked or kept apart each pair of claims")
    explain.add_argument("event_id", metavar="EVENT_ID")
    explain.set_defaults(func=_explain)

    search = commands.add_parser("search", help="full-text search over quotes (inside words too)")
    search.add_argument("text", metavar="TEXT")
    search.add_argument("--limit", type=int, default=50, metavar="N")
    search.set_defaults(func=_search)

    export = commands.add_parser("export", help="every event as JSONL, CSV or Parquet")
    export.add_argument("--format", choices=FORMATS, default="jsonl")
    export.add_argument("-o", "--output", metavar="FILE", help="default: stdout (jsonl, csv)")
    export.set_defaults(func=_export)

    info = commands.add_parser("info", help="what the database holds")
    info.set_defaults(func=_info)
    for sub in (add, events, show, explain, search, export, info):
        add_db_argument(sub)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def open_db(target: str | None) -> claims.db.Database:
    try:
        return claims.db.open(target)
    except DatabaseError as error:
        raise CliError(str(error)) from None


def _add(args: argparse.Namespace) -> int:
    claims_file = Path(args.claims_file)
    if not claims_file.is_file():
        raise CliError(f"{claims_file}: no such file; give the claims JSONL of a run")
    with open_db(args.db) as db:
        try:
            summary = import_run(
                db,
                claims_file,
                args.source,
                Path(args.rejected) if args.rejected else None,
                Path(args.errors) if args.errors else None,
            )
        except DatabaseError as error:
            raise CliError(str(error), code=1) from None
        print(
            f"{db.name}: run {summary.run_id}: {summary.documents} documents added, "
            f"{summary.skipped} already there; {summary.claims} claims, {summary.rejected} rejected, "
            f"{summary.errors} errors; "
            f"{summary.events} events written",
            file=sys.stderr,
        )
    return 0


def _events(args: argparse.Namespace) -> int:
    filters: dict[str, Any] = {
        "type": args.type,
        "country": args.country,
        "actor": args.actor,
        "since": args.since,
        "until": args.until,
        "status": args.status,
        "min_sources": args.min_sources,
        "limit": args.limit,
    }
    with open_db(args.db) as db:
        if args.format == "jsonl":  # every claim of every event
            write_jsonl(db.events(**filters), sys.stdout)
            return 0
        found = db.headlines(**filters)  # a row an event: its claims are only counted
    if args.format == "csv":
        write_csv(found, sys.stdout)
    else:
        print(format_table(found))
    return 0


def _get_event(db: claims.db.Database, event_id: str) -> EventSummary:
    event = db.event(event_id)
    if event is None:
        raise CliError(f"{db.name}: no event {event_id!r}; list them with claims db events", code=1)
    return event


def _show(args: argparse.Namespace) -> int:
    with open_db(args.db) as db:
        event = _get_event(db, args.event_id)
        actors = "; ".join(a.name + (f" ({a.country})" if a.country else "") for a in event.actors)
        print(
            f"event {event.event_id}: {event.type}, {event.date or 'undated'}, {event.location or 'no place'}"
        )
        print(f"actors: {actors}")
        print(f"{event.sources} sources, {event.documents} documents, statuses {event.status_counts}")
        if event.date_conflicts:
            print(f"conflicting dates: {', '.join(event.date_conflicts)}")
        for ref in event.claims:
            document = db.document(ref.doc_id)
            where = f" ({document.source})" if document and document.source else ""
            print(f"\n{ref.doc_id}{where} [{ref.span.start}:{ref.span.end}] {ref.status} run {ref.run_id}")
            if document is not None:
                before = document.text[max(0, ref.span.start - 80) : ref.span.start].replace("\n", " ")
                after = document.text[ref.span.end : ref.span.end + 80].replace("\n", " ")
                print(f"  …{before}»{document.text[ref.span.start : ref.span.end]}«{after}…")
            else:
                print(f"  »{ref.quote}«")
    return 0


def _explain(args: argparse.Namespace) -> int:
    with open_db(args.db) as db:
        explanation = db.explain(args.event_id)
        if explanation is None:
            raise CliError(f"{db.name}: no event {args.event_id!r}; list them with claims db events", code=1)
    print(f"event {args.event_id}: {len(explanation.event.claims)} claims")
    for title, pairs in (
        ("linked (directly, by the rules)", explanation.linked),
        ("in the event through other claims, not linked directly", explanation.apart_inside),
        ("kept apart (claims sharing a blocking key, in other events)", explanation.kept_apart),
    ):
        print(f"\n{title}: {len(pairs)}")
        for pair in pairs:
            print(f"  {pair.a} ~ {pair.b}: {pair.decision.rule}: {pair.decision.detail}")
    return 0


def _search(args: argparse.Namespace) -> int:
    with open_db(args.db) as db:
        hits = db.search(args.text, args.limit)
    for hit in hits:
        print(f"{hit.doc_id}\t{hit.claim_id}\t{hit.type}\t{hit.event_id or '-'}\t{hit.quote}")
    print(f"{len(hits)} quotes", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    if args.format == "parquet" and not args.output:
        raise CliError("Parquet is written to a file: pass -o FILE.parquet")
    with open_db(args.db) as db:
        events = db.iter_events()
        if args.format == "parquet":
            try:
                count = write_parquet(events, args.output)
            except RuntimeError as error:
                raise CliError(str(error)) from None
        else:
            writer = write_jsonl if args.format == "jsonl" else write_csv
            if args.output:
                try:
                    with Path(args.output).open("w", encoding="utf-8", newline="") as stream:
                        count = writer(events, stream)
                except OSError as error:
                    raise CliError(
                        f"{args.output}: cannot write ({error.strerror}); choose a writable path"
                    ) from None
            else:
                count = writer(events, sys.stdout)
    print(f"{count} events exported", file=sys.stderr)
    return 0


def _info(args: argparse.Namespace) -> int:
    with open_db(args.db) as db:
        for name, count in db.counts().items():
            print(f"{name:10} {count}")
    return 0

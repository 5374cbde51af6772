"""Events out of the database: JSONL (one event a line, every claim with its quote and span),
CSV (one flat row an event) or Parquet (the JSONL records, nested; the `parquet` extra)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from claims.db.linking import EventHeadline, EventSummary
from claims.db.queries import claim_count, event_rows

FORMATS = ("jsonl", "csv", "parquet")
CSV_FIELDS = [
    "event_id", "type", "date", "location", "actors", "status_counts", "documents", "sources", "claims",
    "date_conflicts",
]  # fmt: skip


def event_record(event: EventSummary) -> dict[str, Any]:
    """The JSONL record: event_id, type, actors, date, location, status_counts, documents, sources,
    claims [{doc_id, claim_id, quote, span {start, end}, status, run_id}], and the rest of the summary."""
    return event.model_dump(mode="json")


def write_jsonl(events: Iterable[EventSummary], stream: IO[str]) -> int:
    count = 0
    for event in events:
        stream.write(json.dumps(event_record(event), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(events: Iterable[EventSummary | EventHeadline], stream: IO[str]) -> int:
    writer = csv.DictWriter(stream, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(event_rows(event))
        count += 1
    return count


def write_parquet(events: Iterable[EventSummary], path: str) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ModuleNotFoundError:
        raise RuntimeError("Parquet export needs pyarrow: pip install 'claims[parquet]'") from None
    records = [event_record(event) for event in events]
    for record in records:  # free-form maps do not fit a fixed Parquet struct: keep them as JSON text
        record["status_counts"] = json.dumps(record["status_counts"], sort_keys=True)
    table = pa.Table.from_pylist(records) if records else pa.table({"event_id": pa.array([], pa.string())})
    pq.write_table(table, path)
    return len(records)


def format_table(events: list[EventSummary] | list[EventHeadline]) -> str:
    """A plain text table for the terminal."""
    header = f"{'event':19}  {'type':14}  {'date':10}  {'src':>3}  {'docs':>4}  {'claims':>6}  actors"
    lines = [header]
    for event in events:
        row = event_rows(event)
        lines.append(
            f"{event.event_id:19}  {event.type:14}  {event.date or '-':10}  {event.sources:>3}  "
            f"{event.documents:>4}  {claim_count(event):>6}  {row['actors']}"
        )
    lines.append(f"{len(events)} events")
    return "\n".join(lines)

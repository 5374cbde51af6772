"""How fast is the claims database? Prints a table; asserts nothing (numbers are for the notes).

    .venv/bin/python -m benchmarks.db [--sizes 10000 100000] [--postgres URL] [--per-document-max N]
    bash .ci/with-postgres sh -c \
        '.venv/bin/python -m benchmarks.db --sizes 10000 --postgres "$TEST_POSTGRES_URL"'

Synthetic claims with realistic repetition: a pool of real-world events (meetings, arms
deliveries, signings between 24 states, dated over two years at day, month or year precision,
some undated supply relations) with Zipf popularity; each document reports five of them in
sentences of its own, so popular events are reported by dozens of documents. Per size:
- ingest: every document written in its own transaction (text, claims, blocking keys), seconds
  and claims/s;
- grouping: the events built from all pending claims (claims.events), seconds and claims/s;
- per-document: the same documents into a second, empty database with `group=True`, as
  `claims extract --db` writes them (each document's events updated in its transaction), claims/s
  (sizes up to `--per-document-max`);
- add: one more run of 100 documents, written and grouped incrementally (only the events it
  can affect are touched);
- query: `claims db events --country IRN` as the listing reads it (`Database.headlines`: each
  event without its claims) and with every supporting claim (`Database.events`, what
  `--format jsonl` writes), medians of 20, timed in-process (no process start-up, no CLI), and
  how many events it returned;
- bytes/claim: the SQLite file (after a WAL checkpoint) over the number of claims.

With `--postgres URL` (a server user allowed to create databases), every size, and the
per-document ingest, gets a fresh database of its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

import claims.db
from claims.inputs.documents import Document
from claims.run.document import DocumentResult
from claims.schema import (
    Actor,
    Provenance,
    Span,
    VerifiedArmsDelivery,
    VerifiedClaim,
    VerifiedMeeting,
    VerifiedTreatySigning,
    actor_key,
    claim_id,
)

STATES = (
    "RUS IRN PRK CHN BLR KAZ IND TUR SYR VEN CUB UZB KGZ TJK ARM AZE SRB HUN EGY SAU ARE BRA ZAF VNM"
).split()
CLAIMS_PER_DOC = 5
WEAPONS = [
    ("Drohnen", "drones"),
    ("Raketen", "missiles"),
    ("Munition", "ammunition"),
    ("Panzer", "armored_vehicles"),
]


@dataclass(frozen=True)
class World:
    """One real-world event that documents report."""

    kind: str
    a: str
    b: str
    date: str | None
    weapon: int


def make_world(size: int, rng: random.Random) -> list[World]:
    events = []
    for _ in range(size):
        kind = rng.choices(["meeting", "arms_delivery", "treaty_signing"], [7, 2, 1])[0]
        a, b = rng.sample(STATES[:8] if rng.random() < 0.6 else STATES, 2)
        day = f"{rng.choice([2023, 2024])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        precision = rng.random()
        date: str | None = day if precision < 0.8 else day[:7] if precision < 0.95 else day[:4]
        if kind == "arms_delivery" and rng.random() < 0.2:
            date = None
        events.append(World(kind, a, b, date, rng.randrange(len(WEAPONS))))
    return events


def sentence(event: World, doc: int, slot: int) -> str:
    when = f"am {event.date}" if event.date else "seit Jahren"
    if event.kind == "meeting":
        return f"Vertreter von {event.a} und {event.b} trafen sich {when} (Bericht {doc}.{slot})."
    if event.kind == "arms_delivery":
        return f"{event.a} liefert {when} {WEAPONS[event.weapon][0]} an {event.b} (Bericht {doc}.{slot})."
    return f"{event.a} und {event.b} unterzeichneten {when} ein Abkommen (Bericht {doc}.{slot})."


def claim_for(event: World, doc: Document, quote: str, start: int) -> VerifiedClaim:
    span = Span(start=start, end=start + len(quote))
    a, b = Actor(name=event.a, country=event.a), Actor(name=event.b, country=event.b)
    ident = claim_id(doc.id, event.kind, span, [actor_key(a), actor_key(b)])
    common = {
        "doc_id": doc.id,
        "quote": quote,
        "status": "occurred",
        "date": event.date,
        "claim_id": ident,
        "span": span,
        "match": "exact",
        "occurrences": 1,
        "provenance": Provenance(backend="bench", model="synthetic"),
    }
    if event.kind == "meeting":
        return VerifiedMeeting(participants=[a, b], **common)
    if event.kind == "arms_delivery":
        weapon, category = WEAPONS[event.weapon]
        return VerifiedArmsDelivery(
            supplier=a,
            recipient=b,
            weapons=[weapon],
            weapon_categories=[category],
            **common,
        )
    return VerifiedTreatySigning(parties=[a, b], agreement="ein Abkommen", **common)


def documents(
    count: int, world: list[World], rng: random.Random, prefix: str
) -> list[tuple[Document, DocumentResult]]:
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(world))]
    out = []
    for number in range(count):
        doc_id = f"{prefix}{number:07d}"
        chosen = rng.choices(world, weights, k=CLAIMS_PER_DOC)
        sentences = [sentence(event, number, slot) for slot, event in enumerate(chosen)]
        body = " ".join(sentences)
        doc = Document(
            id=doc_id, text=body, published="2024-12-01", language="de", source=f"synthetic/{doc_id}"
        )
        claims, offset = [], 0
        for event, quote in zip(chosen, sentences, strict=True):
            claims.append(claim_for(event, doc, quote, offset))
            offset += len(quote) + 1
        out.append((doc, DocumentResult(doc_id, document=doc, claims=claims)))
    return out


@dataclass
class Row:
    claims: int
    ingest_s: float
    group_s: float
    per_document_s: float | None
    events: int
    add_s: float
    query_ms: float
    full_query_ms: float
    found: int
    bytes_per_claim: float


@contextmanager
def fresh_database(server: str | None, folder: Path, name: str) -> Iterator[str]:
    """A new, empty database: a SQLite file in `folder`, or a database created on the server
    (dropped afterwards), so that no size meets the documents of another."""
    if server is None:
        yield str(folder / f"{name}.db")
        return
    import psycopg

    database = f"claims_bench_{name}_{uuid.uuid4().hex[:8]}".replace("-", "_")
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    base, _, _ = server.rpartition("/")
    try:
        yield f"{base}/{database}"
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def ingest_per_document(corpus: list[tuple[Document, DocumentResult]], target: str) -> float:
    """Seconds to write every document with its events updated in its own transaction."""
    with claims.db.open(target) as db:
        db.start_run("bench", backend="bench", model="synthetic", prompt_hash=None)
        started = time.perf_counter()
        for doc, result in corpus:
            db.write_document("bench", doc, result, group=True)
        return time.perf_counter() - started


def measure(size: int, server: str | None, folder: Path, per_document_max: int) -> Row:
    rng = random.Random(size)
    n_docs = size // CLAIMS_PER_DOC
    world = make_world(max(50, size // 8), rng)
    corpus = documents(n_docs, world, rng, "d")
    per_document = None
    if size <= per_document_max:
        with fresh_database(server, folder, f"per-document-{size}") as target:
            per_document = ingest_per_document(corpus, target)
    with fresh_database(server, folder, f"bench-{size}") as target:
        db = claims.db.open(target)
        db.start_run("bench", backend="bench", model="synthetic", prompt_hash=None)
        started = time.perf_counter()
        for doc, result in corpus:
            db.write_document("bench", doc, result, group=False)
        ingest = time.perf_counter() - started
        started = time.perf_counter()
        db.update_events()
        grouping = time.perf_counter() - started
        events = db.counts()["events"]
        extra = documents(100, world, rng, "x")
        db.start_run("bench-add", backend="bench", model="synthetic-2", prompt_hash=None)
        started = time.perf_counter()
        for doc, result in extra:
            db.write_document("bench-add", doc, result)
        add = time.perf_counter() - started
        timings: list[float] = []
        full: list[float] = []
        found = 0
        for _ in range(20):
            started = time.perf_counter()
            found = len(db.headlines(country=["IRN"]))
            timings.append(time.perf_counter() - started)
            started = time.perf_counter()
            db.events(country=["IRN"])
            full.append(time.perf_counter() - started)
        total = db.counts()["claims"]
        if server is None:
            db.close()
            with sqlite3.connect(target) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size_bytes = Path(target).stat().st_size
        else:
            with db.engine.connect() as connection:
                size_bytes = int(
                    connection.execute(text("SELECT pg_database_size(current_database())")).scalar() or 0
                )
        db.close()
    return Row(
        size,
        ingest,
        grouping,
        per_document,
        events,
        add,
        statistics.median(timings) * 1000,
        statistics.median(full) * 1000,
        found,
        size_bytes / total,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="a PostgreSQL server (a user that may create databases): a fresh database per size",
    )
    parser.add_argument(
        "--per-document-max",
        type=int,
        default=10_000,
        metavar="N",
        help="measure the per-document ingest (group=True) up to this size (default 10000)",
    )
    args = parser.parse_args()
    print(f"database: {'PostgreSQL' if args.postgres else 'SQLite (WAL)'}")
    print(
        "IRN query: Database.headlines(country=['IRN']) (the listing) and Database.events (with every"
        " claim, --format jsonl), timed in-process (median of 20), no CLI start-up"
    )
    print(
        f"{'claims':>9}  {'ingest s':>8}  {'claims/s':>8}  {'group s':>7}  {'claims/s':>8}  "
        f"{'per-doc s':>9}  {'claims/s':>8}  {'events':>7}  "
        f"{'add 100 docs s':>14}  {'IRN list ms':>11}  {'+claims ms':>10}  {'found':>6}  {'bytes/claim':>11}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            row = measure(size, args.postgres, Path(folder), args.per_document_max)
            per_doc = (
                f"{row.per_document_s:>9.1f}  {row.claims / row.per_document_s:>8,.0f}"
                if row.per_document_s is not None
                else f"{'-':>9}  {'-':>8}"
            )
            print(
                f"{row.claims:>9,}  {row.ingest_s:>8.1f}  {row.claims / row.ingest_s:>8,.0f}  "
                f"{row.group_s:>7.1f}  {row.claims / row.group_s:>8,.0f}  {per_doc}  {row.events:>7,}  "
                f"{row.add_s:>14.2f}  {row.query_ms:>11.1f}  {row.full_query_ms:>10.1f}  {row.found:>6,}  "
                f"{row.bytes_per_claim:>11,.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()

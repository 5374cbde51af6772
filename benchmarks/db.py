"""How fast is the claims database? Prints a table; asserts nothing (numbers are for the notes).

    .venv/bin/python -m benchmarks.db [--sizes 10000 100000] [--postgres URL]

Synthetic claims with realistic repetition: a pool of real-world events (meetings, arms
deliveries, signings between 24 states, dated over two years at day, month or year precision,
some undated supply relations) with Zipf popularity; each document reports five of them in
sentences of its own, so popular events are reported by dozens of documents. Per size:
- ingest: every document written in its own transaction (text, claims, blocking keys), seconds
  and claims/s;
- grouping: the events built from all pending claims (claims.events), seconds and claims/s;
- add: one more run of 100 documents, written and grouped incrementally (only the events it
  can affect are touched);
- query: `events --country IRN` through `Database.events` (median of 20, in-process), and how
  many events it returned;
- bytes/claim: the SQLite file (after a WAL checkpoint) over the number of claims.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
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
    events: int
    add_s: float
    query_ms: float
    found: int
    bytes_per_claim: float


def measure(size: int, target: str | None, folder: Path) -> Row:
    rng = random.Random(size)
    n_docs = size // CLAIMS_PER_DOC
    world = make_world(max(50, size // 8), rng)
    corpus = documents(n_docs, world, rng, "d")
    path = folder / f"bench-{size}.db"
    db = claims.db.open(target or path)
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
    timings = []
    found = 0
    for _ in range(20):
        started = time.perf_counter()
        found = len(db.events(country=["IRN"]))
        timings.append(time.perf_counter() - started)
    total = db.counts()["claims"]
    if target is None:
        db.close()
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size_bytes = path.stat().st_size
    else:
        with db.engine.connect() as connection:
            size_bytes = int(
                connection.execute(text("SELECT pg_database_size(current_database())")).scalar() or 0
            )
    db.close()
    return Row(
        size, ingest, grouping, events, add, statistics.median(timings) * 1000, found, size_bytes / total
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database instead of SQLite")
    args = parser.parse_args()
    print(f"database: {'PostgreSQL' if args.postgres else 'SQLite (WAL)'}")
    print(
        f"{'claims':>9}  {'ingest s':>8}  {'claims/s':>8}  {'group s':>7}  {'claims/s':>8}  {'events':>7}  "
        f"{'add 100 docs s':>14}  {'IRN query ms':>12}  {'found':>6}  {'bytes/claim':>11}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            row = measure(size, args.postgres, Path(folder))
            print(
                f"{row.claims:>9,}  {row.ingest_s:>8.1f}  {row.claims / row.ingest_s:>8,.0f}  "
                f"{row.group_s:>7.1f}  "
                f"{row.claims / row.group_s:>8,.0f}  {row.events:>7,}  {row.add_s:>14.2f}  "
                f"{row.query_ms:>12.1f}  {row.found:>6,}  {row.bytes_per_claim:>11,.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()

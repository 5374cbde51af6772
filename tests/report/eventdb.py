"""Small claims databases for the events view: real SQLite files, written through `claims.db`."""

from __future__ import annotations

from pathlib import Path

import claims.db
from claims.inputs.documents import Document
from claims.run.document import DocumentResult
from claims.schema import Actor, Provenance, Span, Status, VerifiedClaim, VerifiedMeeting, actor_key, claim_id
from tests.db.builders import delivery, document, meeting, meeting_text, result

HOSTILE_ACTOR = "<img src=x onerror=\"window.__pwned='actor'\">Putin"
HOSTILE_PLACE = "<b onmouseover=\"window.__pwned='place'\">Moskau</b>"
HOSTILE_QUOTE = "Putin traf <script>window.__pwned='quote'</script> Xi in Moskau."


def conflict_corpus() -> list[tuple[Document, DocumentResult]]:
    """Five documents: a Russia–Iran meeting dated 2024-06-17 by one source and 2024-06-18 by
    another (a day apart: one event, its dates in conflict); an Iranian drone supply reported as
    alleged by one and as occurred by another (mixed statuses); a Russia–North Korea meeting without
    a date; a Belarus–China meeting in July."""
    supply = "Teheran liefert Drohnen an Russland."
    d0 = document("c0", meeting_text("RUS", "IRN", "Montag", supply), published="2024-06-18")
    d1 = document("c1", meeting_text("IRN", "RUS", "Dienstag", supply), published="2024-06-19")
    d2 = document("c2", meeting_text("RUS", "PRK", "Mittwoch"), published=None)
    d3 = document("c3", meeting_text("BLR", "CHN", "Freitag"), published="2024-07-06")
    d4 = document("c4", "Kein Ereignis in diesem Text.", published="2024-07-07")
    occurred = delivery(d1, supply, "IRN", "RUS").model_copy(update={"status": Status.OCCURRED})
    return [
        (d0, result(d0, meeting(d0, "RUS", "IRN", "2024-06-17"), delivery(d0, supply, "IRN", "RUS"))),
        (d1, result(d1, meeting(d1, "IRN", "RUS", "2024-06-18"), occurred)),
        (d2, result(d2, meeting(d2, "RUS", "PRK", None))),
        (d3, result(d3, meeting(d3, "BLR", "CHN", "2024-07-05"))),
        (d4, result(d4)),
    ]


def hostile_corpus() -> list[tuple[Document, DocumentResult]]:
    """One document whose text, quote, actor name and place carry markup and script."""
    text = f"Vorspann <i>kursiv</i>. {HOSTILE_QUOTE} Ende </script> & <!-- -->."
    doc = Document(id="<svg onload=\"window.__pwned='doc'\">", text=text, published="2024-05-01")
    start = text.index(HOSTILE_QUOTE)
    span = Span(start=start, end=start + len(HOSTILE_QUOTE))
    actors = [Actor(name=HOSTILE_ACTOR, country="RUS"), Actor(name="Xi Jinping", country="CHN")]
    claim: VerifiedClaim = VerifiedMeeting(
        doc_id=doc.id,
        quote=HOSTILE_QUOTE,
        status="occurred",
        date="2024-05-01",
        location=HOSTILE_PLACE,
        participants=actors,
        claim_id=claim_id(doc.id, "meeting", span, [actor_key(a) for a in actors]),
        span=span,
        match="exact",
        occurrences=1,
        provenance=Provenance(backend="rules", model="m1", prompt_hash="p1"),
    )
    return [(doc, result(doc, claim))]


def make_db(path: Path, corpus: list[tuple[Document, DocumentResult]]) -> Path:
    """A SQLite claims database holding `corpus` as one run, its events grouped."""
    with claims.db.open(path) as db:
        db.start_run("r1", backend="rules", model="m1", prompt_hash="p1")
        for doc, outcome in corpus:
            db.write_document("r1", doc, outcome)
    return path

"""Documents and verified claims for database tests, with real spans into real texts."""

from __future__ import annotations

from claims.inputs.documents import Document
from claims.run.document import DocumentResult
from claims.schema import (
    Actor,
    Provenance,
    Span,
    VerifiedArmsDelivery,
    VerifiedClaim,
    VerifiedMeeting,
    actor_key,
    claim_id,
)

STATES = {"RUS": "Russland", "IRN": "Iran", "PRK": "Nordkorea", "CHN": "China", "BLR": "Belarus"}


def meeting_text(a: str, b: str, day: str, extra: str = "") -> str:
    return f"Am {day} trafen sich Vertreter von {STATES[a]} und {STATES[b]} in Moskau. {extra}".strip()


def document(doc_id: str, text: str, published: str | None = "2024-06-20") -> Document:
    return Document(id=doc_id, text=text, published=published, language="de", source=f"/news/{doc_id}.txt")


def meeting(
    doc: Document, a: str, b: str, date: str | None, model: str = "m1", status: str = "occurred"
) -> VerifiedClaim:
    quote = doc.text.split(". ")[0].rstrip(".") + "."
    start = doc.text.index(quote)
    span = Span(start=start, end=start + len(quote))
    actors = [Actor(name=STATES[a], country=a), Actor(name=STATES[b], country=b)]
    return VerifiedMeeting(
        doc_id=doc.id,
        quote=quote,
        status=status,
        date=date,
        location="Moskau",
        participants=actors,
        claim_id=claim_id(doc.id, "meeting", span, [actor_key(x) for x in actors]),
        span=span,
        match="exact",
        occurrences=1,
        provenance=Provenance(backend="rules", model=model, prompt_hash="p1"),
    )


def delivery(
    doc: Document, quote: str, supplier: str, recipient: str, date: str | None = None
) -> VerifiedClaim:
    start = doc.text.index(quote)
    span = Span(start=start, end=start + len(quote))
    s, r = Actor(name=STATES[supplier], country=supplier), Actor(name=STATES[recipient], country=recipient)
    return VerifiedArmsDelivery(
        doc_id=doc.id,
        quote=quote,
        status="alleged",
        date=date,
        supplier=s,
        recipient=r,
        weapons=["Drohnen"],
        weapon_categories=["drones"],
        claim_id=claim_id(doc.id, "arms_delivery", span, [actor_key(s), actor_key(r)]),
        span=span,
        match="exact",
        occurrences=1,
        provenance=Provenance(backend="rules", model="m1", prompt_hash="p1"),
    )


def result(doc: Document, *claims: VerifiedClaim) -> DocumentResult:
    return DocumentResult(doc.id, claims=list(claims))


def corpus() -> list[tuple[Document, DocumentResult]]:
    """Five documents: one Russia–Iran meeting reported three times (days agree within one), a
    Russia–North Korea meeting, and an Iranian drone supply reported twice."""
    docs = []
    for index, (a, b, day, date) in enumerate(
        [
            ("RUS", "IRN", "Montag", "2024-06-17"),
            ("IRN", "RUS", "Montag", "2024-06-17"),
            ("RUS", "IRN", "Dienstag", "2024-06"),
            ("RUS", "PRK", "Mittwoch", "2024-06-19"),
        ]
    ):
        doc = document(f"d{index}", meeting_text(a, b, day, "Teheran liefert Drohnen an Russland."))
        claims = [meeting(doc, a, b, date)]
        if index in (0, 1):
            claims.append(delivery(doc, "Teheran liefert Drohnen an Russland.", "IRN", "RUS"))
        docs.append((doc, result(doc, *claims)))
    lone = document(
        "d4", "Die Waffenlieferungen aus Nordkorea an Russland gehen weiter.", published="2024-07-01"
    )
    docs.append((lone, result(lone, delivery(lone, lone.text, "PRK", "RUS"))))
    return docs


def write_docs_of_one_block(count: int) -> list[tuple[Document, DocumentResult]]:
    """Russia–Iran meetings on June 1, 3, 5, … 2024: one block key, no two the same event."""
    out = []
    for number in range(count):
        day = f"2024-06-{1 + 2 * number:02d}"
        doc = document(f"m{number:02d}", f"Am {day} trafen sich Vertreter von Russland und Iran in Moskau.")
        out.append((doc, result(doc, meeting(doc, "RUS", "IRN", day))))
    return out

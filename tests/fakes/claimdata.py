"""Claims as a scripted fake answer would propose them (test data, written for the tests)."""

from __future__ import annotations

from typing import Any

from tests.fakes.openai_server import RecordedRequest, Reply


def actor(name: str, country: str | None) -> dict[str, Any]:
    return {"name": name, "country": country, "role": None}


def meeting(
    quote: str, a: tuple[str, str] = ("Lindqvist", "SWE"), b: tuple[str, str] = ("Tamm", "EST")
) -> dict[str, Any]:
    return {
        "type": "meeting",
        "quote": quote,
        "status": "occurred",
        "date": None,
        "location": None,
        "attributed_to": None,
        "participants": [actor(*a), actor(*b)],
    }


def delivery(quote: str, supplier: str = "IRN", recipient: str = "RUS") -> dict[str, Any]:
    return {
        "type": "arms_delivery",
        "quote": quote,
        "status": "occurred",
        "date": None,
        "location": None,
        "attributed_to": None,
        "supplier": actor(supplier, supplier),
        "recipient": actor(recipient, recipient),
        "weapons": ["Drohnen"],
        "weapon_categories": ["drones"],
    }


def first_line_meeting(request: RecordedRequest) -> Reply:
    """A scripted answer that proposes one meeting quoting the article's first line."""
    first = request.article.strip().splitlines()[0] if request.article.strip() else ""
    return Reply.claims(meeting(first)) if first else Reply.claims()


# A document of three paragraphs that chunks into three pieces with --chunk-chars 200 and
# --chunk-overlap 0; each paragraph states a meeting of different actors (so nothing merges).
PARAGRAPHS = (
    ("Ministerin Lindqvist traf Minister Tamm am Montag in Tallinn.", ("Lindqvist", "SWE"), ("Tamm", "EST")),
    ("Ministerin Nowak traf Minister Berzins am Dienstag in Riga.", ("Nowak", "POL"), ("Berzins", "LVA")),
    ("Ministerin Virtanen traf Minister Hansen am Mittwoch in Oslo.", ("Virtanen", "FIN"), ("Hansen", "DNK")),
)
FILLER = "Danach gab es Kaffee und viele Gespräche ohne weitere Ergebnisse für die Presse."
CHUNKED = {"chunk_chars": 200, "chunk_overlap": 0}


def three_chunk_text() -> str:
    return "\n\n".join(f"{sentence}\n{FILLER}" for sentence, _a, _b in PARAGRAPHS) + "\n"


def paragraph_meetings(request: RecordedRequest) -> Reply:
    """A scripted answer proposing the meeting of every paragraph that is in the chunk."""
    found = [meeting(sentence, a, b) for sentence, a, b in PARAGRAPHS if sentence in request.article]
    return Reply.claims(*found)

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

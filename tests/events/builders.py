"""Verified records for event tests: each test states only the fields it is about."""

from __future__ import annotations

import itertools
from typing import Any

from claims.events.group import VerifiedClaim
from claims.schema import VERIFIED_CLAIM_ADAPTER

_counter = itertools.count()


def actor(name: str, country: str | None = None, role: str | None = None) -> dict[str, Any]:
    return {"name": name, "country": country, "role": role}


def record(fields: dict[str, Any], doc_id: str | None = None, start: int | None = None) -> VerifiedClaim:
    """A verified record; doc_id and span default to a fresh document and offset."""
    n = next(_counter)
    begin = start if start is not None else n * 10
    raw = {
        "doc_id": doc_id or f"doc{n}",
        "claim_id": f"c{n:05d}",
        "span": {"start": begin, "end": begin + 5},
        "match": "exact",
        "occurrences": 1,
        "provenance": {"backend": "test"},
        "status": "occurred",
        "date": None,
        "location": None,
        "attributed_to": None,
        "quote": f"quote {n}",
        **fields,
    }
    return VERIFIED_CLAIM_ADAPTER.validate_python(raw)


def meeting(*participants: dict[str, Any], **extra: Any) -> VerifiedClaim:
    doc_id, start = extra.pop("doc_id", None), extra.pop("start", None)
    return record({"type": "meeting", "participants": list(participants), **extra}, doc_id, start)


def treaty(*parties: dict[str, Any], agreement: str = "Vertrag", **extra: Any) -> VerifiedClaim:
    doc_id, start = extra.pop("doc_id", None), extra.pop("start", None)
    fields = {"type": "treaty_signing", "parties": list(parties), "agreement": agreement, **extra}
    return record(fields, doc_id, start)


def delivery(
    supplier: dict[str, Any], recipient: dict[str, Any], categories: list[str] | None = None, **extra: Any
) -> VerifiedClaim:
    doc_id, start = extra.pop("doc_id", None), extra.pop("start", None)
    fields = {
        "type": "arms_delivery",
        "supplier": supplier,
        "recipient": recipient,
        "weapons": extra.pop("weapons", []),
        "weapon_categories": categories or [],
        **extra,
    }
    return record(fields, doc_id, start)


PUTIN = actor("Wladimir Putin", "RUS")
KIM = actor("Kim Jong Un", "PRK")
RUS = actor("Russland", "RUS")
PRK = actor("Nordkorea", "PRK")
IRN = actor("Iran", "IRN")
CHN = actor("China", "CHN")
KAZ = actor("Kasachstan", "KAZ")

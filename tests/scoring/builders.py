"""Small constructors for crafted claims, so each test states only what it is about."""

from __future__ import annotations

from typing import Any

from claims.scoring.records import EvalClaim, claim_from_dict

DOC = "doc"


def actor(name: str, country: str | None = None) -> dict[str, Any]:
    return {"name": name, "country": country, "role": None}


def _claim(
    fields: dict[str, Any], gold: bool, optional: bool, alt_quotes: list[str], **extra: Any
) -> EvalClaim:
    raw = {
        "doc_id": DOC,
        "status": "occurred",
        "date": None,
        "location": None,
        "attributed_to": None,
        **fields,
        **extra,
    }
    if gold:
        raw["optional"] = optional
        raw["alt_quotes"] = alt_quotes
    return claim_from_dict(raw, f"{'gold' if gold else 'pred'}:{fields['quote'][:20]}", gold=gold)


def meeting(
    quote: str,
    *participants: dict[str, Any],
    gold: bool = False,
    optional: bool = False,
    alt_quotes: list[str] | None = None,
    **extra: Any,
) -> EvalClaim:
    fields = {"type": "meeting", "quote": quote, "participants": list(participants)}
    return _claim(fields, gold, optional, alt_quotes or [], **extra)


def treaty(
    quote: str,
    *parties: dict[str, Any],
    gold: bool = False,
    optional: bool = False,
    alt_quotes: list[str] | None = None,
    **extra: Any,
) -> EvalClaim:
    fields = {"type": "treaty_signing", "quote": quote, "parties": list(parties), "agreement": "Vertrag"}
    return _claim(fields, gold, optional, alt_quotes or [], **extra)


def delivery(
    quote: str,
    supplier: dict[str, Any],
    recipient: dict[str, Any],
    *,
    gold: bool = False,
    optional: bool = False,
    alt_quotes: list[str] | None = None,
    **extra: Any,
) -> EvalClaim:
    fields = {"type": "arms_delivery", "quote": quote, "supplier": supplier, "recipient": recipient}
    return _claim(fields, gold, optional, alt_quotes or [], **extra)

"""Gold and predicted claims as the scorer sees them, read from JSONL or taken from a run.

One reader serves both files, because a prediction file may be verified records (from `claims
extract` or `claims verify`, with `span`) or gold-format lines (with `optional` and `alt_quotes`),
and the gold itself is the second format. Unknown fields are ignored. On the prediction side,
`optional` and `alt_quotes` mean nothing: a prediction is a prediction, and only its own quote
(or span) is its evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from claims.jsonl import JsonlError, read_jsonl
from claims.schema import (
    PROPOSED_CLAIM_ADAPTER,
    Actor,
    ProposedArmsDelivery,
    ProposedMeeting,
    ProposedTreatySigning,
    RejectedClaim,
    actors_of,
)
from claims.validation import first_error

Claim = ProposedMeeting | ProposedArmsDelivery | ProposedTreatySigning


class ScoringInputError(ValueError):
    """A gold, prediction or rejected file that cannot be scored; one line naming file and fix."""


@dataclass(frozen=True)
class EvalClaim:
    """One claim to score: the claim's fields, its document, and where it came from."""

    doc_id: str
    claim: Claim
    optional: bool = False
    alt_quotes: tuple[str, ...] = ()
    span: tuple[int, int] | None = None
    """The character span a verified record carries; None when the quote must be located."""
    origin: str = ""
    """`file:line` (or a run's label and index), for the error analysis."""
    provenance: dict[str, Any] | None = None
    """What produced a predicted record (backend, model, prompt_hash), when it says so."""

    @property
    def type(self) -> str:
        return self.claim.type

    @property
    def actors(self) -> list[Actor]:
        return actors_of(self.claim)


_FORMS = {"date": "YYYY, YYYY-MM or YYYY-MM-DD", "country": "an ISO 3166-1 alpha-3 code such as RUS"}


def _first_problem(error: ValidationError) -> str:
    """The first validation problem as `field.path: what is wrong` (no regular expressions)."""
    return first_error(error, default="claim", forms=_FORMS)


def _span_of(raw: dict[str, Any]) -> tuple[int, int] | None:
    span = raw.get("span")
    if isinstance(span, dict):
        start, end = span.get("start"), span.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
            return start, end
    return None


def claim_from_dict(raw: dict[str, Any], origin: str, gold: bool) -> EvalClaim:
    """Parse one line's object; raise ScoringInputError naming `origin` and the fix."""
    doc_id = raw.get("doc_id")
    if not isinstance(doc_id, str) or not doc_id:
        raise ScoringInputError(f"{origin}: no 'doc_id'; every claim names the document it comes from")
    try:
        claim = PROPOSED_CLAIM_ADAPTER.validate_python(raw)
    except ValidationError as error:
        raise ScoringInputError(
            f"{origin}: {_first_problem(error)}; fix the line to follow ANNOTATION.md's fields"
        ) from None
    optional = bool(raw.get("optional", False)) if gold else False
    alt_quotes: tuple[str, ...] = ()
    if gold:
        given = raw.get("alt_quotes") or []
        if not isinstance(given, list) or not all(isinstance(q, str) for q in given):
            raise ScoringInputError(f"{origin}: alt_quotes must be a list of strings")
        alt_quotes = tuple(given)
    return EvalClaim(
        doc_id=doc_id,
        claim=claim,
        optional=optional,
        alt_quotes=alt_quotes,
        span=None if gold else _span_of(raw),
        origin=origin,
        provenance=raw.get("provenance") if isinstance(raw.get("provenance"), dict) else None,
    )


def _read_objects(path: Path, what: str) -> list[tuple[str, dict[str, Any]]]:
    if not path.is_file():
        raise ScoringInputError(f"{path}: no such file; give the {what} JSONL")
    objects: list[tuple[str, dict[str, Any]]] = []
    try:
        for number, item in read_jsonl(path):
            if isinstance(item, JsonlError):
                raise ScoringInputError(str(item))
            objects.append((f"{path}:{number}", item))
    except UnicodeDecodeError:
        raise ScoringInputError(f"{path}: not UTF-8 text; give the {what} as UTF-8 JSONL") from None
    except OSError as error:
        raise ScoringInputError(f"{path}: cannot read ({error.strerror})") from None
    return objects


def load_gold(path: Path) -> list[EvalClaim]:
    """Read a gold file (ANNOTATION.md lines with `optional` and `alt_quotes`)."""
    return [claim_from_dict(raw, origin, gold=True) for origin, raw in _read_objects(path, "gold")]


def load_predictions(path: Path) -> list[EvalClaim]:
    """Read predictions: verified records or gold-format lines."""
    return [claim_from_dict(raw, origin, gold=False) for origin, raw in _read_objects(path, "predictions")]


def predictions_from_records(records: Iterable[BaseModel | dict[str, Any]], label: str) -> list[EvalClaim]:
    """Predictions from a run's verified records (Pydantic models or their dicts)."""
    claims = []
    for index, record in enumerate(records, start=1):
        raw = record.model_dump(mode="json") if isinstance(record, BaseModel) else dict(record)
        claims.append(claim_from_dict(raw, f"{label}#{index}", gold=False))
    return claims


def load_rejected(path: Path) -> list[RejectedClaim]:
    """Read rejected records (`claims verify --rejected` or `claims extract`'s rejected file)."""
    rejected = []
    for origin, raw in _read_objects(path, "rejected claims"):
        try:
            rejected.append(RejectedClaim.model_validate(raw))
        except ValidationError as error:
            raise ScoringInputError(
                f"{origin}: {first_error(error)}; give the rejected file the verifier wrote"
            ) from None
    return rejected

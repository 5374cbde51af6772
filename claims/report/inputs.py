"""Reading the report's record files: verified claims and rejected claims, as JSONL.

A line that is not the record it should be stops the report with a message naming the file,
the line and the fix: a review page that silently leaves out evidence would mislead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from claims.jsonl import JsonlError, read_jsonl
from claims.schema import VERIFIED_CLAIM_ADAPTER, RejectedClaim, VerifiedClaim
from claims.validation import first_error

T = TypeVar("T")
REJECTED_ADAPTER: TypeAdapter[RejectedClaim] = TypeAdapter(RejectedClaim)


class RecordInputError(ValueError):
    """A record file the report cannot use; the message names the file (and line) and the fix."""


def read_verified(path: Path) -> list[VerifiedClaim]:
    """Verified claim records, as `claims verify` (or `claims extract`) writes them."""
    return _read(path, VERIFIED_CLAIM_ADAPTER, "verified claim", "give the output of `claims verify`")


def read_rejected(path: Path) -> list[RejectedClaim]:
    """Rejected claim records, as `claims verify --rejected` writes them."""
    return _read(path, REJECTED_ADAPTER, "rejected claim", "give the file `claims verify --rejected` wrote")


def _read(path: Path, adapter: TypeAdapter[T], what: str, fix: str) -> list[T]:
    if not path.is_file():
        raise RecordInputError(f"{path}: no such file; {fix}")
    records: list[T] = []
    try:
        for number, raw in read_jsonl(path):
            if isinstance(raw, JsonlError):
                raise RecordInputError(f"{raw}; {fix}")
            records.append(_validate(adapter, raw, f"{path}:{number}", what, fix))
    except UnicodeDecodeError:
        raise RecordInputError(f"{path}: not UTF-8; {fix}") from None
    except OSError as error:
        raise RecordInputError(f"{path}: cannot read ({error.strerror}); {fix}") from None
    return records


def _validate(adapter: TypeAdapter[T], raw: dict[str, Any], where: str, what: str, fix: str) -> T:
    try:
        return adapter.validate_python(raw)
    except ValidationError as error:
        raise RecordInputError(f"{where}: not a {what} ({first_error(error)}); {fix}") from None

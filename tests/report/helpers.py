"""Inputs for report tests: verified seed claims, rejected claims and small crafted documents."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from claims.inputs.documents import Document
from claims.schema import Provenance, RejectedClaim, VerifiedClaim
from claims.verify.verifier import Verifier
from tests.conftest import SEEDS, gold_lines, seed_texts

EXTERNAL = Provenance(backend="external")


def verify_lines(
    texts: dict[str, str], lines: Iterable[dict[str, Any]]
) -> list[VerifiedClaim | RejectedClaim]:
    verifier = Verifier(texts)
    return [verifier.verify_raw(line, EXTERNAL) for line in lines]


def seed_documents() -> list[Document]:
    return [
        Document(id=doc_id, text=text, source=str(SEEDS / f"{doc_id}.txt"))
        for doc_id, text in seed_texts().items()
    ]


def seed_claims() -> list[VerifiedClaim]:
    """The gold lines of the seeds, verified: realistic claims, with overlapping spans."""
    outcomes = verify_lines(seed_texts(), gold_lines())
    claims = [outcome for outcome in outcomes if not isinstance(outcome, RejectedClaim)]
    assert len(claims) == len(outcomes), "every gold line verifies"
    return claims


def altered_gold(index: int, old: str, new: str) -> dict[str, Any]:
    """A gold line whose quote no longer matches the source (a paraphrasing model)."""
    line = dict(gold_lines()[index])
    assert old in line["quote"]
    line["quote"] = line["quote"].replace(old, new)
    return line


def seed_rejected() -> list[RejectedClaim]:
    lines = [
        altered_gold(57, "Drohnen und ballistische Raketen", "Drohnen und Marschflugkörper"),
        altered_gold(62, "regelmäßig Waffen", "ständig Waffen"),
        {**gold_lines()[56], "quote": "Putin, Peseschkian"},
        {**gold_lines()[63], "doc_id": "999_not_given"},
    ]
    outcomes = verify_lines(seed_texts(), lines)
    rejected = [outcome for outcome in outcomes if isinstance(outcome, RejectedClaim)]
    assert len(rejected) == len(lines)
    return rejected


def write_jsonl(path: Path, records: Iterable[VerifiedClaim | RejectedClaim | dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as stream:
        for record in records:
            data = record if isinstance(record, dict) else record.model_dump(mode="json")
            stream.write(json.dumps(data, ensure_ascii=False) + "\n")
    return path

"""`claims db add`: import the files of an existing run (claims, rejected claims, errors) with the
documents they were extracted from. The run's id is a hash of the files, so the same files added
twice add nothing; every claim is checked to have its document before anything is written."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from claims.db.engine import DatabaseError
from claims.db.store import Database, distinct_records
from claims.inputs.documents import Document, DocumentError, InputError, load_documents
from claims.jsonl import JsonlError, read_jsonl
from claims.run.document import DocumentResult
from claims.schema import VERIFIED_CLAIM_ADAPTER, ErrorRecord, RejectedClaim
from claims.validation import first_error

Record = TypeVar("Record")


@dataclass
class ImportSummary:
    run_id: str
    new_run: bool
    documents: int
    skipped: int
    claims: int
    rejected: int
    errors: int
    events: int


def _sibling(claims_path: Path, suffix: str) -> Path | None:
    stem = claims_path.name[: -len(".jsonl")] if claims_path.name.endswith(".jsonl") else claims_path.name
    candidate = claims_path.with_name(stem + suffix)
    return candidate if candidate.is_file() else None


def _read(path: Path, adapter: TypeAdapter[Record], what: str) -> list[tuple[int, Record]]:
    records: list[tuple[int, Record]] = []
    try:
        for number, value in read_jsonl(path):
            if isinstance(value, JsonlError):
                raise DatabaseError(str(value))
            try:
                records.append((number, adapter.validate_python(value)))
            except ValidationError as error:
                raise DatabaseError(
                    f"{path}:{number}: not {what} ({first_error(error)}); give the files claims extract wrote"
                ) from None
    except OSError as error:
        raise DatabaseError(f"{path}: cannot read ({error.strerror or error}); check the path") from None
    except UnicodeDecodeError:
        raise DatabaseError(f"{path}: not UTF-8 text; give the JSONL files claims extract wrote") from None
    return records


def _fingerprint(paths: list[Path | None]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(b"\0" if path is None else path.read_bytes())
        digest.update(b"\1")
    return "import-" + digest.hexdigest()[:12]


def _documents(sources: list[str]) -> dict[str, Document]:
    found: dict[str, Document] = {}
    try:
        for item in load_documents(sources):
            if isinstance(item, DocumentError):
                raise DatabaseError(item.message)
            found[item.id] = item
    except InputError as error:
        raise DatabaseError(str(error)) from None
    return found


def import_run(
    db: Database,
    claims_path: Path,
    sources: list[str],
    rejected_path: Path | None = None,
    errors_path: Path | None = None,
) -> ImportSummary:
    """Add a run's files to the database; nothing is written when a claim's document is missing."""
    rejected_path = rejected_path or _sibling(claims_path, ".rejected.jsonl")
    errors_path = errors_path or _sibling(claims_path, ".errors.jsonl")
    manifest_path = _sibling(claims_path, ".manifest.json")
    claims = _read(claims_path, VERIFIED_CLAIM_ADAPTER, "a verified claim")
    rejected = _read(rejected_path, TypeAdapter(RejectedClaim), "a rejected claim") if rejected_path else []
    errors = _read(errors_path, TypeAdapter(ErrorRecord), "an error record") if errors_path else []
    documents = _documents(sources)
    by_doc: dict[str, DocumentResult] = {doc_id: DocumentResult(doc_id) for doc_id in documents}
    for number, claim in claims:
        if claim.doc_id not in documents and db.document(claim.doc_id) is None:
            shown = " ".join(sources) or "(none given)"
            raise DatabaseError(
                f"{claims_path}:{number}: the document {claim.doc_id!r} of this claim is in neither --source "
                f"{shown} nor the database; pass the documents it was extracted from with --source"
            )
        by_doc.setdefault(claim.doc_id, DocumentResult(claim.doc_id)).claims.append(claim)
    loose: list[RejectedClaim] = []
    for _, item in rejected:
        if item.doc_id is None or (item.doc_id not in documents and db.document(item.doc_id) is None):
            loose.append(item)
        else:
            by_doc.setdefault(item.doc_id, DocumentResult(item.doc_id)).rejected.append(item)
    for _, error in errors:
        key = error.doc_id or error.source or "unknown"
        by_doc.setdefault(key, DocumentResult(key)).error = error
    manifest = _manifest(manifest_path)
    first = claims[0][1].provenance if claims else None
    run_id = _fingerprint([claims_path, rejected_path, errors_path])
    new_run = db.start_run(
        run_id,
        backend=first.backend if first else manifest.get("backend"),
        model=first.model if first else manifest.get("model"),
        prompt_hash=first.prompt_hash if first else manifest.get("prompt_hash"),
        source=str(claims_path),
        manifest=manifest or {"imported_from": str(claims_path)},
    )
    written = skipped = 0
    for doc_id in sorted(by_doc):
        result = by_doc[doc_id]
        if db.write_document(run_id, documents.get(doc_id), result, group=False):
            written += 1
        else:
            skipped += 1
    if loose and new_run:
        db.write_loose_rejected(run_id, loose)
    events = db.update_events()
    return ImportSummary(
        run_id=run_id,
        new_run=new_run,
        documents=written,
        skipped=skipped,
        claims=sum(len(distinct_records(r.claims)) for r in by_doc.values()) if written else 0,
        rejected=len(rejected) if written else 0,
        errors=len(errors) if written else 0,
        events=events,
    )


def _manifest(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}

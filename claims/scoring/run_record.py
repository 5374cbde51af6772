"""What produced an evaluation, so that a score can be trusted, compared and reproduced.

Recorded: the system scored (backend, endpoint, model, mode, prompt hash, tokens, extraction time,
either from the run's `Manifest` or, for a predictions file, from its records' provenance), the
inputs (paths and SHA-256 of gold, predictions, rejected claims, and a digest of the documents'
texts), the `software` (git revision of the `claims` checkout and whether tracked files were
modified, null outside a checkout; package versions; Python) — the same `Software` record the
extraction manifest holds — the platform, the command and the time. Never a secret: the manifest
is the backend's own description, which holds none, and no environment is read.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from claims.run.manifest import Manifest, UsageTotals
from claims.scoring.records import EvalClaim
from claims.software import Software

MANIFEST_KEYS = ("backend", "endpoint", "model", "mode", "prompt_hash")


class FileDigest(BaseModel):
    """An input file and its SHA-256."""

    path: str
    sha256: str


class DocumentsDigest(BaseModel):
    """The scored documents: where they were read, how many, and a digest of ids and texts."""

    path: str
    count: int
    sha256: str


class RunRecord(BaseModel):
    """What produced one scored system (see the module docstring); field order is the report's."""

    model_config = ConfigDict(extra="allow")  # records written by later versions still load

    label: str
    backend: str | list[str] | None = None
    endpoint: str | None = None
    model: str | list[str] | None = None
    mode: str | None = None
    prompt_hash: str | list[str] | None = None
    tokens: UsageTotals | None = None
    extraction_seconds: float | None = None
    extraction_errors: int | None = None
    manifest: Manifest | dict[str, Any] | None = None
    """The extraction's manifest (as written, for a manifest of an older version)."""
    gold: FileDigest | None = None
    documents: DocumentsDigest | None = None
    predictions: FileDigest | None = None
    rejected: FileDigest | None = None
    software: Software | None = None
    platform: str | None = None
    command: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    seconds: float | None = None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def documents_digest(documents: Mapping[str, str]) -> str:
    """SHA-256 over the documents' ids and texts in id order: equal digests, equal sources."""
    digest = hashlib.sha256()
    for doc_id in sorted(documents):
        for part in (doc_id, documents[doc_id]):
            data = part.encode("utf-8")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
    return digest.hexdigest()


def provenance_of(predictions: Iterable[EvalClaim]) -> dict[str, Any]:
    """Backend, model and prompt hash named by the records' provenance: one value, a sorted list
    when the file mixes several, null when no record says."""
    found: dict[str, set[str]] = {key: set() for key in ("backend", "model", "prompt_hash")}
    for claim in predictions:
        for key, values in found.items():
            value = (claim.provenance or {}).get(key)
            if isinstance(value, str):
                values.add(value)
    return {key: _one_or_all(values) for key, values in found.items()}


def _one_or_all(values: set[str]) -> str | list[str] | None:
    if not values:
        return None
    return next(iter(values)) if len(values) == 1 else sorted(values)


def _file(path: Path | None) -> FileDigest | None:
    return None if path is None else FileDigest(path=str(path), sha256=sha256_file(path))


def now() -> datetime:
    return datetime.now(UTC)


def build_run_record(
    *,
    label: str,
    command: str,
    started: datetime,
    gold_path: Path,
    docs_path: str,
    documents: Mapping[str, str],
    predictions: Iterable[EvalClaim],
    predictions_path: Path | None = None,
    rejected_path: Path | None = None,
    manifest: Manifest | None = None,
    extraction_seconds: float | None = None,
    extraction_errors: int | None = None,
) -> RunRecord:
    """The run record of one scored system (see the module docstring)."""
    finished = now()
    named: dict[str, Any] = (
        {key: getattr(manifest, key) for key in MANIFEST_KEYS}
        if manifest is not None
        else provenance_of(predictions)
    )
    return RunRecord(
        label=label,
        **named,
        tokens=manifest.usage if manifest is not None else None,
        extraction_seconds=extraction_seconds,
        extraction_errors=extraction_errors,
        manifest=manifest,
        gold=_file(gold_path),
        documents=DocumentsDigest(path=docs_path, count=len(documents), sha256=documents_digest(documents)),
        predictions=_file(predictions_path),
        rejected=_file(rejected_path),
        software=Software.current(),
        platform=platform.platform(terse=True),
        command=command,
        started_at=started.isoformat(timespec="seconds"),
        finished_at=finished.isoformat(timespec="seconds"),
        seconds=round((finished - started).total_seconds(), 3),
    )

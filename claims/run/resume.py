"""Resuming a run from its output files, so that every document ends up exactly once.

For each finished document the JSONL sink appends its claims, rejected claims and error records,
flushed, and only then its progress record. A run killed at any point (even SIGKILL) leaves
complete documents (with a progress record) and perhaps lines of documents without one.
`prepare_resume` cleans that up:

- a document whose progress record says ok is finished: its lines stay, the resumed run skips it;
- a partial document (some chunks failed) keeps its claims and rejected claims: they are taken
  out of the files and handed to the driver as a `Retry`, which asks again only for the failed
  chunks and writes the document anew, merged;
- every other line (failed documents, documents without a progress record, a cut-off last line)
  is dropped, and those documents are extracted again;
- the documents file keeps the text of finished documents only: every other document's text is
  written again when it finishes, so each document's text is there exactly once.

The progress file is rewritten first: a resume killed half-way then redoes a partial document
as a whole, never loses its kept claims silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from claims.backends.protocol import Usage
from claims.jsonl import complete_records, rewrite_jsonl
from claims.run.document import ChunkRef, Retry
from claims.run.manifest import USAGE_FIELDS
from claims.run.paths import OutputPaths
from claims.schema import VERIFIED_CLAIM_ADAPTER, RejectedClaim


@dataclass
class ResumeState:
    """What an earlier run of the same output left: finished documents and partial ones."""

    finished: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Progress records of the documents that need nothing more."""
    partial: dict[str, Retry] = field(default_factory=dict)
    """Documents with failed chunks: what was kept, and which chunks to ask again."""


def _failed_chunks(record: dict[str, Any]) -> tuple[ChunkRef, ...] | None:
    raw = record.get("failed_chunks")
    if not record.get("partial") or not isinstance(raw, list) or not raw:
        return None
    chunks = [ChunkRef.from_dict(item) for item in raw]
    return tuple(chunk for chunk in chunks if chunk is not None) if all(chunks) else None


def _retry(record: dict[str, Any], failed: tuple[ChunkRef, ...]) -> Retry:
    usage = record.get("usage") if isinstance(record.get("usage"), dict) else {}
    assert isinstance(usage, dict)
    return Retry(
        failed=failed,
        proposed=int(record.get("proposed", 0)),
        reasked=int(record.get("reasked", 0)),
        regrounded=int(record.get("regrounded", 0)),
        usage=Usage(**{name: int(usage.get(name, 0)) for name in USAGE_FIELDS}),
    )


def prepare_resume(paths: OutputPaths) -> ResumeState:
    """Clean the outputs of an interrupted run; return what it finished and what it left partial."""
    if paths.progress is None:
        raise ValueError("resuming needs an output file (-o OUT.jsonl)")
    latest: dict[str, dict[str, Any]] = {}
    for record in complete_records(paths.progress):
        doc_id = record.get("doc_id")
        if isinstance(doc_id, str):
            latest[doc_id] = record
    state = ResumeState()
    for doc_id, record in latest.items():
        if record.get("ok"):
            state.finished[doc_id] = record
        elif (failed := _failed_chunks(record)) is not None:
            state.partial[doc_id] = _retry(record, failed)
    kept_claims = list(complete_records(paths.claims)) if paths.claims else []
    kept_rejected = list(complete_records(paths.rejected)) if paths.rejected else []
    _take_partial(state, kept_claims, kept_rejected)
    rewrite_jsonl(paths.progress, state.finished.values())
    for path, records in ((paths.claims, kept_claims), (paths.rejected, kept_rejected)):
        if path is not None and path.is_file():
            rewrite_jsonl(path, [r for r in records if r.get("doc_id") in state.finished])
    if paths.errors is not None and paths.errors.is_file():
        kept = [r for r in complete_records(paths.errors) if r.get("doc_id") in state.finished]
        rewrite_jsonl(paths.errors, kept)
    if paths.documents is not None and paths.documents.is_file():
        # a partial document is written anew with its retry's result: only finished ones stay
        kept = [r for r in complete_records(paths.documents) if r.get("id") in state.finished]
        rewrite_jsonl(paths.documents, kept)
    return state


def _take_partial(state: ResumeState, claims: list[dict[str, Any]], rejected: list[dict[str, Any]]) -> None:
    """Move the kept records of partial documents into their retries; a document whose records
    no longer validate (an older schema) is redone as a whole instead."""
    unreadable: set[str] = set()
    for raw in claims:
        retry = state.partial.get(str(raw.get("doc_id")))
        if retry is not None:
            try:
                retry.claims.append(VERIFIED_CLAIM_ADAPTER.validate_python(raw))
            except ValidationError:
                unreadable.add(str(raw.get("doc_id")))
    for raw in rejected:
        retry = state.partial.get(str(raw.get("doc_id")))
        if retry is not None:
            try:
                retry.rejected.append(RejectedClaim.model_validate(raw))
            except ValidationError:
                unreadable.add(str(raw.get("doc_id")))
    for doc_id in unreadable:
        del state.partial[doc_id]

"""Combining the shards of a job into the run's usual files, in input (shard) order.

Each shard's files hold whole documents only: lines of a document without a progress record
(a worker killed mid-write) are left out. A document whose id an earlier shard already loaded
becomes the same duplicate-id error record the local engine writes, and its lines are dropped.
Every final file is written under a temporary name and renamed, so combining again (after a
`--resume`) replaces it whole. Memory: the ids of the job's documents, nothing else per line.

`combined_results` gives the same documents again as `DocumentResult`s (one shard's records in
memory at a time), for a sink such as the database.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pydantic import TypeAdapter

from claims.backends.protocol import Usage
from claims.engines.shards import Shard, ShardStore, duplicate_error
from claims.inputs.documents import Document
from claims.jsonl import complete_records, replacing, write_record
from claims.run.document import DocumentResult
from claims.run.manifest import USAGE_FIELDS, RunStats, progress_record
from claims.run.paths import OutputPaths
from claims.schema import VERIFIED_CLAIM_ADAPTER, ErrorRecord, RejectedClaim

REJECTED_ADAPTER = TypeAdapter(RejectedClaim)


@dataclass
class Combined:
    """What the combined files hold."""

    records: list[dict[str, Any]] = field(default_factory=list)
    stats: RunStats = field(default_factory=RunStats)
    duplicates: int = 0


@dataclass
class _ShardProgress:
    """A shard's progress records as the job sees them: duplicates across shards turned into errors."""

    records: list[dict[str, Any]] = field(default_factory=list)
    """The progress records to write, without the shard-only fields (source, loaded)."""
    kept: set[Any] = field(default_factory=set)
    """Documents whose lines this shard contributes."""
    duplicates: list[tuple[str, ErrorRecord]] = field(default_factory=list)


def _lines(path: Path | None) -> Iterator[dict[str, Any]]:
    """Whole JSON objects of a shard's JSONL file (a cut-off last line is skipped)."""
    if path is not None:
        yield from complete_records(path)


def _error_key(record: dict[str, Any]) -> Any:
    """The progress id of an error record's document (a load error without id goes by source)."""
    return record.get("doc_id") or record.get("source")


def _shard_progress(shard: Shard, store: ShardStore, seen: set[str]) -> _ShardProgress:
    """Read a shard's progress file; a loaded document whose id an earlier shard loaded (in `seen`,
    updated here) becomes the local engine's duplicate-id error."""
    progress = _ShardProgress()
    for record in _lines(store.paths(shard).progress):
        doc_id = record.get("doc_id")
        if record.get("loaded") and isinstance(doc_id, str):
            if doc_id in seen:
                error = duplicate_error(doc_id, record.get("source")).record()
                progress.duplicates.append((doc_id, error))
                record = progress_record(DocumentResult(doc_id, error=error))
            else:
                seen.add(doc_id)
                progress.kept.add(doc_id)
        else:
            progress.kept.add(doc_id)
        progress.records.append({k: v for k, v in record.items() if k not in ("source", "loaded")})
    return progress


def combine_shards(shards: Sequence[Shard], store: ShardStore, paths: OutputPaths) -> Combined:
    """Write the job's claims, rejected claims, errors and progress files from its shards."""
    if paths.claims is None or paths.progress is None:
        raise ValueError("combining shards needs an output file (-o OUT.jsonl)")
    combined = Combined()
    seen: set[str] = set()
    targets = [paths.claims, paths.rejected, paths.errors, paths.progress, paths.documents]
    with ExitStack() as stack:
        streams: list[IO[str] | None] = [
            None if target is None else stack.enter_context(replacing(target)) for target in targets
        ]
        claims_out, rejected_out, errors_out, progress_out, documents_out = streams
        assert progress_out is not None
        for shard in shards:
            shard_paths = store.paths(shard)
            progress = _shard_progress(shard, store, seen)
            for _doc_id, error in progress.duplicates:
                if errors_out is not None:
                    write_record(errors_out, error)
                combined.duplicates += 1
            for record in progress.records:
                write_record(progress_out, record)
                combined.records.append(record)
                combined.stats.add(record)
            for source, out, key in (
                (shard_paths.claims, claims_out, "doc_id"),
                (shard_paths.rejected, rejected_out, "doc_id"),
                (shard_paths.errors, errors_out, "error"),
                (shard_paths.documents, documents_out, "id"),
            ):
                if out is None:
                    continue
                for line in _lines(source):
                    doc = _error_key(line) if key == "error" else line.get(key)
                    if doc in progress.kept:
                        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return combined


def combined_results(shards: Sequence[Shard], store: ShardStore) -> Iterator[DocumentResult]:
    """Every document of the combined job as the run driver produced it (claims, rejected claims,
    errors, counts, the document's text), in shard order, duplicates as their load errors."""
    seen: set[str] = set()
    for shard in shards:
        shard_paths = store.paths(shard)
        progress = _shard_progress(shard, store, seen)
        by_doc: dict[Any, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for source, kind, key in (
            (shard_paths.claims, "claims", "doc_id"),
            (shard_paths.rejected, "rejected", "doc_id"),
            (shard_paths.errors, "errors", "error"),
            (shard_paths.documents, "documents", "id"),
        ):
            for line in _lines(source):
                doc = _error_key(line) if key == "error" else line.get(key)
                if doc in progress.kept:
                    by_doc[doc][kind].append(line)
        duplicates = dict(progress.duplicates)
        for record in progress.records:
            doc_id = record["doc_id"]
            if doc_id in duplicates:
                yield DocumentResult(doc_id, error=duplicates.pop(doc_id))
            else:
                yield _result(record, by_doc.pop(doc_id, {}))


def _result(record: dict[str, Any], lines: dict[str, list[dict[str, Any]]]) -> DocumentResult:
    """A document's result rebuilt from its progress record and its lines."""
    errors = [ErrorRecord.model_validate(line) for line in lines.get("errors", [])]
    documents = lines.get("documents", [])
    usage = record.get("usage") if isinstance(record.get("usage"), dict) else {}
    assert isinstance(usage, dict)
    result = DocumentResult(
        str(record["doc_id"]),
        document=Document.model_validate(documents[0]) if documents else None,
        claims=[VERIFIED_CLAIM_ADAPTER.validate_python(line) for line in lines.get("claims", [])],
        rejected=[REJECTED_ADAPTER.validate_python(line) for line in lines.get("rejected", [])],
        usage=Usage(**{name: int(usage.get(name, 0)) for name in USAGE_FIELDS}),
        proposed=int(record.get("proposed", 0)),
        reasked=int(record.get("reasked", 0)),
        regrounded=int(record.get("regrounded", 0)),
    )
    if record.get("partial"):
        result.chunk_errors = errors
    elif errors:
        result.error, result.chunk_errors = errors[0], errors[1:]
    return result

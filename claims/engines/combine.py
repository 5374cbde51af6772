"""Combining the shards of a job into the run's usual files, in input (shard) order.

Each shard's files hold whole documents only: lines of a document without a progress record
(a worker killed mid-write) are left out. A document whose id an earlier shard already loaded
becomes the same duplicate-id error record the local engine writes, and its lines are dropped.
Every final file is written under a temporary name and renamed, so combining again (after a
`--resume`) replaces it whole. Memory: the ids of the job's documents, nothing else per line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from claims.engines.shards import Shard, ShardStore, duplicate_error
from claims.jsonl import write_record
from claims.run.document import DocumentResult
from claims.run.manifest import RunStats, progress_record
from claims.run.paths import OutputPaths


@dataclass
class Combined:
    """What the combined files hold."""

    records: list[dict[str, Any]] = field(default_factory=list)
    stats: RunStats = field(default_factory=RunStats)
    duplicates: int = 0


def _lines(path: Path | None) -> Iterator[dict[str, Any]]:
    """Whole JSON objects of a JSONL file (a cut-off last line is skipped)."""
    if path is None or not path.is_file():
        return
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if not line.endswith("\n"):
                return
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                yield value


def _error_key(record: dict[str, Any]) -> Any:
    """The progress id of an error record's document (a load error without id goes by source)."""
    return record.get("doc_id") or record.get("source")


def combine_shards(shards: Sequence[Shard], store: ShardStore, paths: OutputPaths) -> Combined:
    """Write the job's claims, rejected claims, errors and progress files from its shards."""
    if paths.claims is None or paths.progress is None:
        raise ValueError("combining shards needs an output file (-o OUT.jsonl)")
    combined = Combined()
    seen: set[str] = set()
    targets = [paths.claims, paths.rejected, paths.errors, paths.progress, paths.documents]
    with ExitStack() as stack:
        streams: list[IO[str] | None] = []
        for target in targets:
            if target is None:
                streams.append(None)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            streams.append(
                stack.enter_context(target.with_name(target.name + ".tmp").open("w", encoding="utf-8"))
            )
        claims_out, rejected_out, errors_out, progress_out, documents_out = streams
        for shard in shards:
            shard_paths = store.paths(shard)
            kept: set[Any] = set()
            dropped: set[str] = set()
            for record in _lines(shard_paths.progress):
                doc_id = record.get("doc_id")
                if record.get("loaded") and isinstance(doc_id, str):
                    if doc_id in seen:
                        dropped.add(doc_id)
                        error = duplicate_error(doc_id, record.get("source")).record()
                        record = progress_record(DocumentResult(doc_id, error=error))
                        if errors_out is not None:
                            write_record(errors_out, error)
                        combined.duplicates += 1
                    else:
                        seen.add(doc_id)
                        kept.add(doc_id)
                else:
                    kept.add(doc_id)
                record = {key: value for key, value in record.items() if key not in ("source", "loaded")}
                assert progress_out is not None
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
                    if doc in kept and doc not in dropped:
                        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    for target in targets:
        if target is not None:
            os.replace(target.with_name(target.name + ".tmp"), target)
    return combined

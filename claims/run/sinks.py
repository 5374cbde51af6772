"""Writing a run's results per document, so that a killed run can be resumed without duplicates.

For each finished document, its claims, rejected claims, error record and text (the document
itself, in `<OUT>.documents.jsonl`: the text every span indexes, which for HTML and PDF is the
*extracted* text) are appended to their files and flushed, and only then a progress record is
appended to `<OUT>.progress.jsonl`. A run
killed at any point (even SIGKILL) leaves complete documents (with a progress record) and perhaps
some lines of documents without one. `prepare_resume` drops those lines (and a cut-off last
line), keeps the progress records of documents that finished without error, and returns their
ids: the resumed run skips them and retries the rest, so every document ends up exactly once.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from claims.jsonl import write_record
from claims.run.manifest import progress_record
from claims.run.pipeline import DocumentResult


@dataclass(frozen=True)
class OutputPaths:
    """Where a run writes. `claims` None means standard output (then nothing can be resumed)."""

    claims: Path | None
    rejected: Path | None
    errors: Path | None
    manifest: Path | None
    progress: Path | None
    documents: Path | None = None

    @classmethod
    def beside(
        cls,
        out: str | None,
        rejected: str | None = None,
        errors: str | None = None,
        manifest: str | None = None,
        documents: str | None = None,
    ) -> OutputPaths:
        """Explicit paths win; with an output file, the others default to files beside it
        (`claims.jsonl` → `claims.rejected.jsonl`, `.errors.jsonl`, `.documents.jsonl`,
        `.manifest.json`, `.progress.jsonl`)."""
        target = Path(out) if out and out != "-" else None

        def sibling(given: str | None, suffix: str) -> Path | None:
            if given:
                return Path(given)
            if target is None:
                return None
            stem = target.name[: -len(".jsonl")] if target.name.endswith(".jsonl") else target.name
            return target.with_name(stem + suffix)

        return cls(
            claims=target,
            rejected=sibling(rejected, ".rejected.jsonl"),
            errors=sibling(errors, ".errors.jsonl"),
            manifest=sibling(manifest, ".manifest.json"),
            progress=sibling(None, ".progress.jsonl"),
            documents=sibling(documents, ".documents.jsonl"),
        )

    def record_files(self) -> list[Path]:
        return [p for p in (self.claims, self.rejected, self.errors) if p is not None]


def _complete_lines(path: Path) -> Iterator[dict[str, Any]]:
    """The whole JSON objects of a JSONL file; a cut-off or broken line is skipped."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if not line.endswith("\n"):
                return  # the last line of a killed run, cut off mid-write
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                yield value


def _rewrite(path: Path, records: list[dict[str, Any]]) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(temporary, path)


def prepare_resume(paths: OutputPaths) -> dict[str, dict[str, Any]]:
    """Clean the outputs of an interrupted run; return the progress records of finished documents."""
    if paths.progress is None:
        raise ValueError("resuming needs an output file (-o OUT.jsonl)")
    done: dict[str, dict[str, Any]] = {}
    for record in _complete_lines(paths.progress):
        doc_id = record.get("doc_id")
        if isinstance(doc_id, str):
            done[doc_id] = record
    done = {doc_id: record for doc_id, record in done.items() if record.get("ok")}
    for path in paths.record_files():
        if path.is_file():
            _rewrite(path, [r for r in _complete_lines(path) if r.get("doc_id") in done])
    if paths.documents is not None and paths.documents.is_file():
        _rewrite(paths.documents, [r for r in _complete_lines(paths.documents) if r.get("id") in done])
    _rewrite(paths.progress, list(done.values()))
    return done


class DocumentSink:
    """Appends each finished document's records to the run's files, progress record last."""

    def __init__(self, paths: OutputPaths, append: bool = False, stdout: IO[str] | None = None) -> None:
        self.paths = paths
        self._stack = ExitStack()
        mode = "a" if append else "w"

        def open_file(path: Path | None) -> IO[str] | None:
            if path is None:
                return None
            path.parent.mkdir(parents=True, exist_ok=True)
            return self._stack.enter_context(path.open(mode, encoding="utf-8"))

        try:
            opened = open_file(paths.claims)
            self.claims: IO[str] = opened if opened is not None else (stdout or sys.stdout)
            self.rejected = open_file(paths.rejected)
            self.errors = open_file(paths.errors)
            self.documents = open_file(paths.documents)
            self.progress = open_file(paths.progress)
        except BaseException:
            self._stack.close()
            raise

    def write(self, result: DocumentResult) -> dict[str, Any]:
        """Write one document's records, flushed, then its progress record; return that record."""
        for claim in result.claims:
            write_record(self.claims, claim)
        if self.rejected is not None:
            for rejected in result.rejected:
                write_record(self.rejected, rejected)
        if self.errors is not None and result.error is not None:
            write_record(self.errors, result.error)
        if self.documents is not None and result.document is not None:
            write_record(self.documents, result.document)
        record = progress_record(result)
        if self.progress is not None:
            write_record(self.progress, record)
        return record

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> DocumentSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

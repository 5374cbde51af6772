"""Where a run's results go: the `Sink` protocol, and the sinks of the core.

The run driver calls `start` once before the first document, `write` once per finished
document (all of its records at once) and `finish` with the manifest after the last. A sink
does one job: the JSONL files (`JsonlSink`), collecting results in memory for the library
(`CollectingSink`), a progress line (in the CLI), a database or a distributed engine's shard
output (elsewhere) — the driver does not change when one is added.

`JsonlSink` appends each finished document's claims, rejected claims, error records and the
document itself (its text, the one every span indexes — for HTML and PDF the *extracted* text —
with its origin, to `<OUT>.documents.jsonl`) to their files, flushed, and only then its progress
record, so a killed run can be resumed without duplicates (see `claims.run.resume`).
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

from claims.jsonl import write_record
from claims.run.document import DocumentResult
from claims.run.manifest import Manifest, progress_record, write_manifest
from claims.run.options import ExtractOptions
from claims.run.paths import OutputPaths
from claims.run.resume import ResumeState, prepare_resume
from claims.schema import ErrorRecord, RejectedClaim, VerifiedClaim

__all__ = [
    "CollectingSink",
    "DocumentSink",
    "JsonlSink",
    "OutputPaths",
    "ResumeState",
    "RunInfo",
    "Sink",
    "prepare_resume",
]


@dataclass(frozen=True)
class RunInfo:
    """What a sink learns before the first document."""

    run_id: str
    backend: str
    described: dict[str, str | None]
    """The backend's describe(): model, endpoint, mode, prompt hash (never a secret)."""
    options: ExtractOptions
    settings: dict[str, Any] = field(default_factory=dict)
    started_at: str = ""
    total: int | None = None
    """Documents this run expects to process, when known cheaply up front; None when unknown."""
    resumed: int = 0
    """Documents an earlier run of the same output finished (not processed again)."""


@runtime_checkable
class Sink(Protocol):
    """Receives a run's results: `start`, then `write` per document, then `finish`."""

    def start(self, run: RunInfo) -> None:
        """Before the first document."""
        ...

    def write(self, result: DocumentResult) -> None:
        """One finished document, all or nothing."""
        ...

    def finish(self, manifest: Manifest) -> None:
        """After the last document."""
        ...


class JsonlSink:
    """Appends each finished document's records to the run's files, progress record last; writes
    the manifest at the end. Use it as a context manager: the files close even if the run fails."""

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

    def start(self, run: RunInfo) -> None:
        pass

    def write(self, result: DocumentResult) -> None:
        """Write one document's records, flushed, then its progress record."""
        for claim in result.claims:
            write_record(self.claims, claim)
        if self.rejected is not None:
            for rejected in result.rejected:
                write_record(self.rejected, rejected)
        if self.errors is not None:
            for error in result.errors:
                write_record(self.errors, error)
        if self.documents is not None and result.document is not None:
            write_record(self.documents, result.document)
        if self.progress is not None:
            write_record(self.progress, self.progress_of(result))

    def progress_of(self, result: DocumentResult) -> dict[str, Any]:
        """The progress record of a finished document (a subclass may add fields)."""
        return progress_record(result)

    def finish(self, manifest: Manifest) -> None:
        if self.paths.manifest is not None:
            write_manifest(self.paths.manifest, manifest)
        self.close()

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> JsonlSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


DocumentSink = JsonlSink
"""The former name of `JsonlSink`."""


@dataclass
class CollectingSink:
    """Keeps every record of a run in memory (the library's `ExtractionResult` is filled from it)."""

    claims: list[VerifiedClaim] = field(default_factory=list)
    rejected: list[RejectedClaim] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    results: list[DocumentResult] = field(default_factory=list)
    manifest: Manifest | None = None
    keep_results: bool = False
    """Also keep each DocumentResult (with its document's text): off by default, to spare memory."""

    def start(self, run: RunInfo) -> None:
        pass

    def write(self, result: DocumentResult) -> None:
        self.claims.extend(result.claims)
        self.rejected.extend(result.rejected)
        self.errors.extend(result.errors)
        if self.keep_results:
            self.results.append(result)

    def finish(self, manifest: Manifest) -> None:
        self.manifest = manifest

"""`claims batch collect`: results in, exactly the records `claims extract` writes out.

Output and error files are joined on custom_id (a batch keeps no order; failed requests are in
the error file; an expired batch returns what finished). Each document is then replayed through
the online path's per-document extraction (`claims.run.pipeline.extract_document`) with the
answers as its backend (`answers.BatchAnswers`): same parsing, verifier, re-asks, splits and merge,
and written through the same sink. A document still missing an answer is held back, and its
requests are listed in DIR/pending.jsonl for `claims batch retry`.

The sink's progress file makes a rerun safe: a killed collect is resumed, dropping the lines of
a document it had not finished and skipping the documents it had, so nothing is written twice.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claims.backends.openai.backend import OpenAIBackend
from claims.batch.answers import PENDING, BatchAnswers, Missing, Outcome, better, parse_outcome
from claims.batch.prepare import settings_from
from claims.batch.state import PENDING as PENDING_FILE
from claims.batch.state import BatchDir, BatchIndex, atomic_write_lines, read_lines
from claims.run.manifest import RunStats, build_manifest, write_manifest
from claims.run.pipeline import DocumentResult, ExtractOptions, extract_document
from claims.run.sinks import DocumentSink, OutputPaths, prepare_resume
from claims.schema import ErrorRecord

RETRY_REASONS = frozenset({"failed", "expired", "cancelled", "lost", "new"})
"""Why a request is pending, when a follow-up batch should ask it (`claims batch retry`); the
others are `waiting` (its batch is still running) and `unsubmitted`."""


@dataclass
class CollectReport:
    """What one collect did."""

    written: int = 0
    resumed: int = 0
    failed: int = 0
    held: int = 0
    pending: Counter[str] = field(default_factory=Counter)
    answers: int = 0
    stats: RunStats = field(default_factory=RunStats)
    manifest: dict[str, Any] = field(default_factory=dict)


def read_outcomes(state: BatchDir, index: BatchIndex, extra: Iterable[Path] = ()) -> dict[str, Outcome]:
    """Every downloaded output and error line (and those of `extra` files, e.g. vLLM's run-batch
    output), by custom_id; an answer beats an error, a later round beats an earlier one."""
    paths: list[Path] = []
    for file in sorted(index.files, key=lambda f: f.round):
        paths += [p for p in (state.output_path(file.name), state.errors_path(file.name)) if p.is_file()]
    paths += list(extra)
    outcomes: dict[str, Outcome] = {}
    for path in paths:
        for line in read_lines(path):
            outcome = parse_outcome(line)
            if outcome is not None:
                outcomes[outcome.custom_id] = better(outcomes.get(outcome.custom_id), outcome)
    return outcomes


def _reason(missing: Missing, where: dict[str, str | None], have_results: bool) -> str:
    """Why a request has no usable answer (see RETRY_REASONS)."""
    if missing.outcome is not None:
        return "expired" if missing.outcome.expired else "failed"
    if missing.custom_id not in where:
        return "new"
    status = where[missing.custom_id]
    if status is None:
        return "lost" if have_results else "unsubmitted"
    if status in ("completed", "expired", "failed", "cancelled"):
        return "lost" if status == "completed" else status
    return "waiting"


async def collect(
    state: BatchDir,
    paths: OutputPaths,
    outcomes: dict[str, Outcome],
    *,
    reask: int | None = None,
    final: bool = False,
    have_results: bool = False,
) -> CollectReport:
    """Replay every document not yet written against `outcomes`; write the finished ones."""
    started_clock = time.perf_counter()
    started = datetime.now(UTC)
    index = state.load()
    if reask is not None and reask != index.options.get("reask"):
        index.options["reask"] = reask
        state.save(index)
    options = ExtractOptions(**index.options)
    backend = OpenAIBackend(settings_from(index.settings, index.endpoint))
    answers = BatchAnswers(backend, outcomes, index.url, index.endpoint)
    where: dict[str, str | None] = {}
    for file in index.files:
        for cid in state.custom_ids(file.name):
            where[cid] = file.status
    report = CollectReport(answers=sum(1 for o in outcomes.values() if o.ok))
    done = prepare_resume(paths) if paths.progress is not None and paths.progress.is_file() else {}
    for record in done.values():
        report.stats.add(record)
    report.resumed = len(done)
    pending: list[dict[str, Any]] = []
    try:
        with DocumentSink(paths, append=bool(done)) as sink:
            for raw in state.load_errors():
                loaded = ErrorRecord.model_validate(raw)
                _write(sink, report, DocumentResult(loaded.doc_id or loaded.source or "", error=loaded))
            for document in state.documents():
                if document.id in done:
                    continue
                result = await extract_document(document, answers, options)
                notes = answers.notes.pop(document.id, None)
                if result.error is not None and result.error.error == PENDING and notes is not None:
                    if notes.terminal is None and not final:
                        report.held += 1
                        for missing in notes.missing.values():
                            reason = _reason(missing, where, have_results)
                            report.pending[reason] += 1
                            pending.append(
                                {
                                    "doc_id": missing.doc_id,
                                    "reason": reason,
                                    "files": len(index.files),
                                    "request": missing.line,
                                }
                            )
                        continue
                    cause = notes.terminal
                    result.error = result.error.model_copy(
                        update={
                            "error": cause.kind if cause else "BatchUnanswered",
                            "message": str(cause)
                            if cause
                            else f"no answer for {len(notes.missing)} request(s) of this document "
                            "in any batch (collected with --final)",
                        }
                    )
                _write(sink, report, result)
    finally:
        atomic_write_lines(state.path / PENDING_FILE, pending)
        await answers.aclose()
    report.manifest = build_manifest(
        backend_name=answers.name,
        described=answers.describe(),
        stats=report.stats,
        options=options,
        wall_seconds=time.perf_counter() - started_clock,
        settings=settings_from(index.settings, index.endpoint).public(),
        started=started,
        resumed_documents=len(done),
    )
    report.manifest["batch"] = {
        "folder": str(state.path),
        "files": [
            f.model_dump(include={"name", "round", "lines", "batch_id", "status"}) for f in index.files
        ],
        "documents_held": report.held,
        "requests_pending": dict(report.pending),
    }
    if paths.manifest is not None:
        write_manifest(paths.manifest, report.manifest)
    return report


def _write(sink: DocumentSink, report: CollectReport, result: DocumentResult) -> None:
    record = sink.write(result)
    report.stats.add(record)
    report.written += 1
    report.failed += 0 if result.ok else 1

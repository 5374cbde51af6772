"""The progress display: a tqdm bar on a terminal, a plain line every interval elsewhere."""

from __future__ import annotations

import asyncio
import io
import time

from claims.cli.progress import Progress
from claims.inputs.documents import Document
from claims.run.document import DocumentResult
from claims.run.manifest import Manifest
from claims.run.options import ExtractOptions
from claims.run.sinks import RunInfo, Sink
from claims.schema import ErrorRecord


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def info(total: int | None) -> RunInfo:
    return RunInfo(run_id="r", backend="scripted", described={}, options=ExtractOptions(), total=total)


def done(doc_id: str, failed: bool = False) -> DocumentResult:
    error = ErrorRecord(doc_id=doc_id, stage="extract", error="X", message="x") if failed else None
    return DocumentResult(doc_id, Document(id=doc_id, text="t"), error=error)


def manifest() -> Manifest:
    return Manifest(run_id="r", backend="scripted", started_at="2026-01-01T00:00:00+00:00")


def test_progress_is_a_run_sink() -> None:
    assert isinstance(Progress(io.StringIO(), terminal=False), Sink)


def test_off_a_terminal_a_plain_line_every_interval_with_total_rate_and_eta() -> None:
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(stream, terminal=False, interval=10.0, clock=clock)
    progress.start(info(total=4))
    clock.now += 3
    progress.write(done("a"))
    assert stream.getvalue() == "", "no line before the interval has passed"
    clock.now += 9
    progress.write(done("b", failed=True))
    (line,) = stream.getvalue().splitlines()
    assert line == (
        "extracting: 2/4 documents (0 claims, 1 failed), 10.0 documents/min, 12 s elapsed, ETA 12 s"
    )
    clock.now += 1
    progress.write(done("c"))
    assert len(stream.getvalue().splitlines()) == 1, "the next line waits for the next interval"
    clock.now += 2
    progress.write(done("d"))
    progress.finish(manifest())
    last = stream.getvalue().splitlines()[-1]
    assert last.startswith("extracting: 4/4 documents") and "ETA" not in last


def test_an_unknown_total_shows_the_count_without_an_eta() -> None:
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(stream, terminal=False, interval=1.0, clock=clock)
    progress.start(info(total=None))
    clock.now += 2
    progress.write(done("a"))
    assert stream.getvalue().startswith("extracting: 1 documents (0 claims), 30.0 documents/min, 2 s")
    assert "ETA" not in stream.getvalue()


def test_a_short_run_off_a_terminal_prints_nothing() -> None:
    stream = io.StringIO()
    progress = Progress(stream, terminal=False)
    progress.start(info(total=2))
    progress.write(done("a"))
    progress.write(done("b"))
    progress.finish(manifest())
    assert stream.getvalue() == ""


def test_lines_keep_coming_while_no_document_finishes() -> None:
    """A long document in flight: the ticker prints the line anyway (a silent 13-minute run)."""
    stream = io.StringIO()

    async def run() -> None:
        progress = Progress(stream, terminal=False, interval=0.05)
        progress.start(info(total=3))
        await asyncio.sleep(0.3)
        progress.close()

    asyncio.run(run())
    lines = stream.getvalue().splitlines()
    assert len(lines) >= 2 and all(line.startswith("extracting: 0/3 documents") for line in lines)


def test_on_a_terminal_a_bar_with_done_total_rate_and_claims() -> None:
    stream = io.StringIO()
    progress = Progress(stream, terminal=True)
    progress.start(info(total=4))
    progress.write(done("a"))
    progress.note("claims: a warning")
    time.sleep(0.15)  # tqdm redraws at most every 0.1 s
    progress.write(done("b", failed=True))
    progress.finish(manifest())
    shown = stream.getvalue()
    assert "extracting" in shown and "2/4" in shown and "doc/s" in shown
    assert "1 failed" in shown
    assert "claims: a warning\n" in shown

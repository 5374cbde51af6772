"""The run driver: sinks fed in order, statistics and manifest, load errors and resumed documents."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field

import pytest

from claims.backends.protocol import Backend, ProposalRequest
from claims.inputs.documents import Document, DocumentError
from claims.run.document import DocumentResult
from claims.run.driver import RunDriver, run_documents
from claims.run.manifest import Manifest
from claims.run.options import ExtractOptions
from claims.run.resume import ResumeState
from claims.run.sinks import CollectingSink, RunInfo, Sink
from claims.schema import ProposedClaim
from tests.fakes.claimdata import meeting
from tests.run.test_document import GROUNDED, ScriptedBackend, claim


def grounded(_request: ProposalRequest) -> list[ProposedClaim]:
    return [claim(meeting(GROUNDED))]


@dataclass
class RecordingSink:
    """Records what the driver told it, in order."""

    calls: list[str] = field(default_factory=list)
    info: RunInfo | None = None
    manifest: Manifest | None = None

    def start(self, run: RunInfo) -> None:
        self.calls.append("start")
        self.info = run

    def write(self, result: DocumentResult) -> None:
        self.calls.append(f"write {result.doc_id}")

    def finish(self, manifest: Manifest) -> None:
        self.calls.append("finish")
        self.manifest = manifest


def documents(n: int) -> list[Document | DocumentError]:
    return [Document(id=f"d{i}", text=GROUNDED) for i in range(n)]


def test_sinks_get_start_every_document_then_finish_with_the_manifest() -> None:
    sink = RecordingSink()
    assert isinstance(sink, Sink) and isinstance(CollectingSink(), Sink)
    items = [*documents(3), DocumentError("bad.txt", "bad.txt: not UTF-8", "bad")]
    manifest = asyncio.run(
        run_documents(
            items, ScriptedBackend(grounded), ExtractOptions(), [sink], settings={"api_key": "x"}, total=4
        )
    )
    assert sink.calls[0] == "start" and sink.calls[-1] == "finish"
    assert sorted(sink.calls[1:-1]) == ["write bad", "write d0", "write d1", "write d2"]
    assert sink.info is not None and sink.info.total == 4 and sink.info.run_id == manifest.run_id
    assert sink.manifest is manifest
    assert manifest.totals.documents == 4 and manifest.totals.documents_failed == 1
    assert manifest.totals.claims_verified == 3 and manifest.usage.requests == 3
    assert manifest.backend == "scripted" and manifest.model == "scripted"
    assert "api_key" not in manifest.settings, "a secret setting never reaches the manifest"
    assert manifest.software.packages["claims"]


def test_results_come_out_as_they_finish_with_their_document() -> None:
    collected = CollectingSink(keep_results=True)

    async def run() -> list[DocumentResult]:
        driver = RunDriver(documents(2), ScriptedBackend(grounded), ExtractOptions(), [collected])
        results = [result async for result in driver]
        assert driver.stats.documents == 2
        with pytest.raises(RuntimeError, match="runs once"):
            driver.__aiter__()
        return results

    results = asyncio.run(run())
    assert {r.document.id for r in results if r.document} == {"d0", "d1"}
    assert len(collected.claims) == 2 and collected.results == results
    assert collected.manifest is not None


def test_finished_documents_of_an_earlier_run_are_skipped_and_counted_as_resumed() -> None:
    backend = ScriptedBackend(grounded)
    earlier = {"doc_id": "d0", "ok": True, "claims": 1, "proposed": 1, "usage": {"requests": 1}}
    driver = RunDriver(documents(3), backend, ExtractOptions(), done=ResumeState(finished={"d0": earlier}))

    async def run() -> None:
        async for _result in driver:
            pass

    asyncio.run(run())
    assert sorted(r.document.id for r in backend.requests) == ["d1", "d2"]
    manifest = driver.manifest()
    assert manifest.totals.documents == 3 and manifest.totals.resumed_documents == 1
    assert manifest.usage.requests == 3


def test_every_run_has_its_own_id() -> None:
    backend = ScriptedBackend(grounded)
    ids = {RunDriver([], backend, ExtractOptions()).run_id for _ in range(5)}
    assert len(ids) == 5


@dataclass
class ReplayEngine:
    """An engine that does no extraction: it hands back results made elsewhere (as a cluster's
    shards would), to show that the driver's statistics, sinks and manifest do not care."""

    made: list[DocumentResult]
    seen: list[str] = field(default_factory=list)

    async def results(
        self,
        items: Iterable[Document | DocumentError],
        backend: Backend,
        options: ExtractOptions,
        done: ResumeState,
    ) -> AsyncIterator[DocumentResult]:
        self.seen = [item.id for item in items if isinstance(item, Document)]
        for result in self.made:
            yield result


def test_another_engine_plugs_into_the_driver() -> None:
    made = [DocumentResult("x", claims=[]), DocumentResult("y", proposed=2)]
    engine = ReplayEngine(made)
    sink = RecordingSink()
    manifest = asyncio.run(
        run_documents(documents(2), ScriptedBackend(grounded), ExtractOptions(), [sink], engine=engine)
    )
    assert engine.seen == ["d0", "d1"]
    assert sink.calls == ["start", "write x", "write y", "finish"]
    assert manifest.totals.documents == 2 and manifest.totals.claims_proposed == 2

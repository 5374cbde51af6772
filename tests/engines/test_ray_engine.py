"""`--engine ray` on a local Ray cluster (2 CPUs, no dashboard) against the FAKE server.

Run with `make test-ray` (installs the `ray` extra); plain `make test` deselects the `ray` marker.
Every test is bounded: faulthandler ends the process with a traceback after TEST_SECONDS.
"""

from __future__ import annotations

import faulthandler
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ray = pytest.importorskip("ray", reason="the ray extra is not installed (make test-ray installs it)")

import claims.db  # noqa: E402
from claims.cli import main  # noqa: E402
from claims.engines.budget import RateLimits  # noqa: E402
from claims.engines.combine import combine_shards  # noqa: E402
from claims.engines.ray_engine import RayOptions, run_shards  # noqa: E402
from claims.engines.shards import ShardStore, plan_shards  # noqa: E402
from claims.run.pipeline import ExtractOptions  # noqa: E402
from claims.run.sinks import OutputPaths  # noqa: E402
from tests.fakes.claimdata import (  # noqa: E402
    PARAGRAPHS,
    first_line_meeting,
    meeting,
    paragraph_meetings,
    three_chunk_text,
)
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, RecordedRequest, Reply  # noqa: E402

pytestmark = pytest.mark.ray
TEST_SECONDS = 240


@pytest.fixture(scope="module", autouse=True)
def ray_cluster() -> Iterator[None]:
    """One local cluster for the module; workers inherit this environment, so clear ours first."""
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "CLAIMS_")):
            del os.environ[name]
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture(autouse=True)
def bounded() -> Iterator[None]:
    faulthandler.dump_traceback_later(TEST_SECONDS, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def scripted(request: RecordedRequest) -> Reply:
    """Deterministic per article: a failure, an ungrounded quote, or the first line's meeting."""
    if "KAPUTT" in request.article:
        return Reply.error(400, "scripted bad request")
    if "FALSCH" in request.article:
        return Reply.claims(meeting("Das steht nirgends in diesem Text geschrieben."))
    return first_line_meeting(request)


def write_inputs(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(n):
        extra = " KAPUTT" if i % 11 == 3 else " FALSCH" if i % 7 == 5 else ""
        text = f"Ministerin Lindqvist traf Minister Tamm in Stadt {i}.{extra}\nSonst nichts."
        lines.append(json.dumps({"id": f"j{i:03d}", "text": text}, ensure_ascii=False))
    lines.insert(4, "{not json")
    (folder / "docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    texts = folder / "texts"
    texts.mkdir()
    for i in range(5):
        (texts / f"t{i}.txt").write_text(f"Minister Tamm traf Ministerin Lindqvist in Ort {i}.\n", "utf-8")
    return [str(folder / "docs.jsonl"), str(texts)]


def flags(server: FakeOpenAIServer) -> list[str]:
    return ["--base-url", server.url, "--model", MODEL_ID, "--max-retries", "0", "--no-cache"]


def records(path: Path | None) -> list[str]:
    assert path is not None
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in rows)


def ids(path: Path | None) -> list[str]:
    assert path is not None
    return [json.loads(line)["doc_id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_ray_gives_the_records_of_the_local_engine(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "in", 30)
    with FakeOpenAIServer(default=scripted, record=False).running() as server:
        local = tmp_path / "local" / "claims.jsonl"
        assert main(["extract", *inputs, "-o", str(local), *flags(server)]) == 1
        out = tmp_path / "ray" / "claims.jsonl"
        engine = ["--engine", "ray", "--workers", "2", "--shard-size", "7", "--concurrency", "3"]
        assert main(["extract", *inputs, "-o", str(out), *flags(server), *engine]) == 1
    mine, theirs = OutputPaths.beside(str(out)), OutputPaths.beside(str(local))
    for a, b in [
        *zip(mine.record_files(), theirs.record_files(), strict=True),
        (mine.progress, theirs.progress),
    ]:
        assert records(a) == records(b), a
    assert len(records(mine.rejected)) >= 3 and len(records(mine.errors)) == 4
    manifest = json.loads(out.with_name("claims.manifest.json").read_text(encoding="utf-8"))
    local_manifest = json.loads(local.with_name("claims.manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"]["name"] == "ray" and manifest["engine"]["shards"] == 6
    for key in ("totals", "usage", "model", "prompt_hash"):
        assert manifest[key] == local_manifest[key], key


def test_a_worker_killed_mid_shard_leaves_every_document_exactly_once(tmp_path: Path) -> None:
    n = 24
    lines = [
        json.dumps({"id": f"k{i:02d}", "text": f"Lindqvist traf Tamm in Stadt {i}.\nMehr nicht."})
        for i in range(n)
    ]
    source = tmp_path / "docs.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out" / "claims.jsonl"
    store = ShardStore.beside(out)
    codes: list[int] = []
    with FakeOpenAIServer(default=first_line_meeting, delay=0.25, record=False).running() as server:
        argv = ["extract", str(source), "-o", str(out), *flags(server), "--engine", "ray", "--workers", "2"]
        argv += ["--shard-size", "12", "--concurrency", "2"]
        runner = threading.Thread(target=lambda: codes.append(main(argv)))
        runner.start()
        worker_file = store.root / "shard-000000" / "worker.json"
        progress = store.root / "shard-000000" / "claims.progress.jsonl"
        deadline = time.monotonic() + 120
        while not (progress.is_file() and len(progress.read_text().splitlines()) >= 3):
            assert time.monotonic() < deadline and runner.is_alive(), "the shard never started"
            time.sleep(0.05)
        killed = json.loads(worker_file.read_text())["pid"]
        os.kill(killed, signal.SIGKILL)
        runner.join(timeout=180)
        assert not runner.is_alive()
    assert codes == [0]
    paths = OutputPaths.beside(str(out))
    assert sorted(ids(paths.progress)) == [f"k{i:02d}" for i in range(n)]
    assert sorted(ids(paths.claims)) == [f"k{i:02d}" for i in range(n)]
    assert json.loads(worker_file.read_text())["pid"] != killed, "a restarted worker finished the shard"


def test_a_failing_shard_is_reported_and_resume_finishes_it(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": f"Lindqvist traf Tamm {i}."}) + "\n" for i in range(4))
    )
    content = "".join(
        json.dumps({"id": f"b{i}", "text": f"Tamm traf Lindqvist {i}."}) + "\n" for i in range(3)
    )
    second.write_text(content)
    out = tmp_path / "out" / "claims.jsonl"
    store = ShardStore.beside(out)
    shards = plan_shards([first, second], 2)
    store.save_plan(shards)
    second.unlink()  # the input vanished after planning: its shard cannot run
    with FakeOpenAIServer(default=first_line_meeting, record=False).running() as server:
        settings = {"base_url": server.url, "model": MODEL_ID, "max_retries": 0, "use_cache": False}
        job = run_shards(
            shards, store, backend_name="openai", settings=settings, options=ExtractOptions(),
            ray_options=RayOptions(workers=2),
        )  # fmt: skip
        assert [(f.shard, f.error.split(":")[0]) for f in job.failures] == [
            (2, "FileNotFoundError"),
            (3, "FileNotFoundError"),
        ]
        assert f"{second}:1-2" in job.failures[0].where
        paths = OutputPaths.beside(str(out))
        combine_shards(shards, store, paths)
        assert sorted(ids(paths.claims)) == ["a0", "a1", "a2", "a3"]
        second.write_text(content)
        assert main(["extract", str(first), str(second), "-o", str(out), *flags(server), "--engine", "ray",
                     "--shard-size", "2", "--resume"]) == 0  # fmt: skip
    assert sorted(ids(paths.claims)) == ["a0", "a1", "a2", "a3", "b0", "b1", "b2"]
    manifest: dict[str, Any] = json.loads(out.with_name("claims.manifest.json").read_text())
    assert manifest["totals"]["resumed_documents"] == 4 and manifest["engine"]["shards_resumed"] == 2


def test_one_rate_budget_is_shared_by_all_workers(tmp_path: Path) -> None:
    sent: list[float] = []

    def answer(request: RecordedRequest) -> Reply:
        sent.append(time.monotonic())
        return first_line_meeting(request)

    source = tmp_path / "docs.jsonl"
    source.write_text(
        "".join(json.dumps({"id": f"r{i}", "text": f"Lindqvist traf Tamm {i}."}) + "\n" for i in range(30))
    )
    shards = plan_shards([source], 15)
    limits = RateLimits(requests_per_minute=600, burst_seconds=0.1)  # 10 a second for the whole job
    with FakeOpenAIServer(default=answer, record=False).running() as server:
        settings = {"base_url": server.url, "model": MODEL_ID, "use_cache": False}
        job = run_shards(
            shards, ShardStore(tmp_path / "shards"), backend_name="openai", settings=settings,
            options=ExtractOptions(concurrency=8), ray_options=RayOptions(workers=2, limits=limits),
        )  # fmt: skip
    assert not job.failures and len(job.finished) == 2 and len(sent) == 30
    # One budget reserves 30 requests 0.1 s apart: the last is reserved >= 2.9 s after the first
    # (two budgets: 1.45 s; none: a fraction of a second). The bucket meters reservations, not
    # sends, and a loaded machine delays the first sends most (client start-up), so the span of the
    # sends is bounded below by 2.9 s less that lag: 1.6 s tells one budget from two.
    assert max(sent) - min(sent) >= 1.6


def db_counts(path: Path) -> dict[str, int]:
    with claims.db.open(str(path)) as db:
        counts = db.counts()
    return {name: counts[name] for name in ("documents", "claims", "rejected", "errors", "events")}


def test_db_gets_the_counts_of_the_local_engine_and_a_resume_adds_nothing_twice(tmp_path: Path) -> None:
    inputs = write_inputs(tmp_path / "in", 20)
    with FakeOpenAIServer(default=scripted, record=False).running() as server:
        local_db = tmp_path / "local.sqlite"
        local = ["extract", *inputs, "-o", str(tmp_path / "local" / "claims.jsonl"), *flags(server)]
        assert main([*local, "--db", str(local_db)]) == 1
        ray_db = tmp_path / "ray.sqlite"
        engine = ["--engine", "ray", "--workers", "2", "--shard-size", "6", "--db", str(ray_db)]
        argv = ["extract", *inputs, "-o", str(tmp_path / "ray" / "claims.jsonl"), *flags(server), *engine]
        assert main(argv) == 1
        expected = db_counts(local_db)
        assert expected["claims"] >= 10 and expected["events"] >= 10
        assert expected["errors"] == 3, "two failing documents and the broken input line"
        assert db_counts(ray_db) == expected
        assert main([*argv, "--resume"]) == 1, "the scripted failures fail again"
    assert db_counts(ray_db) == expected, "a resumed run adds nothing twice"


def test_resume_retries_the_failed_and_partial_documents_of_a_done_shard(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "long.txt").write_text(three_chunk_text(), encoding="utf-8")
    (folder / "short.txt").write_text("Ministerin Lindqvist traf Minister Tamm in Narva.\n", "utf-8")
    for i in range(3):
        (folder / f"ok{i}.txt").write_text(f"Ministerin Nowak traf Minister Tamm in Ort {i}.\n", "utf-8")
    out = tmp_path / "out" / "claims.jsonl"

    def answer(request: RecordedRequest) -> Reply:
        if any(sentence in request.article for sentence, _a, _b in PARAGRAPHS):
            return paragraph_meetings(request)
        return first_line_meeting(request)

    with FakeOpenAIServer(default=answer, record=False).running() as server:
        server.script("Narva", Reply.error(500, "scripted outage"))  # the short document fails
        server.script(PARAGRAPHS[1][0], Reply.error(500, "scripted outage"))  # a chunk of the long one
        argv = [
            "extract",
            str(folder),
            "-o",
            str(out),
            *flags(server),
            "--engine",
            "ray",
            "--shard-size",
            "10",
        ]
        argv += ["--chunk-chars", "200", "--chunk-overlap", "0"]
        assert main(argv) == 1, "a failed and a partial document"
        progress = {r["doc_id"]: r for r in map(json.loads, out.with_name("claims.progress.jsonl").open())}
        assert progress["short"]["ok"] is False and progress["long"]["partial"] is True
        assert main([*argv, "--resume"]) == 0
    claims = [json.loads(line) for line in out.open()]
    assert sorted(c["quote"] for c in claims if c["doc_id"] == "long") == sorted(
        t for t, _a, _b in PARAGRAPHS
    )
    assert [c["quote"] for c in claims if c["doc_id"] == "short"] == [
        "Ministerin Lindqvist traf Minister Tamm in Narva."
    ]
    assert sorted(ids(out)) == sorted(["long"] * 3 + ["short", "ok0", "ok1", "ok2"]), "nothing twice"
    assert out.with_name("claims.errors.jsonl").read_text() == ""


def test_workers_reserve_a_cpu_each_and_spread_over_the_nodes(tmp_path: Path) -> None:
    source = tmp_path / "docs.jsonl"
    source.write_text(
        "".join(json.dumps({"id": f"c{i}", "text": f"Lindqvist traf Tamm {i}."}) + "\n" for i in range(8))
    )
    shards = plan_shards([source], 2)
    seen: dict[str, Any] = {}
    real = ray.remote

    def spying(*args: Any, **kwargs: Any) -> Any:
        seen.setdefault("calls", []).append(kwargs)
        return real(*args, **kwargs)

    with FakeOpenAIServer(default=first_line_meeting, record=False).running() as server:
        settings = {"base_url": server.url, "model": MODEL_ID, "use_cache": False}
        limits = RateLimits(requests_per_minute=6000)
        ray.remote = spying
        try:
            job = run_shards(
                shards, ShardStore(tmp_path / "shards"), backend_name="openai", settings=settings,
                options=ExtractOptions(), ray_options=RayOptions(workers=4, limits=limits),
            )  # fmt: skip
        finally:
            ray.remote = real
    assert not job.failures and len(job.finished) == 4
    budget, worker = seen["calls"]
    assert budget["max_restarts"] == -1 and budget["num_cpus"] == 0
    assert worker["num_cpus"] == 1 and worker["scheduling_strategy"] == "SPREAD"


def test_ray_engine_needs_an_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "--engine", "ray", "--backend", "rules"]) == 2
    assert "pass -o OUT.jsonl" in capsys.readouterr().err

"""Throughput, cached reruns and peak memory of the extraction pipeline against the FAKE server.

Run from the repository root:  .venv/bin/python -m benchmarks.pipeline   (or: make bench)

The server is tests/fakes/openai_server.py: a real local HTTP server with SCRIPTED answers and an
artificial answer delay, so this measures our pipeline (openai client, instructor, verifier,
merge, cache, output) and not any model. Numbers depend on the machine; nothing here is asserted.
The throughput rows run the fake in the same process (its threads share the GIL with the client,
which caps the 0 ms rows); the 10,000-document row runs `claims extract` as its own process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # also runnable as `python benchmarks/pipeline.py`
    sys.path.insert(0, str(ROOT))

from claims.api import aextract  # noqa: E402
from claims.inputs.documents import Document  # noqa: E402
from claims.run.options import ExtractOptions  # noqa: E402
from tests.fakes.claimdata import first_line_meeting  # noqa: E402
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer  # noqa: E402


def documents(n: int, prefix: str = "bench") -> list[Document]:
    return [
        Document(
            id=f"{prefix}-{i:05d}",
            text=f"Ministerin Lindqvist traf Minister Tamm in Stadt {i} zu Gesprächen.\nSonst nichts.",
            published="2024-05-06",
            language="de",
        )
        for i in range(n)
    ]


def run(server: FakeOpenAIServer, docs: list[Document], concurrency: int, cache_dir: str | None) -> float:
    """Seconds to extract `docs`; checks that every document gave its one claim."""
    settings: dict[str, Any] = {"base_url": server.url, "model": MODEL_ID, "use_cache": cache_dir is not None}
    if cache_dir is not None:
        settings["cache_dir"] = cache_dir
    started = time.perf_counter()
    result = asyncio.run(
        aextract(docs, backend="openai", options=ExtractOptions(concurrency=concurrency), **settings)
    )
    elapsed = time.perf_counter() - started
    if len(result.claims) != len(docs) or result.errors:
        raise SystemExit(
            f"benchmark run went wrong: {len(result.claims)} claims, {len(result.errors)} errors"
        )
    return elapsed


def throughput(server: FakeOpenAIServer, n: int, slow_n: int) -> list[tuple[str, str, int, float]]:
    rows = []
    for delay in (0.0, 0.5):
        server.delay = delay
        for concurrency in (1, 8, 32):
            count = slow_n if delay and concurrency == 1 else n
            seconds = run(server, documents(count, f"t{delay}-{concurrency}"), concurrency, None)
            rows.append((f"{int(delay * 1000)} ms", str(concurrency), count, seconds))
    server.delay = 0.0
    return rows


def cached_rerun(server: FakeOpenAIServer, n: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as cache_dir:
        docs = documents(n, "cached")
        first = run(server, docs, 32, cache_dir)
        asked = server.served
        again = run(server, docs, 32, cache_dir)
        return first, again, server.served - asked


def peak_memory(server: FakeOpenAIServer, n: int) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of `claims extract` streaming n small documents to a file."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "documents.jsonl"
        with source.open("w", encoding="utf-8") as stream:
            for document in documents(n, "mem"):
                stream.write(json.dumps(document.model_dump(exclude_none=True), ensure_ascii=False) + "\n")
        command = [
            sys.executable, "-m", "claims.cli", "extract", str(source), "-o", str(Path(folder) / "out.jsonl"),
            "--base-url", server.url, "--model", MODEL_ID, "--concurrency", "32", "--no-cache",
        ]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"claims extract failed: {done.stderr[-2000:]}")
        lines = sum(1 for _ in (Path(folder) / "out.jsonl").open(encoding="utf-8"))
        if lines != n:
            raise SystemExit(f"expected {n} claims, got {lines}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB
    return seconds, peak_kib / 1024


def cached_process(server: FakeOpenAIServer, n: int, repeats: int = 3) -> tuple[float, float]:
    """Wall seconds of `claims extract` as its own process over n documents: the first run (fills
    the cache) and the best of `repeats` fully cached reruns (start-up included)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "documents.jsonl"
        with source.open("w", encoding="utf-8") as stream:
            for document in documents(n, "proc"):
                stream.write(json.dumps(document.model_dump(exclude_none=True), ensure_ascii=False) + "\n")
        command = [
            sys.executable, "-m", "claims.cli", "extract", str(source), "-o", str(Path(folder) / "out.jsonl"),
            "--base-url", server.url, "--model", MODEL_ID, "--cache-dir", str(Path(folder) / "cache"),
        ]  # fmt: skip
        times = []
        for _ in range(repeats + 1):
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise SystemExit(f"claims extract failed: {done.stderr[-2000:]}")
        return times[0], min(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=100, help="documents per throughput run")
    parser.add_argument("--slow-documents", type=int, default=20, help="at 500 ms and concurrency 1")
    parser.add_argument("--memory-documents", type=int, default=10_000)
    parser.add_argument(
        "--startup-only", action="store_true", help="only the cached rerun as a process (start-up time)"
    )
    args = parser.parse_args()
    server = FakeOpenAIServer(default=first_line_meeting, record=False)
    with server.running():
        process_first, process_cached = cached_process(server, args.documents)
        if args.startup_only:
            print(
                f"{'documents':>9}  {'first run s':>11}  {'cached rerun s':>14}  (`claims extract` process)"
            )
            print(f"{args.documents:>9}  {process_first:>11.2f}  {process_cached:>14.2f}")
            return
        rows = throughput(server, args.documents, args.slow_documents)
        filled, cached, requests = cached_rerun(server, args.documents)
        memory_seconds, peak_mib = peak_memory(server, args.memory_documents)
    print("claims pipeline against the FAKE OpenAI-compatible server (scripted answers, no model)")
    print()
    print(f"{'answer delay':>12}  {'concurrency':>11}  {'documents':>9}  {'seconds':>8}  {'docs/s':>8}")
    for delay, concurrency, count, seconds in rows:
        print(f"{delay:>12}  {concurrency:>11}  {count:>9}  {seconds:>8.2f}  {count / seconds:>8.1f}")
    print()
    print(f"cached rerun of {args.documents} documents: {cached:.2f} s, {requests} requests", end="")
    print(f" (first run {filled:.2f} s)")
    print(
        f"cached rerun of {args.documents} documents as a process (`claims extract`, start-up included): "
        f"{process_cached:.2f} s wall (first run {process_first:.2f} s)"
    )
    rate = args.memory_documents / memory_seconds
    print(
        f"{args.memory_documents} small documents through `claims extract` (concurrency 32, 0 ms, no cache):"
    )
    print(f"  {memory_seconds:.1f} s, {rate:.0f} docs/s, peak RSS {peak_mib:.0f} MiB")
    if args.slow_documents != args.documents:
        print(
            f"(500 ms at concurrency 1 runs {args.slow_documents} documents: 100 would take 50 s of waiting)"
        )


if __name__ == "__main__":
    main()

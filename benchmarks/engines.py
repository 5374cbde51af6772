"""Engine overhead: the local engine against Ray with N workers, on the FAKE server.

Run from the repository root (needs the ray extra: `make test-ray` installs it):
    .venv/bin/python -m benchmarks.engines                # 10,000 documents, 500 ms answers

The fake server (tests/fakes/openai_server.py: SCRIPTED answers after an artificial delay, no
model) runs in a process of its own, and each engine runs `claims extract` as a process of its
own, so this measures our engines, not the fake. Printed per engine: wall time, documents/s
(overall, and from the first result on, which leaves out Ray's start-up), time to the first
written result, and the driver process's peak RSS (Ray's workers are separate processes and are
not in that number). Both engines keep the same requests in flight: `--concurrency C` locally,
`--workers N --concurrency C/N` on Ray. Numbers depend on the machine; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # also runnable as `python benchmarks/engines.py`
    sys.path.insert(0, str(ROOT))

from tests.fakes.claimdata import first_line_meeting  # noqa: E402
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer  # noqa: E402


def serve(delay: float, urls: Any, stop: Any) -> None:
    """The fake server's process: serve until told to stop."""
    server = FakeOpenAIServer(default=first_line_meeting, delay=delay, record=False)
    with server.running():
        urls.put(server.url)
        stop.wait()


def write_documents(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for i in range(n):
            text = f"Ministerin Lindqvist traf Minister Tamm in Stadt {i} zu Gesprächen.\nSonst nichts."
            record = {"id": f"bench-{i:06d}", "text": text, "published": "2024-05-06"}
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")


def child(argv: list[str]) -> None:
    """Run `claims extract` in this process, then print its own peak RSS (KiB) as JSON."""
    from claims.cli import main

    code = main(argv)
    print(json.dumps({"code": code, "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


def measure(name: str, argv: list[str], out: Path, n: int) -> dict[str, Any]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.engines", "--child", json.dumps(argv)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first: float | None = None
    shards = out.with_name(out.stem + ".shards")
    while process.poll() is None:
        if first is None:
            candidates = [
                out.with_name(out.stem + ".progress.jsonl"),
                *shards.glob("*/claims.progress.jsonl"),
            ]
            if any(path.is_file() and path.stat().st_size > 0 for path in candidates):
                first = time.perf_counter() - started
        time.sleep(0.02)
    wall = time.perf_counter() - started
    stdout, stderr = process.communicate()
    report = json.loads(stdout.strip().splitlines()[-1])
    if report["code"] != 0:
        raise SystemExit(f"{name}: claims extract failed: {stderr[-2000:]}")
    claims = sum(1 for _ in out.open(encoding="utf-8"))
    if claims != n:
        raise SystemExit(f"{name}: expected {n} claims, got {claims}")
    first = first if first is not None else wall
    return {
        "engine": name,
        "wall": wall,
        "rate": n / wall,
        "steady": n / max(wall - first, 1e-9),
        "first": first,
        "rss_mib": report["maxrss_kib"] / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--delay", type=float, default=0.5, help="seconds per fake answer")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight, in total")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shard-size", type=int, default=1000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return
    context = multiprocessing.get_context("spawn")
    urls, stop = context.Queue(), context.Event()
    server = context.Process(target=serve, args=(args.delay, urls, stop), daemon=True)
    server.start()
    url = urls.get(timeout=60)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "documents.jsonl"
            write_documents(source, args.documents)
            common = [str(source), "--base-url", url, "--model", MODEL_ID, "--no-cache"]
            local_out = Path(folder) / "local" / "claims.jsonl"
            local = ["extract", *common, "-o", str(local_out), "--concurrency", str(args.concurrency)]
            rows.append(measure("local", local, local_out, args.documents))
            ray_out = Path(folder) / "ray" / "claims.jsonl"
            per_worker = max(1, args.concurrency // args.workers)
            on_ray = [
                "extract",
                *common,
                "-o",
                str(ray_out),
                "--engine",
                "ray",
                "--workers",
                str(args.workers),
            ]
            on_ray += ["--concurrency", str(per_worker), "--shard-size", str(args.shard_size)]
            rows.append(measure(f"ray, {args.workers} workers", on_ray, ray_out, args.documents))
    finally:
        stop.set()
        server.join(timeout=10)
    print(
        f"{args.documents} documents, FAKE server answering after {args.delay * 1000:.0f} ms "
        f"(scripted, no model), {args.concurrency} requests in flight in total, {os.cpu_count()} CPUs"
    )
    print()
    header = f"{'engine':<16}  {'wall s':>7}  {'docs/s':>7}  {'docs/s after 1st':>16}  {'1st result s':>12}"
    print(header + f"  {'driver peak RSS MiB':>19}")
    for row in rows:
        print(
            f"{row['engine']:<16}  {row['wall']:>7.1f}  {row['rate']:>7.1f}  {row['steady']:>16.1f}  "
            f"{row['first']:>12.2f}  {row['rss_mib']:>19.0f}"
        )
    local_rate, ray_rate = rows[0]["rate"], rows[1]["rate"]
    print()
    print(f"Ray overhead: {100 * (1 - ray_rate / local_rate):.1f} % of documents/s overall, ", end="")
    print(f"{100 * (1 - rows[1]['steady'] / rows[0]['steady']):.1f} % after the first result")


if __name__ == "__main__":
    main()

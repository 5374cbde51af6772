"""The client's share of a batch job: `prepare` and `collect` (+ verify, merge, write) time.

Run from the repository root:  .venv/bin/python -m benchmarks.batch [--documents 10000]

Documents are the five seed articles (eval/seeds) repeated under new ids, so their size and
chunking are real. The provider's share is played by a SCRIPTED fake (tests/fakes): each request
is answered with the recorded model answer of its chunk (eval/recorded, tied to today's
prompts and chunking) when that file is here, else with a one-claim scripted answer, and written
in `vllm run-batch` output format (not timed). Nothing here is asserted; numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # also runnable as `python benchmarks/batch.py`
    sys.path.insert(0, str(ROOT))

from claims.batch.collect import collect, read_outcomes  # noqa: E402
from claims.batch.prepare import prepare  # noqa: E402
from claims.batch.state import BatchDir  # noqa: E402
from claims.inputs.documents import Document  # noqa: E402
from claims.run.options import ExtractOptions  # noqa: E402
from claims.run.sinks import OutputPaths  # noqa: E402
from claims.settings import Settings  # noqa: E402
from tests.fakes.batch_server import fake_vllm_run_batch  # noqa: E402
from tests.fakes.claimdata import first_line_meeting  # noqa: E402
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, RecordedRequest, Reply  # noqa: E402

RECORDED = ROOT / "eval" / "recorded" / "seeds-answers.jsonl"


def seed_documents(n: int) -> list[Document]:
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "eval" / "seeds").glob("*.txt"))]
    return [
        Document(
            id=f"{texts[i % len(texts)][0]}-{i:05d}", text=texts[i % len(texts)][1], published="2024-05-06"
        )
        for i in range(n)
    ]


def answerer() -> tuple[Callable[[RecordedRequest], Reply], str]:
    if not RECORDED.is_file():
        return first_line_meeting, "scripted one-claim answers"
    answers = {}
    for line in RECORDED.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        answers[record["chunk"]] = json.dumps(record["answer"], ensure_ascii=False)

    def reply(request: RecordedRequest) -> Reply:
        payload = answers.get(request.article)
        return Reply.raw(payload) if payload is not None else first_line_meeting(request)

    return reply, "recorded seed answers"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(count: int, work: Path) -> dict[str, float | int]:
    docs = seed_documents(count)
    state = BatchDir(work / f"batch-{count}")
    settings = Settings(backend="openai", model=MODEL_ID)
    started = time.perf_counter()
    index = prepare(docs, state, settings, ExtractOptions(reask=0))
    prepare_s = time.perf_counter() - started
    reply, _ = answerer()
    chat = FakeOpenAIServer(default=reply, record=False)
    results = []
    for file in index.files:
        output = work / f"{file.name}-{count}.vllm.jsonl"
        fake_vllm_run_batch(state.request_path(file.name), output, chat)
        results.append(output)
    out = work / f"out-{count}" / "claims.jsonl"
    started = time.perf_counter()
    outcomes = read_outcomes(state, index, results)
    report = asyncio.run(collect(state, OutputPaths.beside(str(out)), outcomes, have_results=True))
    collect_s = time.perf_counter() - started
    if report.held or report.written != count:
        raise SystemExit(f"benchmark went wrong: {report.written} written, {report.held} held")
    return {
        "documents": count,
        "requests": sum(f.lines for f in index.files),
        "files": len(index.files),
        "request_mb": sum(f.bytes for f in index.files) / 1e6,
        "prepare_s": prepare_s,
        "collect_s": collect_s,
        "claims": report.stats.claims,
        "peak_mb": peak_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    _, source = answerer()
    print(f"answers: {source}; collect = read results + replay (parse, verify, merge) + write JSONL")
    print(
        f"{'documents':>9} {'requests':>8} {'files':>5} {'req MB':>7} {'prepare s':>9} {'docs/s':>7} "
        f"{'collect s':>9} {'docs/s':>7} {'claims':>7} {'peak MB':>7}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for count in args.documents:
            row = measure(count, Path(tmp))
            print(
                f"{row['documents']:>9} {row['requests']:>8} {row['files']:>5} {row['request_mb']:>7.1f} "
                f"{row['prepare_s']:>9.2f} {count / row['prepare_s']:>7.0f} {row['collect_s']:>9.2f} "
                f"{count / row['collect_s']:>7.0f} {row['claims']:>7} {row['peak_mb']:>7.0f}"
            )


if __name__ == "__main__":
    main()

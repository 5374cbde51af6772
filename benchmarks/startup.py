"""Start-up and small-run wall times of the `claims` command, each run as its own process.

    .venv/bin/python -m benchmarks.startup      (or: make bench)

Rows: `claims --version`; `claims verify` on the 1,000 mixed quotes of benchmarks/quotes.py (one
10,000-character document; 328 of the quotes are rejected with a near-miss search); a fully cached
rerun of `claims extract --backend openai` over 100 documents against the FAKE OpenAI-compatible
server (tests/fakes: scripted answers, no model; the first run fills a temporary cache, the reruns
ask nothing and must not import openai or instructor); and `claims extract eval/seeds` with the
offline rules backend (nothing cached: the rules run every time). Each is run three times; the
table shows the fastest and the slowest. Asserts nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.pipeline import documents  # noqa: E402
from benchmarks.quotes import mixed_quotes  # noqa: E402
from tests.fakes.claimdata import first_line_meeting  # noqa: E402
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer  # noqa: E402

CLAIMS = Path(sys.executable).parent / "claims"
RUNS = 3


def wall(command: list[str], env: dict[str, str]) -> list[float] | str:
    """Wall times of `RUNS` runs, or the last line of the error of a run that failed."""
    times: list[float] = []
    for _ in range(RUNS):
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            return (
                f"failed: {(done.stderr.strip().splitlines() or ['exit ' + str(done.returncode)])[-1][:60]}"
            )
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = {**os.environ, "CLAIMS_CACHE_DIR": str(work / "cache")}
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            env.pop(name, None)
        text, quotes = mixed_quotes()
        (work / "docs").mkdir()
        (work / "docs" / "bench.txt").write_text(text, encoding="utf-8")
        with (work / "claims.jsonl").open("w", encoding="utf-8") as out:
            for quote in quotes:
                claim = {
                    "doc_id": "bench",
                    "type": "meeting",
                    "quote": quote.text,
                    "status": "occurred",
                    "participants": [{"name": "A", "country": "RUS"}, {"name": "B", "country": "CHN"}],
                }
                out.write(json.dumps(claim, ensure_ascii=False) + "\n")
        verify = [str(CLAIMS), "verify", str(work / "claims.jsonl"), "--source", str(work / "docs")]
        verify += ["-o", str(work / "verified.jsonl"), "--rejected", str(work / "rejected.jsonl")]
        with (work / "documents.jsonl").open("w", encoding="utf-8") as stream:
            for document in documents(100, "startup"):
                stream.write(json.dumps(document.model_dump(exclude_none=True), ensure_ascii=False) + "\n")
        rules = [str(CLAIMS), "extract", "eval/seeds", "-o", str(work / "rules" / "claims.jsonl")]
        server = FakeOpenAIServer(default=first_line_meeting, record=False)
        with server.running():
            cached = [str(CLAIMS), "extract", str(work / "documents.jsonl"), "--backend", "openai"]
            cached += ["--base-url", server.url, "--model", MODEL_ID]
            cached += ["-o", str(work / "out" / "claims.jsonl")]
            subprocess.run(cached, env=env, capture_output=True, cwd=ROOT)  # fills the cache
            asked = server.served
            rows = [
                ("claims --version", wall([str(CLAIMS), "--version"], env)),
                ("claims verify, 1,000 mixed quotes", wall(verify, env)),
                ("claims extract 100 docs, openai, cached", wall(cached, env)),
                ("claims extract eval/seeds, rules", wall(rules, env)),
            ]
            if server.served != asked:
                rows[2] = (rows[2][0], f"failed: the cached reruns asked {server.served - asked} requests")
    header = f"{'command (wall, as a process)':<44} {'fastest s':>10} {'slowest s':>10}"
    print(header)
    print("-" * len(header))
    for label, times in rows:
        if isinstance(times, str):
            print(f"{label:<44} {times}")
        else:
            print(f"{label:<44} {min(times):>10.2f} {max(times):>10.2f}")


if __name__ == "__main__":
    main()

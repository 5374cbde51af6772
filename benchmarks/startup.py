"""Start-up and small-run wall times of the `claims` command, each run as its own process.

    .venv/bin/python -m benchmarks.startup      (or: make bench)

Rows: `claims --version`; `claims verify` on the 1,000 mixed quotes of benchmarks/quotes.py (one
10,000-character document; 328 of the quotes are rejected with a near-miss search); and a rerun of
`claims extract eval/seeds` whose cache is warm (the first run fills a temporary cache folder).
Each is run three times; the table shows the fastest and the slowest. Asserts nothing.
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

from benchmarks.quotes import mixed_quotes  # noqa: E402

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
        extract = [str(CLAIMS), "extract", "eval/seeds", "-o", str(work / "out" / "claims.jsonl")]
        subprocess.run(extract, env=env, capture_output=True, cwd=ROOT)  # fills the cache
        rows = [
            ("claims --version", wall([str(CLAIMS), "--version"], env)),
            ("claims verify, 1,000 mixed quotes", wall(verify, env)),
            ("claims extract eval/seeds, cached rerun", wall(extract, env)),
        ]
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

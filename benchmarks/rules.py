"""The offline default on long texts: rules extraction and verification of its claims, in process.

    .venv/bin/python -m benchmarks.rules [--sizes 100000,1000000,5000000]      (or: make bench)

Two kinds of long text are built from the seed articles (eval/seeds): `repeated` concatenates them
again and again (every line after the first copy is a repeated line, which the segmenter marks as
a duplicate and the rules skip), `distinct` appends " Nachtrag <n>." to every line of copy n, so
every line is new and every body sentence goes through the rules. The last column runs the whole
pipeline (`claims.extract`: chunking, rules, verification, merging) on the same text. Prints a
table; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from claims.api import extract  # noqa: E402
from claims.backends.rules.backend import RulesBackend  # noqa: E402
from claims.inputs.documents import Document  # noqa: E402
from claims.schema import Provenance  # noqa: E402
from claims.verify.verifier import Verifier  # noqa: E402


def long_text(size: int, kind: str) -> str:
    seeds = "\n\n".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "eval" / "seeds").glob("*.txt"))
    )
    parts: list[str] = []
    length, copy = 0, 0
    while length < size:
        copy += 1
        if kind == "distinct":
            block = "\n".join(
                f"{line} Nachtrag {copy}." if line.strip() else line for line in seeds.split("\n")
            )
        else:
            block = seeds
        parts.append(block)
        length += len(block) + 2
    return "\n\n".join(parts)[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="100000,1000000,5000000", help="text sizes in characters")
    parser.add_argument("--kinds", default="repeated,distinct")
    args = parser.parse_args()
    header = (
        f"{'rules + verifier, one long text':<34} {'chars':>10} {'sentences':>10} {'claims':>7} "
        f"{'rules s':>8} {'verify s':>9} {'total s':>8} {'extract s':>10} {'kept':>6}"
    )
    print(header)
    print("-" * len(header))
    for kind in args.kinds.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            text = long_text(size, kind)
            backend = RulesBackend()
            started = time.perf_counter()
            analysed = backend.analyse(text, "2024-06-01", None)
            ruled = time.perf_counter()
            verifier = Verifier({"long": text})
            provenance = Provenance(backend="rules")
            claims = [c for item in analysed for c in item.claims]
            for item in analysed:
                for claim in item.claims:
                    verifier.verify("long", claim, provenance, near=(item.sentence.start, item.sentence.end))
            done = time.perf_counter()
            document = Document(id="long", text=text, published="2024-06-01")
            whole_started = time.perf_counter()
            result = extract([document], backend="rules")
            whole = time.perf_counter() - whole_started
            print(
                f"{kind:<34} {len(text):>10,} {len(analysed):>10,} {len(claims):>7,} "
                f"{ruled - started:>8.2f} {done - ruled:>9.2f} {done - started:>8.2f} "
                f"{whole:>10.2f} {len(result.claims):>6,}"
            )


if __name__ == "__main__":
    main()

"""How fast is the verifier? Prints a table; asserts nothing (numbers are for the notes).

    .venv/bin/python -m benchmarks.verify      (or: make bench)

Texts are random sentences (seeded) over a vocabulary of 20,000 made-up words drawn with Zipf
frequencies, as in natural text (benchmarks/quotes.py); one row uses 50 words only, the index's
worst case (every short stretch of text repeats). Quotes are sentences of the text, half of them
rewritten with straight quotes, hyphens and NBSP (so they take the normalised path), plus a share
of quotes that are not in the text (rejected, with a near-miss search). The second table is the
mixed set that benchmarks/langextract_aligner.py gives LangExtract's aligner: verbatim sentences,
sentences with one word replaced, invented sentences; it counts what is accepted, and how often
the near miss of an edited quote is the sentence it was made from.
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # also runnable as `python benchmarks/verify.py`
    sys.path.insert(0, str(ROOT))

from benchmarks.quotes import NATURAL, TINY, Vocabulary, make_text, mixed_quotes, sentence  # noqa: E402
from claims.verify.verifier import SourceText  # noqa: E402


def straighten(quote: str, rng: random.Random) -> str:
    out = quote.replace("„", '"').replace("“", '"').replace("–", "-")
    if rng.random() < 0.5:
        out = out.replace(" ", "\u00a0", 1)
    return out


@dataclass
class Row:
    case: str
    text_chars: int
    quotes: int
    prepare_ms: float
    verify_ms: float
    peak_mib: float


def measure(
    case: str,
    text_size: int,
    quote_count: int,
    missing_share: float,
    vocabulary: Vocabulary = NATURAL,
    seed: int = 7,
) -> Row:
    rng = random.Random(seed)
    text, sentences = make_text(rng, text_size, vocabulary)
    quotes: list[str] = []
    for _ in range(quote_count):
        if rng.random() < missing_share:
            quotes.append(sentence(rng) + " Erfunden")
        else:
            quote = rng.choice(sentences)
            quotes.append(straighten(quote, rng) if rng.random() < 0.5 else quote)
    started = time.perf_counter()
    source = SourceText(text)  # normalises; the indexes are built by the first lookup
    prepared = time.perf_counter()
    found = verify_all(source, quotes, missing_share)
    done = time.perf_counter()
    assert found >= quote_count * (1 - missing_share) * 0.9
    tracemalloc.start()  # a second, untimed pass: the verifier's own peak memory
    verify_all(SourceText(text), quotes, missing_share)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return Row(
        case, len(text), quote_count, (prepared - started) * 1000, (done - prepared) * 1000, peak / 2**20
    )


def verify_all(source: SourceText, quotes: list[str], missing_share: float) -> int:
    found = 0
    for quote in quotes:
        if source.find(quote) is not None:
            found += 1
        elif missing_share:
            source.near_miss(quote)
    return found


def mixed() -> None:
    """The 1,000 mixed quotes: time (in process, near misses included) and the decisions."""
    text, quotes = mixed_quotes()
    kinds = Counter(q.kind for q in quotes)
    source = SourceText(text)
    started = time.perf_counter()
    outcomes = []
    for quote in quotes:
        found = source.find(quote.text)
        outcomes.append((found, None if found is not None else source.near_miss(quote.text)))
    elapsed = (time.perf_counter() - started) * 1000
    accepted: Counter[str] = Counter()
    planted = 0
    for quote, (found, near) in zip(quotes, outcomes, strict=True):
        accepted[quote.kind] += found is not None
        if quote.kind == "edited" and near is not None:
            planted += (near.span.start, near.span.end) == quote.planted
    header = (
        f"{'verifier (1,000 mixed quotes, 10k text)':<44} {'ms':>9} "
        f"{'verbatim accepted':>18} {'edited accepted':>16} {'invented accepted':>18} "
        f"{'near miss = source':>19}"
    )
    print(header)
    print("-" * len(header))
    print(
        f"{'claims SourceText.find + near_miss':<44} {elapsed:>9.1f} "
        f"{accepted['verbatim']:>9} of {kinds['verbatim']:<5} "
        f"{accepted['edited']:>7} of {kinds['edited']:<5} "
        f"{accepted['invented']:>8} of {kinds['invented']:<5} {planted:>10} of {kinds['edited']:<5}"
    )


def main() -> None:
    rows = [
        measure("1,000 quotes, 10k text (all present)", 10_000, 1_000, 0.0),
        measure("10,000 quotes, 5 MB text (all present)", 5_000_000, 10_000, 0.0),
        measure("1,000 quotes, 10k text (10% rejected + near-miss)", 10_000, 1_000, 0.1),
        measure("1,000 quotes, 10k text (50% rejected + near-miss)", 10_000, 1_000, 0.5),
        measure("10,000 quotes, 5 MB text (1% rejected + near-miss)", 5_000_000, 10_000, 0.01),
        measure("10,000 quotes, 5 MB text (10% rejected + near-miss)", 5_000_000, 10_000, 0.1),
        measure("10,000 quotes, 5 MB text of 50 words (worst case)", 5_000_000, 10_000, 0.0, TINY),
    ]
    header = (
        f"{'case':<52} {'text chars':>11} {'quotes':>7} {'normalise ms':>13} {'index+verify ms':>16} "
        f"{'total ms':>9} {'peak MiB':>9}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        total = row.prepare_ms + row.verify_ms
        print(
            f"{row.case:<52} {row.text_chars:>11,} {row.quotes:>7,} {row.prepare_ms:>13.1f} "
            f"{row.verify_ms:>16.1f} {total:>9.1f} {row.peak_mib:>9.1f}"
        )
    print()
    mixed()


if __name__ == "__main__":
    main()

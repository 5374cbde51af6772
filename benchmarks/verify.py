"""How fast is the verifier? Prints a table; asserts nothing (numbers are for the notes).

    .venv/bin/python benchmarks/verify.py

Texts are random sentences (seeded) over a vocabulary of 20,000 made-up words drawn with Zipf
frequencies, as in natural text; one row uses 50 words only, the index's worst case (every short
stretch of text repeats). Quotes are sentences of the text, half of them rewritten with straight
quotes, hyphens and NBSP (so they take the normalised path), plus a share of quotes that are not
in the text (rejected, with a near-miss search).
"""

from __future__ import annotations

import random
import time
import tracemalloc
from dataclasses import dataclass

from claims.verify.verifier import SourceText

SMALL_VOCABULARY = (
    "Putin Xi Minister traf Delegation Moskau Peking Teheran Drohnen Raketen Vertrag unterzeichnete "
    "Besuch Gipfel Kreml Verteidigung Zusammenarbeit Abkommen Lieferung Iran Russland China Nordkorea "
    "und der die das mit in am zum für über nach laut Tass berichtete soll könnte Präsident"
).split()


SYLLABLES = "ka ro mi tes un ber lin ge sch ach ver tei di gung prä si dent iran mos kau pe king".split()


def zipf_vocabulary(size: int, seed: int = 1) -> tuple[list[str], list[float]]:
    rng = random.Random(seed)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(size)]
    return words, [1.0 / rank for rank in range(1, size + 1)]


NATURAL = zipf_vocabulary(20_000)
TINY = (SMALL_VOCABULARY, [1.0] * len(SMALL_VOCABULARY))
WORDS = SMALL_VOCABULARY


def sentence(rng: random.Random, vocabulary: tuple[list[str], list[float]] = NATURAL) -> str:
    words = rng.choices(vocabulary[0], vocabulary[1], k=rng.randint(6, 22))
    if rng.random() < 0.3:
        words.insert(rng.randint(0, len(words)), "„" + rng.choice(WORDS) + "“")
    if rng.random() < 0.3:
        words.insert(rng.randint(1, len(words)), "–")
    return " ".join(words) + "."


def make_text(
    rng: random.Random, size: int, vocabulary: tuple[list[str], list[float]] = NATURAL
) -> tuple[str, list[str]]:
    sentences: list[str] = []
    length = 0
    while length < size:
        s = sentence(rng, vocabulary)
        sentences.append(s)
        length += len(s) + 1
    return "\n".join(sentences), sentences


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
    vocabulary: tuple[list[str], list[float]] = NATURAL,
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


def main() -> None:
    rows = [
        measure("1,000 quotes, 10k text (all present)", 10_000, 1_000, 0.0),
        measure("10,000 quotes, 5 MB text (all present)", 5_000_000, 10_000, 0.0),
        measure("1,000 quotes, 10k text (10% rejected + near-miss)", 10_000, 1_000, 0.1),
        measure("10,000 quotes, 5 MB text (1% rejected + near-miss)", 5_000_000, 10_000, 0.01),
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


if __name__ == "__main__":
    main()

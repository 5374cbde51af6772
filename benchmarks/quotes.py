"""Seeded texts and quote sets for the verifier benchmarks (standard library only).

Shared by `benchmarks/verify.py` (our verifier, in the project's venv) and
`benchmarks/langextract_aligner.py` (LangExtract's aligner, in its own venv), so that both
measure the very same quotes. Texts are random sentences over a vocabulary of made-up words drawn
with Zipf frequencies, as in natural text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

SMALL_VOCABULARY = (
    "Putin Xi Minister traf Delegation Moskau Peking Teheran Drohnen Raketen Vertrag unterzeichnete "
    "Besuch Gipfel Kreml Verteidigung Zusammenarbeit Abkommen Lieferung Iran Russland China Nordkorea "
    "und der die das mit in am zum für über nach laut Tass berichtete soll könnte Präsident"
).split()

SYLLABLES = "ka ro mi tes un ber lin ge sch ach ver tei di gung prä si dent iran mos kau pe king".split()

Vocabulary = tuple[list[str], list[float]]


def zipf_vocabulary(size: int, seed: int = 1) -> Vocabulary:
    rng = random.Random(seed)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(size)]
    return words, [1.0 / rank for rank in range(1, size + 1)]


NATURAL = zipf_vocabulary(20_000)
TINY: Vocabulary = (SMALL_VOCABULARY, [1.0] * len(SMALL_VOCABULARY))


def sentence(rng: random.Random, vocabulary: Vocabulary = NATURAL) -> str:
    words = rng.choices(vocabulary[0], vocabulary[1], k=rng.randint(6, 22))
    if rng.random() < 0.3:
        words.insert(rng.randint(0, len(words)), "„" + rng.choice(SMALL_VOCABULARY) + "“")
    if rng.random() < 0.3:
        words.insert(rng.randint(1, len(words)), "–")
    return " ".join(words) + "."


def make_text(rng: random.Random, size: int, vocabulary: Vocabulary = NATURAL) -> tuple[str, list[str]]:
    sentences: list[str] = []
    length = 0
    while length < size:
        s = sentence(rng, vocabulary)
        sentences.append(s)
        length += len(s) + 1
    return "\n".join(sentences), sentences


QuoteKind = Literal["verbatim", "edited", "invented"]


@dataclass(frozen=True)
class Quote:
    """A quote to verify; `planted` is the span of the sentence it was made from (None if invented)."""

    text: str
    kind: QuoteKind
    planted: tuple[int, int] | None


def mixed_quotes(text_size: int = 10_000, count: int = 1_000, seed: int = 11) -> tuple[str, list[Quote]]:
    """A text and quotes of three kinds: verbatim sentences (~70%), sentences with one word replaced by
    another word of the vocabulary (~20%, rejected, their near miss is the sentence), and invented
    sentences (~10%, rejected)."""
    rng = random.Random(seed)
    text, sentences = make_text(rng, text_size)
    starts: list[int] = []
    position = 0
    for s in sentences:
        starts.append(position)
        position += len(s) + 1
    quotes: list[Quote] = []
    while len(quotes) < count:
        roll = rng.random()
        index = rng.randrange(len(sentences))
        planted = (starts[index], starts[index] + len(sentences[index]))
        if roll < 0.1:
            invented = sentence(rng)
            if invented not in text:
                quotes.append(Quote(invented, "invented", None))
        elif roll < 0.3:
            words = sentences[index].split(" ")
            at = rng.choice([i for i, word in enumerate(words) if any(ch.isalnum() for ch in word)])
            replacement = rng.choice(NATURAL[0])
            if words[at].endswith("."):
                replacement += "."
            words[at] = replacement
            edited = " ".join(words)
            if edited not in text:
                quotes.append(Quote(edited, "edited", planted))
        else:
            quotes.append(Quote(sentences[index], "verbatim", planted))
    return text, quotes

"""Is a claim's field value found in or near its quote? Tolerant of German inflection.

A name counts as supported when one of its words shares a stem with a word of the quote's
paragraph ("Putins" ~ "Putin", "nordkoreanische" ~ "Nordkorea", "russischen" ~ "Russland").
This flags invented actors and weapons for review; it is not proof, and only the strict option
turns it into a rejection. A country that is no country code ("IRI", Iran's Olympic code) is
flagged the same way: the schema only checks that it is three capital letters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from claims.countries import is_country_code
from claims.schema import ProposedArmsDelivery, ProposedClaim, actor_fields

_WORD = re.compile(r"\w+")
MIN_STEM = 4


def fold(word: str) -> str:
    """Lower-case, strip diacritics and spell ß as ss, so spellings of one word compare equal."""
    if word.isascii():
        return word.casefold()  # no diacritics to strip: NFKD leaves ASCII as it is
    return _fold_cached(word) if len(word) <= _CACHED_LENGTH else _fold(word)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_CACHED_LENGTH = 64
"""Words (not paragraphs) are remembered: the rules fold every word of every sentence, and a
text repeats its words."""
_fold_cached = lru_cache(maxsize=1 << 16)(_fold)


def stems_match(a: str, b: str) -> bool:
    """Whether two folded words look like inflections of one another."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    prefix = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        prefix += 1
    if prefix == shorter and shorter >= 3:
        return True
    return prefix >= MIN_STEM and prefix * 2 >= shorter


def significant_words(phrase: str) -> list[str]:
    """The words of a phrase worth looking for: three letters or more, or any number."""
    return [fold(w) for w in _WORD.findall(phrase) if len(w) >= 3 or w.isdigit()]


def phrase_supported(phrase: str, context_words: set[str], context: str) -> bool:
    """A phrase is supported when any significant word of it matches a word of the context."""
    words = significant_words(phrase)
    if not words:
        return fold(phrase.strip()) in fold(context)
    by_prefix: dict[str, list[str]] = {}  # two different words can match only if they share 3 letters
    for c in context_words:
        if len(c) >= 3:
            by_prefix.setdefault(c[:3], []).append(c)
    return any(
        word in context_words or any(stems_match(word, c) for c in by_prefix.get(word[:3], ()))
        for word in words
    )


def paragraph_around(text: str, start: int, end: int) -> str:
    """The line(s) of text that contain the span [start, end)."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return text[left : right if right != -1 else len(text)]


def unsupported_fields(claim: ProposedClaim, text: str, start: int, end: int) -> list[str]:
    """Paths of the actor names and weapon phrases not found in the quote's paragraph, and of the
    actor countries that are no country code (ISO 3166-1 alpha-3 or XKX: `claims.countries`)."""
    context = paragraph_around(text, start, end)
    words = {fold(w) for w in _WORD.findall(context)}
    actors = actor_fields(claim)
    phrases = [(f"{path}.name", actor.name) for path, actor in actors]
    if isinstance(claim, ProposedArmsDelivery):
        phrases += [(f"weapons[{i}]", w) for i, w in enumerate(claim.weapons)]
    missing = [path for path, phrase in phrases if not phrase_supported(phrase, words, context)]
    missing += [
        f"{path}.country"
        for path, actor in actors
        if actor.country is not None and not is_country_code(actor.country)
    ]
    return missing

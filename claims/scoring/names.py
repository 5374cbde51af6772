"""Do two actor names denote the same actor? Tolerant of how news text spells and inflects names.

Gold says "Kassym-Schomart Tokajew", a model writes "Tokayev" or "Toqajews": the scorer must not
call that a different person. The rules are generic spelling rules, not a list of known names:

1. **Fold**: case, diacritics and ß (`claims.verify.field_support.fold`); ae/oe/ue spell ä/ö/ü.
2. **Transliteration key** — German and English spellings of Russian, Persian, Kazakh names onto
   one key: tsch→ch, sch/sh/zh→sh, dsh→j, kh→ch, ph→f, x→ks, ck/q/c→k, w→v, z→s, ou→u; j is
   German "y" (Tokajew) or English "dzh"/"zh" (Jomart ~ Schomart), so a word with j has both keys;
   ij/iy/yy and a final y are spelt i (Selenskyj ~ Zelensky); doubled letters are single.
3. **Vowels**: words of five letters or more also match when they differ only inside runs of vowels
   (Mohammed ~ Muhammad); the runs must sit in the same places, so Niger is not Nigeria.
4. **Inflection**: a word matches another that carries a German case ending more
   (-s, -es, -n, -en, -ns: Putins ~ Putin, Irans ~ Iran), if at least three letters remain.

Two names match when one's words are, in order, a subsequence of the other's ("Putin" ~ "Wladimir
Putin", "Xi" ~ "Xi Jinping", "Kasachstans" ~ "Staatschef von Kasachstan"), or when their last words
match ("Präsident von Kasachstan" ~ "Staatschef von Kasachstan").

Two actors match when both have the same non-null country; when either country is null, when
their names match. Both have a country and they differ: no match, whatever the names.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from claims.schema import Actor
from claims.verify.field_support import fold

INFLECTION_ENDINGS = ("s", "es", "n", "en", "ns")
MIN_STEM = 3
MIN_VOWEL_TOLERANT = 5
MAX_J_VARIANTS = 4

_WORD = re.compile(r"[^\W_]+")
_UMLAUT_SPELLINGS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
# Applied in order to a folded word; earlier rules see the longer German clusters first.
_BEFORE_J = (
    ("tsch", "ch"),
    ("sch", "sh"),
    ("zh", "sh"),
    ("dsh", "j"),
    ("kh", "ch"),
    ("ph", "f"),
    ("x", "ks"),
    ("ck", "k"),
    ("q", "k"),
    ("w", "v"),
    ("z", "s"),
    ("ou", "u"),
)
_C_NOT_CH = re.compile(r"c(?!h)")
_J_READINGS = ("y", "sh")
_AFTER_J = (("iy", "i"), ("yy", "y"))
_DOUBLED = re.compile(r"(.)\1+")
_VOWEL_RUN = re.compile(r"[aeiouy]+")


def name_words(name: str) -> tuple[str, ...]:
    """The folded words of a name; hyphens and punctuation separate words."""
    return tuple(_WORD.findall(fold(name)))


@lru_cache(maxsize=8192)
def spelling_keys(word: str) -> frozenset[str]:
    """Every transliteration key of one folded word (two or more when it contains a j)."""
    key = word
    for written, spoken in _UMLAUT_SPELLINGS:
        key = key.replace(written, spoken)
    for written, spoken in _BEFORE_J:
        key = key.replace(written, spoken)
    key = _C_NOT_CH.sub("k", key)
    pieces = key.split("j")
    if len(pieces) - 1 > MAX_J_VARIANTS:
        readings: list[tuple[str, ...]] = [(_J_READINGS[0],) * (len(pieces) - 1)]
    else:
        readings = list(product(_J_READINGS, repeat=len(pieces) - 1))
    keys = set()
    for reading in readings:
        variant = pieces[0] + "".join(j + piece for j, piece in zip(reading, pieces[1:], strict=True))
        for written, spoken in _AFTER_J:
            variant = variant.replace(written, spoken)
        variant = _DOUBLED.sub(r"\1", variant)
        if variant.endswith("y") and len(variant) > 1:
            variant = variant[:-1] + "i"
        keys.add(variant)
    return frozenset(keys)


def _vowel_skeleton(key: str) -> str:
    return _VOWEL_RUN.sub("*", key)


def _same_spelling(a: str, b: str) -> bool:
    """Rules 1-3: the two folded words have a transliteration key in common, up to vowels."""
    keys_a, keys_b = spelling_keys(a), spelling_keys(b)
    if keys_a & keys_b:
        return True
    long_a = [k for k in keys_a if len(k) >= MIN_VOWEL_TOLERANT]
    long_b = [k for k in keys_b if len(k) >= MIN_VOWEL_TOLERANT]
    return bool({_vowel_skeleton(k) for k in long_a} & {_vowel_skeleton(k) for k in long_b})


@lru_cache(maxsize=65536)
def words_match(a: str, b: str) -> bool:
    """Whether two folded words are spellings or inflections (rule 4) of one another."""
    if a == b or _same_spelling(a, b):
        return True
    for longer, shorter in ((a, b), (b, a)):
        for ending in INFLECTION_ENDINGS:
            stem = longer[: -len(ending)]
            if longer.endswith(ending) and len(stem) >= MIN_STEM and _same_spelling(stem, shorter):
                return True
    return False


def _is_subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Greedy leftmost matching; optimal for subsequence search whatever the word relation."""
    position = 0
    for word in short:
        while position < len(long) and not words_match(word, long[position]):
            position += 1
        if position == len(long):
            return False
        position += 1
    return True


def names_match(a: str, b: str) -> bool:
    """Whether two names (or two place names) denote the same thing, by the rules above."""
    words_a, words_b = name_words(a), name_words(b)
    if not words_a or not words_b:
        return fold(a).strip() == fold(b).strip() != ""
    short, long = sorted((words_a, words_b), key=len)
    return _is_subsequence(short, long) or words_match(words_a[-1], words_b[-1])


def actors_match(a: Actor, b: Actor) -> bool:
    """ANNOTATION.md: same non-null country; when either country is null, matching names."""
    if a.country is not None and b.country is not None:
        return a.country == b.country
    return names_match(a.name, b.name)

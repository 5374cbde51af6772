"""Words with their offsets: the unit every rule of the backend looks at.

A token keeps its position in the sentence, so that names and phrases can be cut out of the
source as written. Hyphenated compounds stay one token (Kreml-Chef, Fath-360-Raketen) with their
parts at hand; a capital glued to the previous word by a lost space ("ModiIndiens") is split.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from claims.verify.field_support import fold

_TOKEN = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?![\d])|[^\W_]+(?:[-‑'’][^\W_]+)*|\S")
"""A number with thousands separators ("10,000", "10.000") is one token, so that its comma or
dot does not end a clause; otherwise words (hyphenated compounds whole) and single marks."""
_GLUED = re.compile(r"(?<=[a-zäöüß])(?=[A-ZÄÖÜ][a-zäöüß]{2,})")
_POSSESSIVE = re.compile(r"['’]s$")

CLAUSE_BREAKS = frozenset({",", ";", ":", "–", "—", "(", ")", "„", "“", "”", '"', "«", "»", "?", "!", "."})


@dataclass(frozen=True, slots=True)
class Token:
    """One word or punctuation mark; `start`/`end` are offsets into the text it came from."""

    text: str
    start: int
    end: int
    key: str
    """Folded form (lower case, no diacritics, ß as ss) without an English possessive 's."""
    parts: tuple[str, ...]
    """The folded pieces of a hyphenated compound (one piece for a plain word)."""

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split `text` into tokens whose offsets are relative to `offset`."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        start = match.start() + offset
        cuts = [m.start() for m in _GLUED.finditer(word)] if "-" not in word else []
        if cuts:
            bounds = [0, *cuts, len(word)]
            for a, b in itertools.pairwise(bounds):
                tokens.append(_token(word[a:b], start + a))
        else:
            tokens.append(_token(word, start))
    return tokens


def _token(word: str, start: int) -> Token:
    key = fold(_POSSESSIVE.sub("", word))
    parts = tuple(part for part in re.split(r"[-‑]", key) if part) or (key,)
    return Token(word, start, start + len(word), key, parts)


def keys(text: str) -> tuple[str, ...]:
    """The folded token keys of a phrase, as used to index lexicon and gazetteer entries."""
    return tuple(token.key for token in tokenize(text))


def clause_bounds(tokens: list[Token], index: int) -> tuple[int, int]:
    """The token range [start, end) of the clause around `index`, cut at commas, dashes, brackets
    and quotation marks: the scope in which a negation or a modal verb applies to a trigger."""
    start = index
    while start > 0 and tokens[start - 1].text not in CLAUSE_BREAKS:
        start -= 1
    end = index + 1
    while end < len(tokens) and tokens[end].text not in CLAUSE_BREAKS:
        end += 1
    return start, end


def modal_scope(tokens: list[Token], index: int) -> tuple[int, int]:
    """Where a modal verb or a negation can govern the trigger at `index`: its clause, widened to
    the clause before when the trigger is an infinitive that depends on it ("Das dürfte ihm die
    Gelegenheit geben, Xi zu treffen", "… expected, to meet")."""
    start, end = clause_bounds(tokens, index)
    dependent = index > 0 and tokens[index - 1].key in {"zu", "to"}
    dependent = (
        dependent or re.fullmatch(r"\w{3,}zu\w{3,}en", tokens[index].key) is not None
    )  # zusammenzutreffen
    dependent = dependent or tokens[start].key in {"um", "ohne", "statt", "anstatt"}
    if dependent and start > 0 and tokens[start - 1].text == ",":
        start = clause_bounds(tokens, start - 2)[0] if start >= 2 else 0
    return start, end

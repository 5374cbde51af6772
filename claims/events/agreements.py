"""Do two agreement descriptions name the same agreement, in any language or wording?

ANNOTATION.md rule 6: "Treaty on Comprehensive Strategic Partnership", "Abkommen über umfassende
strategische Partnerschaft" and "the new defence pact" are one; a generic description ("a
treaty", "ein Abkommen") agrees with any name; a joint declaration and ten sectoral agreements
concluded on one occasion are two. A description is read into a `Signature` with the word lists
of `claims/data/agreements.json`:

- `kind`: treaty/pact/agreement/contract are one kind; declaration, memorandum, roadmap others;
- `bundle`: several agreements ("zehn Abkommen", "Vereinbarungen");
- `topics`: what it is about (defence, partnership, energy, trade, ...);
- `words`: the remaining content words (names such as "New START", "Minsker").

Two signatures agree when either is generic (kind agreement or none, no topics, no words, not a
bundle); otherwise when their kinds do not differ, both or neither are bundles, their topics meet
(or are declared compatible, partnership ~ defence) when both have topics, and — when neither
has a topic — they share a content word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from claims.events.data import load
from claims.scoring.names import name_words, words_match
from claims.verify.field_support import stems_match

MIN_PREFIX = 3
MIN_SUFFIX = 4
MIN_CONTENT = 3
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class Signature:
    """What a description says about an agreement (see the module docstring)."""

    text: str
    kind: str | None
    bundle: bool
    topics: frozenset[str]
    words: tuple[str, ...]

    @property
    def generic(self) -> bool:
        return self.kind in (None, "agreement") and not (self.bundle or self.topics or self.words)

    def describe(self) -> str:
        parts = [f"kind {self.kind or '—'}"]
        if self.bundle:
            parts.append("several")
        if self.topics:
            parts.append("topics " + "/".join(sorted(self.topics)))
        if self.words:
            parts.append("words " + " ".join(self.words))
        return f"{self.text!r} ({', '.join(parts)})"


def _matches(word: str, entry: str, suffix: bool) -> bool:
    if len(entry) <= 2:
        return word == entry
    if word.startswith(entry):
        return True
    return suffix and len(entry) >= MIN_SUFFIX and word.endswith(entry)


def _hits(words: tuple[str, ...], phrase: str, entries: list[str], suffix: bool) -> set[str]:
    """The words hit by any entry (phrases: every word of the phrase, when it occurs)."""
    hit: set[str] = set()
    for entry in entries:
        if " " in entry:
            if f" {entry} " in f" {phrase} ":
                hit.update(entry.split())
            continue
        hit.update(word for word in words if _matches(word, entry, suffix))
    return hit


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = load("agreements.json")
    return data


@cache
def signature(text: str) -> Signature:
    """Read an agreement description (cached: the same descriptions recur across claims)."""
    data = _data()
    words = name_words(text)
    phrase = " ".join(words)
    used: set[str] = set()
    kind, longest = None, 0
    for name, entries in data["kinds"].items():  # the longest entry that hits decides the kind
        for entry in entries:
            hit = _hits(words, phrase, [entry], suffix=True)
            if hit and len(entry) > longest:
                kind, longest = name, len(entry)
            used |= hit
    bundle_hit = _hits(words, phrase, data["bundle"], suffix=False)
    used |= bundle_hit
    topics = set()
    for name, entries in data["topics"].items():
        hit = _hits(words, phrase, entries, suffix=False)
        if hit:
            topics.add(name)
            used |= hit
    if topics - set(data["weak"]):
        topics -= set(data["weak"])
    used |= _hits(words, phrase, data["generic"], suffix=False)
    content = tuple(w for w in words if w not in used and len(w) >= MIN_CONTENT and not w.isdigit())
    bundle = bool(bundle_hit) or bool(_DIGITS.search(text))
    return Signature(text, kind, bundle, frozenset(topics), content)


def _topics_meet(a: frozenset[str], b: frozenset[str]) -> bool:
    if a & b:
        return True
    return any(
        (x in a and y in b) or (y in a and x in b) for x, y in (tuple(pair) for pair in _data()["compatible"])
    )


def same_agreement(a: str, b: str) -> tuple[bool, str]:
    """Whether two descriptions name one agreement, and why (for `explain`)."""
    sa, sb = signature(a), signature(b)
    if sa.generic or sb.generic:
        generic = sa if sa.generic else sb
        return True, f"{generic.text!r} is generic and agrees with any agreement"
    what = f"{sa.describe()} and {sb.describe()}"
    if sa.kind is not None and sb.kind is not None and sa.kind != sb.kind:
        return False, f"different kinds of agreement: {what}"
    if sa.bundle != sb.bundle:
        return False, f"one agreement and several: {what}"
    if sa.topics and sb.topics:
        if _topics_meet(sa.topics, sb.topics):
            return True, f"same subject: {what}"
        return False, f"different subjects: {what}"
    if not sa.topics and not sb.topics and sa.words and sb.words:
        if any(words_match(x, y) or stems_match(x, y) for x in sa.words for y in sb.words):
            return True, f"same name: {what}"
        return False, f"different names: {what}"
    return True, f"nothing tells them apart: {what}"

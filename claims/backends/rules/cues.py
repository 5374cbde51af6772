"""Status and negation from cue words (claims/data/cues.json; format in its `_format` key).

How the text presents an event decides its status (ANNOTATION.md): a hedge ("soll", "angeblich",
"reportedly", an attribution to "the West") makes it `alleged`; a modal of possibility or a fear
("könnte", "dürfte", "could") `speculative`; a plan, a future auxiliary with an infinitive, or a
date after publication `planned`; otherwise it `occurred`. Modal verbs and negations count only
in the clause of the trigger, so "keine Zeit verlieren, …, nach Peking flog" is no negation.
A negated event is no claim; a denied *report* is, with status alleged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from claims.backends.rules import data
from claims.backends.rules.tokens import Token, keys
from claims.schema import Status

_PERFECT = frozenset({"haben", "sein", "worden", "have", "been"})
_FUTURE_TENSES = frozenset({"infinitive", "noun"})


def _phrases(raw: list[str]) -> list[tuple[str, ...]]:
    return [keys(entry) for entry in raw]


def contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    """Whether the word sequence `phrase` occurs in `words`."""
    n = len(phrase)
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def _positions(words: list[str], phrase: tuple[str, ...]) -> list[int]:
    n = len(phrase)
    return [i for i in range(len(words) - n + 1) if tuple(words[i : i + n]) == phrase]


@dataclass(frozen=True)
class Cues:
    """The cue lists, as folded word sequences."""

    alleged: list[tuple[str, ...]]
    alleged_modals: frozenset[str]
    alleged_sources: frozenset[str]
    planned: list[tuple[str, ...]]
    future_auxiliaries: frozenset[str]
    speculative: list[tuple[str, ...]]
    negation: frozenset[str]
    negation_exceptions: list[tuple[str, ...]]
    denial: list[tuple[str, ...]]
    report_nouns: frozenset[str]
    anaphora_plural: list[tuple[str, ...]]
    anaphora_singular: list[tuple[str, ...]]
    aggregate: list[tuple[str, ...]]
    report_verbs: frozenset[str]
    attribution_markers: list[tuple[str, ...]]

    def any_of(self, words: list[str], phrases: list[tuple[str, ...]]) -> bool:
        return any(contains(words, phrase) for phrase in phrases)

    def negated(self, tokens: list[Token], clause: tuple[int, int]) -> bool:
        """A negation word in the clause that is not part of an exception ("nicht nur")."""
        words = [t.key for t in tokens[clause[0] : clause[1]]]
        excused: set[int] = set()
        for phrase in self.negation_exceptions:
            for position in _positions(words, phrase):
                excused.update(range(position, position + len(phrase)))
        return any(w in self.negation for i, w in enumerate(words) if i not in excused)

    def denied(self, tokens: list[Token]) -> bool:
        words = [t.key for t in tokens]
        return self.any_of(words, self.denial)

    def reports(self, tokens: list[Token]) -> bool:
        """Whether the sentence speaks of a report or an accusation (which a denial leaves standing)."""
        return any(t.key in self.report_nouns for t in tokens)

    def status(
        self,
        tokens: list[Token],
        clause: tuple[int, int],
        tense: str,
        after_publication: bool = False,
        attribution: str | None = None,
    ) -> Status:
        """The status of an event whose trigger (of `tense`) sits in `clause` of the sentence."""
        sentence = [t.key for t in tokens]
        words = sentence[clause[0] : clause[1]]
        if self.any_of(words, self.speculative) or self.any_of(
            sentence, [("befurchtung",), ("befurchtungen",)]
        ):
            return Status.SPECULATIVE
        planned = self.any_of(words, self.planned) or after_publication
        if tense in _FUTURE_TENSES and any(w in self.future_auxiliaries for w in words):
            planned = True
        if self.any_of(sentence, self.alleged):
            return Status.ALLEGED
        if attribution is not None and any(k in self.alleged_sources for k in keys(attribution)):
            return Status.ALLEGED
        modal = any(w in self.alleged_modals for w in words)
        if modal and (not planned or any(w in _PERFECT for w in words)):
            return Status.ALLEGED
        if planned:
            return Status.PLANNED
        return Status.OCCURRED


def build() -> Cues:
    raw = data.load("cues.json")
    return Cues(
        alleged=_phrases(raw["alleged"]),
        alleged_modals=frozenset(raw["alleged_modals"]),
        alleged_sources=frozenset(k for entry in raw["alleged_sources"] for k in keys(entry)),
        planned=_phrases(raw["planned"]),
        future_auxiliaries=frozenset(k for entry in raw["future_auxiliaries"] for k in keys(entry)),
        speculative=_phrases(raw["speculative"]),
        negation=frozenset(k for entry in raw["negation"] for k in keys(entry)),
        negation_exceptions=_phrases(raw["negation_exceptions"]),
        denial=_phrases(raw["denial"]),
        report_nouns=frozenset(k for entry in raw["report_nouns"] for k in keys(entry)),
        anaphora_plural=_phrases(raw["anaphora_plural"]),
        anaphora_singular=_phrases(raw["anaphora_singular"]),
        aggregate=_phrases(raw["aggregate"]),
        report_verbs=frozenset(k for entry in raw["report_verbs"] for k in keys(entry)),
        attribution_markers=_phrases(raw["attribution_markers"]),
    )


@cache
def shared() -> Cues:
    """The cues built once per process."""
    return build()

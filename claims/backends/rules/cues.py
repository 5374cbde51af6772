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
    return bool(_positions(words, phrase, first_only=True))


def _in_order(words: list[str], phrase: tuple[str, ...], gap: int = 6) -> bool:
    """Whether the words of `phrase` occur in order, each at most `gap` words after the one before."""
    for start in (i for i, w in enumerate(words) if w == phrase[0]):
        position, ok = start, True
        for part in phrase[1:]:
            following = [
                j for j in range(position + 1, min(len(words), position + gap + 1)) if words[j] == part
            ]
            if not following:
                ok = False
                break
            position = following[0]
        if ok:
            return True
    return False


def _positions(words: list[str], phrase: tuple[str, ...], first_only: bool = False) -> list[int]:
    """Where `phrase` starts in `words`; candidates are found by the first word (`list.index`, which
    runs in C), as every sentence is tested against every cue phrase."""
    n = len(phrase)
    if n == 0:
        return list(range(len(words) + 1))
    found: list[int] = []
    position, last = 0, len(words) - n + 1
    while position < last:
        try:
            i = words.index(phrase[0], position, last)
        except ValueError:
            break
        if tuple(words[i : i + n]) == phrase:
            found.append(i)
            if first_only:
                break
        position = i + 1
    return found


@dataclass(frozen=True)
class Cues:
    """The cue lists, as folded word sequences."""

    alleged: list[tuple[str, ...]]
    alleged_modals: frozenset[str]
    alleged_sources: frozenset[str]
    planned: list[tuple[str, ...]]
    future_auxiliaries: frozenset[str]
    future_phrases: list[tuple[str, ...]]
    """Multi-word future auxiliaries ("going to"), matched as phrases: "to" alone is no future."""
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
    negation_phrases: list[tuple[str, ...]]
    not_meetings: frozenset[str]
    future_in_past: frozenset[str]
    hedge_adjectives: frozenset[str]
    conditionals: frozenset[str]
    intent_verbs: frozenset[str]

    def any_of(self, words: list[str], phrases: list[tuple[str, ...]]) -> bool:
        return any(contains(words, phrase) for phrase in phrases)

    def negated(self, tokens: list[Token], clause: tuple[int, int]) -> bool:
        """A negation word in the clause that is not part of an exception ("nicht nur")."""
        words = [t.key for t in tokens[clause[0] : clause[1]]]
        excused: set[int] = set()
        for phrase in self.negation_exceptions:
            for position in _positions(words, phrase):
                excused.update(range(position, position + len(phrase)))
        if any(w in self.negation for i, w in enumerate(words) if i not in excused):
            return True
        if words and words[0] in self.conditionals:
            return True  # "If Iran supplied missiles, …": a condition, no event
        return any(contains(words, phrase) for phrase in self.negation_phrases)

    def denied(self, tokens: list[Token]) -> bool:
        """A denial cue; the words of a separable one may stand apart ("wies diese Berichte zurück")."""
        words = [t.key for t in tokens]
        return any(_in_order(words, phrase) for phrase in self.denial)

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
        trigger: int | None = None,
    ) -> Status:
        """The status of an event whose trigger (of `tense`, at token `trigger`) sits in `clause` of
        the sentence."""
        sentence = [t.key for t in tokens]
        words = sentence[clause[0] : clause[1]]
        hedges = [phrase for phrase in self.speculative if contains(words, phrase)]
        if trigger is not None and any(
            w in self.hedge_adjectives for w in sentence[max(0, trigger - 2) : trigger]
        ):
            hedges.append(("possible",))  # "the possible sale of F-16 jets"
        reported_plan = hedges == [("would",)] and self._future_in_past(sentence, clause)
        if (hedges and not reported_plan) or self.any_of(sentence, [("befurchtung",), ("befurchtungen",)]):
            return Status.SPECULATIVE
        planned = self.any_of(words, self.planned) or after_publication or reported_plan
        planned = planned or self._intent(words)
        if tense in _FUTURE_TENSES and (
            any(w in self.future_auxiliaries for w in words) or self.any_of(words, self.future_phrases)
        ):
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

    def _intent(self, words: list[str]) -> bool:
        """A verb of intent with an infinitive after it: "agreed on Monday to sign", "vereinbarten,
        bis April ein Abkommen zu unterzeichnen"."""
        for i, word in enumerate(words):
            if word in self.intent_verbs and any(w in {"to", "zu"} for w in words[i + 1 : i + 8]):
                return True
        return False

    def _future_in_past(self, sentence: list[str], clause: tuple[int, int]) -> bool:
        """ "X said they would deliver", "announced it would supply": a plan reported in the past."""
        would = next(i for i in range(clause[0], clause[1]) if sentence[i] == "would")
        return any(word in self.future_in_past for word in sentence[:would])


def build() -> Cues:
    raw = data.load("cues.json")
    return Cues(
        alleged=_phrases(raw["alleged"]),
        alleged_modals=frozenset(raw["alleged_modals"]),
        alleged_sources=frozenset(k for entry in raw["alleged_sources"] for k in keys(entry)),
        planned=_phrases(raw["planned"]),
        future_auxiliaries=frozenset(keys(e)[0] for e in raw["future_auxiliaries"] if len(keys(e)) == 1),
        future_phrases=[keys(e) for e in raw["future_auxiliaries"] if len(keys(e)) > 1],
        speculative=_phrases(raw["speculative"]),
        negation=frozenset(keys(entry)[0] for entry in raw["negation"] if len(keys(entry)) == 1),
        negation_exceptions=_phrases(raw["negation_exceptions"]),
        denial=_phrases(raw["denial"]),
        report_nouns=frozenset(k for entry in raw["report_nouns"] for k in keys(entry)),
        anaphora_plural=_phrases(raw["anaphora_plural"]),
        anaphora_singular=_phrases(raw["anaphora_singular"]),
        aggregate=_phrases(raw["aggregate"]),
        report_verbs=frozenset(k for entry in raw["report_verbs"] for k in keys(entry)),
        attribution_markers=_phrases(raw["attribution_markers"]),
        negation_phrases=[keys(entry) for entry in raw["negation"] if len(keys(entry)) > 1],
        not_meetings=frozenset(k for entry in raw["not_meetings"] for k in keys(entry)),
        future_in_past=frozenset(k for entry in raw["future_in_past"] for k in keys(entry)),
        intent_verbs=frozenset(k for entry in raw["intent_verbs"] for k in keys(entry)),
        hedge_adjectives=frozenset(k for entry in raw["hedge_adjectives"] for k in keys(entry)),
        conditionals=frozenset(k for entry in raw["conditionals"] for k in keys(entry)),
    )


@cache
def shared() -> Cues:
    """The cues built once per process."""
    return build()

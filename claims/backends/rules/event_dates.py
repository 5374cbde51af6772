"""Which date a claim gets: the dates the sentence names, read forward or back by the triggers'
tense, the one nearest the trigger, or the date of the event just told ("dabei", "damals").
"""

from __future__ import annotations

import itertools

from claims.backends.rules.context import DocumentContext
from claims.backends.rules.cues import Cues, contains
from claims.backends.rules.dates import DateMention, find_dates
from claims.backends.rules.grammar import in_relative_clause
from claims.backends.rules.lexicon import Trigger
from claims.backends.rules.tokens import Token, clause_bounds
from claims.backends.rules.words import (
    DEMONSTRATIVES,
    EVENT_NOUNS,
    EVENT_PREPOSITIONS,
    REFER_BACK,
    REFER_BACK_PHRASES,
)


def trigger_dates(
    tokens: list[Token], by_type: dict[str, list[Trigger]], context: DocumentContext, cues: Cues
) -> list[DateMention]:
    tenses = {t.tense for triggers in by_type.values() for t in triggers}
    words = [t.key for t in tokens]
    forward: bool | None = None
    if "past" in tenses or "participle" in tenses:
        forward = False
    elif cues.any_of(words, cues.planned) or "present" in tenses:
        forward = True
    return find_dates(tokens, context.published, forward, context.last_date)


def date_for(
    dates: list[DateMention],
    trigger: Trigger,
    clause: tuple[int, int] | None = None,
    others: list[tuple[int, int]] | None = None,
) -> str | None:
    """The date nearest the trigger, explicit ones first; a delivery clause keeps to its own
    dates, and leaves those of the sentence's other delivery clauses alone ("bought … in
    recent years and acquired … in 2022")."""
    if clause is not None:
        inside = [d for d in dates if clause[0] <= d.index < clause[1]]
        foreign = [c for c in others or [] if c != clause]
        dates = inside or [d for d in dates if not any(a <= d.index < b for a, b in foreign) or d.end == 0]
    if not dates:
        return None
    explicit = [d for d in dates if d.explicit] or dates
    return min(explicit, key=lambda d: abs(d.index - trigger.index)).value


def own_dates(tokens: list[Token], dates: list[DateMention], trigger: Trigger) -> list[DateMention]:
    """The dates that can be the trigger's: not those of a relative clause the trigger is not in
    ("ein Freihandelsabkommen, das Anfang dieses Jahres in Kraft trat")."""
    home = clause_bounds(tokens, trigger.index)
    return [
        d
        for d in dates
        if not (in_relative_clause(tokens, d.index) and clause_bounds(tokens, d.index) != home)
    ]


def refers_back(tokens: list[Token]) -> bool:
    """ "Bei diesem Termin", "an jenem Tag", "dabei", "damals", "am Rande des Gipfels", "during the
    visit": the time of the event just told."""
    if any(a.key in DEMONSTRATIVES and b.key.endswith(EVENT_NOUNS) for a, b in itertools.pairwise(tokens)):
        return True
    keys = [t.key for t in tokens]
    if any(key in REFER_BACK for key in keys) or any(contains(keys, phrase) for phrase in REFER_BACK_PHRASES):
        return True
    for phrase in EVENT_PREPOSITIONS:
        n = len(phrase)
        for i in range(len(keys) - n):
            if tuple(keys[i : i + n]) == phrase and keys[i + n].endswith(EVENT_NOUNS):
                return True
    return False

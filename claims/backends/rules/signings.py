"""Treaty-signing claims of one sentence: an agreement noun with a signing verb, and its parties
from the sentence or from the meeting or pair just told.
"""

from __future__ import annotations

from claims.backends.rules.actors import groups_by_state
from claims.backends.rules.context import (
    CONTEXT_SENTENCES,
    SentenceFacts,
    merge_actors,
    plural_subject,
    recent_pair,
)
from claims.backends.rules.cues import Cues
from claims.backends.rules.grammar import is_adjective
from claims.backends.rules.lexicon import Lexicon, Trigger
from claims.backends.rules.sentences import Sentence
from claims.backends.rules.tokens import CLAUSE_BREAKS, Token
from claims.backends.rules.words import ARTICLES
from claims.schema import Actor, ProposedClaim, ProposedTreatySigning, Status

SIGNING_PRIORITY = ("sign", "agreement")


def signing_claims(
    facts: SentenceFacts, triggers: list[Trigger], lexicon: Lexicon, cues: Cues
) -> list[ProposedClaim]:
    """The signing claim of one sentence, if it names an agreement, a signing verb and two parties."""
    number, sentence, tokens, actors = facts.number, facts.sentence, facts.tokens, facts.actors
    context = facts.context
    agreements = [t for t in triggers if t.kind == "agreement"]
    signs = [t for t in triggers if t.kind == "sign"]
    if not agreements or not signs:
        return []
    agreement = _phrase_with_adjectives(tokens, agreements[0].index, sentence, lexicon)
    parties = [
        a
        for a in actors
        if a.strength in {"person", "state", "body"}
        and a.context not in {"topic", "source", "comparison", "modifier", "place", "dateline"}
    ]
    groups = groups_by_state(parties)
    actors_: list[Actor] = [g[0].actor for g in groups]
    words = [t.key for t in tokens]
    plural = cues.any_of(words, cues.anaphora_plural) and plural_subject(tokens)
    pair = recent_pair(context, number, 2) if plural else None
    if len(actors_) < 2 and context.last_meeting and number - context.last_meeting[0] <= 2:
        known = context.last_meeting[1]
        actors_ = known if not actors_ else merge_actors(known, actors_)
    elif len(actors_) < 2 and pair:  # "den beide Länder unterzeichnet hätten"
        actors_ = pair if not actors_ else merge_actors(pair, actors_)
    elif len(actors_) == 1 and context.last_person and number - context.last_person[0] <= CONTEXT_SENTENCES:
        last = context.last_person[1].actor
        if last.country != actors_[0].country:
            actors_ = [last, *actors_]
    if len(actors_) < 2:
        return []
    return [
        ProposedTreatySigning(
            quote=sentence.text,
            status=Status.OCCURRED,
            date=None,
            parties=actors_[:12],
            agreement=agreement,
        )
    ]


def _phrase_with_adjectives(tokens: list[Token], index: int, sentence: Sentence, lexicon: Lexicon) -> str:
    start = index
    while (
        start > 0
        and index - start < 2
        and is_adjective(tokens[start - 1])
        and tokens[start - 1].key not in ARTICLES
    ):
        start -= 1
    end = index + 1
    if end + 1 < len(tokens) and tokens[end].key in {"uber", "zur", "zum", "on", "for"}:
        stop = end + 1
        while (
            stop < len(tokens)
            and stop - end < 5
            and tokens[stop].text not in CLAUSE_BREAKS
            and tokens[stop].key not in {"und", "and"}
        ):
            stop += 1
        end = stop
    offset = sentence.start
    return sentence.text[tokens[start].start - offset : tokens[end - 1].end - offset]

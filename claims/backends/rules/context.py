"""What the extractor carries from sentence to sentence (`DocumentContext`) and how a sentence
refers back to it: the last person, meeting, delivery, pair of actors, subject and date.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from claims.backends.rules.actors import ActorMention
from claims.backends.rules.dates import Published, find_dates
from claims.backends.rules.gazetteer import Gazetteer
from claims.backends.rules.lexicon import Weapon
from claims.backends.rules.sentences import Sentence
from claims.backends.rules.tokens import Token
from claims.schema import Actor

CONTEXT_SENTENCES = 3
"""How many sentences back a pronoun or a party-less signing may look for its referent."""
PAIR_SENTENCES = 12
"""How far back "die beiden Staatschefs" / "both sides" may look for the pair they refer to."""


@dataclass
class DocumentContext:
    """What the extractor remembers while it reads a document from the top."""

    published: Published | None
    learned: Gazetteer = field(default_factory=Gazetteer)
    last_person: tuple[int, ActorMention] | None = None
    last_meeting: tuple[int, list[Actor]] | None = None
    last_arms: tuple[int, Actor, Actor] | None = None
    last_pair: tuple[int, list[Actor]] | None = None
    """The actors of the last claim of any type, for "beide Länder" after a delivery."""
    last_date: str | None = None
    last_attribution: str | None = None
    countries: Counter[str] = field(default_factory=Counter)
    recent_states: list[str] = field(default_factory=list)
    """States in the order the text last mentioned them (the latest at the end)."""
    last_subject: str | None = None
    """The state of the last sentence's subject, for "Its defence industry …"."""

    @property
    def dominant(self) -> str | None:
        """The state an article is about: the most mentioned one, if no other is mentioned as often."""
        ranked = self.countries.most_common(2)
        if not ranked:
            return None
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            return ranked[0][0]
        return None


def remember(number: int, tokens: list[Token], actors: list[ActorMention], context: DocumentContext) -> None:
    persons = [
        a
        for a in actors
        if (a.strength == "person" or (a.strength == "state" and a.actor.role))
        and a.context not in {"source", "topic", "comparison", "relative", "dateline"}
    ]
    persons.sort(key=lambda a: (a.strength != "person", a.index))
    if persons:
        context.last_person = (number, persons[0])
    named = [
        a
        for a in actors
        if a.actor.country and a.context not in {"source", "topic", "comparison", "modifier", "dateline"}
    ]
    for actor in named:
        if actor.actor.country in context.recent_states:
            context.recent_states.remove(actor.actor.country)
        context.recent_states.append(actor.actor.country or "")
    subject = next((a for a in named if a.context == "plain" and a.strength != "origin"), None)
    if subject is not None:
        context.last_subject = subject.actor.country
    dates = find_dates(tokens, context.published, None, context.last_date)
    explicit = [d for d in dates if d.explicit]
    if explicit:
        context.last_date = explicit[-1].value


def recent_pair(context: DocumentContext, number: int, within: int = PAIR_SENTENCES) -> list[Actor] | None:
    """Whom "die beiden", "both sides", "the two countries" refer to: the participants of the last
    meeting, or within a few sentences the actors of the last claim of any type."""
    if context.last_meeting and number - context.last_meeting[0] <= within:
        return list(context.last_meeting[1])
    if context.last_pair and number - context.last_pair[0] <= min(within, CONTEXT_SENTENCES):
        pair = context.last_pair[1]
        return list(pair) if len(pair) >= 2 else None
    return None


def merge_actors(*lists: list[Actor]) -> list[Actor]:
    """The actors of several lists, each state (or named body) once, in order."""
    merged: list[Actor] = []
    seen: set[str] = set()
    for actors in lists:
        for actor in actors:
            key = actor.country or actor.name
            if key not in seen:
                seen.add(key)
                merged.append(actor)
    return merged


def plural_subject(tokens: list[Token]) -> bool:
    """ "Sie trafen", "die beiden", "beide Seiten", "they", "both", "the two countries": a plural
    subject from before."""
    for i, token in enumerate(tokens):
        if token.key in {"beide", "beiden", "both", "they", "zwei"}:
            return True
        if token.key == "two" and i > 0 and tokens[i - 1].key == "the":
            return True
        if token.text == "Sie" and i == 0:
            return True
        if token.text == "sie" and i + 1 < len(tokens) and tokens[i + 1].key.endswith("en"):
            return True
    return False


@dataclass(frozen=True)
class SentenceFacts:
    """What every claim builder reads about one sentence: its place in the document, its tokens,
    actors and weapons, and the document's context so far."""

    number: int
    sentence: Sentence
    tokens: list[Token]
    actors: list[ActorMention]
    weapons: list[Weapon]
    context: DocumentContext

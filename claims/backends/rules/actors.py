"""Actors in a sentence: each gazetteer mention read as a person, state, body or origin, with the part
it plays there (plain, place, topic, source, origin, recipient, …), and grouping by state.
"""

from __future__ import annotations

from dataclasses import dataclass

from claims.backends.rules.dates import dateline_end
from claims.backends.rules.gazetteer import Gazetteer, Mention
from claims.backends.rules.grammar import (
    in_relative_clause,
    is_adjective,
    is_possessive,
    is_war_word,
    list_continues,
    says_where_made,
)
from claims.backends.rules.lexicon import Lexicon
from claims.backends.rules.tokens import CLAUSE_BREAKS, Token
from claims.backends.rules.words import (
    ARTICLES,
    COORDINATORS,
    MADE_HEADS,
    ORIGIN_PREPOSITIONS,
    PLACE_NOUNS,
    PLACE_PREPOSITIONS,
    RECIPIENT_PREPOSITIONS,
    RELATION_NOUNS,
    ROLE_MODIFIERS,
    TOPIC_PREPOSITIONS,
)
from claims.schema import Actor


@dataclass(frozen=True)
class ActorMention:
    """An actor in a sentence, and the part it can play there."""

    index: int
    end: int
    actor: Actor
    group: str
    """What tells actors apart: the country, or the body's id when it has none."""
    strength: str
    """'person', 'state' (a name, capital, office or demonym), 'body', or 'origin' (a bare
    country adjective: "russische Waffen")."""
    context: str
    """'plain', 'place', 'topic', 'source', 'comparison', 'origin' (aus/von X), 'recipient'
    (an/für X), or 'modifier'."""
    preposition: str | None = None


def actor_mentions(
    tokens: list[Token],
    mentions: list[Mention],
    source_span: tuple[int, int] | None,
    gazetteer: Gazetteer,
    lexicon: Lexicon,
) -> list[ActorMention]:
    actors: list[ActorMention] = []
    dateline = dateline_end(tokens)
    for mention in mentions:
        actor = _reading(tokens, mention, lexicon)
        if actor is None:
            continue
        strength, name, role = actor
        country = mention.country
        if strength == "person":
            country = _country_before(tokens, mention.start, mentions, lexicon) or country
        context, preposition = _part_played(tokens, mention, source_span, actors, lexicon)
        if context == "place" and mention.kind in {"adjective", "person", "body"}:
            context, preposition = "plain", None
        if context == "place" and says_where_made(tokens, mention.start, mention.end):
            context, preposition = "origin", "aus"  # "in Frankreich gebaute Fregatten", "built in France"
        if mention.compound_head in MADE_HEADS:
            strength, context = "origin", "plain"  # "Russian-made Sukhoi fighters"
            name = country_name(gazetteer, mention.entry.code)
        if mention.end <= dateline:
            context = "dateline"  # "SEOUL —", "Tokio –": where the report was filed
        if strength == "modifier":
            context = "modifier"
        elif context == "plain" and in_relative_clause(tokens, mention.start):
            context = "relative"
        group = country or mention.entry.code
        actors.append(
            ActorMention(
                mention.start,
                mention.end,
                Actor(name=name, country=country, role=role),
                group,
                strength,
                context,
                preposition,
            )
        )
    return actors


def _reading(tokens: list[Token], mention: Mention, lexicon: Lexicon) -> tuple[str, str, str | None] | None:
    """(strength, name as written, role) of a mention, or None when it names no actor."""
    kind = mention.kind
    if mention.compound_head is not None:
        head_token = tokens[mention.start]
        if lexicon.is_role(head_token):
            return "state", mention.text, None
        return "modifier", mention.text, None
    if kind == "person":
        role = _role_before(tokens, mention.start, lexicon) or mention.entry.role
        return "person", mention.text, role
    if kind == "body":
        return "body", mention.text, None
    if kind == "adjective":
        span = role_span(tokens, mention.end, lexicon)
        if span is not None:
            name = " ".join(t.text for t in tokens[mention.start : span[1]])
            return "state", name, " ".join(t.text for t in tokens[span[0] : span[1]])
        return "origin", mention.text, None
    if kind in {"name", "capital", "metonym"} and is_possessive(tokens[mention.end - 1]):
        span = role_span(tokens, mention.end, lexicon)
        if span is not None:  # "Japan's prime minister", "Aserbaidschans Präsident"
            name = " ".join(t.text for t in tokens[mention.start : span[1]])
            return "state", name, " ".join(t.text for t in tokens[span[0] : span[1]])
    return "state", mention.text, None


def role_span(tokens: list[Token], j: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """The role noun phrase starting at token `j`, as [first role word, end): up to two
    modifiers ("stellvertretende", "external affairs") before the role, and the role words
    that follow it ("prime minister", "defence minister", "crown prince")."""
    start = j
    while (
        j < len(tokens)
        and j - start < 3
        and not lexicon.is_role(tokens[j])
        and (is_adjective(tokens[j]) or tokens[j].key in ROLE_MODIFIERS)
    ):
        j += 1
    if j >= len(tokens) or not lexicon.is_role(tokens[j]) or not tokens[j].is_word:
        return None
    first = j
    while j + 1 < len(tokens) and j + 1 - first < 3 and lexicon.is_role(tokens[j + 1]):
        j += 1
    return first, j + 1


def _part_played(
    tokens: list[Token],
    mention: Mention,
    source_span: tuple[int, int] | None,
    before: list[ActorMention],
    lexicon: Lexicon,
) -> tuple[str, str | None]:
    """The part of speech a mention plays, from the words before it; the second of two
    coordinated actors ("neben Xi und Erdogan") shares the first one's."""
    if source_span is not None and source_span[0] <= mention.start < source_span[1]:
        return "source", None
    i = mention.start - 1
    skipped: list[Token] = []
    while i >= 0 and len(skipped) < 4:
        token = tokens[i]
        key = token.key
        if key in COORDINATORS or (token.text == "," and list_continues(tokens, mention.end)):
            previous = next((a for a in reversed(before) if a.end == i), None)
            if previous is not None and previous.context != "plain":
                return previous.context, previous.preposition
        if token.text in CLAUSE_BREAKS:
            break
        if key in PLACE_PREPOSITIONS:
            if any(is_war_word(tokens, k) for k in range(max(0, i - 3), i)):
                return "topic", key
            return "place", key
        if key in TOPIC_PREPOSITIONS:
            return "topic", key
        if key in {"mit", "with"} and i > 0 and tokens[i - 1].key.endswith(RELATION_NOUNS):
            return "topic", key  # "security cooperation with the United States"
        if (
            key in {"der", "des"}
            and i > 0
            and tokens[i - 1].is_capitalised
            and tokens[i - 1].is_word
            and not lexicon.is_role(tokens[i - 1])
            and not lexicon.triggers([tokens[i - 1]])
            and not lexicon.is_weapon(tokens, i - 1)
            and not any(a.end == i for a in before)  # "hat Deutschland der Ukraine": a dative
            and tokens[i - 1].key not in PLACE_NOUNS
            and i - 1 > 0
        ):
            return "topic", key  # "die Unterstützung der Ukraine": a genitive attribute
        if key in {"wie", "like"} and not (i > 0 and tokens[i - 1].text in CLAUSE_BREAKS and i > 1):
            return "comparison", key
        if key in ORIGIN_PREPOSITIONS:
            return "origin", key
        if key in RECIPIENT_PREPOSITIONS:
            return "recipient", key
        if key in ARTICLES or is_adjective(token) or key.isdigit() or key in PLACE_NOUNS:
            skipped.append(token)
            i -= 1
            continue
        break
    return "plain", None


def _country_before(tokens: list[Token], index: int, mentions: list[Mention], lexicon: Lexicon) -> str | None:
    """The state the text gives a person right before the name: "seinem kasachischen Kollegen X",
    "Chinas Verteidigungsminister X" (the text wins over the gazetteer: label what it says)."""
    j = index - 1
    if j < 0 or not lexicon.is_role(tokens[j]):
        return None
    j -= 1
    while j >= 0 and (is_adjective(tokens[j]) or lexicon.is_role(tokens[j])) and index - j < 5:
        for mention in mentions:
            if mention.start <= j < mention.end and mention.country and mention.kind in {"adjective", "name"}:
                return mention.country
        j -= 1
    for mention in mentions:
        if mention.end == j + 1 and mention.country and mention.kind in {"adjective", "name"}:
            return mention.country
    return None


def _role_before(tokens: list[Token], index: int, lexicon: Lexicon) -> str | None:
    if index > 0 and lexicon.is_role(tokens[index - 1]):
        return tokens[index - 1].text
    return None


def country_name(gazetteer: Gazetteer, code: str) -> str:
    """A display name for a state the sentence itself does not name (the article's subject)."""
    for bucket in gazetteer.index.values():
        for _, alias, entry in bucket:
            if entry.code == code and entry.kind == "name":
                return alias
    return code


def groups_by_state(actors: list[ActorMention]) -> list[list[ActorMention]]:
    """Actors grouped by country (or body), in order of first mention; a person heads its group."""
    groups: dict[str, list[ActorMention]] = {}
    for actor in actors:
        groups.setdefault(actor.group, []).append(actor)
    ordered = sorted(groups.values(), key=lambda g: g[0].index)
    return [sorted(g, key=lambda a: (a.strength != "person", a.index)) for g in ordered]


def coordinated(
    tokens: list[Token], first: ActorMention, candidates: list[ActorMention]
) -> list[ActorMention]:
    """An actor and those joined to it by "und", "and", "sowie" or commas ("Norway and the
    Netherlands", "an Indonesien, Malaysia und Vietnam"), one per state."""
    group = [first]
    ordered = sorted(candidates, key=lambda a: a.index)
    position = ordered.index(first) if first in ordered else -1
    if position < 0:
        return group
    last = first
    for other in ordered[position + 1 :]:
        between = tokens[last.end : other.index]
        if not between or not all(
            t.key in COORDINATORS or t.text == "," or t.key in ARTICLES for t in between
        ):
            break
        if not any(t.key in COORDINATORS or t.text == "," for t in between):
            break
        if other.group not in {g.group for g in group}:
            group.append(other)
        last = other
    return group

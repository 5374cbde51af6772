"""Meeting claims of one sentence: a bilateral meeting per counterpart, or one joint meeting of a
summit, a list of participants or "talks between A and B", with the location where it was held.
"""

from __future__ import annotations

from dataclasses import replace

from claims.backends.rules.actors import ActorMention, coordinated, groups_by_state
from claims.backends.rules.context import (
    CONTEXT_SENTENCES,
    PAIR_SENTENCES,
    SentenceFacts,
    plural_subject,
    recent_pair,
)
from claims.backends.rules.cues import Cues
from claims.backends.rules.grammar import in_relative_clause, is_adjective
from claims.backends.rules.lexicon import Lexicon, Trigger
from claims.backends.rules.sentences import Sentence
from claims.backends.rules.tokens import Token, clause_bounds
from claims.backends.rules.words import (
    ARTICLES,
    COPULAS,
    COUNTERPART_MARKERS,
    DEFINITE_REFERENCES,
    ROLE_MODIFIERS,
    SUBJECT_PRONOUNS,
    TEMPORAL_PREPOSITIONS,
)
from claims.schema import Actor, ProposedClaim, ProposedMeeting, Status

MEETING_PRIORITY = ("meet", "talk", "welcome", "visit", "travel", "summit")


def meeting_claims(
    facts: SentenceFacts,
    triggers: list[Trigger],
    lexicon: Lexicon,
    cues: Cues,
) -> list[ProposedClaim]:
    """Meeting claims of one sentence; `triggers` are its live meeting triggers."""
    number, sentence, tokens = facts.number, facts.sentence, facts.tokens
    actors, weapons, context = facts.actors, facts.weapons, facts.context
    if any(t.key in cues.not_meetings for t in tokens):
        return []  # "Kuwait's football team met Bahrain": teams, not officials
    triggers = [t for t in triggers if t.kind != "welcome" or _has_counterpart_after(tokens, t, actors)]
    if context.last_meeting and number - context.last_meeting[0] <= PAIR_SENTENCES:
        # "vor dem Besuch", "after the talks": the meeting just told, as a point in time
        triggers = [t for t in triggers if not _temporal_reference(tokens, t)]
    if (
        triggers
        and context.last_meeting
        and number - context.last_meeting[0] <= 2
        and all(_definite_reference(tokens, t) for t in triggers)
    ):
        told = {a.country or a.name for a in context.last_meeting[1]}
        named = {
            a.group
            for a in actors
            if a.strength in {"person", "state", "body"} and a.context in {"plain", "place", "origin"}
        }
        if named <= told:
            return []  # "Bei dem Treffen im Kanzleramt …", "his second visit to Egypt": told already
    if not triggers:
        return []  # "both leaders welcomed progress on …": welcoming a thing is no meeting
    kinds = {t.kind for t in triggers}
    if (
        weapons
        and kinds <= {"meet"}
        and all(t.text.lower() in {"received", "empfing", "erhielt"} for t in triggers)
    ):
        return []
    travel = kinds & {"visit", "travel"}
    if not travel and any(t.key in COPULAS for t in tokens) and any(t.tense == "noun" for t in triggers):
        travel = {"visit"}  # "war im Oktober zu Gesprächen in Ankara": a visit to Ankara
    actors = _relative_clause_actors(tokens, triggers, actors)
    participants: list[ActorMention] = []
    location: str | None = None
    places: list[ActorMention] = []
    for actor in actors:
        if actor.strength in {"origin"} or actor.context in {
            "topic",
            "source",
            "comparison",
            "modifier",
            "relative",
            "dateline",
        }:
            continue
        if (
            travel
            and actor.context == "origin"
            and actor.strength == "state"
            and actor.preposition in {"von", "from", "aus"}
            and not (actor.index >= 2 and lexicon.is_role(tokens[actor.index - 2]))
        ):
            continue  # "Von Pjöngjang reiste Putin weiter …": where a trip starts
        if actor.context == "place":
            places.append(actor)
            if location is None:
                location = actor.actor.name
            if travel and actor.preposition in {"nach", "to", "ins", "in"} and actor.actor.country:
                participants.append(actor)
            continue
        participants.append(actor)
    if kinds == {"travel"} and not places:
        return []  # a trip with no destination: "Am Vortag seiner Reise …"
    attended = any(t.key in lexicon.summit_companions for t in tokens)
    if (
        kinds <= {"summit", "travel"}
        and "summit" in kinds
        and not attended
        and not ("travel" in kinds and places)
    ):
        return []  # "auf dem Gipfel wurde beschlossen": the summit is only a setting
    between = _between(tokens, triggers, participants)
    if len(between) >= 2:  # "die Gespräche zwischen Moskau und Kiew": exactly these take part
        participants = between
    groups = groups_by_state(participants)
    states = [g for g in groups if g[0].actor.country]
    if len(states) >= 2:
        groups = states
    first_trigger = min(t.index for t in triggers)
    words = [t.key for t in tokens]
    anaphor_plural = cues.any_of(words, cues.anaphora_plural) and plural_subject(tokens)
    subject: list[ActorMention] | None = None
    before_trigger = [g for g in groups if g[0].index < first_trigger]
    pronoun_at = next(
        (i for i, t in enumerate(tokens) if t.key in SUBJECT_PRONOUNS and (t.text[0].islower() or i == 0)),
        None,
    )
    pronoun = pronoun_at is not None and not any(g[0].index < pronoun_at for g in groups)
    if len(groups) < 2 and anaphor_plural:
        known = recent_pair(context, number)
        if known:
            return [_meeting(sentence, known, location)]
    recent = (
        context.last_person
        if context.last_person and number - context.last_person[0] <= CONTEXT_SENTENCES
        else None
    )
    if recent is None and pronoun and not before_trigger and not any(g[0].context == "plain" for g in groups):
        return []  # "er traf … mit Amtskollegen aus A und B": without "er", A and B did not meet
    if recent is not None:
        last = recent[1]
        has_agent = any(
            g[0].strength == "person" or g[0].actor.role for g in groups if g[0].context == "plain"
        )
        needs_subject = (not before_trigger and pronoun) or (not has_agent and len(states) <= 1)
        if needs_subject and last.group not in {g[0].group for g in groups}:
            subject = [last]
    if subject is not None:
        groups = [subject, *groups]
    if len(groups) < 2:
        return []
    aggregate = cues.any_of(words, cues.aggregate) and any(
        t.kind in {"meet", "talk"} and t.tense == "noun" for t in triggers
    )
    joint = (
        len(groups) >= 3
        and not (kinds <= {"visit", "travel"})  # "visited Moscow and Beijing": two visits
        and (aggregate or (kinds <= {"summit"}) or not _has_counterpart_list(tokens, groups))
    )
    visited = _visited_places(tokens, triggers, participants) if travel else {}
    if len(groups) == 2 or joint:
        if location is None and len(visited) == 1:
            location = next(iter(visited.values()))  # "visited Moscow", "besuchte den Iran"
        return [_meeting(sentence, [g[0].actor for g in groups], location)]
    head = next((g for g in groups if g[0].strength == "person" and g[0].context == "plain"), groups[0])
    if subject is not None:
        head = groups[0]
    claims: list[ProposedClaim] = []
    for other in groups:
        if other is head:
            continue
        where = location
        if travel:  # each visit has its own place: "Selenskyj in Kiew besucht … nach China gereist"
            owned = [p for p in places if p.actor.country == other[0].actor.country]
            foreign = [p for p in places if p.actor.country in {g[0].actor.country for g in groups}]
            where = owned[0].actor.name if owned else (None if foreign else location)
            where = visited.get(other[0].group, where)
        claims.append(_meeting(sentence, [head[0].actor, other[0].actor], where))
    return claims


def _has_counterpart_list(tokens: list[Token], groups: list[list[ActorMention]]) -> bool:
    """Whether the others follow a "mit"/"with"/"aus" after the first actor (one side meets
    several counterparts), as opposed to a plain list of participants."""
    first = groups[0][0].index
    return any(t.key in COUNTERPART_MARKERS | {"aus", "from", "nach", "to"} for t in tokens[first:]) or any(
        g[0].context in {"origin", "place"} for g in groups[1:]
    )


def _meeting(sentence: Sentence, participants: list[Actor], location: str | None) -> ProposedMeeting:
    return ProposedMeeting(
        quote=sentence.text,
        status=Status.OCCURRED,
        date=None,
        participants=participants,
        location=location,
    )


def _relative_clause_actors(
    tokens: list[Token], triggers: list[Trigger], actors: list[ActorMention]
) -> list[ActorMention]:
    """When every trigger sits in one relative clause ("Hungary's prime minister, who visited
    Moscow and Beijing last week, did not …"), the clause's actors and the one it is attached to
    take part; elsewhere the relative clause's actors stay out."""
    if not triggers or not all(in_relative_clause(tokens, t.index) for t in triggers):
        return actors
    start, end = clause_bounds(tokens, triggers[0].index)
    if not all(start <= t.index < end for t in triggers):
        return actors
    inside = [
        replace(a, context="plain") for a in actors if start <= a.index < end and a.context == "relative"
    ]
    inside += [a for a in actors if start <= a.index < end and a.context != "relative"]
    before = clause_bounds(tokens, start - 2) if start >= 2 else (0, 0)
    antecedent = [a for a in actors if before[0] <= a.index < before[1] and a.context == "plain"][-1:]
    return sorted(antecedent + inside, key=lambda a: a.index)


def _temporal_reference(tokens: list[Token], trigger: Trigger) -> bool:
    """A meeting noun used as a point in time: "vor dem Besuch", "after the talks", "ahead of the
    summit"."""
    if trigger.tense != "noun":
        return False
    j = trigger.index - 1
    while j >= 0 and (tokens[j].key in ARTICLES or tokens[j].key == "of" or is_adjective(tokens[j])):
        j -= 1
    return j >= 0 and tokens[j].key in TEMPORAL_PREPOSITIONS


def _definite_reference(tokens: list[Token], trigger: Trigger) -> bool:
    """A meeting noun with a definite, demonstrative or possessive determiner ("bei dem Treffen",
    "his second visit"): a mention of a meeting the reader already knows."""
    if trigger.tense != "noun":
        return False
    j = trigger.index - 1
    while (
        j >= 0
        and trigger.index - j <= 3
        and (is_adjective(tokens[j]) or tokens[j].key.endswith(("st", "nd", "rd", "th", "te", "ten")))
    ):
        j -= 1
    return j >= 0 and tokens[j].key in DEFINITE_REFERENCES


def _between(
    tokens: list[Token], triggers: list[Trigger], participants: list[ActorMention]
) -> list[ActorMention]:
    """The actors of "<meeting noun> zwischen/between A und B", in order."""
    for trigger in triggers:
        if (
            trigger.tense == "noun"
            and trigger.end < len(tokens)
            and tokens[trigger.end].key in {"zwischen", "between"}
        ):
            first = next((a for a in participants if a.index > trigger.end), None)
            if first is not None and first.index - trigger.end <= 3:
                return coordinated(tokens, first, participants)
    return []


def _has_counterpart_after(tokens: list[Token], trigger: Trigger, actors: list[ActorMention]) -> bool:
    """Whether someone is welcomed: an actor as the object of the trigger ("welcomed his Gambian
    counterpart", "was welcomed by President Widodo"), or two before a German verb at the end
    ("Putin hat Xi in Moskau begrüßt"). "welcomed the talks between …" welcomes a thing."""
    start, end = clause_bounds(tokens, trigger.index)
    present = [
        a
        for a in actors
        if start <= a.index < end
        and a.strength in {"person", "state", "body"}
        and a.context not in {"topic", "source", "comparison", "modifier", "dateline"}
    ]
    j = trigger.end
    while j < end and (
        tokens[j].key in ARTICLES or tokens[j].key in {"by", "von", "vom"} or is_adjective(tokens[j])
    ):
        j += 1
    starts = {a.index for a in present}
    for k in range(j, min(j + 3, end)):
        if k in starts:
            return True  # the object is an actor, perhaps after a title ("by President Joko Widodo")
        if not (tokens[k].is_capitalised or tokens[k].key in ROLE_MODIFIERS):
            break
    before = [a for a in present if a.index < trigger.index]
    return len({a.group for a in before}) >= 2


def _visited_places(
    tokens: list[Token], triggers: list[Trigger], participants: list[ActorMention]
) -> dict[str, str]:
    """Places named as what a visit verb visits ("visited Moscow and Beijing", "besuchte den Iran"):
    each visit's location, by the visited state."""
    verbs = [t for t in triggers if t.kind == "visit" and t.tense != "noun"]
    if not verbs:
        return {}
    first = min(t.index for t in verbs)
    return {
        a.group: a.actor.name
        for a in participants
        if a.index > first and a.context == "plain" and a.strength == "state" and not a.actor.role
    }

"""From sentences to claims: who acts in a sentence, what happened, and how the text presents it.

For each body sentence of a document (see `sentences`), the extractor

1. finds actors: office holders and states from the gazetteer, persons the article itself
   introduces ("Chinas Verteidigungsminister Dong Jun", "Mehdi Jafari, dem iranischen …"), and
   country adjectives on an office ("die nordkoreanische Delegation"); it sets aside what only
   looks like an actor: places ("in Minsk"), topics ("Krieg gegen die Ukraine"), comparisons
   ("wie der Iran"), sources ("laut Tass") and modifiers ("Ukraine-Krieg");
2. finds triggers (see `lexicon`) and skips negated ones (see `cues`);
3. builds claims: a meeting pairs its subject with each counterpart (one claim per bilateral
   meeting), or lists every participant of a summit, a joint meeting or an aggregate; a delivery
   finds supplier and recipient by the direction of its trigger (liefert an / erhält von /
   Abnehmer / Lieferant); a signing needs an agreement noun and a signing verb;
4. resolves what the sentence leaves to the context: "er"/"sie" to the last person named, "die
   beiden"/"beide Seiten" to the last meeting's participants, a signing or a delivery without
   parties to the claim just before it.

The quote of every claim is the whole sentence, sliced from the source, so it verifies exactly.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field, replace

from claims.backends.rules.cues import Cues, contains
from claims.backends.rules.dates import DateMention, Published, after_publication, find_dates
from claims.backends.rules.gazetteer import Entry, Gazetteer, Mention
from claims.backends.rules.lexicon import Lexicon, Trigger, Weapon
from claims.backends.rules.sentences import Sentence, segment
from claims.backends.rules.tokens import CLAUSE_BREAKS, Token, clause_bounds, modal_scope, tokenize
from claims.schema import (
    Actor,
    ProposedArmsDelivery,
    ProposedClaim,
    ProposedMeeting,
    ProposedTreatySigning,
    Status,
    WeaponCategory,
)

PLACE_PREPOSITIONS = frozenset({"in", "im", "ins", "nach", "to", "at", "into", "inside"})
TOPIC_PREPOSITIONS = frozenset(
    {
        "gegen",
        "against",
        "uber",
        "about",
        "wegen",
        "bezuglich",
        "regarding",
        "neben",
        "besides",
        "ausser",
        "um",
        "on",
    }
)
ORIGIN_PREPOSITIONS = frozenset({"aus", "from", "von", "of", "bei"})
RECIPIENT_PREPOSITIONS = frozenset({"an", "nach", "in", "fur", "zu", "to", "for", "into", "ins"})
COUNTERPART_MARKERS = frozenset({"mit", "with", "gegenuber", "zwischen", "between"})
ARTICLES = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
        "the",
        "a",
        "an",
        "sein",
        "seine",
        "seinem",
        "seinen",
        "seiner",
        "ihr",
        "ihre",
        "ihrem",
        "ihren",
        "ihrer",
        "his",
        "her",
        "their",
        "its",
    ]
)
PLACE_NOUNS = frozenset(
    [
        "hauptstadt",
        "stadt",
        "nachbarland",
        "land",
        "republik",
        "region",
        "provinz",
        "ex-sowjetrepublik",
        "metropole",
        "capital",
        "city",
        "country",
        "nachbarstaat",
        "staat",
    ]
)
WAR_NOUNS = (
    "krieg",
    "kriegs",
    "krieges",
    "war",
    "invasion",
    "angriffskrieg",
    "front",
    "konflikt",
    "conflict",
)
SUBJECT_PRONOUNS = frozenset({"er", "sie", "he", "she"})
COORDINATORS = frozenset({"und", "and", "sowie", "oder", "or"})
RELATIVE_PRONOUNS = frozenset(
    {"der", "die", "das", "dessen", "deren", "welche", "welcher", "welches", "which", "who", "whose"}
)
NAME_STOPWORDS = frozenset(
    [
        "am",
        "im",
        "in",
        "an",
        "auf",
        "aus",
        "bei",
        "mit",
        "nach",
        "von",
        "vor",
        "zu",
        "zum",
        "zur",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "und",
        "oder",
        "sowie",
        "auch",
        "bereits",
        "erst",
        "nun",
        "dann",
        "doch",
        "noch",
        "so",
        "wie",
        "als",
        "beim",
        "vom",
        "ins",
        "the",
        "of",
        "and",
        "in",
        "on",
        "at",
        "with",
        "for",
        "from",
        "by",
        "herr",
        "frau",
        "mr",
        "mrs",
        "ms",
        "dr",
    ]
)
CONTEXT_SENTENCES = 3
"""How many sentences back a pronoun or a party-less signing may look for its referent."""
PAIR_SENTENCES = 12
"""How far back "die beiden Staatschefs" / "both sides" may look for the pair they refer to."""


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


@dataclass
class DocumentContext:
    """What the extractor remembers while it reads a document from the top."""

    published: Published | None
    learned: Gazetteer = field(default_factory=Gazetteer)
    last_person: tuple[int, ActorMention] | None = None
    last_meeting: tuple[int, list[Actor]] | None = None
    last_arms: tuple[int, Actor, Actor] | None = None
    last_date: str | None = None
    last_attribution: str | None = None
    countries: Counter[str] = field(default_factory=Counter)

    @property
    def dominant(self) -> str | None:
        """The state an article is about: the most mentioned one, if no other is mentioned as often."""
        ranked = self.countries.most_common(2)
        if not ranked:
            return None
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            return ranked[0][0]
        return None


@dataclass
class SentenceClaims:
    """The claims of one sentence (for the backend) with where the sentence is."""

    sentence: Sentence
    claims: list[ProposedClaim]


class Extractor:
    """Deterministic extraction over one document at a time; holds the shared lexicons."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon, cues: Cues) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.cues = cues
        self.summit_companions = lexicon.summit_companions

    # --- the document ------------------------------------------------------------------------

    def document(self, text: str, published: str | None, language: str | None) -> list[SentenceClaims]:
        """Claims of every body sentence of a document, in order."""
        sentences = segment(text, language)
        context = DocumentContext(Published.parse(published))
        analysed = [(s, tokenize(s.text, s.start)) for s in sentences if s.is_body]
        for _, tokens in analysed:
            for mention in self.gazetteer.find(tokens, text):
                if mention.country and mention.compound_head is None:
                    context.countries[mention.country] += 1
        results: list[SentenceClaims] = []
        for number, (sentence, tokens) in enumerate(analysed):
            claims = self.sentence(number, sentence, tokens, text, context)
            results.append(SentenceClaims(sentence, claims))
        return results

    # --- one sentence ------------------------------------------------------------------------

    def sentence(
        self, number: int, sentence: Sentence, tokens: list[Token], text: str, context: DocumentContext
    ) -> list[ProposedClaim]:
        mentions = self._mentions(tokens, text, context)
        attribution, source_span = self._attribution(tokens, text, mentions)
        if attribution is None and any(t.key in {"demnach", "zufolge", "accordingly"} for t in tokens):
            attribution = context.last_attribution
        elif attribution is not None:
            context.last_attribution = attribution
        actors = self._actors(tokens, mentions, source_span)
        triggers = self.lexicon.triggers(tokens)
        weapons = self.lexicon.weapons(tokens, text)
        claims: list[ProposedClaim] = []
        if triggers:
            claims = self._claims(number, sentence, tokens, actors, triggers, weapons, attribution, context)
        self._remember(number, tokens, actors, context)
        return claims

    def _claims(
        self,
        number: int,
        sentence: Sentence,
        tokens: list[Token],
        actors: list[ActorMention],
        triggers: list[Trigger],
        weapons: list[Weapon],
        attribution: str | None,
        context: DocumentContext,
    ) -> list[ProposedClaim]:
        claims: list[ProposedClaim] = []
        denied = self.cues.denied(tokens)
        reported_denial = denied and self.cues.reports(tokens)
        if denied and not reported_denial:
            return []
        live = [t for t in triggers if not self.cues.negated(tokens, clause_bounds(tokens, t.index))]
        by_type: dict[str, list[Trigger]] = {}
        for trigger in live:
            by_type.setdefault(trigger.type, []).append(trigger)
        dates = self._dates(tokens, by_type, context)
        if not dates and context.last_date and _refers_back(tokens):
            dates = [DateMention(0, 0, context.last_date, False)]
        for claim_type, type_triggers in by_type.items():
            if claim_type == "meeting":
                claims += self._meetings(number, sentence, tokens, actors, type_triggers, weapons, context)
            elif claim_type == "arms_delivery":
                claims += self._deliveries(number, sentence, tokens, actors, type_triggers, weapons, context)
            else:
                claims += self._signings(number, sentence, tokens, actors, type_triggers, context)
        finished: list[ProposedClaim] = []
        for claim in claims:
            trigger = self._trigger_of(claim, by_type)
            date = self._date_for(dates, trigger)
            claim.date = date
            claim.attributed_to = attribution
            claim.status = self.cues.status(
                tokens,
                modal_scope(tokens, trigger.index),
                trigger.tense,
                after_publication=date is not None and after_publication(date, context.published),
                attribution=attribution,
            )
            if reported_denial:
                claim.status = Status.ALLEGED
            finished.append(claim)
        if dates:
            explicit = [d for d in dates if d.explicit] or dates
            context.last_date = explicit[-1].value
        meetings = [c for c in finished if isinstance(c, ProposedMeeting)]
        if meetings:
            context.last_meeting = (number, _merge_actors(*(m.participants for m in meetings)))
        return _unique(finished)

    # --- actors ------------------------------------------------------------------------------

    def _mentions(self, tokens: list[Token], text: str, context: DocumentContext) -> list[Mention]:
        mentions = self.gazetteer.find(tokens, text)
        for mention in mentions:  # "Lloyd Austin" once → "Austin" for the rest of the article
            if mention.kind == "person" and mention.end - mention.start > 1 and mention.country:
                surname = tokens[mention.end - 1].text
                if len(surname) > 3 and not surname.endswith("s"):
                    context.learned.add_name(surname, mention.entry)
        covered = {i for m in mentions for i in range(m.start, m.end)}
        for mention in context.learned.find(tokens, text):
            if not covered.intersection(range(mention.start, mention.end)):
                mentions.append(mention)
        mentions.sort(key=lambda m: m.start)
        for learned in self._learn(tokens, text, mentions):
            context.learned.add_name(learned[0], learned[1])
            parts = learned[0].split()
            context.learned.add_name(parts[-1], learned[1])
            if len(parts) == 2 and all(len(p) <= 4 for p in parts):  # "Dong Jun" → "Dong" too
                context.learned.add_name(parts[0], learned[1])
        covered = {i for m in mentions for i in range(m.start, m.end)}
        for mention in context.learned.find(tokens, text):
            if not covered.intersection(range(mention.start, mention.end)):
                mentions.append(mention)
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _learn(self, tokens: list[Token], text: str, mentions: list[Mention]) -> list[tuple[str, Entry]]:
        """Persons the article introduces with their state: "<Land> <Amt> <Name>" and
        "<Name>, <Artikel> … <Land> … <Amt>"."""
        covered = {i for m in mentions for i in range(m.start, m.end)}
        learned: list[tuple[str, Entry]] = []
        for mention in mentions:
            if mention.country is None or mention.kind not in {"adjective", "name"} or mention.compound_head:
                continue
            j = mention.end
            roles: list[Token] = []
            while (
                j < len(tokens)
                and len(roles) < 3
                and (self.lexicon.is_role(tokens[j]) or _adjective(tokens[j]))
            ):
                roles.append(tokens[j])
                j += 1
            if not any(self.lexicon.is_role(t) for t in roles):
                continue
            name = _name_at(tokens, j, covered)
            if name is not None:
                learned.append((name, Entry(mention.country, mention.country, "person", role=roles[-1].text)))
        for i, token in enumerate(tokens):
            if token.text != "," or i == 0:
                continue
            name = _name_before(tokens, i, covered)
            if name is None:
                continue
            window = tokens[i + 1 : i + 8]
            if not window or window[0].key not in ARTICLES:
                continue
            for mention in mentions:
                if (
                    mention.start > i
                    and mention.end <= i + 8
                    and mention.country
                    and mention.kind in {"adjective", "name"}
                ):
                    after = [t for t in tokens[mention.end : i + 9] if self.lexicon.is_role(t)]
                    if after or mention.kind == "name":
                        learned.append((name, Entry(mention.country, mention.country, "person")))
                    break
        return learned

    def _actors(
        self, tokens: list[Token], mentions: list[Mention], source_span: tuple[int, int] | None
    ) -> list[ActorMention]:
        actors: list[ActorMention] = []
        for mention in mentions:
            actor = self._actor(tokens, mention)
            if actor is None:
                continue
            strength, name, role = actor
            country = mention.country
            if strength == "person":
                country = _country_before(tokens, mention.start, mentions, self.lexicon) or country
            context, preposition = self._context(tokens, mention, source_span, actors)
            if context == "place" and mention.kind in {"adjective", "person", "body"}:
                context, preposition = "plain", None
            if strength == "modifier":
                context = "modifier"
            elif context == "plain" and _in_relative_clause(tokens, mention.start):
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

    def _actor(self, tokens: list[Token], mention: Mention) -> tuple[str, str, str | None] | None:
        """(strength, name as written, role) of a mention, or None when it names no actor."""
        kind = mention.kind
        if mention.compound_head is not None:
            head_token = tokens[mention.start]
            if self.lexicon.is_role(head_token):
                return "state", mention.text, None
            return "modifier", mention.text, None
        if kind == "person":
            role = _role_before(tokens, mention.start, self.lexicon) or mention.entry.role
            return "person", mention.text, role
        if kind == "body":
            return "body", mention.text, None
        if kind == "adjective":
            j = mention.end
            while j < len(tokens) and j - mention.end < 2 and _adjective(tokens[j]):
                j += 1
            if j < len(tokens) and self.lexicon.is_role(tokens[j]):
                name = " ".join(t.text for t in tokens[mention.start : j + 1])
                return "state", name, tokens[j].text
            return "origin", mention.text, None
        return "state", mention.text, None

    def _context(
        self,
        tokens: list[Token],
        mention: Mention,
        source_span: tuple[int, int] | None,
        before: list[ActorMention],
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
            if key in COORDINATORS or token.text == ",":
                previous = next((a for a in reversed(before) if a.end == i), None)
                if previous is not None and previous.context != "plain":
                    return previous.context, previous.preposition
            if token.text in CLAUSE_BREAKS:
                break
            if key in PLACE_PREPOSITIONS:
                if any(t.key.endswith(WAR_NOUNS) for t in tokens[max(0, i - 3) : i]):
                    return "topic", key
                return "place", key
            if key in TOPIC_PREPOSITIONS:
                return "topic", key
            if key in {"wie", "like"} and not (i > 0 and tokens[i - 1].text in CLAUSE_BREAKS and i > 1):
                return "comparison", key
            if key in ORIGIN_PREPOSITIONS:
                return "origin", key
            if key in RECIPIENT_PREPOSITIONS:
                return "recipient", key
            if key in ARTICLES or _adjective(token) or key.isdigit() or key in PLACE_NOUNS:
                skipped.append(token)
                i -= 1
                continue
            break
        return "plain", None

    def _attribution(
        self, tokens: list[Token], text: str, mentions: list[Mention]
    ) -> tuple[str | None, tuple[int, int] | None]:
        """The source a sentence cites, as written, and its token span."""
        keys_ = [t.key for t in tokens]
        for i, key in enumerate(keys_):
            start: int | None = None
            if key in {"laut", "citing"}:
                start = i + 1
            elif (
                (key == "nach" and keys_[i + 1 : i + 2] == ["angaben"])
                or (key == "according" and keys_[i + 1 : i + 2] == ["to"])
                or (key == "berufung" and keys_[i + 1 : i + 2] == ["auf"])
            ):
                start = i + 2
            elif key == "wie" and (i == 0 or tokens[i - 1].text in CLAUSE_BREAKS):
                end = i + 1
                while end < len(tokens) and tokens[end].text not in CLAUSE_BREAKS:
                    end += 1
                clause = keys_[i + 1 : end]
                if clause and clause[-1] in self.cues.report_verbs | {
                    "mitteilte",
                    "informierte",
                    "dokumentierte",
                }:
                    return _noun_phrase(tokens, i + 1, text, self.lexicon), (i, end)
                continue
            elif key in self.cues.report_verbs and i > 0:
                before = [t for t in tokens[:i] if t.text not in CLAUSE_BREAKS]
                if before and tokens[0].is_capitalised and self._is_source_subject(tokens[:i]):
                    return _noun_phrase(tokens, 0, text, self.lexicon), (0, i)
                if i + 1 < len(tokens) and tokens[i - 1].text in {",", "“", "”", '"'}:
                    phrase = _noun_phrase(tokens, i + 1, text, self.lexicon)
                    if phrase is not None:
                        return phrase, (i + 1, len(tokens))
                continue
            if start is not None:
                phrase = _noun_phrase(tokens, start, text, self.lexicon)
                if phrase is not None:
                    end = start
                    while end < len(tokens) and end - start < 6 and tokens[end].text not in CLAUSE_BREAKS:
                        if tokens[end].text in phrase.split()[-1:]:
                            end += 1
                            break
                        end += 1
                    return phrase, (start, end)
        return None, None

    def _is_source_subject(self, tokens: list[Token]) -> bool:
        return any(self.lexicon.is_source(t) for t in tokens) and len(tokens) <= 8

    # --- meetings ----------------------------------------------------------------------------

    def _meetings(
        self,
        number: int,
        sentence: Sentence,
        tokens: list[Token],
        actors: list[ActorMention],
        triggers: list[Trigger],
        weapons: list[Weapon],
        context: DocumentContext,
    ) -> list[ProposedClaim]:
        kinds = {t.kind for t in triggers}
        if (
            weapons
            and kinds <= {"meet"}
            and all(t.text.lower() in {"received", "empfing", "erhielt"} for t in triggers)
        ):
            return []
        travel = kinds & {"visit", "travel"}
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
            }:
                continue
            if (
                travel
                and actor.context == "origin"
                and actor.strength == "state"
                and actor.preposition in {"von", "from", "aus"}
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
        attended = any(t.key in self.summit_companions for t in tokens)
        if (
            kinds <= {"summit", "travel"}
            and "summit" in kinds
            and not attended
            and not ("travel" in kinds and places)
        ):
            return []  # "auf dem Gipfel wurde beschlossen": the summit is only a setting
        groups = _groups(participants)
        states = [g for g in groups if g[0].actor.country]
        if len(states) >= 2:
            groups = states
        first_trigger = min(t.index for t in triggers)
        words = [t.key for t in tokens]
        anaphor_plural = self.cues.any_of(words, self.cues.anaphora_plural) and _pronoun_plural(tokens)
        subject: list[ActorMention] | None = None
        before_trigger = [g for g in groups if g[0].index < first_trigger]
        pronoun_at = next(
            (
                i
                for i, t in enumerate(tokens)
                if t.key in SUBJECT_PRONOUNS and (t.text[0].islower() or i == 0)
            ),
            None,
        )
        pronoun = pronoun_at is not None and not any(g[0].index < pronoun_at for g in groups)
        if (
            len(groups) < 2
            and anaphor_plural
            and context.last_meeting
            and number - context.last_meeting[0] <= PAIR_SENTENCES
        ):
            known = list(context.last_meeting[1])
            return [self._meeting(sentence, known, location)]
        recent = (
            context.last_person
            if context.last_person and number - context.last_person[0] <= CONTEXT_SENTENCES
            else None
        )
        if (
            recent is None
            and pronoun
            and not before_trigger
            and not any(g[0].context == "plain" for g in groups)
        ):
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
        aggregate = self.cues.any_of(words, self.cues.aggregate) and any(
            t.kind in {"meet", "talk"} and t.tense == "noun" for t in triggers
        )
        joint = len(groups) >= 3 and (
            aggregate or (kinds <= {"summit"}) or not self._has_counterpart_list(tokens, groups)
        )
        if len(groups) == 2 or joint:
            return [self._meeting(sentence, [g[0].actor for g in groups], location)]
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
            claims.append(self._meeting(sentence, [head[0].actor, other[0].actor], where))
        return claims

    @staticmethod
    def _has_counterpart_list(tokens: list[Token], groups: list[list[ActorMention]]) -> bool:
        """Whether the others follow a "mit"/"with"/"aus" after the first actor (one side meets
        several counterparts), as opposed to a plain list of participants."""
        first = groups[0][0].index
        return any(
            t.key in COUNTERPART_MARKERS | {"aus", "from", "nach", "to"} for t in tokens[first:]
        ) or any(g[0].context in {"origin", "place"} for g in groups[1:])

    @staticmethod
    def _meeting(sentence: Sentence, participants: list[Actor], location: str | None) -> ProposedMeeting:
        return ProposedMeeting(
            quote=sentence.text,
            status=Status.OCCURRED,
            date=None,
            participants=participants,
            location=location,
        )

    # --- deliveries --------------------------------------------------------------------------

    def _deliveries(
        self,
        number: int,
        sentence: Sentence,
        tokens: list[Token],
        actors: list[ActorMention],
        triggers: list[Trigger],
        weapons: list[Weapon],
        context: DocumentContext,
    ) -> list[ProposedClaim]:
        has_with = any(t.key in {"mit", "with"} for t in tokens)
        claims: list[ProposedClaim] = []
        done: set[tuple[int, int]] = set()
        for trigger in triggers:
            if trigger.kind == "support" and not has_with:
                continue
            clause = _clause_of(tokens, trigger.index)
            if (clause[0], clause[1]) in done:
                continue
            done.add((clause[0], clause[1]))
            local_weapons = [w for w in weapons if clause[0] <= w.head < clause[1]] or weapons
            implicit = any(
                t.key.startswith(("waffen", "rustungs", "arms", "weapons"))
                for t in tokens[trigger.index : trigger.end]
            )
            if not local_weapons and not implicit:
                continue
            claim = self._delivery(number, sentence, tokens, actors, trigger, clause, local_weapons, context)
            if claim is not None:
                claims.append(claim)
        return claims

    def _delivery(
        self,
        number: int,
        sentence: Sentence,
        tokens: list[Token],
        actors: list[ActorMention],
        trigger: Trigger,
        clause: tuple[int, int],
        weapons: list[Weapon],
        context: DocumentContext,
    ) -> ProposedArmsDelivery | None:
        usable = [
            a
            for a in actors
            if a.strength in {"person", "state", "body"}
            and a.context not in {"topic", "source", "comparison", "modifier"}
        ]
        local = [a for a in usable if clause[0] <= a.index < clause[1]]
        origins = [
            replace(a, actor=Actor(name=_country_name(self.gazetteer, a.group), country=a.actor.country))
            for a in actors
            if a.strength == "origin" and any(w.index <= a.index < w.end or a.end == w.index for w in weapons)
        ]  # "nordkoreanische Panzerfahrzeuge": the supplier is the state, by its name
        supplier: Actor | None = None
        recipient: Actor | None = None
        if trigger.kind in {"get", "buyer"}:
            found = next((a for a in local if a.context in {"plain", "place"}), None)
            recipient = found.actor if found else None
            source = next((a for a in local if a.context == "origin" and a is not found), None)
            supplier = source.actor if source else (origins[0].actor if origins else None)
        else:
            giver = next((a for a in local if a.context in {"plain", "origin"}), None)
            if (
                giver is None and not origins
            ):  # "Ankara dementierte Berichte, wonach … geliefert worden seien"
                giver = next((a for a in usable if a.context == "plain" and a.index < clause[0]), None)
            supplier = giver.actor if giver else (origins[0].actor if origins else None)
            taker = next(
                (
                    a
                    for a in local
                    if a.context in {"recipient", "place"} and a.actor.country != _country(supplier)
                ),
                None,
            )
            if taker is None and giver is not None:
                taker = next(
                    (a for a in local if a.index > giver.index and a.actor.country != giver.actor.country),
                    None,
                )
            recipient = taker.actor if taker else None
        if supplier is None and recipient is None:
            recent = context.last_arms if context.last_arms and number - context.last_arms[0] <= 2 else None
            if recent is None:
                return None
            supplier, recipient = recent[1], recent[2]
        elif recipient is None and supplier is not None:
            recipient = self._implicit_recipient(number, supplier, usable, context)
        if supplier is None or recipient is None:
            return None
        if supplier.country is not None and supplier.country == recipient.country:
            return None
        context.last_arms = (number, supplier, recipient)
        categories = list(dict.fromkeys(w.category for w in weapons)) or [WeaponCategory.OTHER]
        return ProposedArmsDelivery(
            quote=sentence.text,
            status=Status.OCCURRED,
            date=None,
            supplier=supplier,
            recipient=recipient,
            weapons=[w.text for w in weapons][:12],
            weapon_categories=categories,
        )

    def _implicit_recipient(
        self, number: int, supplier: Actor, usable: list[ActorMention], context: DocumentContext
    ) -> Actor | None:
        """A recipient the clause leaves out: the sentence's other subject ("India buys …,
        although France has delivered …"), the recipient of the delivery just reported, or the
        state the article is about."""
        other = next(
            (a for a in usable if a.context == "plain" and a.actor.country != supplier.country), None
        )
        if other is not None:
            return other.actor
        recent = context.last_arms if context.last_arms and number - context.last_arms[0] <= 2 else None
        if recent and recent[1].country == supplier.country:
            return recent[2]
        if context.dominant and context.dominant != supplier.country:
            return Actor(name=_country_name(self.gazetteer, context.dominant), country=context.dominant)
        return None

    # --- signings ----------------------------------------------------------------------------

    def _signings(
        self,
        number: int,
        sentence: Sentence,
        tokens: list[Token],
        actors: list[ActorMention],
        triggers: list[Trigger],
        context: DocumentContext,
    ) -> list[ProposedClaim]:
        agreements = [t for t in triggers if t.kind == "agreement"]
        signs = [t for t in triggers if t.kind == "sign"]
        if not agreements or not signs:
            return []
        agreement = _phrase_with_adjectives(tokens, agreements[0].index, sentence, self.lexicon)
        parties = [
            a
            for a in actors
            if a.strength in {"person", "state", "body"}
            and a.context not in {"topic", "source", "comparison", "modifier", "place"}
        ]
        groups = _groups(parties)
        actors_: list[Actor] = [g[0].actor for g in groups]
        if len(actors_) < 2 and context.last_meeting and number - context.last_meeting[0] <= 2:
            known = context.last_meeting[1]
            actors_ = known if not actors_ else _merge_actors(known, actors_)
        elif (
            len(actors_) == 1 and context.last_person and number - context.last_person[0] <= CONTEXT_SENTENCES
        ):
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

    # --- dates and memory --------------------------------------------------------------------

    def _dates(
        self, tokens: list[Token], by_type: dict[str, list[Trigger]], context: DocumentContext
    ) -> list[DateMention]:
        tenses = {t.tense for triggers in by_type.values() for t in triggers}
        words = [t.key for t in tokens]
        forward: bool | None = None
        if "past" in tenses or "participle" in tenses:
            forward = False
        elif self.cues.any_of(words, self.cues.planned) or "present" in tenses:
            forward = True
        return find_dates(tokens, context.published, forward, context.last_date)

    @staticmethod
    def _date_for(dates: list[DateMention], trigger: Trigger) -> str | None:
        if not dates:
            return None
        explicit = [d for d in dates if d.explicit] or dates
        return min(explicit, key=lambda d: abs(d.index - trigger.index)).value

    @staticmethod
    def _trigger_of(claim: ProposedClaim, by_type: dict[str, list[Trigger]]) -> Trigger:
        triggers = by_type[claim.type]
        return next((t for t in triggers if t.kind not in {"agreement", "summit"}), triggers[0])

    def _remember(
        self, number: int, tokens: list[Token], actors: list[ActorMention], context: DocumentContext
    ) -> None:
        persons = [
            a for a in actors if a.strength == "person" and a.context not in {"source", "topic", "comparison"}
        ]
        if persons:
            context.last_person = (number, persons[0])
        dates = find_dates(tokens, context.published, None, context.last_date)
        explicit = [d for d in dates if d.explicit]
        if explicit:
            context.last_date = explicit[-1].value


# --- helpers -----------------------------------------------------------------------------------


def _country(actor: Actor | None) -> str | None:
    return actor.country if actor else None


SUBORDINATORS = frozenset(
    [
        "obwohl",
        "während",
        "aber",
        "jedoch",
        "sondern",
        "wobei",
        "nachdem",
        "weil",
        "da",
        "sowie",
        "although",
        "while",
        "whereas",
        "but",
        "though",
        "after",
        "because",
        "since",
    ]
)


def _clause_of(tokens: list[Token], index: int) -> tuple[int, int]:
    """The clause of a delivery trigger: cut at commas and dashes, but also at a conjunction that
    starts a new clause ("…, although France has delivered …")."""
    start, end = clause_bounds(tokens, index)
    for j in range(index - 1, start - 1, -1):
        if tokens[j].key in SUBORDINATORS:
            start = j
            break
    for j in range(index + 1, end):
        if tokens[j].key in SUBORDINATORS:
            end = j
            break
    return start, end


def _groups(actors: list[ActorMention]) -> list[list[ActorMention]]:
    """Actors grouped by country (or body), in order of first mention; a person heads its group."""
    groups: dict[str, list[ActorMention]] = {}
    for actor in actors:
        groups.setdefault(actor.group, []).append(actor)
    ordered = sorted(groups.values(), key=lambda g: g[0].index)
    return [sorted(g, key=lambda a: (a.strength != "person", a.index)) for g in ordered]


DEMONSTRATIVES = frozenset(
    {"diesem", "dieser", "diesen", "dieses", "jenem", "jener", "jenen", "this", "that"}
)
EVENT_NOUNS = (
    "termin",
    "treffen",
    "tag",
    "gipfel",
    "besuch",
    "anlass",
    "gelegenheit",
    "occasion",
    "meeting",
    "day",
    "summit",
    "visit",
)


def _refers_back(tokens: list[Token]) -> bool:
    """ "Bei diesem Termin", "an jenem Tag", "at that meeting": the time of the event just told."""
    return any(a.key in DEMONSTRATIVES and b.key.endswith(EVENT_NOUNS) for a, b in itertools.pairwise(tokens))


def _in_relative_clause(tokens: list[Token], index: int) -> bool:
    """Whether token `index` sits in a German relative clause (", das die Beschwerden der USA …
    ignorierte,"): after a comma and a relative pronoun, up to a clause end that is a verb."""
    start = index
    while start > 0 and tokens[start - 1].text not in CLAUSE_BREAKS:
        start -= 1
    if start == 0 or tokens[start - 1].text != "," or tokens[start].key not in RELATIVE_PRONOUNS:
        return False
    if (
        start + 1 < len(tokens)
        and tokens[start].key in {"der", "die", "das"}
        and tokens[start + 1].is_capitalised
    ):
        return False  # ", der Präsident …": an apposition, not a relative clause
    end = index
    while end + 1 < len(tokens) and tokens[end + 1].text not in CLAUSE_BREAKS:
        end += 1
    last = tokens[end]
    return last.is_word and not last.is_capitalised


def _merge_actors(*lists: list[Actor]) -> list[Actor]:
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


def _pronoun_plural(tokens: list[Token]) -> bool:
    """ "Sie trafen", "die beiden", "beide Seiten", "they", "both": a plural subject from before."""
    for i, token in enumerate(tokens):
        if token.key in {"beide", "beiden", "both", "they", "zwei"}:
            return True
        if token.text == "Sie" and i == 0:
            return True
        if token.text == "sie" and i + 1 < len(tokens) and tokens[i + 1].key.endswith("en"):
            return True
    return False


def _unique(claims: list[ProposedClaim]) -> list[ProposedClaim]:
    seen: set[str] = set()
    unique: list[ProposedClaim] = []
    for claim in claims:
        key = claim.model_dump_json()
        if key not in seen:
            seen.add(key)
            unique.append(claim)
    return unique


def _adjective(token: Token) -> bool:
    text = token.text
    return (
        token.is_word and text[0].islower() and text.endswith(("e", "en", "er", "es", "em")) and len(text) > 3
    )


def _looks_like_name(token: Token) -> bool:
    text = token.text
    return (
        token.is_word
        and text[0].isupper()
        and not text.isupper()
        and token.key not in NAME_STOPWORDS
        and not any(ch.isdigit() for ch in text)
    )


def _name_at(tokens: list[Token], j: int, covered: set[int]) -> str | None:
    parts: list[str] = []
    while j < len(tokens) and len(parts) < 3 and j not in covered and _looks_like_name(tokens[j]):
        parts.append(tokens[j].text)
        j += 1
    if not parts or (len(parts) == 1 and len(parts[0]) < 4):
        return None
    return " ".join(parts)


def _name_before(tokens: list[Token], comma: int, covered: set[int]) -> str | None:
    parts: list[str] = []
    j = comma - 1
    while j >= 0 and len(parts) < 3 and j not in covered and _looks_like_name(tokens[j]):
        parts.insert(0, tokens[j].text)
        j -= 1
    if len(parts) < 2 or (
        j >= 0 and tokens[j].is_capitalised and tokens[j].text not in CLAUSE_BREAKS and j not in covered
    ):
        return None
    return " ".join(parts)


def _country_before(tokens: list[Token], index: int, mentions: list[Mention], lexicon: Lexicon) -> str | None:
    """The state the text gives a person right before the name: "seinem kasachischen Kollegen X",
    "Chinas Verteidigungsminister X" (the text wins over the gazetteer: label what it says)."""
    j = index - 1
    if j < 0 or not lexicon.is_role(tokens[j]):
        return None
    j -= 1
    while j >= 0 and (_adjective(tokens[j]) or lexicon.is_role(tokens[j])) and index - j < 5:
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


def _noun_phrase(tokens: list[Token], start: int, text: str, lexicon: Lexicon) -> str | None:
    """The source named from `start`: "Tass", "der russischen Zeitung Iswestija" → "Iswestija",
    "seinem Ministerium" → "Ministerium", "Nachrichtenagentur „AFP“" → "AFP"."""
    i = start
    while i < len(tokens) and (
        tokens[i].key in ARTICLES or _adjective(tokens[i]) or tokens[i].text in {"„", "“", '"'}
    ):
        i += 1
    words: list[Token] = []
    while i < len(tokens) and len(words) < 4:
        token = tokens[i]
        if token.text in {"„", "“", "”", '"'}:
            i += 1
            continue
        if not token.is_word or not token.is_capitalised:
            break
        if words and not (
            lexicon.is_source(words[-1])
            or token.text in lexicon.source_names
            or token.key in {"of", "for", "the"}
        ):
            break
        words.append(token)
        if token.text in lexicon.source_names:
            break
        i += 1
    if not words:
        return None
    if len(words) > 1 and lexicon.is_source(words[0]) and words[0].text not in lexicon.source_names:
        words = words[1:]
    return text[words[0].start : words[-1].end]


def _phrase_with_adjectives(tokens: list[Token], index: int, sentence: Sentence, lexicon: Lexicon) -> str:
    start = index
    while (
        start > 0
        and index - start < 2
        and _adjective(tokens[start - 1])
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


def _country_name(gazetteer: Gazetteer, code: str) -> str:
    """A display name for a state the sentence itself does not name (the article's subject)."""
    for bucket in gazetteer.index.values():
        for _, alias, entry in bucket:
            if entry.code == code and entry.kind == "name":
                return alias
    return code


def tokens_contain(tokens: list[Token], phrase: tuple[str, ...]) -> bool:
    return contains([t.key for t in tokens], phrase)

"""From sentences to claims: who acts in a sentence, what happened, and how the text presents it.

For each body sentence of a document (see `sentences`), the extractor

1. finds actors: office holders and states from the gazetteer, persons the article itself
   introduces ("Chinas Verteidigungsminister Dong Jun", "Mehdi Jafari, dem iranischen …"), offices
   named by a country adjective or possessive ("die nordkoreanische Delegation", "dem französischen
   Präsidenten", "Japan's prime minister"), and states named by reference ("the kingdom", "das
   Land", a sentence-initial "Its defence industry"); it sets aside what only looks like an actor:
   places ("in Minsk"), datelines ("SEOUL —"), topics ("Krieg gegen die Ukraine", "cooperation
   with the US", "die Unterstützung der Ukraine"), comparisons ("wie der Iran"), sources ("laut
   Tass", "…, the defence minister told lawmakers") and modifiers ("Ukraine-Krieg");
2. finds triggers (see `lexicon`) and skips negated, refused, cancelled or conditional ones (see
   `cues`), reading a clause across the commas of a list and cutting it at "but"/"aber";
3. builds claims: a meeting pairs its subject with each counterpart (one claim per bilateral
   meeting), or lists every participant of a summit, a joint meeting or "talks between A and B";
   a delivery takes each clause (also "… from A and acquired … from B") with its coordinated
   suppliers and recipients ("Norway and the Netherlands", "darunter Indonesien und Malaysia"), by
   the direction of its verb before any noun (liefert an / erhält von / kauft in / Abnehmer /
   Lieferant), with origins from adjectives ("Turkish Bayraktar TB2 drones", "Russian-made", "aus
   indischer Produktion"); a signing needs an agreement noun and a signing verb;
4. resolves what the sentence leaves to the context: "er"/"he" to the last person or office holder
   named, "die beiden"/"beide Länder"/"the two countries" to the last meeting's participants or the
   last claim's actors, a relative clause's event to the actor it is attached to, a signing or a
   delivery without parties to the claim just before it, a date to the event just told ("dabei",
   "damals", "am Rande des Gipfels"), and a definite mention of the meeting just told ("bei dem
   Treffen", "his second visit") to no new claim; a report denied in the next sentence, or denied
   by its own parties, becomes alleged.

The quote of every claim is the whole sentence, sliced from the source, so it verifies exactly.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field, replace

from claims.backends.rules.cues import Cues, contains
from claims.backends.rules.dates import DateMention, Published, after_publication, dateline_end, find_dates
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
    actors_of,
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
    "invasion",
    "angriffskrieg",
    "front",
    "konflikt",
    "conflict",
)
SUBJECT_PRONOUNS = frozenset({"er", "sie", "he", "she"})
DEFINITE_ARTICLES = frozenset({"the", "das", "die", "dem", "des", "der", "den"})
STATE_NOUNS = frozenset(
    {
        "kingdom",
        "emirate",
        "republic",
        "country",
        "sultanate",
        "island nation",
        "konigreich",
        "konigreichs",
        "emirat",
        "emirats",
        "sultanat",
        "land",
        "landes",
        "inselstaat",
        "golfstaat",
        "golfemirat",
    }
)
"""Nouns that, after a definite article, refer back to a state named before ("the kingdom")."""
STATE_ACTIONS = frozenset(
    {
        "bought", "buys", "purchased", "ordered", "acquired", "received", "receives", "sold", "sells",
        "supplied", "supplies", "delivered", "delivers", "sent", "signed", "signs", "also", "has", "had",
        "will", "plans", "imports", "exports", "operates", "concluded",
    }
)  # fmt: skip
"""Verbs after which a sentence-initial "It" is a state acting ("It bought 42 Rafale jets")."""
POSSESSIVE_PRONOUNS = frozenset(
    {"its", "their", "sein", "seine", "seinen", "seiner", "ihr", "ihre", "ihren", "dessen", "deren"}
)
ROLE_MODIFIERS = frozenset(
    {
        "external",
        "affairs",
        "interior",
        "deputy",
        "vice",
        "chief",
        "top",
        "senior",
        "acting",
        "new",
        "transitional",
        "then",
        "former",
        "neue",
        "neuer",
        "neuen",
        "damalige",
        "damaligen",
    }
)
"""Words between a country and its office that are no office themselves ("external affairs minister")."""
ENGLISH_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "his", "her", "their", "civil"})
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
        for number in range(len(analysed) - 1):
            own = {c.type for c in results[number + 1].claims}
            earlier = [c for c in results[number].claims if c.type not in own]
            self._denied_next(analysed[number][1], analysed[number + 1][1], earlier, text)
        return results

    def _denied_next(
        self, tokens: list[Token], following: list[Token], claims: list[ProposedClaim], text: str
    ) -> None:
        """A claim the next sentence denies stands, as alleged: "Medien hatten berichtet, die Türkei
        habe … geliefert. Das Ministerium wies diese Berichte zurück.", or its own parties deny it
        ("Pyongyang and Moscow deny the transfers"). A denial of weapons leaves a treaty alone."""
        if not claims or not self.cues.denied(following):
            return
        reported = any(t.key in self.cues.report_verbs for t in tokens) and any(
            t.key in self.cues.report_nouns or t.key in {"dies", "this", "these", "that"} for t in following
        )
        denying = {m.country for m in self.gazetteer.find(following, text) if m.country}
        kinds = {t.type for t in self.lexicon.triggers(following)}
        if self.lexicon.weapons(following, text):
            kinds.add("arms_delivery")
        for claim in claims:
            parties = {a.country for a in actors_of(claim)}
            by_parties = None not in parties and parties <= denying and (not kinds or claim.type in kinds)
            if claim.status == Status.OCCURRED and (reported or by_parties):
                claim.status = Status.ALLEGED

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
        denied = self.cues.denied(tokens)
        reported_denial = denied and self.cues.reports(tokens)
        if denied and not reported_denial:
            return []
        live = [t for t in triggers if not self.cues.negated(tokens, _clause_of(tokens, t.index, actors))]
        by_type: dict[str, list[Trigger]] = {}
        for trigger in live:
            by_type.setdefault(trigger.type, []).append(trigger)
        dates = self._dates(tokens, by_type, context)
        ahead = find_dates(tokens, context.published, True, context.last_date)
        carried = (
            [DateMention(0, 0, context.last_date, False)]
            if context.last_date and _refers_back(tokens)
            else []
        )
        found: list[tuple[ProposedClaim, Trigger, tuple[int, int] | None]] = []
        for claim_type, type_triggers in by_type.items():
            if claim_type == "meeting":
                trigger = _main_trigger(type_triggers, MEETING_PRIORITY)
                meetings_ = self._meetings(number, sentence, tokens, actors, type_triggers, weapons, context)
                found += [(claim, trigger, None) for claim in meetings_]
            elif claim_type == "arms_delivery":
                found += self._deliveries(number, sentence, tokens, actors, type_triggers, weapons, context)
            else:
                trigger = _main_trigger(type_triggers, SIGNING_PRIORITY)
                signings = self._signings(number, sentence, tokens, actors, type_triggers, context)
                found += [(claim, trigger, None) for claim in signings]
        finished: list[ProposedClaim] = []
        clauses = [clause for _, _, clause in found if clause is not None]
        for claim, trigger, clause in found:
            scope = modal_scope(tokens, trigger.index)
            status = self.cues.status(
                tokens, scope, trigger.tense, attribution=attribution, trigger=trigger.index
            )
            own = _own_dates(tokens, ahead if status == Status.PLANNED else dates, trigger)
            date = self._date_for(own or carried, trigger, clause, clauses)
            claim.date = date
            claim.attributed_to = attribution
            claim.status = self.cues.status(
                tokens,
                scope,
                trigger.tense,
                after_publication=date is not None and after_publication(date, context.published),
                attribution=attribution,
                trigger=trigger.index,
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
        if finished:
            context.last_pair = (number, _merge_actors(actors_of(finished[-1])))
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
        covered = {i for m in mentions for i in range(m.start, m.end)}
        for mention in self._anaphors(tokens, text, mentions, context):
            if not covered.intersection(range(mention.start, mention.end)):
                mentions.append(mention)
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _anaphors(
        self, tokens: list[Token], text: str, mentions: list[Mention], context: DocumentContext
    ) -> list[Mention]:
        """States a sentence names only by reference to the sentences before it: "the kingdom",
        "das Land" (the state last mentioned that this sentence does not name itself) and "Its
        defence industry", "Seine Regierung" (the subject of the sentence before)."""
        present = {m.country for m in mentions if m.country}
        found: list[Mention] = []
        for i, token in enumerate(tokens):
            if i + 1 >= len(tokens):
                break
            nxt = tokens[i + 1]
            if token.key in DEFINITE_ARTICLES and nxt.key in STATE_NOUNS and not _possessive(nxt):
                code = next((c for c in reversed(context.recent_states) if c not in present), None)
                if code is not None:
                    found.append(self._mention_of(tokens, i, i + 2, code, text))
            elif i == 0 and token.text == "It" and nxt.key in STATE_ACTIONS and context.last_subject:
                found.append(
                    self._mention_of(tokens, 0, 1, context.last_subject, text)
                )  # "It bought 42 jets"
            elif token.key in POSSESSIVE_PRONOUNS and i == 0:  # mid-sentence, "its" is the subject's
                span = self._role_span(tokens, i + 1)
                subject = context.last_subject
                if span is not None and subject is not None and span[0] - i <= 3:
                    found.append(self._mention_of(tokens, i, span[1], subject, text))
        return found

    @staticmethod
    def _mention_of(tokens: list[Token], start: int, end: int, code: str, text: str) -> Mention:
        char_start, char_end = tokens[start].start, tokens[end - 1].end
        entry = Entry(code, code, "metonym")
        return Mention(start, end, char_start, char_end, text[char_start:char_end], entry)

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
        dateline = dateline_end(tokens)
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
            if context == "place" and _made_in(tokens, mention.start, mention.end):
                context, preposition = "origin", "aus"  # "in Frankreich gebaute Fregatten", "built in France"
            if mention.compound_head in MADE_HEADS:
                strength, context = "origin", "plain"  # "Russian-made Sukhoi fighters"
                name = _country_name(self.gazetteer, mention.entry.code)
            if mention.end <= dateline:
                context = "dateline"  # "SEOUL —", "Tokio –": where the report was filed
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
            span = self._role_span(tokens, mention.end)
            if span is not None:
                name = " ".join(t.text for t in tokens[mention.start : span[1]])
                return "state", name, " ".join(t.text for t in tokens[span[0] : span[1]])
            return "origin", mention.text, None
        if kind in {"name", "capital", "metonym"} and _possessive(tokens[mention.end - 1]):
            span = self._role_span(tokens, mention.end)
            if span is not None:  # "Japan's prime minister", "Aserbaidschans Präsident"
                name = " ".join(t.text for t in tokens[mention.start : span[1]])
                return "state", name, " ".join(t.text for t in tokens[span[0] : span[1]])
        return "state", mention.text, None

    def _role_span(self, tokens: list[Token], j: int) -> tuple[int, int] | None:
        """The role noun phrase starting at token `j`, as [first role word, end): up to two
        modifiers ("stellvertretende", "external affairs") before the role, and the role words
        that follow it ("prime minister", "defence minister", "crown prince")."""
        start = j
        while (
            j < len(tokens)
            and j - start < 3
            and not self.lexicon.is_role(tokens[j])
            and (_adjective(tokens[j]) or tokens[j].key in ROLE_MODIFIERS)
        ):
            j += 1
        if j >= len(tokens) or not self.lexicon.is_role(tokens[j]) or not tokens[j].is_word:
            return None
        first = j
        while j + 1 < len(tokens) and j + 1 - first < 3 and self.lexicon.is_role(tokens[j + 1]):
            j += 1
        return first, j + 1

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
            if key in COORDINATORS or (token.text == "," and _list_continues(tokens, mention.end)):
                previous = next((a for a in reversed(before) if a.end == i), None)
                if previous is not None and previous.context != "plain":
                    return previous.context, previous.preposition
            if token.text in CLAUSE_BREAKS:
                break
            if key in PLACE_PREPOSITIONS:
                if any(_war_word(tokens, k) for k in range(max(0, i - 3), i)):
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
                and not self.lexicon.is_role(tokens[i - 1])
                and not self.lexicon.triggers([tokens[i - 1]])
                and not self.lexicon.is_weapon(tokens, i - 1)
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
                trailing = _trailing_source(tokens, i)
                if trailing is not None:  # "…, the Saudi Press Agency said." / "…, X told lawmakers."
                    first, last = trailing
                    return text[tokens[first].start : tokens[last - 1].end], (first, last)
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
        if any(t.key in self.cues.not_meetings for t in tokens):
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
                and not (actor.index >= 2 and self.lexicon.is_role(tokens[actor.index - 2]))
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
        between = _between(tokens, triggers, participants)
        if len(between) >= 2:  # "die Gespräche zwischen Moskau und Kiew": exactly these take part
            participants = between
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
        if len(groups) < 2 and anaphor_plural:
            known = _recent_pair(context, number)
            if known:
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
        joint = (
            len(groups) >= 3
            and not (kinds <= {"visit", "travel"})  # "visited Moscow and Beijing": two visits
            and (aggregate or (kinds <= {"summit"}) or not self._has_counterpart_list(tokens, groups))
        )
        visited = _visited_places(tokens, triggers, participants) if travel else {}
        if len(groups) == 2 or joint:
            if location is None and len(visited) == 1:
                location = next(iter(visited.values()))  # "visited Moscow", "besuchte den Iran"
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
                where = visited.get(other[0].group, where)
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
    ) -> list[tuple[ProposedClaim, Trigger, tuple[int, int]]]:
        """One claim per supplier and recipient of each delivery clause, with the trigger and the
        clause it came from. Verbs decide the direction before nouns ("erhielt eine Lieferung")."""
        has_with = any(t.key in {"mit", "with"} for t in tokens)
        usable = [t for t in triggers if t.kind != "support" or has_with]
        verbs = [t for t in usable if t.tense != "noun"]
        found: list[tuple[ProposedClaim, Trigger, tuple[int, int]]] = []
        done: list[tuple[int, int]] = []
        for trigger in sorted(usable, key=lambda t: (t.tense == "noun", t.index)):
            if any(a <= trigger.index < b for a, b in done):
                continue
            if trigger.tense == "noun" and _topic_of(tokens, trigger):
                continue  # "verhandelt über die Lieferung von Kampfjets": talked about, not done
            clause = _delivery_clause(tokens, trigger, verbs, actors)
            done.append(clause)
            local_weapons = [w for w in weapons if clause[0] <= w.head < clause[1]] or weapons
            implicit = any(
                t.key.startswith(("waffen", "rustungs", "arms", "weapons"))
                for t in tokens[trigger.index : trigger.end]
            )
            if not local_weapons and not implicit:
                continue
            earlier = [claim for claim, _, _ in found if isinstance(claim, ProposedArmsDelivery)]
            for claim in self._delivery(
                number, sentence, tokens, actors, trigger, clause, local_weapons, context, earlier
            ):
                found.append((claim, trigger, clause))
        return found

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
        earlier: list[ProposedArmsDelivery],
    ) -> list[ProposedArmsDelivery]:
        usable = [
            a
            for a in actors
            if a.strength in {"person", "state", "body"}
            and a.context not in {"topic", "source", "comparison", "modifier", "dateline"}
        ]
        local = [a for a in usable if clause[0] <= a.index < clause[1]]
        listed = self._listed(tokens, usable, clause)
        origins = [
            replace(a, actor=Actor(name=_country_name(self.gazetteer, a.group), country=a.actor.country))
            for a in actors
            if a.strength == "origin" and _origin_of(tokens, a, weapons, clause)
        ]  # "nordkoreanische Panzerfahrzeuge", "aus indischer Produktion": the state, by its name
        givers: list[ActorMention] = []
        takers: list[ActorMention] = []
        if trigger.kind in {"get", "buyer"}:
            found = next((a for a in local if a.context in {"plain", "place"}), None)
            takers = self._coordinated(tokens, found, local) if found else listed
            source = next((a for a in local if a.context == "origin" and a is not found), None)
            if source is None and not origins and trigger.kind == "get":
                source = next(  # "Polen kauft in Südkorea Panzer": where one buys is who sells
                    (
                        a
                        for a in local
                        if a.context == "place"
                        and a is not found
                        and a.index > trigger.index
                        and a.actor.country
                    ),
                    None,
                )
            givers = self._coordinated(tokens, source, local) if source else origins[:1]
        else:
            giver = next((a for a in local if a.context in {"plain", "origin"}), None)
            if trigger.index > 0 and tokens[trigger.index - 1].key == "to":
                nearest = [a for a in local if a.context == "plain" and a.end <= trigger.index]
                giver = nearest[-1] if nearest else giver  # "criticised the US decision to send …"
            if (
                giver is None and not origins
            ):  # "Ankara dementierte Berichte, wonach … geliefert worden seien"
                giver = next((a for a in usable if a.context == "plain" and a.index < clause[0]), None)
            givers = self._coordinated(tokens, giver, local) if giver else origins[:1]
            supplier_country = givers[0].actor.country if givers else None
            taker = next(
                (
                    a
                    for a in local
                    if a.context in {"recipient", "place"} and a.actor.country != supplier_country
                ),
                None,
            )
            if taker is None and giver is not None:
                taker = next(
                    (
                        a
                        for a in local
                        if a.index > giver.index and a.actor.country != supplier_country and a not in givers
                    ),
                    None,
                )
            takers = self._coordinated(tokens, taker, local) if taker else listed
        suppliers = [a.actor for a in givers]
        recipients = [a.actor for a in takers]
        if not suppliers and not recipients:
            recent = context.last_arms if context.last_arms and number - context.last_arms[0] <= 2 else None
            if recent is None:
                return []
            suppliers, recipients = [recent[1]], [recent[2]]
        elif not recipients:
            if _names_unknown_recipient(tokens, trigger, clause, usable):
                return []  # "… supplying drones to the juntas": a recipient the gazetteer does not know
            implicit = self._implicit_recipient(number, suppliers[0], usable, givers, context, earlier)
            recipients = [implicit] if implicit else []
        elif not suppliers:
            implicit = self._implicit_supplier(recipients[0], earlier)
            suppliers = [implicit] if implicit else []
        categories = list(dict.fromkeys(w.category for w in weapons)) or [WeaponCategory.OTHER]
        claims: list[ProposedArmsDelivery] = []
        for supplier in suppliers:
            for recipient in recipients:
                if supplier.country is not None and supplier.country == recipient.country:
                    continue
                context.last_arms = (number, supplier, recipient)
                claims.append(
                    ProposedArmsDelivery(
                        quote=sentence.text,
                        status=Status.OCCURRED,
                        date=None,
                        supplier=supplier,
                        recipient=recipient,
                        weapons=[w.text for w in weapons][:12],
                        weapon_categories=categories,
                    )
                )
        return claims

    @staticmethod
    def _coordinated(
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

    def _listed(
        self, tokens: list[Token], usable: list[ActorMention], clause: tuple[int, int]
    ) -> list[ActorMention]:
        """The states of a list right after the clause: "…, darunter Indonesien und Malaysia",
        "…, including Poland and Romania"."""
        end = clause[1]
        if end + 1 >= len(tokens) or tokens[end].text != "," or tokens[end + 1].key not in LIST_MARKERS:
            return []
        first = next((a for a in usable if a.index > end + 1), None)
        if first is None or any(t.text in CLAUSE_BREAKS for t in tokens[end + 2 : first.index]):
            return []
        return self._coordinated(tokens, first, usable)

    def _implicit_recipient(
        self,
        number: int,
        supplier: Actor,
        usable: list[ActorMention],
        givers: list[ActorMention],
        context: DocumentContext,
        earlier: list[ProposedArmsDelivery],
    ) -> Actor | None:
        """A recipient the clause leaves out: the recipient of a delivery told earlier in the
        sentence ("… to Ukraine, and Denmark … handed over"), the sentence's other subject ("India
        buys …, although France has delivered …"), the recipient of the delivery just reported, or
        the state the article is about."""
        same = next((c.recipient for c in earlier if c.recipient.country != supplier.country), None)
        if same is not None:
            return same
        suppliers = {c.supplier.country for c in earlier} | {g.actor.country for g in givers}
        other = next(
            (
                a
                for a in usable
                if a.context == "plain"
                and a.actor.country != supplier.country
                and a.actor.country not in suppliers
            ),
            None,
        )
        if other is not None:
            return other.actor
        recent = context.last_arms if context.last_arms and number - context.last_arms[0] <= 2 else None
        if recent and recent[1].country == supplier.country:
            return recent[2]
        if context.dominant and context.dominant != supplier.country:
            return Actor(name=_country_name(self.gazetteer, context.dominant), country=context.dominant)
        return None

    @staticmethod
    def _implicit_supplier(recipient: Actor, earlier: list[ProposedArmsDelivery]) -> Actor | None:
        """A supplier the clause leaves out, from a delivery told earlier in the same sentence
        ("… sells jets to Malaysia, and Romania has purchased howitzers")."""
        return next((c.supplier for c in earlier if c.supplier.country != recipient.country), None)

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
            and a.context not in {"topic", "source", "comparison", "modifier", "place", "dateline"}
        ]
        groups = _groups(parties)
        actors_: list[Actor] = [g[0].actor for g in groups]
        words = [t.key for t in tokens]
        plural = self.cues.any_of(words, self.cues.anaphora_plural) and _pronoun_plural(tokens)
        recent_pair = _recent_pair(context, number, 2) if plural else None
        if len(actors_) < 2 and context.last_meeting and number - context.last_meeting[0] <= 2:
            known = context.last_meeting[1]
            actors_ = known if not actors_ else _merge_actors(known, actors_)
        elif len(actors_) < 2 and recent_pair:  # "den beide Länder unterzeichnet hätten"
            actors_ = recent_pair if not actors_ else _merge_actors(recent_pair, actors_)
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
    def _date_for(
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
            dates = inside or [
                d for d in dates if not any(a <= d.index < b for a, b in foreign) or d.end == 0
            ]
        if not dates:
            return None
        explicit = [d for d in dates if d.explicit] or dates
        return min(explicit, key=lambda d: abs(d.index - trigger.index)).value

    def _remember(
        self, number: int, tokens: list[Token], actors: list[ActorMention], context: DocumentContext
    ) -> None:
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


def _clause_of(tokens: list[Token], index: int, actors: list[ActorMention] | None = None) -> tuple[int, int]:
    """The clause of a trigger: cut at commas and dashes (but not at the commas of a list of
    actors), and also at a conjunction that starts a new clause ("…, although France has
    delivered …", "met … but did not sign")."""
    start, end = _list_clause(tokens, index, actors or [])
    for j in range(index - 1, start - 1, -1):
        if tokens[j].key in SUBORDINATORS:
            start = j
            break
    for j in range(index + 1, end):
        if tokens[j].key in SUBORDINATORS:
            end = j
            break
    return start, end


LIST_MARKERS = frozenset(
    {"darunter", "insbesondere", "namentlich", "including", "among", "namely", "notably", "such", "etwa"}
)
PRODUCTION_NOUNS = ("produktion", "herstellung", "fertigung", "bestand", "bestanden", "production", "stocks")


def _delivery_clause(
    tokens: list[Token], trigger: Trigger, verbs: list[Trigger], actors: list[ActorMention]
) -> tuple[int, int]:
    """The clause of a delivery trigger, also cut at the last "und"/"and" before another delivery
    verb of the clause: "X bought tanks from A and acquired jets from B" is two deliveries."""
    start, end = _clause_of(tokens, trigger.index, actors)
    for other in verbs:
        if other.index == trigger.index or not start <= other.index < end:
            continue
        if other.index > trigger.index:
            cuts = [j for j in range(trigger.end, other.index) if tokens[j].key in COORDINATORS]
            if cuts:
                end = min(end, cuts[-1])
        else:
            cuts = [j for j in range(other.end, trigger.index) if tokens[j].key in COORDINATORS]
            if cuts:
                start = max(start, cuts[-1] + 1)
    return start, end


def _origin_of(
    tokens: list[Token], actor: ActorMention, weapons: list[Weapon], clause: tuple[int, int]
) -> bool:
    """Whether a country adjective gives the weapons' origin: right before a weapon phrase, perhaps
    with type names between ("Turkish Bayraktar TB2 drones"), or "aus indischer Produktion"."""
    for weapon in weapons:
        if weapon.index <= actor.index < weapon.end or actor.end == weapon.index:
            return True
        between = tokens[actor.end : weapon.index]
        if (
            actor.end < weapon.index
            and len(between) <= 3
            and all(t.is_capitalised or t.key[:1].isdigit() for t in between)
        ):
            return True
    following = tokens[actor.end] if actor.end < len(tokens) else None
    return (
        clause[0] <= actor.index < clause[1]
        and actor.context == "origin"
        and following is not None
        and following.key.endswith(PRODUCTION_NOUNS)
    )


def _names_unknown_recipient(
    tokens: list[Token], trigger: Trigger, clause: tuple[int, int], usable: list[ActorMention]
) -> bool:
    """Whether the clause names a recipient that is no known actor: "to the juntas", "an die
    Milizen" (then guessing the article's main state would be wrong)."""
    known = {i for a in usable for i in range(a.index, a.end)}
    for j in range(trigger.end, clause[1] - 2):
        if tokens[j].key in {"to", "an"} and tokens[j + 1].key in {"the", "die", "den"}:
            head = tokens[j + 2]
            if head.is_word and j + 2 not in known and not any(ch.isdigit() for ch in head.text):
                return True
    return False


MEETING_PRIORITY = ("meet", "talk", "welcome", "visit", "travel", "summit")
SIGNING_PRIORITY = ("sign", "agreement")


def _main_trigger(triggers: list[Trigger], priority: tuple[str, ...]) -> Trigger:
    """The trigger that tells how the text presents the event: a verb before a noun (a noun has no
    tense), then the most specific kind, then the first ("reiste nach Seoul, wo er … treffen
    wird": the meeting is planned; "travelled to Baghdad for talks": it occurred)."""

    def rank(trigger: Trigger) -> tuple[bool, int, int]:
        kind = priority.index(trigger.kind) if trigger.kind in priority else len(priority)
        return trigger.tense == "noun", kind, trigger.index

    return min(triggers, key=rank)


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
    "gipfels",
    "besuch",
    "besuchs",
    "besuches",
    "anlass",
    "gelegenheit",
    "occasion",
    "meeting",
    "day",
    "summit",
    "visit",
    "talks",
    "gesprache",
    "gesprachen",
    "konferenz",
    "conference",
    "ceremony",
    "zeremonie",
    "rande",
    "sidelines",
    "margins",
)


TEMPORAL_PREPOSITIONS = frozenset({"vor", "nach", "seit", "before", "after", "since", "following", "ahead"})


def _temporal_reference(tokens: list[Token], trigger: Trigger) -> bool:
    """A meeting noun used as a point in time: "vor dem Besuch", "after the talks", "ahead of the
    summit"."""
    if trigger.tense != "noun":
        return False
    j = trigger.index - 1
    while j >= 0 and (tokens[j].key in ARTICLES or tokens[j].key == "of" or _adjective(tokens[j])):
        j -= 1
    return j >= 0 and tokens[j].key in TEMPORAL_PREPOSITIONS


def _list_clause(tokens: list[Token], index: int, actors: list[ActorMention]) -> tuple[int, int]:
    """The clause of a trigger, read across the commas of a list of actors ("ein Treffen der
    Außenminister Ägyptens, Jordaniens und Saudi-Arabiens … wurde abgesagt", "received drones
    from Turkey, Iran and the UAE")."""
    start, end = clause_bounds(tokens, index)
    starts = {a.index for a in actors}
    ends = {a.end for a in actors}
    while end + 1 < len(tokens) and tokens[end].text == "," and end + 1 in starts:
        if not _list_continues(tokens, end + 1):
            break
        end = clause_bounds(tokens, end + 1)[1]
    while start >= 2 and tokens[start - 1].text == "," and start - 1 in ends and start in starts:
        if not _list_continues(tokens, start):
            break
        start = clause_bounds(tokens, start - 2)[0]
    return start, end


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


COPULAS = frozenset({"war", "waren", "weilte", "weilten", "weilt", "was", "were"})
MADE_HEADS = frozenset({"made", "built", "produced", "designed", "manufactured"})
MADE_WORDS = frozenset(
    {
        "gebaut",
        "gebaute",
        "gebauten",
        "gebauter",
        "hergestellt",
        "hergestellte",
        "hergestellten",
        "produziert",
        "produzierte",
        "produzierten",
        "gefertigt",
        "gefertigte",
        "gefertigten",
        "made",
        "built",
        "produced",
        "manufactured",
    }
)
RELATION_NOUNS = (
    "zusammenarbeit",
    "kooperation",
    "beziehungen",
    "partnerschaft",
    "handel",
    "spannungen",
    "streit",
    "grenze",
    "cooperation",
    "relations",
    "ties",
    "trade",
    "partnership",
    "tensions",
    "dispute",
    "border",
)
"""Nouns after which "mit X" / "with X" is a topic, not a counterpart ("cooperation with the US")."""
DEFINITE_REFERENCES = frozenset(
    {
        "dem",
        "den",
        "der",
        "das",
        "the",
        "this",
        "that",
        "diesem",
        "dieser",
        "diesen",
        "dieses",
        "jenem",
        "his",
        "her",
        "their",
        "its",
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
        "beim",
    }
)


SUBJECT_WORDS = frozenset({"he", "she", "it", "they", "we", "i", "er", "sie", "es", "wir", "man"})


def _trailing_source(tokens: list[Token], verb: int) -> tuple[int, int] | None:
    """The source of an English report clause set off by a comma: "…, the Saudi Press Agency said",
    "…, South Korea's defence minister told lawmakers" → the noun phrase before the verb (without
    its article). None for a pronoun ("…, he said") or a long clause."""
    start = verb
    while start > 0 and tokens[start - 1].text not in CLAUSE_BREAKS:
        start -= 1
    if start == 0 or tokens[start - 1].text != "," or verb - start > 7 or verb == start:
        return None
    end = verb + 1
    while end < len(tokens) and tokens[end].text not in CLAUSE_BREAKS:
        end += 1
    if end - verb > 5:
        return None
    while start < verb and tokens[start].key in ARTICLES:
        start += 1
    if start == verb or tokens[start].key in SUBJECT_WORDS:
        return None
    return start, verb


def _topic_of(tokens: list[Token], trigger: Trigger) -> bool:
    """A noun trigger that is the topic of talk: "über die Lieferung", "talks on the sale of"."""
    topics = {"uber", "about", "regarding", "concerning", "bezuglich", "on"}
    j = trigger.index - 1
    while j >= 0 and tokens[j].key not in topics:
        if not (tokens[j].key in ARTICLES or _adjective(tokens[j]) or tokens[j].key.isdigit()):
            return False
        j -= 1
    return j >= 0


def _made_in(tokens: list[Token], start: int, end: int) -> bool:
    """A place that says where weapons were made: "in Frankreich gebaute", "built in France"."""
    after = tokens[end].key if end < len(tokens) else ""
    before = tokens[start - 2].key if start >= 2 and tokens[start - 1].key == "in" else ""
    return after in MADE_WORDS or before in MADE_WORDS


def _definite_reference(tokens: list[Token], trigger: Trigger) -> bool:
    """A meeting noun with a definite, demonstrative or possessive determiner ("bei dem Treffen",
    "his second visit"): a mention of a meeting the reader already knows."""
    if trigger.tense != "noun":
        return False
    j = trigger.index - 1
    while (
        j >= 0
        and trigger.index - j <= 3
        and (_adjective(tokens[j]) or tokens[j].key.endswith(("st", "nd", "rd", "th", "te", "ten")))
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
                return Extractor._coordinated(tokens, first, participants)
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
        tokens[j].key in ARTICLES or tokens[j].key in {"by", "von", "vom"} or _adjective(tokens[j])
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


def _war_word(tokens: list[Token], k: int) -> bool:
    """A noun of war ("Krieg", "Angriffskrieg", "the war"); German "war" (was) is none."""
    key = tokens[k].key
    if key == "war":
        before = tokens[k - 1] if k > 0 else None
        return before is not None and (before.key in ENGLISH_DETERMINERS or _possessive(before))
    return key.endswith(WAR_NOUNS)


def _possessive(token: Token) -> bool:
    """An English possessive ("Japan's") or a German genitive name ("Aserbaidschans")."""
    return token.text.endswith(("'s", "’s")) or (token.is_capitalised and token.text.endswith("s"))


def _list_continues(tokens: list[Token], index: int) -> bool:
    """Whether a coordinator follows in the same clause: "mit Xi, Erdogan und Modi" is a list, but
    "In Dakar, Senegal's minister welcomed …" starts a new phrase after the comma."""
    for token in tokens[index:]:
        if token.key in COORDINATORS:
            return True
        if token.text in CLAUSE_BREAKS and token.text != ",":
            return False
    return False


REFER_BACK = frozenset({"dabei", "damals", "dort", "there", "anschliessend", "afterwards", "later", "spater"})
REFER_BACK_PHRASES = (
    ("am", "rande"),
    ("on", "the", "sidelines"),
    ("on", "the", "margins"),
    ("at", "the", "time"),
)
"""Words and phrases that place an event at the time of the one just told."""
EVENT_PREPOSITIONS = (
    ("during", "the"),
    ("wahrend", "des"),
    ("wahrend", "der"),
    ("bei", "dem"),
    ("beim",),
    ("at", "the"),
)
"""Phrases that do so before an event noun ("during the visit", "beim Treffen")."""


def _own_dates(tokens: list[Token], dates: list[DateMention], trigger: Trigger) -> list[DateMention]:
    """The dates that can be the trigger's: not those of a relative clause the trigger is not in
    ("ein Freihandelsabkommen, das Anfang dieses Jahres in Kraft trat")."""
    home = clause_bounds(tokens, trigger.index)
    return [
        d
        for d in dates
        if not (_in_relative_clause(tokens, d.index) and clause_bounds(tokens, d.index) != home)
    ]


def _refers_back(tokens: list[Token]) -> bool:
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


def _in_relative_clause(tokens: list[Token], index: int) -> bool:
    """Whether token `index` sits in a German relative clause (", das die Beschwerden der USA …
    ignorierte,"): after a comma and a relative pronoun, up to a clause end that is a verb."""
    start = index
    while start > 0 and tokens[start - 1].text not in CLAUSE_BREAKS:
        start -= 1
    if start == 0 or tokens[start - 1].text != "," or tokens[start].key not in RELATIVE_PRONOUNS:
        return False
    if tokens[start].key not in {"which", "who", "whose"} and not (
        start >= 2 and tokens[start - 2].is_capitalised
    ):
        return False  # a German relative pronoun follows its noun: "…berichtet, die Türkei habe …" is none
    end = index
    while end + 1 < len(tokens) and tokens[end + 1].text not in CLAUSE_BREAKS:
        end += 1
    last = tokens[end]
    if (
        tokens[start].key in {"der", "die", "das"}
        and start + 1 < len(tokens)
        and tokens[start + 1].is_capitalised
    ):
        # ", der Präsident …" is an apposition, ", das Anfang dieses Jahres in Kraft trat" a relative
        # clause: only the latter ends in a verb
        return last.is_word and not last.is_capitalised and last.key not in ARTICLES and end - start >= 3
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


def _recent_pair(context: DocumentContext, number: int, within: int = PAIR_SENTENCES) -> list[Actor] | None:
    """Whom "die beiden", "both sides", "the two countries" refer to: the participants of the last
    meeting, or within a few sentences the actors of the last claim of any type."""
    if context.last_meeting and number - context.last_meeting[0] <= within:
        return list(context.last_meeting[1])
    if context.last_pair and number - context.last_pair[0] <= min(within, CONTEXT_SENTENCES):
        pair = context.last_pair[1]
        return list(pair) if len(pair) >= 2 else None
    return None


def _relative_clause_actors(
    tokens: list[Token], triggers: list[Trigger], actors: list[ActorMention]
) -> list[ActorMention]:
    """When every trigger sits in one relative clause ("Hungary's prime minister, who visited
    Moscow and Beijing last week, did not …"), the clause's actors and the one it is attached to
    take part; elsewhere the relative clause's actors stay out."""
    if not triggers or not all(_in_relative_clause(tokens, t.index) for t in triggers):
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


def _pronoun_plural(tokens: list[Token]) -> bool:
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

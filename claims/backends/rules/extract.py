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

from dataclasses import dataclass

from claims.backends.rules.actors import actor_mentions
from claims.backends.rules.attribution import find_attribution
from claims.backends.rules.clauses import clause_of
from claims.backends.rules.context import DocumentContext, SentenceFacts, merge_actors, remember
from claims.backends.rules.cues import Cues
from claims.backends.rules.dates import DateMention, Published, after_publication, find_dates
from claims.backends.rules.deliveries import delivery_claims
from claims.backends.rules.event_dates import date_for, own_dates, refers_back, trigger_dates
from claims.backends.rules.gazetteer import Gazetteer
from claims.backends.rules.lexicon import Lexicon, Trigger
from claims.backends.rules.meetings import MEETING_PRIORITY, meeting_claims
from claims.backends.rules.mentions import find_mentions
from claims.backends.rules.sentences import Sentence, segment
from claims.backends.rules.signings import SIGNING_PRIORITY, signing_claims
from claims.backends.rules.tokens import Token, modal_scope, tokenize
from claims.merge import unique_claims
from claims.schema import ProposedClaim, ProposedMeeting, Status, actors_of


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

    def sentence(
        self, number: int, sentence: Sentence, tokens: list[Token], text: str, context: DocumentContext
    ) -> list[ProposedClaim]:
        mentions = find_mentions(tokens, text, context, self.gazetteer, self.lexicon)
        attribution, source_span = find_attribution(tokens, text, self.cues, self.lexicon)
        if attribution is None and any(t.key in {"demnach", "zufolge", "accordingly"} for t in tokens):
            attribution = context.last_attribution
        elif attribution is not None:
            context.last_attribution = attribution
        actors = actor_mentions(tokens, mentions, source_span, self.gazetteer, self.lexicon)
        triggers = self.lexicon.triggers(tokens)
        weapons = self.lexicon.weapons(tokens, text)
        claims: list[ProposedClaim] = []
        if triggers:
            facts = SentenceFacts(number, sentence, tokens, actors, weapons, context)
            claims = self._claims(facts, triggers, attribution)
        remember(number, tokens, actors, context)
        return claims

    def _claims(
        self, facts: SentenceFacts, triggers: list[Trigger], attribution: str | None
    ) -> list[ProposedClaim]:
        """The claims a sentence's triggers make, with status, date and attribution."""
        number, tokens, actors, context = facts.number, facts.tokens, facts.actors, facts.context
        denied = self.cues.denied(tokens)
        reported_denial = denied and self.cues.reports(tokens)
        if denied and not reported_denial:
            return []
        live = [t for t in triggers if not self.cues.negated(tokens, clause_of(tokens, t.index, actors))]
        by_type: dict[str, list[Trigger]] = {}
        for trigger in live:
            by_type.setdefault(trigger.type, []).append(trigger)
        dates = trigger_dates(tokens, by_type, context, self.cues)
        ahead = find_dates(tokens, context.published, True, context.last_date)
        carried = (
            [DateMention(0, 0, context.last_date, False)] if context.last_date and refers_back(tokens) else []
        )
        found: list[tuple[ProposedClaim, Trigger, tuple[int, int] | None]] = []
        for claim_type, type_triggers in by_type.items():
            if claim_type == "meeting":
                trigger = _main_trigger(type_triggers, MEETING_PRIORITY)
                meetings_ = meeting_claims(facts, type_triggers, self.lexicon, self.cues)
                found += [(claim, trigger, None) for claim in meetings_]
            elif claim_type == "arms_delivery":
                found += delivery_claims(facts, type_triggers, self.gazetteer)
            else:
                trigger = _main_trigger(type_triggers, SIGNING_PRIORITY)
                signings = signing_claims(facts, type_triggers, self.lexicon, self.cues)
                found += [(claim, trigger, None) for claim in signings]
        finished: list[ProposedClaim] = []
        clauses = [clause for _, _, clause in found if clause is not None]
        for claim, trigger, clause in found:
            scope = modal_scope(tokens, trigger.index)
            status = self.cues.status(
                tokens, scope, trigger.tense, attribution=attribution, trigger=trigger.index
            )
            own = own_dates(tokens, ahead if status == Status.PLANNED else dates, trigger)
            date = date_for(own or carried, trigger, clause, clauses)
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
            context.last_meeting = (number, merge_actors(*(m.participants for m in meetings)))
        if finished:
            context.last_pair = (number, merge_actors(actors_of(finished[-1])))
        return unique_claims(finished)


def _main_trigger(triggers: list[Trigger], priority: tuple[str, ...]) -> Trigger:
    """The trigger that tells how the text presents the event: a verb before a noun (a noun has no
    tense), then the most specific kind, then the first ("reiste nach Seoul, wo er … treffen
    wird": the meeting is planned; "travelled to Baghdad for talks": it occurred)."""

    def rank(trigger: Trigger) -> tuple[bool, int, int]:
        kind = priority.index(trigger.kind) if trigger.kind in priority else len(priority)
        return trigger.tense == "noun", kind, trigger.index

    return min(triggers, key=rank)

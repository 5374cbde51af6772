"""Arms-delivery claims of one sentence: per delivery clause, its suppliers and recipients by the
direction of the verb (liefert an / erhält von / kauft in), and the weapons' origin by adjective.
"""

from __future__ import annotations

from dataclasses import replace

from claims.backends.rules.actors import ActorMention, coordinated, country_name
from claims.backends.rules.clauses import clause_of
from claims.backends.rules.context import DocumentContext, SentenceFacts
from claims.backends.rules.gazetteer import Gazetteer
from claims.backends.rules.grammar import is_adjective
from claims.backends.rules.lexicon import Trigger, Weapon
from claims.backends.rules.sentences import Sentence
from claims.backends.rules.tokens import CLAUSE_BREAKS, Token
from claims.backends.rules.words import ARTICLES, COORDINATORS, LIST_MARKERS, PRODUCTION_NOUNS
from claims.schema import Actor, ProposedArmsDelivery, ProposedClaim, Status, WeaponCategory


def delivery_claims(
    facts: SentenceFacts, triggers: list[Trigger], gazetteer: Gazetteer
) -> list[tuple[ProposedClaim, Trigger, tuple[int, int]]]:
    """One claim per supplier and recipient of each delivery clause, with the trigger and the
    clause it came from. Verbs decide the direction before nouns ("erhielt eine Lieferung")."""
    number, sentence, tokens, actors, weapons = (
        facts.number,
        facts.sentence,
        facts.tokens,
        facts.actors,
        facts.weapons,
    )
    context = facts.context
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
        for claim in _delivery(
            number, sentence, tokens, actors, trigger, clause, local_weapons, context, earlier, gazetteer
        ):
            found.append((claim, trigger, clause))
    return found


def _delivery(
    number: int,
    sentence: Sentence,
    tokens: list[Token],
    actors: list[ActorMention],
    trigger: Trigger,
    clause: tuple[int, int],
    weapons: list[Weapon],
    context: DocumentContext,
    earlier: list[ProposedArmsDelivery],
    gazetteer: Gazetteer,
) -> list[ProposedArmsDelivery]:
    usable = [
        a
        for a in actors
        if a.strength in {"person", "state", "body"}
        and a.context not in {"topic", "source", "comparison", "modifier", "dateline"}
    ]
    local = [a for a in usable if clause[0] <= a.index < clause[1]]
    listed = _listed(tokens, usable, clause)
    origins = [
        replace(a, actor=Actor(name=country_name(gazetteer, a.group), country=a.actor.country))
        for a in actors
        if a.strength == "origin" and _origin_of(tokens, a, weapons, clause)
    ]  # "nordkoreanische Panzerfahrzeuge", "aus indischer Produktion": the state, by its name
    givers: list[ActorMention] = []
    takers: list[ActorMention] = []
    if trigger.kind in {"get", "buyer"}:
        found = next((a for a in local if a.context in {"plain", "place"}), None)
        takers = coordinated(tokens, found, local) if found else listed
        source = next((a for a in local if a.context == "origin" and a is not found), None)
        if source is None and not origins and trigger.kind == "get":
            source = next(  # "Polen kauft in Südkorea Panzer": where one buys is who sells
                (
                    a
                    for a in local
                    if a.context == "place" and a is not found and a.index > trigger.index and a.actor.country
                ),
                None,
            )
        givers = coordinated(tokens, source, local) if source else origins[:1]
    else:
        giver = next((a for a in local if a.context in {"plain", "origin"}), None)
        if trigger.index > 0 and tokens[trigger.index - 1].key == "to":
            nearest = [a for a in local if a.context == "plain" and a.end <= trigger.index]
            giver = nearest[-1] if nearest else giver  # "criticised the US decision to send …"
        if giver is None and not origins:  # "Ankara dementierte Berichte, wonach … geliefert worden seien"
            giver = next((a for a in usable if a.context == "plain" and a.index < clause[0]), None)
        givers = coordinated(tokens, giver, local) if giver else origins[:1]
        supplier_country = givers[0].actor.country if givers else None
        taker = next(
            (a for a in local if a.context in {"recipient", "place"} and a.actor.country != supplier_country),
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
        takers = coordinated(tokens, taker, local) if taker else listed
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
        implicit = _implicit_recipient(number, suppliers[0], usable, givers, context, earlier, gazetteer)
        recipients = [implicit] if implicit else []
    elif not suppliers:
        implicit = _implicit_supplier(recipients[0], earlier)
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


def _listed(tokens: list[Token], usable: list[ActorMention], clause: tuple[int, int]) -> list[ActorMention]:
    """The states of a list right after the clause: "…, darunter Indonesien und Malaysia",
    "…, including Poland and Romania"."""
    end = clause[1]
    if end + 1 >= len(tokens) or tokens[end].text != "," or tokens[end + 1].key not in LIST_MARKERS:
        return []
    first = next((a for a in usable if a.index > end + 1), None)
    if first is None or any(t.text in CLAUSE_BREAKS for t in tokens[end + 2 : first.index]):
        return []
    return coordinated(tokens, first, usable)


def _implicit_recipient(
    number: int,
    supplier: Actor,
    usable: list[ActorMention],
    givers: list[ActorMention],
    context: DocumentContext,
    earlier: list[ProposedArmsDelivery],
    gazetteer: Gazetteer,
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
        return Actor(name=country_name(gazetteer, context.dominant), country=context.dominant)
    return None


def _implicit_supplier(recipient: Actor, earlier: list[ProposedArmsDelivery]) -> Actor | None:
    """A supplier the clause leaves out, from a delivery told earlier in the same sentence
    ("… sells jets to Malaysia, and Romania has purchased howitzers")."""
    return next((c.supplier for c in earlier if c.supplier.country != recipient.country), None)


def _delivery_clause(
    tokens: list[Token], trigger: Trigger, verbs: list[Trigger], actors: list[ActorMention]
) -> tuple[int, int]:
    """The clause of a delivery trigger, also cut at the last "und"/"and" before another delivery
    verb of the clause: "X bought tanks from A and acquired jets from B" is two deliveries."""
    start, end = clause_of(tokens, trigger.index, actors)
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


def _topic_of(tokens: list[Token], trigger: Trigger) -> bool:
    """A noun trigger that is the topic of talk: "über die Lieferung", "talks on the sale of"."""
    topics = {"uber", "about", "regarding", "concerning", "bezuglich", "on"}
    j = trigger.index - 1
    while j >= 0 and tokens[j].key not in topics:
        if not (tokens[j].key in ARTICLES or is_adjective(tokens[j]) or tokens[j].key.isdigit()):
            return False
        j -= 1
    return j >= 0

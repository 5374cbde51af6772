"""When are two claims the same event? ANNOTATION.md, "Events across documents", one rule a function.

`same_event(a, b)` applies the rules in order — type, actors (arms, two-party, gathering),
people, time, place, weapons, agreement — and returns a `Decision`: the first rule that keeps the
two apart, or, when none does, the actor rule that links them (`arms_supply_relation`,
`arms_shipment`, `two_party`, `gathering`) with what every rule found. The rules are symmetric;
`same_event` also puts the pair in a canonical order first, so (a, b) and (b, a) give the same
decision, word for word.

`block_keys(claim)` gives keys that any two linkable claims share (type, the actor states, dated
or not; a gathering's place state; for a dated claim the months its date can agree with), so
grouping compares only claims within a block, never all pairs. An undated meeting or signing is
too vague to link and has no keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta

from claims.events.actors import Identity, identity, same_actor, same_person
from claims.events.agreements import same_agreement
from claims.events.places import places_agree, resolve_place
from claims.schema import ProposedArmsDelivery, ProposedMeeting, ProposedTreatySigning, actors_of

Claim = ProposedMeeting | ProposedArmsDelivery | ProposedTreatySigning
GENERIC_CATEGORIES = frozenset({"other"})
DAY_TOLERANCE = timedelta(days=1)
DAY_PRECISION = 10  # len("YYYY-MM-DD")


@dataclass(frozen=True)
class Decision:
    """Whether two claims are one event, the rule that decided it, and what was found."""

    linked: bool
    rule: str
    detail: str


Rule = Callable[[Claim, Claim], Decision | None]
"""A rule returns a Decision that keeps the pair apart, or one with linked=True saying what held,
or None when it does not apply to the pair."""


def _identities(claim: Claim) -> list[Identity]:
    return [identity(actor) for actor in actors_of(claim)]


def is_gathering(claim: Claim) -> bool:
    """A meeting or signing with three or more parties, or a body or group among its actors.

    A *person* acting for a body (the UN Secretary-General) is one party, not a group: Putin
    meeting Guterres is a two-party meeting, while Putin meeting "the BRICS leaders" is a gathering."""
    if isinstance(claim, ProposedArmsDelivery):
        return False
    ids = _identities(claim)
    return any(i.state is None and i.person is None for i in ids) or len(_parties(claim)) >= 3


def _parties(claim: Claim) -> frozenset[str]:
    """The parties of a two-party claim: states, and the bodies that persons without a state act for."""
    return frozenset(i.state or i.group or "" for i in _identities(claim))


# --- the rules -------------------------------------------------------------------------------


def rule_type(a: Claim, b: Claim) -> Decision | None:
    """1. The same `type`."""
    if a.type != b.type:
        return Decision(False, "type", f"{a.type} and {b.type}")
    return Decision(True, "type", a.type)


def rule_arms_actors(a: Claim, b: Claim) -> Decision | None:
    """2. Arms deliveries: the same supplier state and the same recipient state."""
    if not isinstance(a, ProposedArmsDelivery) or not isinstance(b, ProposedArmsDelivery):
        return None
    sa, ra = identity(a.supplier), identity(a.recipient)
    sb, rb = identity(b.supplier), identity(b.recipient)
    if not same_actor(sa, sb):
        return Decision(False, "arms_actors", f"suppliers differ: {_label(sa)} and {_label(sb)}")
    if not same_actor(ra, rb):
        return Decision(False, "arms_actors", f"recipients differ: {_label(ra)} and {_label(rb)}")
    return Decision(True, "arms_actors", f"{_label(sa)} → {_label(ra)}")


def rule_gathering(a: Claim, b: Claim) -> Decision | None:
    """2. A two-party claim is never the same event as a gathering; a gathering links only with a
    place (the place rule checks it is the same) and a date (the time rule checks they agree)."""
    if isinstance(a, ProposedArmsDelivery):
        return None
    ga, gb = is_gathering(a), is_gathering(b)
    if ga != gb:
        return Decision(False, "gathering", "a two-party claim and a gathering are different events")
    if not ga:
        return None
    if a.location is None or b.location is None:
        return Decision(False, "gathering", "a gathering without a place is too vague to link")
    if a.date is None or b.date is None:
        return Decision(False, "gathering", "a gathering without a date is too vague to link")
    return Decision(True, "gathering", "both gatherings name a place and a date")


def rule_two_party(a: Claim, b: Claim) -> Decision | None:
    """2. Two-party meetings and signings: the same set of states."""
    if isinstance(a, ProposedArmsDelivery) or is_gathering(a) or is_gathering(b):
        return None
    sa, sb = _parties(a), _parties(b)
    if sa != sb:
        return Decision(False, "two_party", f"parties {'/'.join(sorted(sa))} and {'/'.join(sorted(sb))}")
    return Decision(True, "two_party", f"parties {'/'.join(sorted(sa))}")


def rule_people(a: Claim, b: Claim) -> Decision | None:
    """2. Where both name a person for the same state, it is the same person."""
    people_a = [(i.state, i) for i in _identities(a) if i.person is not None and i.state is not None]
    people_b = [(i.state, i) for i in _identities(b) if i.person is not None and i.state is not None]
    checked: list[str] = []
    for state in sorted({s for s, _ in people_a} & {s for s, _ in people_b}):
        xs = [i for s, i in people_a if s == state]
        ys = [i for s, i in people_b if s == state]
        if not any(same_person(x, y) for x in xs for y in ys):
            names = f"{', '.join(x.person or '' for x in xs)} and {', '.join(y.person or '' for y in ys)}"
            return Decision(False, "people", f"different people for {state}: {names}")
        checked.append(state)
    if not checked:
        return None
    return Decision(True, "people", f"same people for {'/'.join(checked)}")


def _parse(value: str) -> Date | None:
    if len(value) != DAY_PRECISION:
        return None
    try:
        return Date.fromisoformat(value)
    except ValueError:
        return None


def dates_agree(a: str, b: str) -> tuple[bool, str]:
    """Equal at their common precision, or at day precision at most one day apart."""
    precision = min(len(a), len(b))
    if a[:precision] == b[:precision]:
        return True, f"{a} and {b} agree"
    day_a, day_b = _parse(a), _parse(b)
    if day_a is not None and day_b is not None and abs(day_a - day_b) <= DAY_TOLERANCE:
        return True, f"{a} and {b} are one day apart"
    return False, f"{a} and {b} differ"


def rule_time(a: Claim, b: Claim) -> Decision | None:
    """3. Both undated (arms: the supply relation), or both dated and agreeing."""
    if a.date is None and b.date is None:
        if isinstance(a, ProposedArmsDelivery):
            return Decision(True, "time", "both undated: the ongoing supply relation")
        return Decision(False, "time", f"an undated {a.type} is too vague to link")
    if a.date is None or b.date is None:
        if isinstance(a, ProposedArmsDelivery):
            why = "an undated supply relation and a dated shipment are different events"
        else:
            why = f"a dated and an undated {a.type} are different events"
        return Decision(False, "time", why)
    agree, why = dates_agree(a.date, b.date)
    return Decision(agree, "time", why)


def rule_place(a: Claim, b: Claim) -> Decision | None:
    """4. When both name a place: the same place after normalisation, or one inside the other."""
    if a.location is None or b.location is None:
        return None
    agree, why = places_agree(a.location, b.location)
    return Decision(agree, "place", why)


def rule_weapons(a: Claim, b: Claim) -> Decision | None:
    """5. Dated deliveries: the weapon categories overlap, or either names weapons only generically."""
    if not isinstance(a, ProposedArmsDelivery) or not isinstance(b, ProposedArmsDelivery):
        return None
    if a.date is None or b.date is None:
        return None  # an undated supply relation is one event whatever the weapons
    ca = {c.value for c in a.weapon_categories} - GENERIC_CATEGORIES
    cb = {c.value for c in b.weapon_categories} - GENERIC_CATEGORIES
    if not ca or not cb:
        return Decision(True, "weapons", "weapons named only generically")
    if ca & cb:
        return Decision(True, "weapons", f"both deliver {'/'.join(sorted(ca & cb))}")
    return Decision(False, "weapons", f"categories {'/'.join(sorted(ca))} and {'/'.join(sorted(cb))}")


def rule_agreement(a: Claim, b: Claim) -> Decision | None:
    """6. Signings: the same agreement in any language or wording (a generic one agrees with any)."""
    if not isinstance(a, ProposedTreatySigning) or not isinstance(b, ProposedTreatySigning):
        return None
    agree, why = same_agreement(a.agreement, b.agreement)
    return Decision(agree, "agreement", why)


RULES: tuple[Rule, ...] = (
    rule_type,
    rule_arms_actors,
    rule_gathering,
    rule_two_party,
    rule_time,
    rule_place,
    rule_people,
    rule_weapons,
    rule_agreement,
)


def _label(i: Identity) -> str:
    return i.state or (i.group or "?")


def _in_order(a: Claim, b: Claim) -> bool:
    """Whether (a, b) is the pair's canonical order: by a few fields, then by the whole record."""
    key_a = (a.type, a.quote, a.date or "", a.location or "")
    key_b = (b.type, b.quote, b.date or "", b.location or "")
    if key_a != key_b:
        return key_a < key_b
    return a.model_dump_json() <= b.model_dump_json()


def explain(a: Claim, b: Claim) -> list[Decision]:
    """Every rule's finding on the pair, in rule order, up to the first that keeps them apart."""
    if not _in_order(a, b):
        a, b = b, a
    findings = []
    for rule in RULES:
        decision = rule(a, b)
        if decision is None:
            continue
        findings.append(decision)
        if not decision.linked:
            break
    return findings


def linking_rule(a: Claim) -> str:
    """The name of the actor rule under which a linked pair of this claim's kind is one event."""
    if isinstance(a, ProposedArmsDelivery):
        return "arms_supply_relation" if a.date is None else "arms_shipment"
    return "gathering" if is_gathering(a) else "two_party"


def same_event(a: Claim, b: Claim) -> Decision:
    """ANNOTATION.md's relation: the rule that keeps the two claims apart, or the one that links them."""
    findings = explain(a, b)
    if findings and not findings[-1].linked:
        return findings[-1]
    return Decision(True, linking_rule(a), "; ".join(f"{d.rule}: {d.detail}" for d in findings))


def date_months(value: str) -> frozenset[str]:
    """The months (YYYY-MM) a date can agree with (rule 3): any two agreeing dates share one.

    A year gives its twelve months; a month itself; a day its month, and also the neighbouring
    month when the day before or after falls in it (one day apart agrees, across a month's or a
    year's end). Proof by cases: dates equal at their common precision share the coarser one's
    month(s) — a year's twelve hold every day and month of it; days one day apart each carry the
    other's month."""
    if len(value) == len("YYYY"):
        return frozenset(f"{value}-{month:02d}" for month in range(1, 13))
    day = _parse(value)
    if day is None:  # a month, or a day that is not a calendar day (agrees only by prefix)
        return frozenset({value[:7]})
    return frozenset(
        (day + offset).isoformat()[:7] for offset in (-DAY_TOLERANCE, timedelta(0), DAY_TOLERANCE)
    )


def _dated(key: str, date: str) -> frozenset[str]:
    return frozenset(f"{key}|{month}" for month in date_months(date))


def block_keys(claim: Claim) -> frozenset[str]:
    """Keys shared by every two claims that could be one event (empty: it links with nothing)."""
    if isinstance(claim, ProposedArmsDelivery):
        supplier, recipient = identity(claim.supplier).slot, identity(claim.recipient).slot
        if claim.date is None:
            return frozenset({f"arms_delivery|{supplier}>{recipient}|undated"})
        return _dated(f"arms_delivery|{supplier}>{recipient}|dated", claim.date)
    if claim.date is None:
        return frozenset()
    if is_gathering(claim):
        if claim.location is None:
            return frozenset()
        place = resolve_place(claim.location)
        return _dated(f"{claim.type}|gathering|{place.state or '*'}", claim.date)
    return _dated(f"{claim.type}|pair|{'/'.join(sorted(_parties(claim)))}", claim.date)

"""Properties over random claims: blocking never hides a link, the relation is symmetric, and
grouping equals the components of the all-pairs relation whatever the order or the batches."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.events.group import EventIndex, VerifiedClaim, group_claims, record_key
from claims.events.link import block_keys, same_event
from tests.events.builders import actor, delivery, meeting, treaty

ACTORS = [
    actor("Wladimir Putin", "RUS"),
    actor("Russland", "RUS"),
    actor("Sergei Schoigu", "RUS"),
    actor("Kim Jong Un", "PRK"),
    actor("Nordkorea"),
    actor("Iran", "IRN"),
    actor("Teheran"),
    actor("Xi Jinping", "CHN"),
    actor("BRICS-Staaten"),
    actor("António Guterres"),
    actor("Hisbollah"),
]
DATES = [
    None,
    "2023",
    "2023-12-31",
    "2024",
    "2024-01-01",
    "2024-06",
    "2024-06-19",
    "2024-06-20",
    "2024-06-21",
    "2024-06-30",
    "2024-07",
    "2024-07-01",
]
PLACES = [None, "Pjöngjang", "Pyongyang", "Nordkorea", "Moskau", "Kasan", "Kazan", "Astana", "Elmau"]
AGREEMENTS = [
    "Vertrag",
    "Verteidigungspakt",
    "strategische Partnerschaft",
    "Gasabkommen",
    "joint declaration",
]
CATEGORIES = ["drones", "missiles", "other", "naval"]


@st.composite
def claims(draw: st.DrawFn) -> VerifiedClaim:
    kind = draw(st.sampled_from(["meeting", "treaty", "delivery"]))
    date, place = draw(st.sampled_from(DATES)), draw(st.sampled_from(PLACES))
    doc = draw(st.sampled_from(["a", "b", "c"]))
    if kind == "delivery":
        supplier, recipient = draw(st.lists(st.sampled_from(ACTORS), min_size=2, max_size=2))
        cats = draw(st.lists(st.sampled_from(CATEGORIES), max_size=2, unique=True))
        return delivery(supplier, recipient, cats, date=date, location=place, doc_id=doc)
    parties = draw(st.lists(st.sampled_from(ACTORS), min_size=2, max_size=4))
    if kind == "treaty":
        return treaty(
            *parties, agreement=draw(st.sampled_from(AGREEMENTS)), date=date, location=place, doc_id=doc
        )
    return meeting(*parties, date=date, location=place, doc_id=doc)


def _components_all_pairs(items: list[VerifiedClaim]) -> list[list[str]]:
    """The reference: components of the relation over every pair (no blocking)."""
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in itertools.combinations(range(len(items)), 2):
        same_record = record_key(items[i]) == record_key(items[j])
        if same_record or same_event(items[i], items[j]).linked:
            parent[find(i)] = find(j)
    groups: dict[int, list[str]] = {}
    for i, claim in enumerate(items):
        groups.setdefault(find(i), []).append(record_key(claim))
    return sorted(sorted(g) for g in groups.values())


def _keys(events: list[list[VerifiedClaim]]) -> list[list[str]]:
    return sorted(sorted(record_key(c) for c in e) for e in events)


@settings(max_examples=300, deadline=None)
@given(claims(), claims())
def test_linked_pairs_share_a_block_and_the_relation_is_symmetric(a: VerifiedClaim, b: VerifiedClaim) -> None:
    forward, backward = same_event(a, b), same_event(b, a)
    assert forward == backward
    if forward.linked:
        assert block_keys(a) & block_keys(b), forward


@settings(max_examples=60, deadline=None)
@given(st.lists(claims(), max_size=14), st.randoms(use_true_random=False))
def test_grouping_equals_all_pairs_components_in_any_order(
    items: list[VerifiedClaim], rng: random.Random
) -> None:
    expected = _components_all_pairs(items)
    assert _keys(group_claims(items)) == expected
    shuffled = list(items)
    rng.shuffle(shuffled)
    assert _keys(group_claims(shuffled)) == expected
    index = EventIndex()
    for start in range(0, len(shuffled), 3):
        index.add(shuffled[start : start + 3])
    assert _keys(index.events()) == expected

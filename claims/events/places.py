"""Place normalisation for event linking: which city or state a written place denotes.

A location is written as the text has it ("Pjöngjang", "in Moskau", "Kasan (Tatarstan)"). It is
resolved against the gazetteer (`claims/data/gazetteer.json`: state names, capitals, cities,
metonyms such as "Kreml") plus `claims/data/places.json` (more cities and sites), looking for the
longest run of words that names a known place and preferring a city to a state. Two places agree
when they are the same city, the same state, or one lies inside the other (Pyongyang in North
Korea); two city keys of one state also agree when they match as names do (Kasan ~ Kazan,
St. Petersburg ~ Sankt Petersburg). Two places the data does not know are compared by name
(fold, inflection, transliteration); a known and an unknown place cannot be shown to be one and
are different (so a gathering's block key, its place's state, is exact).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from claims.events.data import load
from claims.scoring.names import name_words, names_match

MAX_PLACE_WORDS = 4
GENITIVE = "s"


@dataclass(frozen=True)
class Place:
    """A resolved place: its state (ISO-3) and city key where known, and the text as written."""

    text: str
    state: str | None
    city: str | None

    @property
    def known(self) -> bool:
        return self.state is not None

    def describe(self) -> str:
        if self.city is not None:
            return f"{self.text!r} (city {self.city} in {self.state})"
        if self.state is not None:
            return f"{self.text!r} (state {self.state})"
        return f"{self.text!r} (unknown place)"


@cache
def _index() -> tuple[dict[tuple[str, ...], tuple[str, str]], dict[tuple[str, ...], str]]:
    """Folded word tuples -> (state, city key) for cities, and -> state for state-level names."""
    cities: dict[tuple[str, ...], tuple[str, str]] = {}
    states: dict[tuple[str, ...], str] = {}
    for code, entry in load("gazetteer.json")["states"].items():
        for name in entry.get("names", []) + entry.get("metonyms", []):
            states.setdefault(name_words(name), code)
        capitals = entry.get("capitals", [])
        for name in capitals:  # the spellings of one capital share its first spelling's key
            cities.setdefault(name_words(name), (code, " ".join(name_words(capitals[0]))))
        for name in entry.get("cities", []):  # a flat list of cities: spellings are matched by name
            cities.setdefault(name_words(name), (code, " ".join(name_words(name))))
    for code, entry in load("places.json")["states"].items():
        for canonical, aliases in entry.get("cities", {}).items():
            key = " ".join(name_words(canonical))
            for name in [canonical, *aliases]:
                cities.setdefault(name_words(name), (code, key))
        for name in entry.get("regions", []):
            states.setdefault(name_words(name), code)
    return cities, states


def _lookup(words: tuple[str, ...]) -> tuple[str, str | None] | None:
    cities, states = _index()
    for candidate in (
        words,
        (*words[:-1], words[-1][: -len(GENITIVE)]) if words[-1].endswith(GENITIVE) else (),
    ):
        if not candidate:
            continue
        if candidate in cities:
            return cities[candidate]
        if candidate in states:
            return states[candidate], None
    return None


@cache
def resolve_place(text: str) -> Place:
    """The place a location string denotes; a city beats a state when the string names both."""
    words = name_words(text)
    best_state: str | None = None
    for size in range(min(MAX_PLACE_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            found = _lookup(words[start : start + size])
            if found is None:
                continue
            state, city = found
            if city is not None:
                return Place(text, state, city)
            if best_state is None:
                best_state = state
    return Place(text, best_state, None)


def places_agree(a: str, b: str) -> tuple[bool, str]:
    """Whether two written places are one place (or one inside the other), and why."""
    pa, pb = resolve_place(a), resolve_place(b)
    if pa.known and pb.known:
        if pa.state != pb.state:
            return False, f"{pa.describe()} and {pb.describe()} are in different states"
        if pa.city is not None and pb.city is not None:
            if pa.city == pb.city or names_match(pa.city, pb.city):
                return True, f"{a!r} = {b!r} (city {pa.city})"
            return False, f"{pa.describe()} and {pb.describe()} are different cities"
        if pa.city is None and pb.city is None:
            return True, f"{a!r} = {b!r} (state {pa.state})"
        inner, outer = (a, b) if pa.city is not None else (b, a)
        return True, f"{inner!r} lies in {outer!r} ({pa.state})"
    if pa.known or pb.known:
        return False, f"{pa.describe()} and {pb.describe()}: only one is a known place"
    if names_match(a, b):
        return True, f"{a!r} ~ {b!r} (same name)"
    return False, f"{pa.describe()} and {pb.describe()} are different places"

"""Who an actor is, for event linking: the state it acts for, a body or group, and a person's name.

- **State**: the actor's `country`; when that is null, a state the name denotes (a state name,
  capital or metonym in the gazetteer: "Kreml" is RUS) or a well-known person's state
  (`claims/data/persons.json`).
- **Group**: no state: an international body or armed group of the gazetteer (its id), otherwise
  the folded name itself (compared as names are, `claims.scoring.names`).
- **Person**: whether the name is a person's (not the state, a capital, an office or a descriptor
  such as "Staatschef von Kasachstan" or "Amtskollege aus Simbabwe"), so that the people rule can
  tell two different officials of one state apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from claims.events.data import load
from claims.events.places import resolve_place
from claims.schema import Actor
from claims.scoring.names import name_words, names_match

# Folded word endings of offices, collectives and descriptors: a name holding one is not a person.
ROLE_ENDINGS = (
    "minister",
    "ministerin",
    "ministerium",
    "ministry",
    "prasident",
    "prasidentin",
    "president",
    "kanzler",
    "kanzlerin",
    "chancellor",
    "premier",
    "chef",
    "chefin",
    "chief",
    "head",
    "leader",
    "leaders",
    "kollege",
    "kollegin",
    "kollegen",
    "counterpart",
    "counterparts",
    "sekretar",
    "secretary",
    "vertreter",
    "vertreterin",
    "representative",
    "representatives",
    "delegation",
    "regierung",
    "government",
    "fuhrung",
    "fuhrer",
    "botschafter",
    "ambassador",
    "general",
    "generalmajor",
    "admiral",
    "sprecher",
    "spokesman",
    "spokeswoman",
    "armee",
    "army",
    "militar",
    "military",
    "streitkrafte",
    "forces",
    "staaten",
    "states",
    "lander",
    "countries",
    "seite",
    "side",
    "behorde",
    "authorities",
    "kommission",
    "commission",
    "konig",
    "king",
    "emir",
    "prinz",
    "prince",
    "personlichkeiten",
    "officials",
    "beamte",
    "beamten",
    "offizielle",
    "mitgliedsstaaten",
)
PARTICLES = frozenset(
    {"von", "van", "de", "da", "di", "du", "la", "le", "al", "el", "bin", "ibn", "ben", "der", "y"}
)


@dataclass(frozen=True)
class Identity:
    """What an actor stands for: `state` (ISO-3) or, with no state, `group` (a body id or name)."""

    state: str | None
    group: str | None
    person: str | None
    """The person's name as written, when the actor is a person."""
    known_person: int | None
    """Index of the person in persons.json, when the name is a well-known office holder."""

    @property
    def slot(self) -> str:
        """A block-key part: the state, a body's id, or `*` for a group known only by its name."""
        if self.state is not None:
            return self.state
        if self.group is not None and self.group.startswith("body:"):
            return self.group
        return "*"


@cache
def _bodies() -> dict[tuple[str, ...], str]:
    return {
        name_words(name): f"body:{body_id}"
        for body_id, entry in load("gazetteer.json")["bodies"].items()
        for name in entry.get("names", [])
    }


@cache
def _states() -> set[str]:
    return set(load("gazetteer.json")["states"])


@cache
def _persons() -> list[tuple[int, str, tuple[str, ...]]]:
    """(index, country or body id, names) of every well-known person."""
    return [
        (index, person["country"], tuple(person["names"]))
        for index, person in enumerate(load("persons.json")["persons"])
    ]


@cache
def known_person(name: str) -> tuple[int, str] | None:
    """The persons.json entry (index, country) whose names include `name` (folded, genitive -s)."""
    words = name_words(name)
    if not words:
        return None
    for index, country, names in _persons():
        for known in names:
            known_words = name_words(known)
            if words == known_words or (
                words[-1].endswith("s") and (*words[:-1], words[-1][:-1]) == known_words
            ):
                return index, country
    return None


@cache
def _body_of(name: str) -> str | None:
    words = name_words(name)
    bodies = _bodies()
    if words in bodies:
        return bodies[words]
    if words and words[-1].endswith("s") and (*words[:-1], words[-1][:-1]) in bodies:
        return bodies[(*words[:-1], words[-1][:-1])]
    return None


def person_name(name: str) -> str | None:
    """The personal name in `name` (leading titles dropped: "Generalmajor Waleri Rewenko"), or None
    when it is not a person: an office word later on, a place or body, a lower-case word."""
    tokens = name.split()
    while tokens and all(w.endswith(ROLE_ENDINGS) for w in name_words(tokens[0])) and name_words(tokens[0]):
        tokens = tokens[1:]
    rest = " ".join(tokens)
    words = name_words(rest)
    if not words or any(word.endswith(ROLE_ENDINGS) for word in words):
        return None
    if resolve_place(rest).known or _body_of(rest) is not None:
        return None
    for token in rest.replace("-", " ").split():
        letters = token.strip("()'’.,")
        if letters and letters.lower() not in PARTICLES and not letters[0].isupper():
            return None
    return rest


@cache
def _identity(name: str, country: str | None) -> Identity:
    person = known_person(name)
    written = name if person is not None else person_name(name)
    is_person = written is not None
    state = country
    group = None
    if state is None and person is not None and person[1] in _states():
        state = person[1]
    if state is None:
        place = resolve_place(name)
        if place.known and not is_person:
            state = place.state
    if state is None:
        body = _body_of(name) or (f"body:{person[1]}" if person is not None else None)
        group = body or "name:" + " ".join(name_words(name))
    return Identity(
        state=state,
        group=group,
        person=written,
        known_person=person[0] if person is not None else None,
    )


def identity(actor: Actor) -> Identity:
    """The actor's identity for event linking (cached per name and country)."""
    return _identity(actor.name, actor.country)


def same_actor(a: Identity, b: Identity) -> bool:
    """Same state; or, both without a state, the same body or matching group names."""
    if a.state is not None or b.state is not None:
        return a.state == b.state
    assert a.group is not None and b.group is not None
    if a.group.startswith("body:") or b.group.startswith("body:"):
        return a.group == b.group
    return names_match(a.group[len("name:") :], b.group[len("name:") :])


def same_person(a: Identity, b: Identity) -> bool:
    """Two person mentions name one person (persons.json entry, else the names match)."""
    if a.known_person is not None and b.known_person is not None:
        return a.known_person == b.known_person
    assert a.person is not None and b.person is not None
    return names_match(a.person, b.person)

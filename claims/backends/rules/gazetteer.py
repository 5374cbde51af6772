"""Who a word names: states (ISO-3), international bodies and well-known office holders.

Built from `claims/data/gazetteer.json` and `claims/data/persons.json` (their format is in their
`_format` key). Every alias is indexed by its folded token keys, so that matching ignores case and
diacritics ("Pjöngjang" = "Pjongjang"), and the forms a German text needs are generated:
genitive -s of names ("Russlands", "Putins"), adjective endings of German stems ("russisch" →
russische, russischen, russischem, russischer, russisches). Acronyms (US, EU, SOZ) match only in
capitals, and proper names only capitalised, so that English "us" or "may" never name a state.

A hyphenated compound whose first part names a state ("Kreml-Chef", "US-Präsident",
"Ukraine-Krieg") is a mention too, flagged `compound` with its head word, so that the extractor can
tell an office ("-Chef") from a mere modifier ("-Krieg").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from claims.backends.rules import data
from claims.backends.rules.tokens import Token, keys

EntryKind = Literal["name", "adjective", "capital", "city", "metonym", "demonym", "body", "person"]
GERMAN_ADJECTIVE_ENDINGS = ("", "e", "en", "em", "er", "es")
_STATE_FIELDS: tuple[tuple[str, EntryKind], ...] = (
    ("names", "name"),
    ("metonyms", "metonym"),
    ("capitals", "capital"),
    ("cities", "city"),
    ("demonyms", "demonym"),
    ("adjectives", "adjective"),
)


@dataclass(frozen=True, slots=True)
class Entry:
    """What an alias stands for. `code` is the ISO-3 code of a state or the id of a body;
    `country` is the ISO-3 code an actor gets (None for a body or an armed group)."""

    code: str
    country: str | None
    kind: EntryKind
    role: str | None = None
    exact_case: bool = False
    needs_capital: bool = True
    armed: bool = False


@dataclass(frozen=True, slots=True)
class Mention:
    """An alias found in a sentence: tokens [start, end) and the characters they cover."""

    start: int
    end: int
    char_start: int
    char_end: int
    text: str
    entry: Entry
    compound_head: str | None = None
    """For a compound such as "Kreml-Chef": its folded last part ("chef"); None otherwise."""

    @property
    def country(self) -> str | None:
        return self.entry.country

    @property
    def kind(self) -> EntryKind:
        return self.entry.kind


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return 0 < len(letters) <= 6 and all(c.isupper() for c in letters)


def _genitive(alias_keys: tuple[str, ...]) -> tuple[str, ...] | None:
    last = alias_keys[-1]
    if not last[-1:].isalpha() or last.endswith(("s", "x", "z")):
        return None
    return (*alias_keys[:-1], last + "s")


@dataclass
class Gazetteer:
    """Alias index: first token key → [(alias keys, alias as written, entry)], longest first."""

    index: dict[str, list[tuple[tuple[str, ...], str, Entry]]] = field(default_factory=dict)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)
    """Aliases claimed by two different codes: (alias, kept code, refused code)."""
    _codes: dict[tuple[str, ...], str] = field(default_factory=dict)

    def add(self, alias: str, entry: Entry, generated: bool = False) -> None:
        alias_keys = keys(alias)
        if not alias_keys:
            return
        known = self._codes.get(alias_keys)
        if known is not None:
            if known != entry.code and not generated:
                self.conflicts.append((alias, known, entry.code))
            bucket = self.index[alias_keys[0]]
            if known != entry.code or any(a == alias for k, a, _ in bucket if k == alias_keys):
                return
            # the same alias in another case ("NATO" and "Nato"): both spellings must match
        self._codes[alias_keys] = entry.code
        bucket = self.index.setdefault(alias_keys[0], [])
        position = len(bucket)
        while position > 0 and len(bucket[position - 1][0]) < len(alias_keys):
            position -= 1  # keep each bucket longest first, in insertion order otherwise
        bucket.insert(position, (alias_keys, alias, entry))

    def add_name(self, alias: str, entry: Entry) -> None:
        """A proper name and, unless it is an acronym, its German genitive."""
        self.add(alias, entry)
        if not entry.exact_case:
            genitive = _genitive(keys(alias))
            if genitive is not None:
                self.add(" ".join(genitive), entry, generated=True)

    def lookup(self, alias: str) -> Entry | None:
        """The entry an alias (as a whole phrase) names, if any."""
        alias_keys = keys(alias)
        for candidate, _, entry in self.index.get(alias_keys[0] if alias_keys else "", []):
            if candidate == alias_keys:
                return entry
        return None

    def codes(self) -> set[str]:
        return {entry.code for bucket in self.index.values() for _, _, entry in bucket}

    def find(self, tokens: list[Token], text: str, offset: int = 0) -> list[Mention]:
        """Every mention in `tokens` (non-overlapping, longest first); `text` is what token offsets
        point into, minus `offset`."""
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            found = self._match_at(tokens, i)
            if found is not None:
                length, entry = found
                mentions.append(self._mention(tokens, i, i + length, entry, text, offset))
                i += length
                continue
            compound = self._compound_at(tokens[i])
            if compound is not None:
                entry, head = compound
                mention = self._mention(tokens, i, i + 1, entry, text, offset)
                mentions.append(
                    Mention(
                        mention.start,
                        mention.end,
                        mention.char_start,
                        mention.char_end,
                        mention.text,
                        entry,
                        compound_head=head,
                    )
                )
            i += 1
        return mentions

    def _match_at(self, tokens: list[Token], i: int) -> tuple[int, Entry] | None:
        for alias_keys, alias, entry in self.index.get(tokens[i].key, []):
            n = len(alias_keys)
            if i + n > len(tokens):
                continue
            window = tokens[i : i + n]
            if tuple(t.key for t in window) != alias_keys:
                continue
            if not _case_ok(window, alias, entry):
                continue
            return n, entry
        return None

    def _compound_at(self, token: Token) -> tuple[Entry, str] | None:
        parts = token.parts
        if len(parts) < 2:
            return None
        first = token.text.split("-")[0]
        for alias_keys, alias, entry in self.index.get(parts[0], []):
            if alias_keys != (parts[0],):
                continue
            if entry.exact_case and first != alias:
                continue
            if entry.needs_capital and not first[:1].isupper():
                continue
            return entry, parts[-1]
        return None

    @staticmethod
    def _mention(tokens: list[Token], i: int, j: int, entry: Entry, text: str, offset: int) -> Mention:
        char_start, char_end = tokens[i].start, tokens[j - 1].end
        return Mention(i, j, char_start, char_end, text[char_start - offset : char_end - offset], entry)


def _case_ok(window: list[Token], alias: str, entry: Entry) -> bool:
    written = " ".join(t.text for t in window)
    if entry.exact_case:
        return written.replace(" ", "") == alias.replace(" ", "")
    if entry.needs_capital:
        return window[0].text[:1].isupper()
    return True


def _adjective_forms(adjective: str) -> Iterable[tuple[str, bool]]:
    """(form, needs_capital): German stems get their endings and match in any case."""
    if adjective.endswith("isch"):
        for ending in GERMAN_ADJECTIVE_ENDINGS:
            yield adjective.lower() + ending, False
    else:
        yield adjective, True


def build() -> Gazetteer:
    """The gazetteer of the shipped data files."""
    gazetteer = Gazetteer()
    raw = data.load("gazetteer.json")
    for code, fields in raw["states"].items():
        for field_name, kind in _STATE_FIELDS:
            for alias in fields.get(field_name, []):
                if kind == "adjective":
                    for form, needs_capital in _adjective_forms(alias):
                        gazetteer.add(form, Entry(code, code, kind, needs_capital=needs_capital))
                    continue
                entry = Entry(code, code, kind, exact_case=_is_acronym(alias))
                gazetteer.add_name(alias, entry)
    for code, fields in raw["bodies"].items():
        armed = bool(fields.get("armed", False))
        for alias in fields.get("names", []):
            gazetteer.add_name(alias, Entry(code, None, "body", exact_case=_is_acronym(alias), armed=armed))
    states = set(raw["states"])
    for person in data.load("persons.json")["persons"]:
        code = person["country"]
        country = code if code in states else None
        for alias in person["names"]:
            gazetteer.add_name(alias, Entry(code, country, "person", role=person.get("role")))
    return gazetteer


@cache
def shared() -> Gazetteer:
    """The gazetteer built once per process."""
    return build()

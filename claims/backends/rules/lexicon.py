"""Trigger words of the three claim types, weapon phrases, role nouns and source nouns.

Built from `claims/data/triggers.json` (format in its `_format` key). A trigger is found as an
exact word form ("traf", "met"), a word sequence ("handed over"), a German compound ending in a
stem ("Staatsbesuch", "SOZ-Treffen", "Waffenlieferung"), or a separable verb whose particle
follows later in the clause ("kam … zusammen", "tauschte sich … aus"). Each trigger carries its
kind (meet, talk, visit, travel, summit; give, get, supplier, buyer, support; sign, agreement)
and tense, which the status and date rules use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from claims.backends.rules import data
from claims.backends.rules.tokens import CLAUSE_BREAKS, Token, keys
from claims.schema import WeaponCategory
from claims.verify.field_support import fold

GERMAN_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
ROLE_ENDINGS = ("", "s", "e", "en", "n", "es", "er", "ern", "in", "innen", "nen")
"""Inflections and feminine forms of a role noun: Präsident → Präsidenten, Präsidentin."""
SYSTEM_HEADS = ("systemen", "systeme", "systems", "system")
_PLURAL_DESIGNATION = re.compile(r"[A-Z][A-Za-z]{0,3}-?\d{1,3}[A-Z]?s")
"""A type designation in the plural names weapons of that type: "F-16s", "Su-35s"."""
"""A weapon compound may end in -system(e) after its weapon stem: Artilleriesysteme, Raketensystem."""
ENGLISH_ADJECTIVE_ENDINGS = ("ic", "al", "ed", "ive", "ern", "ary", "ous", "ced", "ble")
NOT_ADJECTIVES = frozenset(
    [
        "die",
        "der",
        "den",
        "dem",
        "des",
        "eine",
        "einen",
        "einer",
        "einem",
        "eines",
        "keine",
        "keinen",
        "keiner",
        "seine",
        "seinen",
        "seiner",
        "ihre",
        "ihren",
        "ihrer",
        "unsere",
        "diese",
        "diesen",
        "dieser",
        "jene",
        "jenen",
        "welche",
        "welchen",
        "alle",
        "allen",
        "mehrere",
        "einige",
        "weitere",
        "sowie",
        "sowohl",
        "gegen",
        "unter",
        "über",
        "hatte",
        "hatten",
        "wurde",
        "wurden",
        "werden",
        "haben",
        "sollen",
        "sollten",
        "konnte",
        "könnte",
        "würde",
        "immer",
        "wieder",
        "regelmäßig",
        "erneut",
        "bereits",
        "schon",
        "auch",
        "sogar",
        "noch",
        "ebenfalls",
        "offenbar",
        "and",
        "the",
        "of",
        "more",
        "other",
        "several",
        "some",
        "such",
        "also",
        "would",
        "should",
        "could",
        "these",
        "those",
        "their",
        "them",
        "over",
        "under",
    ]
)


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word (or words) that signals a claim type; tokens [index, end)."""

    type: str
    kind: str
    tense: str
    index: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Weapon:
    """A weapon phrase as written ("ballistische Raketen") and its category."""

    index: int
    end: int
    text: str
    category: WeaponCategory
    head: int
    """Token index of the weapon noun itself."""


@dataclass
class _Kind:
    type: str
    kind: str
    words: dict[tuple[str, ...], str]
    compounds: list[str]
    separable: list[tuple[dict[str, str], str]]
    exclude: frozenset[str]
    endings: tuple[str, ...] = ("",)
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    compound_pattern: re.Pattern[str] | None = None

    def __post_init__(self) -> None:
        for form, tense in self.words.items():
            self.by_first.setdefault(form[0], []).append((form, tense))
        if self.compounds:
            stems = "|".join(re.escape(stem) for stem in self.compounds)
            endings = "|".join(re.escape(ending) for ending in sorted(self.endings, key=len, reverse=True))
            self.compound_pattern = re.compile(f"(?:{stems})(?:{endings})$")


@dataclass
class Lexicon:
    """Trigger, weapon, role and source lexicons, indexed for matching token lists."""

    kinds: list[_Kind] = field(default_factory=list)
    noun_endings: tuple[str, ...] = ("",)
    weapon_words: list[tuple[tuple[str, ...], WeaponCategory]] = field(default_factory=list)
    weapon_compounds: list[tuple[str, WeaponCategory]] = field(default_factory=list)
    weapon_exclude: frozenset[str] = frozenset()
    weapon_index: dict[str, list[tuple[tuple[str, ...], WeaponCategory]]] = field(default_factory=dict)
    weapon_stems: dict[str, WeaponCategory] = field(default_factory=dict)
    weapon_pattern: re.Pattern[str] = re.compile("(?!)")
    weapon_after_model: dict[str, WeaponCategory] = field(default_factory=dict)
    """Nouns that name a weapon only right after a model designation ("J-10C fighters"), since
    alone they also name people ("Wagner fighters")."""
    role_compounds: tuple[str, ...] = ()
    role_pattern: re.Pattern[str] = re.compile("(?!)")
    role_words: frozenset[str] = frozenset()
    source_compounds: tuple[str, ...] = ()
    source_words: frozenset[str] = frozenset()
    source_names: frozenset[str] = frozenset()
    summit_companions: frozenset[str] = frozenset()
    """Words that make a summit noun an event someone attends ("nahm am Gipfel teil", "hosts the
    summit"), not just a setting ("auf dem Gipfel wurde beschlossen")."""

    # --- triggers --------------------------------------------------------------------------

    def triggers(self, tokens: list[Token]) -> list[Trigger]:
        """Every trigger in a sentence, at most one per (type, kind, token)."""
        found: dict[tuple[str, str, int], Trigger] = {}
        words = [(i, token) for i, token in enumerate(tokens) if token.is_word]  # once, not per kind
        for kind in self.kinds:
            for i, token in words:
                if token.key in kind.exclude:
                    continue
                hit = self._word_hit(kind, tokens, i) if token.key in kind.by_first else None
                hit = hit or self._compound_hit(kind, token, i)
                hit = hit or self._separable_hit(kind, tokens, i)
                if hit is not None:
                    tense, end = hit
                    text = " ".join(t.text for t in tokens[i:end])
                    found.setdefault(
                        (kind.type, kind.kind, i), Trigger(kind.type, kind.kind, tense, i, end, text)
                    )
        return sorted(found.values(), key=lambda t: (t.index, t.type, t.kind))

    @staticmethod
    def _word_hit(kind: _Kind, tokens: list[Token], i: int) -> tuple[str, int] | None:
        best: tuple[str, int] | None = None
        for form, tense in kind.by_first.get(tokens[i].key, ()):
            n = len(form)
            if tuple(t.key for t in tokens[i : i + n]) == form and (best is None or i + n > best[1]):
                best = (tense, i + n)
        return best

    def _compound_hit(self, kind: _Kind, token: Token, i: int) -> tuple[str, int] | None:
        if not token.is_capitalised or not kind.compounds:
            return None
        last = token.parts[-1]
        if last in kind.exclude or kind.compound_pattern is None:
            return None
        return ("noun", i + 1) if kind.compound_pattern.search(last) else None

    @staticmethod
    def _separable_hit(kind: _Kind, tokens: list[Token], i: int) -> tuple[str, int] | None:
        for verbs, particle in kind.separable:
            tense = verbs.get(tokens[i].key)
            if tense is None:
                continue
            for j in range(i + 1, len(tokens)):
                if tokens[j].text in CLAUSE_BREAKS:
                    break
                if tokens[j].key == particle:
                    return tense, i + 1
        return None

    # --- weapons ---------------------------------------------------------------------------

    def weapons(self, tokens: list[Token], text: str, offset: int = 0) -> list[Weapon]:
        """Weapon phrases with the adjectives before them, e.g. "moderne Waffentechnologie"."""
        found: list[Weapon] = []
        i = 0
        while i < len(tokens):
            hit = self._weapon_at(tokens, i)
            if hit is None:
                i += 1
                continue
            end, category = hit
            following = self._weapon_at(tokens, end) if end < len(tokens) else None
            if following is not None:  # "Shahed drones", "Iskander Raketen": one phrase
                end, category = following
            start = i
            while (
                start > 0
                and i - start < 2
                and _adjective_like(tokens[start - 1])
                and not self._is_trigger_word(tokens[start - 1])
            ):
                start -= 1  # "armed drones", but not "received drones"
            if start == i and start > 0 and _model_designation(tokens[start - 1]):
                start -= 1  # "K2 tanks", "J-10C fighters", "TB2 drones"
            char_start, char_end = tokens[start].start - offset, tokens[end - 1].end - offset
            found.append(Weapon(start, end, text[char_start:char_end], category, i))
            i = end
        return found

    def _is_trigger_word(self, token: Token) -> bool:
        return any((token.key,) in kind.words for kind in self.kinds)

    def is_weapon(self, tokens: list[Token], i: int) -> bool:
        """Whether a weapon phrase starts at token `i`."""
        return self._weapon_at(tokens, i) is not None

    def _weapon_at(self, tokens: list[Token], i: int) -> tuple[int, WeaponCategory] | None:
        token = tokens[i]
        if not token.is_word or token.key in self.weapon_exclude:
            return None
        for form, category in self.weapon_index.get(token.key, ()):
            n = len(form)
            if tuple(t.key for t in tokens[i : i + n]) == form:
                return i + n, category
        if token.is_capitalised:
            compound = self._weapon_compound(token.parts[-1])
            if compound is not None:
                return i + 1, compound
            if len(token.parts) > 1 and token.parts[-1] in SYSTEM_HEADS:  # Iris-T-Systeme, Patriot-Systeme
                named = (self._weapon_compound(part) for part in token.parts[:-1])
                return i + 1, next((c for c in named if c is not None), WeaponCategory.OTHER)
        if _PLURAL_DESIGNATION.fullmatch(token.text):  # F-16s, Su-35s, MiG-29s
            return i + 1, WeaponCategory.OTHER
        model = self.weapon_after_model.get(token.key)
        if model is not None and i > 0 and any(ch.isdigit() for ch in tokens[i - 1].text):
            return i + 1, model
        return None

    def _weapon_compound(self, last: str) -> WeaponCategory | None:
        """The category of a German compound that ends in a weapon stem, inflected or not
        (Drohnen, Radpanzern, Flugabwehrsystems), or in a weapon stem plus -system(e)."""
        match = self.weapon_pattern.search(last)
        if match is not None:
            stem = match.group("stem")
            if match.start() == 0 or len(stem) >= 4:
                return self.weapon_stems[stem]
        for head in SYSTEM_HEADS:
            if last.endswith(head) and len(last) > len(head) + 3:
                base = last[: -len(head)]
                match = self.weapon_pattern.search(base) or self.weapon_pattern.search(base[:-1])
                if match is not None and len(match.group("stem")) >= 4:
                    return self.weapon_stems[match.group("stem")]
        return None

    # --- roles and sources -----------------------------------------------------------------

    def is_role(self, token: Token) -> bool:
        """A noun for a person, an office or an institution acting for a state ("Präsident",
        "Verteidigungsministerium", "Delegation", "counterpart")."""
        if token.key in self.role_words:
            return True
        return token.is_capitalised and self.role_pattern.search(token.parts[-1]) is not None

    def is_source(self, token: Token) -> bool:
        """A noun that heads an attribution ("Nachrichtenagentur", "newspaper") or a source's name."""
        if token.text in self.source_names or token.key in self.source_words:
            return True
        return token.is_capitalised and token.parts[-1].endswith(self.source_compounds)


def _model_designation(token: Token) -> bool:
    """A type designation such as K2, J-10C, TB2 or F-16: letters and digits in one word."""
    text = token.text
    return token.is_word and any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


def _adjective_like(token: Token) -> bool:
    word = token.text
    if not token.is_word or token.key in NOT_ADJECTIVES or len(word) < 4:
        return False
    if word[0].isupper():
        return False
    return word.endswith(GERMAN_ADJECTIVE_ENDINGS) or word.endswith(ENGLISH_ADJECTIVE_ENDINGS) or "-" in word


def _kind(type_: str, name: str, raw: dict[str, Any], endings: tuple[str, ...]) -> _Kind:
    words = {keys(form): tense for form, tense in raw.get("words", {}).items()}
    words.update({keys(form): tense for form, tense in raw.get("phrases", {}).items()})
    separable = [
        ({fold(verb): tense for verb, tense in entry["verbs"].items()}, fold(entry["particle"]))
        for entry in raw.get("separable", [])
    ]
    compounds = sorted((fold(stem) for stem in raw.get("compounds", [])), key=len, reverse=True)
    exclude = frozenset(fold(w) for w in raw.get("exclude", []))
    return _Kind(type_, name, words, compounds, separable, exclude, endings)


def _stem_pattern(stems: Iterable[str], endings: tuple[str, ...], group: bool = False) -> re.Pattern[str]:
    """A word ending in one of `stems` plus one of the inflectional `endings`."""
    ordered = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
    tails = "|".join(re.escape(e) for e in sorted(endings, key=len, reverse=True))
    name = "?P<stem>" if group else "?:"
    return re.compile(f"({name}{ordered})(?:{tails})$")


def build() -> Lexicon:
    """The lexicon of the shipped data file."""
    raw = data.load("triggers.json")
    lexicon = Lexicon(noun_endings=tuple(raw["noun_endings"]))
    for type_ in ("meeting", "arms_delivery", "treaty_signing"):
        for name, kind_raw in raw[type_].items():
            lexicon.kinds.append(_kind(type_, name, kind_raw, lexicon.noun_endings))
    for category, entry in raw["weapons"].items():
        weapon_category = WeaponCategory(category)
        lexicon.weapon_words.extend((keys(word), weapon_category) for word in entry.get("words", []))
        lexicon.weapon_compounds.extend((fold(stem), weapon_category) for stem in entry.get("compounds", []))
    lexicon.weapon_words.sort(key=lambda item: -len(item[0]))
    lexicon.weapon_compounds.sort(key=lambda item: -len(item[0]))
    lexicon.weapon_exclude = frozenset(fold(w) for w in raw.get("weapon_exclude", []))
    for form, category in lexicon.weapon_words:
        lexicon.weapon_index.setdefault(form[0], []).append((form, category))
    for stem, category in lexicon.weapon_compounds:
        lexicon.weapon_stems.setdefault(stem, category)
    lexicon.weapon_pattern = _stem_pattern(lexicon.weapon_stems, lexicon.noun_endings, group=True)
    lexicon.weapon_after_model = {
        fold(word): WeaponCategory(category) for word, category in raw.get("weapon_after_model", {}).items()
    }
    lexicon.role_compounds = tuple(fold(w) for w in raw["roles"]["compounds"])
    lexicon.role_pattern = _stem_pattern(lexicon.role_compounds, ROLE_ENDINGS)
    lexicon.role_words = frozenset(fold(w) for w in raw["roles"]["words"])
    lexicon.source_compounds = tuple(fold(w) for w in raw["sources"]["compounds"])
    lexicon.source_words = frozenset(fold(w) for w in raw["sources"]["words"])
    lexicon.source_names = frozenset(raw["sources"]["names"])
    lexicon.summit_companions = frozenset(fold(w) for w in raw["meeting"]["summit"].get("companions", []))
    return lexicon


@cache
def shared() -> Lexicon:
    """The lexicon built once per process."""
    return build()

"""The gazetteer data is well-formed, and names, inflections, capitals, metonyms and office
holders resolve to the right state."""

from __future__ import annotations

import re

import pytest

from claims.backends.rules import data
from claims.backends.rules.gazetteer import build, shared
from claims.backends.rules.tokens import tokenize


def _codes(text: str) -> list[str | None]:
    return [m.country for m in shared().find(tokenize(text), text)]


def test_every_state_code_is_iso3_and_persons_point_at_known_codes() -> None:
    raw = data.load("gazetteer.json")
    states = raw["states"]
    assert len(states) >= 190
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in states)
    known = set(states) | set(raw["bodies"])
    for person in data.load("persons.json")["persons"]:
        assert person["country"] in known, person
        assert person["names"], person


def test_no_alias_names_two_different_codes() -> None:
    assert build().conflicts == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Teheran", "IRN"),
        ("Tehran", "IRN"),
        ("Pjöngjang", "PRK"),
        ("Pjongjang", "PRK"),
        ("Pyongyang", "PRK"),
        ("Kreml", "RUS"),
        ("Kremlin", "RUS"),
        ("Weißes Haus", "USA"),
        ("Peking", "CHN"),
        ("Beijing", "CHN"),
        ("Neu-Delhi", "IND"),
        ("Astana", "KAZ"),
        ("Russlands", "RUS"),
        ("Irans", "IRN"),
        ("nordkoreanische", "PRK"),
        ("russischer", "RUS"),
        ("Belarusian", "BLR"),
        ("Weißrussland", "BLR"),
        ("Vereinigten Arabischen Emirate", "ARE"),
        ("St. Petersburg", "RUS"),
        ("Russia's", "RUS"),
        ("U.S.", "USA"),
    ],
)
def test_names_inflections_capitals_and_metonyms(text: str, code: str) -> None:
    assert _codes(text) == [code]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kassym-Schomart Tokajew", "KAZ"),
        ("Tokayev", "KAZ"),
        ("Toqajew", "KAZ"),
        ("Putins", "RUS"),
        ("Selenskyj", "UKR"),
        ("Zelensky", "UKR"),
        ("Xi Jinping", "CHN"),
        ("Kim Jong-un", "PRK"),
        ("Recep Tayyip Erdoğan", "TUR"),
        ("Erdogan", "TUR"),
    ],
)
def test_office_holders_in_their_spellings(text: str, code: str) -> None:
    mentions = shared().find(tokenize(text), text)
    assert [(m.kind, m.country) for m in mentions] == [("person", code)]
    assert mentions[0].text == text


def test_acronyms_only_in_capitals_and_names_only_capitalised() -> None:
    assert _codes("they told us in may") == []
    assert _codes("US officials") == ["USA"]


def test_a_compound_keeps_its_head() -> None:
    text = "Der Kreml-Chef und der Ukraine-Krieg"
    mentions = shared().find(tokenize(text), text)
    assert [(m.country, m.compound_head) for m in mentions] == [("RUS", "chef"), ("UKR", "krieg")]


def test_bodies_have_no_country() -> None:
    text = "die Shanghaier Organisation für Zusammenarbeit (SOZ) und die Nato"
    mentions = shared().find(tokenize(text), text)
    assert [(m.entry.code, m.country) for m in mentions] == [("SCO", None), ("SCO", None), ("NATO", None)]


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("Auswärtiges Amt", "DEU"),
        ("State Department", "USA"),
        ("Kuwaiter", "KWT"),
        ("Islamic State", "ISIS"),
        ("ECOWAS", "ECOWAS"),
        ("Taliban", "AFG"),
    ],
)
def test_general_coverage_of_seats_demonyms_bodies_and_armed_groups(alias: str, code: str) -> None:
    entry = shared().lookup(alias)
    assert entry is not None and entry.code == code

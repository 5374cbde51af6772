"""Trigger words of the three claim types, with inflections, nominalisations and compounds."""

from __future__ import annotations

import pytest

from claims.backends.rules.lexicon import shared
from claims.backends.rules.tokens import tokenize
from claims.schema import WeaponCategory


def _kinds(text: str) -> set[tuple[str, str]]:
    return {(t.type, t.kind) for t in shared().triggers(tokenize(text))}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Putin traf Xi", ("meeting", "meet")),
        ("Die beiden trafen sich", ("meeting", "meet")),
        ("ein Treffen in Minsk", ("meeting", "meet")),
        ("am Rande eines Sicherheitstreffens", ("meeting", "meet")),
        ("Schoigu kam mit Dong zusammen", ("meeting", "meet")),
        ("er tauschte sich mit Kollegen aus", ("meeting", "talk")),
        ("die Gespräche in Moskau", ("meeting", "talk")),
        ("zu einem Staatsbesuch", ("meeting", "visit")),
        ("Modi-Besuch in Moskau", ("meeting", "visit")),
        ("Lavrov held talks with Wang", ("meeting", "talk")),
        ("the president visited Kyiv", ("meeting", "visit")),
        ("Teheran liefert Drohnen", ("arms_delivery", "give")),
        ("Waffenlieferungen an Kiew", ("arms_delivery", "give")),
        ("die Übergabe von Raketen", ("arms_delivery", "give")),
        ("Iran handed over missiles", ("arms_delivery", "give")),
        ("Russland erhielt Drohnen", ("arms_delivery", "get")),
        ("ein wichtiger Abnehmer russischer Waffen", ("arms_delivery", "buyer")),
        ("der Iran als Waffenlieferant", ("arms_delivery", "supplier")),
        ("sie unterzeichneten eine Absichtserklärung", ("treaty_signing", "sign")),
        ("sie unterzeichneten eine Absichtserklärung", ("treaty_signing", "agreement")),
        ("einen gegenseitigen Verteidigungspakt", ("treaty_signing", "agreement")),
        ("they signed a treaty", ("treaty_signing", "sign")),
    ],
)
def test_triggers(text: str, expected: tuple[str, str]) -> None:
    assert expected in _kinds(text)


@pytest.mark.parametrize(
    "text",
    ["Das betrifft alle", "Auslandsreisen sind selten", "Die Besucherzahlen stiegen", "Gesprächspartner"],
)
def test_look_alikes_are_no_triggers(text: str) -> None:
    assert not any(kind[0] == "meeting" for kind in _kinds(text))


@pytest.mark.parametrize(
    ("text", "phrase", "category"),
    [
        ("Teheran liefert Drohnen", "Drohnen", WeaponCategory.DRONES),
        ("ballistische Raketen und mehr", "ballistische Raketen", WeaponCategory.MISSILES),
        ("die Fath-360-Raketen", "Fath-360-Raketen", WeaponCategory.MISSILES),
        ("mit Munition", "Munition", WeaponCategory.AMMUNITION),
        (
            "nordkoreanische Panzerfahrzeuge",
            "nordkoreanische Panzerfahrzeuge",
            WeaponCategory.ARMORED_VEHICLES,
        ),
        ("moderne Waffentechnologie", "moderne Waffentechnologie", WeaponCategory.TECHNOLOGY),
        ("Kampfjets", "Kampfjets", WeaponCategory.AIRCRAFT),
        ("Luftabwehrsysteme", "Luftabwehrsysteme", WeaponCategory.AIR_DEFENSE),
        ("artillery shells", "artillery shells", WeaponCategory.AMMUNITION),
        ("Patriot air defence systems", "Patriot air defence systems", WeaponCategory.AIR_DEFENSE),
    ],
)
def test_weapon_phrases_and_categories(text: str, phrase: str, category: WeaponCategory) -> None:
    weapons = shared().weapons(tokenize(text), text)
    assert (weapons[-1].text, weapons[-1].category) == (phrase, category)


def test_a_ceasefire_is_no_weapon() -> None:
    assert (
        shared().weapons(tokenize("Waffenstillstand und Atomwaffen"), "Waffenstillstand und Atomwaffen") == []
    )


def test_role_nouns() -> None:
    lexicon = shared()
    for word in ["Präsident", "Verteidigungsministerium", "Amtskollegen", "Delegation", "counterpart"]:
        assert lexicon.is_role(tokenize(word)[0]), word
    assert not lexicon.is_role(tokenize("Nachbarland")[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("die beiden Minister kamen zusammen", ("meeting", "meet")),
        ("Senegal's minister welcomed his counterpart", ("meeting", "welcome")),
        ("der Kanzler begrüßte den Gast", ("meeting", "welcome")),
        ("she spoke by telephone with him", ("meeting", "talk")),
        ("er ist in Kairo eingetroffen", ("meeting", "travel")),
        ("er traf am Abend in Kairo ein", ("meeting", "travel")),
        ("Tokyo handed over radars", ("arms_delivery", "give")),
        ("Paris hatte Fahrzeuge zur Verfügung gestellt", ("arms_delivery", "give")),
        ("Berlin stellte Panzer bereit", ("arms_delivery", "give")),
        ("Indonesia took delivery of jets", ("arms_delivery", "get")),
        ("Kenya acquired helicopters", ("arms_delivery", "get")),
        ("Armenien bezieht Waffen", ("arms_delivery", "get")),
        ("der Kauf von Haubitzen", ("arms_delivery", "get")),
        ("the ministers inked a contract", ("treaty_signing", "agreement")),
        ("they concluded an MoU", ("treaty_signing", "agreement")),
    ],
)
def test_verb_synonyms_and_forms(text: str, expected: tuple[str, str]) -> None:
    assert expected in _kinds(text)


@pytest.mark.parametrize(
    ("text", "phrase", "category"),
    [
        ("des Flugabwehrsystems S-400", "Flugabwehrsystems S-400", WeaponCategory.AIR_DEFENSE),
        ("Turkish Bayraktar TB2 drones", "TB2 drones", WeaponCategory.DRONES),
        ("den Export von Radpanzern", "Radpanzern", WeaponCategory.ARMORED_VEHICLES),
        ("des Marschflugkörpers BrahMos", "Marschflugkörpers", WeaponCategory.MISSILES),
        ("neue Artilleriesysteme", "neue Artilleriesysteme", WeaponCategory.ARTILLERY),
        ("36 J-10C fighters", "J-10C fighters", WeaponCategory.AIRCRAFT),
        ("gepanzerte Fahrzeuge", "gepanzerte Fahrzeuge", WeaponCategory.ARMORED_VEHICLES),
        ("destroyer escorts", "destroyer escorts", WeaponCategory.NAVAL),
    ],
)
def test_inflected_compounds_and_model_designations(text: str, phrase: str, category: WeaponCategory) -> None:
    weapons = shared().weapons(tokenize(text), text)
    assert (weapons[-1].text, weapons[-1].category) == (phrase, category)


def test_fighters_alone_are_people_not_weapons() -> None:
    text = "Wagner fighters and foreign fighters"
    assert shared().weapons(tokenize(text), text) == []


@pytest.mark.parametrize(
    "word", ["Präsidenten", "Präsidentin", "Amtskolleginnen", "Außenministern", "Delegationen"]
)
def test_inflected_role_nouns(word: str) -> None:
    assert shared().is_role(tokenize(word)[0])


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("weitere Iris-T-Systeme", WeaponCategory.OTHER),
        ("zwei Patriot-Systeme", WeaponCategory.AIR_DEFENSE),
        ("its first F-16s", WeaponCategory.OTHER),
        ("a dozen Su-35s", WeaponCategory.OTHER),
    ],
)
def test_type_names_before_systems_and_plural_designations(text: str, category: WeaponCategory) -> None:
    weapons = shared().weapons(tokenize(text), text)
    assert [w.category for w in weapons] == [category]

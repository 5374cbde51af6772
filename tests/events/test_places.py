"""Place normalisation: spellings, prepositions, a city inside its state, unknown places."""

from __future__ import annotations

from claims.events.places import places_agree, resolve_place


def test_resolves_spellings_to_one_city() -> None:
    assert resolve_place("Pjöngjang").city == resolve_place("Pyongyang").city
    assert resolve_place("in Moskau").city == resolve_place("Moscow").city
    assert resolve_place("Moskaus").state == "RUS"
    assert resolve_place("Kasan (Tatarstan)").city == "kasan"  # the city beats the region


def test_same_place_and_inside() -> None:
    assert places_agree("Moskau", "Moscow")[0]
    assert places_agree("Kasan", "Kazan")[0]
    assert places_agree("St. Petersburg", "Sankt Petersburg")[0]
    assert places_agree("Pyongyang", "Nordkorea")[0]
    assert places_agree("Kasachstan", "Astana")[0]
    assert places_agree("Kreml", "Moskau")[0]


def test_different_places() -> None:
    assert not places_agree("Kazan", "Turkmenistan")[0]
    assert not places_agree("Minsk", "Astana")[0]
    assert not places_agree("Kazan", "St. Petersburg")[0]
    assert not places_agree("Nowhere-upon-Sea", "Moskau")[0]  # one unknown: cannot be shown one
    assert places_agree("Schloss Elmau", "Schloss Elmau")[0]  # unknown to the data, same name
    assert not places_agree("Schloss Elmau", "Camp David")[0]

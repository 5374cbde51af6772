"""Dates resolved against the publication date, at the precision it supports."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.backends.rules.dates import WEEKDAYS, Published, find_dates
from claims.backends.rules.tokens import tokenize


def _dates(
    text: str, published: str | None, forward: bool | None = None, previous: str | None = None
) -> list[str]:
    return [d.value for d in find_dates(tokenize(text), Published.parse(published), forward, previous)]


@pytest.mark.parametrize(
    ("text", "published", "forward", "expected"),
    [
        ("am 22. April in Minsk", "2024-05", False, ["2024-04-22"]),
        ("am 19. Juni 2024 in Pjöngjang", "2024-10", None, ["2024-06-19"]),
        ("Am Freitag (11. Oktober) gab es", "2024-10", False, ["2024-10", "2024-10-11"]),
        ("zwischen dem 22. und 26. April", "2024-05", False, ["2024-04"]),
        ("im Juni reiste Putin", "2024-10", False, ["2024-06"]),
        ("im Oktober richtet Russland den Gipfel aus", "2024-07", None, ["2024-10"]),
        ("im Dezember traf er ihn", "2024-03", False, ["2023-12"]),
        ("on April 22, 2024 and June 5", "2024-07-10", False, ["2024-04-22", "2024-06-05"]),
        ("gestern in Moskau", "2024-07-10", False, ["2024-07-09"]),
        ("Sie trafen sich diesen Monat", "2024-07", False, ["2024-07"]),
        ("letzte Woche in Moskau", "2024-07-10", False, ["2024-07"]),
        ("last year", "2024-07", False, ["2023"]),
        ("seit letztem Jahr", "2024-07", False, []),
        ("im Jahr 2017", "2024-07", False, ["2017"]),
    ],
)
def test_absolute_and_relative_dates(
    text: str, published: str, forward: bool | None, expected: list[str]
) -> None:
    assert _dates(text, published, forward) == expected


def test_a_day_later_counts_from_the_date_named_last() -> None:
    assert _dates("Einen Tag darauf besuchte er Teheran", "2024-05", False, "2024-04-22") == ["2024-04-23"]
    assert _dates("an jenem Freitag", "2024-05", False, "2024-04-26") == ["2024-04-26"]


def test_month_precision_publication_gives_month_precision_weekdays() -> None:
    assert _dates("Am Mittwoch reist Putin", "2024-11", True) == ["2024-11"]
    assert _dates("Am Mittwoch reist Putin", "2024-11-26", True) == ["2024-11-27"]


_DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31))


@given(_DAYS, st.sampled_from(sorted(WEEKDAYS)), st.booleans())
def test_any_weekday_resolves_within_a_week_of_publication(day: dt.date, weekday: str, forward: bool) -> None:
    text = f"am {weekday.capitalize()} traf er ihn"
    (value,) = _dates(text, day.isoformat(), forward)
    resolved = dt.date.fromisoformat(value)
    assert resolved.weekday() == WEEKDAYS[weekday]
    delta = (resolved - day).days
    assert 0 <= delta < 7 if forward else -7 < delta <= 0


@given(_DAYS)
def test_relative_dates_never_exceed_the_publication_precision(day: dt.date) -> None:
    month = day.strftime("%Y-%m")
    for text in ["am Freitag", "gestern", "heute", "letzte Woche", "diese Woche"]:
        for value in _dates(text, month, False):
            assert len(value) <= len(month)


@pytest.mark.parametrize(
    ("text", "published", "forward", "expected"),
    [
        ("signed last July", "2025-02-14", None, ["2024-07"]),
        ("a summit next March", "2024-03-08", None, ["2025-03"]),
        ("hatte im vergangenen Herbst Peking besucht", "2024-04-05", False, ["2023"]),
        ("im Frühjahr hatte Tallinn Munition übergeben", "2024-06-21", False, ["2024"]),
        ("im Frühjahr 2023 übergeben", "2024-06-21", False, ["2023"]),
        ("they would deliver jets this summer", "2024-07-12", True, ["2024"]),
        ("Bereits 2022 hatte Peking geliefert", "2024-04-05", False, ["2022"]),
        ("2021 hatte Kairo 30 Maschinen bestellt", "2023-09-15", False, ["2021"]),
        ("supplied howitzers since 2018", "2024-03-08", False, []),
        ("Nordkorea hat 2000 Soldaten geschickt", "2024-10", False, []),
    ],
)
def test_months_seasons_and_bare_years(
    text: str, published: str, forward: bool | None, expected: list[str]
) -> None:
    assert _dates(text, published, forward) == expected


def test_the_date_of_a_dateline_is_not_the_event_date() -> None:
    text = "RIYADH, March 8 (staff) – The crown prince hosted the French president on Wednesday."
    assert _dates(text, "2024-03-08", False) == ["2024-03-06"]
    assert _dates("Am 8. März – ein Treffen", "2024-03-08", False) == ["2024-03-08"]


def test_since_last_august_is_an_ongoing_relation() -> None:
    assert _dates("has sent shells since last August", "2024-09-06", False) == []

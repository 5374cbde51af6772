"""Dates in a sentence, resolved against the document's publication date.

Absolute dates ("22. April", "am 19. Juni 2024", "April 22", "im Juni", "2017") take their
missing year from the publication date; relative ones ("am Freitag", "gestern", "letzte Woche",
"diesen Monat", "this week") are resolved from it, and never to a finer precision than it has: a
text published "2024-05" that says "am Freitag" gets "2024-05". A range gives its common prefix
(22–26 April → 2024-04). "Einen Tag darauf" and "an jenem Freitag" count from the date the text
named last. The direction of a weekday or a bare month (last Friday or next?) follows the tense
of the verb: `forward=True` for present, future and plans, False for the past, None when the
sentence does not say (a weekday is then taken as past, a month as in the publication year).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from claims.backends.rules import data
from claims.backends.rules.tokens import Token

_WORDS = data.load("dates.json")
"""The month, weekday and season names and the cue words, in claims/data/dates.json (hashed into
the rules' prompt_hash with every other data file)."""

MONTHS: dict[str, int] = dict(_WORDS["months"])
WEEKDAYS: dict[str, int] = dict(_WORDS["weekdays"])
_SHORT_MONTHS = frozenset(k for k in MONTHS if len(k) <= 4 and k not in {"mai", "juni", "juli"})
_YEAR = re.compile(r"^(19|20)\d\d$")
_DAY = re.compile(r"^([1-9]|[12]\d|3[01])$")
_YEAR_CUES = frozenset(_WORDS["year_cues"])
_PAST_DAY: dict[str, int] = dict(_WORDS["past_day"])
_NEXT_DAY: dict[str, int] = dict(_WORDS["next_day"])
_SAME_AS_PREVIOUS = tuple(_WORDS["same_as_previous"])
_LAST = frozenset(_WORDS["last"])
_THIS = frozenset(_WORDS["this"])
_NEXT = frozenset(_WORDS["next"])
SEASONS: dict[str, int] = dict(_WORDS["seasons"])
_SEASON_CUES = frozenset(_WORDS["season_cues"])
_BARE_YEAR_BEFORE = frozenset(_WORDS["bare_year_before"])
_BARE_YEAR_AFTER = frozenset(_WORDS["bare_year_after"])
_ONGOING = frozenset(_WORDS["ongoing"])


@dataclass(frozen=True, slots=True)
class Published:
    """A publication date at its precision: year, year-month, or day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: str | None) -> Published | None:
        if not value:
            return None
        parts = [int(p) for p in value.split("-")]
        return cls(parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None)

    @property
    def date(self) -> dt.date | None:
        if self.month is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found at tokens [index, end); `value` is ISO at the precision the text supports."""

    index: int
    end: int
    value: str
    explicit: bool


def common_prefix(a: dt.date, b: dt.date) -> str:
    """The ISO date both ends of a range share: day, month or year."""
    if a == b:
        return a.isoformat()
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.year:04d}-{a.month:02d}"
    return f"{a.year:04d}" if a.year == b.year else f"{min(a.year, b.year):04d}"


def resolve_weekday(weekday: int, published: Published, forward: bool | None) -> str:
    """The date of a weekday named in a text: the last one on or before publication, or with
    `forward` the next one on or after it; month precision when the day is not known."""
    anchor = published.date
    if anchor is None:
        return published.iso()
    delta = (weekday - anchor.weekday()) % 7 if forward else -((anchor.weekday() - weekday) % 7)
    return (anchor + dt.timedelta(days=delta)).isoformat()


def _month_year(
    month: int, published: Published | None, forward: bool | None, strict: bool = False
) -> int | None:
    """The year of a month named without one: the publication year, moved back a year for a past
    event in a later month, forward a year for a planned one in an earlier month; `strict` for
    "last July" / "next March", which never mean the publication month itself."""
    if published is None:
        return None
    if published.month is None:
        return published.year
    if forward is True and (month < published.month or (strict and month == published.month)):
        return published.year + 1
    if forward is False and (month > published.month or (strict and month == published.month)):
        return published.year - 1
    return published.year


def _iso(year: int | None, month: int, day: int | None = None) -> str | None:
    if year is None:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def _shift(value: str | None, days: int) -> str | None:
    if value is None or len(value) != 10:
        return value
    return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()


def dateline_end(tokens: list[Token]) -> int:
    """Where a dateline ends ("RIYADH, March 8 (staff) –", "Tokio –"): the index after its dash,
    or 0. A dateline is a short capitalised opening cut off by a dash."""
    for i, token in enumerate(tokens[:9]):
        if token.text in {"–", "—", "-"}:
            return i + 1 if i > 0 and tokens[0].is_capitalised and (tokens[0].text.isupper() or i <= 2) else 0
    return 0


def find_dates(
    tokens: list[Token], published: Published | None, forward: bool | None = None, previous: str | None = None
) -> list[DateMention]:
    """Every date expression of a sentence, resolved; explicit ones are marked as such. The date of
    a dateline is when the report was filed, not when the event happened: it is left out."""
    found: list[DateMention] = []
    keys = [t.key for t in tokens]
    n = len(tokens)
    used: set[int] = set(range(dateline_end(tokens)))

    def month_at(i: int) -> int | None:
        if i >= n or not tokens[i].is_capitalised:
            return None
        month = MONTHS.get(keys[i])
        if month is not None and keys[i] in _SHORT_MONTHS and (i + 1 >= n or keys[i + 1] != "."):
            return month if len(keys[i]) > 3 else None
        return month

    def year_at(i: int) -> int | None:
        return int(keys[i]) if i < n and _YEAR.match(keys[i]) else None

    def add(i: int, j: int, value: str | None, explicit: bool) -> None:
        if value is not None and not used.intersection(range(i, j)):
            found.append(DateMention(i, j, value, explicit))
            used.update(range(i, j))

    for i in range(n):
        if i in used:
            continue
        key = keys[i]
        # 22. April [2024] / 22.–26. April / zwischen dem 22. und 26. April
        if _DAY.match(key) and i + 2 < n and keys[i + 1] == ".":
            month = month_at(i + 2)
            if month is not None:
                year = year_at(i + 3)
                j = i + (4 if year else 3)
                value = _iso(year if year else _month_year(month, published, forward), month, int(key))
                add(i, j, value, True)
                continue
            ranged = keys[i + 2] in {"und", "bis", "-", "–", "and"} and i + 5 < n and _DAY.match(keys[i + 3])
            if ranged and keys[i + 4] == "." and (month := month_at(i + 5)) is not None:
                year = year_at(i + 6)
                j = i + (7 if year else 6)
                add(i, j, _iso(year if year else _month_year(month, published, forward), month), True)
                continue
        # 22 April 2024 (English day-month)
        if _DAY.match(key) and (month := month_at(i + 1)) is not None and keys[i + 1] not in {"mai"}:
            year = year_at(i + 2)
            j = i + (3 if year else 2)
            add(i, j, _iso(year if year else _month_year(month, published, forward), month, int(key)), True)
            continue
        month = month_at(i)
        if month is not None:
            # April 22[, 2024] / April 22-26
            if i + 1 < n and _DAY.match(keys[i + 1]):
                if i + 3 < n and keys[i + 2] in {"-", "–"} and _DAY.match(keys[i + 3]):
                    year = year_at(i + 4) or (year_at(i + 5) if i + 4 < n and keys[i + 4] == "," else None)
                    add(i, i + 4, _iso(year or _month_year(month, published, forward), month), True)
                    continue
                year = year_at(i + 2) or (year_at(i + 3) if i + 2 < n and keys[i + 2] == "," else None)
                j = i + 2 + (2 if year and keys[i + 2] == "," else 1 if year else 0)
                add(i, j, _iso(year or _month_year(month, published, forward), month, int(keys[i + 1])), True)
                continue
            year = year_at(i + 1)
            if year is not None:
                add(i, i + 2, _iso(year, month), True)
                continue
            if i > 0 and keys[i - 1] in _LAST | _NEXT and published is not None:
                if i > 1 and keys[i - 2] in _ONGOING:
                    continue  # "since last August": an ongoing relation has no date
                add(
                    i - 1,
                    i + 1,
                    _iso(_month_year(month, published, keys[i - 1] in _NEXT, strict=True), month),
                    True,
                )
                continue
            if i > 0 and keys[i - 1] in _YEAR_CUES | {"vom"}:
                add(i, i + 1, _iso(_month_year(month, published, forward), month), True)
            continue
        # im vergangenen Herbst / last autumn / this summer / im Frühjahr
        if key in SEASONS and i > 0 and published is not None and tokens[i].is_word:
            before = keys[i - 1]
            if before in _LAST | _NEXT | _SEASON_CUES and not (key == "fall" and before not in _LAST | _THIS):
                year = year_at(i + 1) or published.year
                if year_at(i + 1) is not None:
                    add(i - 1, i + 2, f"{year:04d}", True)
                    continue
                if before in _LAST and (published.month is None or published.month <= SEASONS[key] + 2):
                    year -= 1
                elif before in _NEXT and published.month is not None and published.month >= SEASONS[key]:
                    year += 1
                add(i - 1, i + 1, f"{year:04d}", True)
                continue
        # Bereits 2022 hatte … / 2021 hatte Kairo … (a bare year, not "seit 2022" nor "2000 Soldaten")
        if _YEAR.match(key) and not (i > 0 and keys[i - 1] in _ONGOING):
            before = keys[i - 1] if i > 0 else ""
            after = keys[i + 1] if i + 1 < n else ""
            after_auxiliary = before in _BARE_YEAR_AFTER and i + 1 < n and not tokens[i + 1].is_capitalised
            if before in _BARE_YEAR_BEFORE or after in _BARE_YEAR_AFTER or after_auxiliary:
                add(i, i + 1, key, True)
                continue
        # im Jahr 2017 / in 2017
        if _YEAR.match(key) and i > 0 and keys[i - 1] in _YEAR_CUES:
            add(i, i + 1, key, True)
            continue
        if published is None:
            continue
        # weekdays; "an jenem Freitag" refers back
        if key in WEEKDAYS:
            if i > 0 and keys[i - 1] in _SAME_AS_PREVIOUS:
                add(i - 1, i + 1, previous, False)
            else:
                add(i, i + 1, resolve_weekday(WEEKDAYS[key], published, forward), False)
            continue
        if key in _PAST_DAY:
            add(i, i + 1, _relative_days(published, _PAST_DAY[key]), False)
            continue
        if key in _NEXT_DAY and not (i + 1 < n and keys[i + 1] in {"fruh", "abend"}):
            add(i, i + 1, _relative_days(published, _NEXT_DAY[key]), False)
            continue
        if i > 1 and keys[i - 2] in {"seit", "since"}:
            continue  # "seit letztem Jahr": an ongoing relation has no date
        if key in {"woche", "week"} and i > 0:
            add(i - 1, i + 1, _relative_week(keys[i - 1], published), False)
            continue
        if key in {"monat", "monats", "month"} and i > 0:
            add(i - 1, i + 1, _relative_month(keys[i - 1], published), False)
            continue
        if key in {"jahr", "jahres", "year"} and i > 0:
            add(i - 1, i + 1, _relative_year(keys[i - 1], published), False)
            continue
        # einen Tag darauf / später / danach / nach …; tags darauf; the next day; a day later
        if key in {"tag", "day", "tags"} and previous is not None:
            before = keys[i - 1] if i > 0 else ""
            after = keys[i + 1] if i + 1 < n else ""
            if (
                (
                    before in {"einen", "a", "one"}
                    and after in {"darauf", "spater", "danach", "nach", "later", "after"}
                )
                or (key == "tags" and after == "darauf")
                or (before in {"next", "nachsten", "folgenden"})
            ):
                add(i - 1, i + 2, _shift(previous, 1), False)
            elif before in _SAME_AS_PREVIOUS:
                add(i - 1, i + 1, previous, False)
    return sorted(found, key=lambda d: d.index)


def _relative_days(published: Published, days: int) -> str:
    anchor = published.date
    if anchor is None:
        return published.iso()
    return (anchor + dt.timedelta(days=days)).isoformat()


def _relative_week(word: str, published: Published) -> str | None:
    anchor = published.date
    if word not in _LAST | _THIS | _NEXT:
        return None
    if anchor is None:
        return published.iso() if word in _THIS else None
    monday = anchor - dt.timedelta(days=anchor.weekday())
    if word in _LAST:
        monday -= dt.timedelta(days=7)
    elif word in _NEXT:
        monday += dt.timedelta(days=7)
    return common_prefix(monday, monday + dt.timedelta(days=6))


def _relative_month(word: str, published: Published) -> str | None:
    if published.month is None:
        return None
    year, month = published.year, published.month
    if word in _LAST:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    elif word in _NEXT:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    elif word not in _THIS:
        return None
    return f"{year:04d}-{month:02d}"


def _relative_year(word: str, published: Published) -> str | None:
    if word in _LAST:
        return f"{published.year - 1:04d}"
    if word in _NEXT:
        return f"{published.year + 1:04d}"
    if word in _THIS:
        return f"{published.year:04d}"
    return None


def after_publication(value: str, published: Published | None) -> bool:
    """Whether a date lies after the publication date, compared at the coarser precision."""
    if published is None:
        return False
    pub = published.iso()
    size = min(len(value), len(pub))
    return value[:size] > pub[:size]

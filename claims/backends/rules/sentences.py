"""Sentence segmentation for messy web pages, with the page's debris marked rather than deleted.

A sentence is a span `[start, end)` of the original text, so a claim can quote it exactly. The
segmenter does not break after German and English abbreviations, initials, "(l.)" or ordinals
("am 22. April", "Nr. 5", "z. B.", "St. Petersburg"), and it labels what is not article prose:

- `debris`: cookie, consent, paywall and ad lines, teasers ("Video:", "+++ … +++", "Mehr Themen"),
  time stamps ("21 minutes ago"), photo credits, and lines in another language than the document
  (a list of English headlines under a German article);
- `duplicate`: a line that repeats an earlier one, also lower-cased (repeated headlines);
- `fragment`: a piece without sentence-final punctuation (headlines, captions, bylines).

Only `body` sentences carry claims; the others are kept so that the caller can see why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from claims.backends.rules import data
from claims.verify.field_support import fold

SentenceKind = Literal["body", "fragment", "duplicate", "debris"]

_WORDS = data.load("sentences.json")
"""Abbreviations and function words, in claims/data/sentences.json (hashed into the rules'
prompt_hash with every other data file)."""

ABBREVIATIONS: frozenset[str] = frozenset(_WORDS["abbreviations"])
_TERMINAL = re.compile(r"[.!?…][\"'“”»«)\]]*$|[\"“”»]$")
_BULLET = re.compile(r"^[ \t]*(?:[•·▪‣◦●■□*]|[-–—](?=\s))[ \t]*")
_BREAK = re.compile(r"(?<=[.!?…])[\"'“”»)\]]*\s+(?=[\"„“«]?[A-ZÄÖÜ0-9•]|\()")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
HEADLINE_WORDS = 20
"""A line this short without sentence-final punctuation is a headline or caption, every piece of it."""

_DEBRIS_CUES = re.compile(
    r"cookie|ad-?blocker|werbeblock|werbepartner|werbefrei|werbung|anzeige\b|\babo\b|abonnement|"
    r"abonnier|newsletter|datenschutz|einwilligung|weiterlesen|jetzt .{0,40}testen|registrieren|"
    r"einloggen|loggen sich|browser|\bsubscri|sign up|log in\b|privacy|consent|advertisement|paywall|"
    r"zugang zu allen|exklusiv-artikel|€|rubriklistenbild|©|all rights reserved|alle rechte vorbehalten",
    re.IGNORECASE,
)
_TEASER = re.compile(
    r"^(?:video|foto|fotos|bild|bilder|quelle|image|photo|photos|lesen sie auch|lesen sie mehr|"
    r"mehr zum thema|auch interessant|mehr themen|read more|related|other news|more news|weitere artikel|"
    r"das könnte dich|das könnte sie|empfehlungen|top news|most read|meistgelesen)\b|^\+\+\+|\+\+\+$",
    re.IGNORECASE,
)
_TIMESTAMP = re.compile(
    r"^\s*(?:\d+\s+(?:seconds?|minutes?|mins?|hours?|days?|sekunden|minuten|stunden|tagen?)\s+ago|"
    r"vor\s+\d+\s+(?:sekunden|minuten|stunden|tagen?))\s*$",
    re.IGNORECASE,
)

STOPWORDS: dict[str, frozenset[str]] = {
    language: frozenset(words) for language, words in _WORDS["stopwords"].items()
}


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document: `text == document[start:end]`, never rebuilt."""

    start: int
    end: int
    text: str
    kind: SentenceKind
    line: int

    @property
    def is_body(self) -> bool:
        return self.kind == "body"


def language_of(text: str) -> str:
    """'de' or 'en', by which language's function words are more frequent."""
    words = [w.lower() for w in _WORD.findall(text)]
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in STOPWORDS.items()}
    return "en" if scores["en"] > scores["de"] else "de"


def _line_language(words: list[str]) -> str | None:
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    other = min(scores, key=lambda lang: scores[lang])
    if scores[best] >= 2 and scores[best] > scores[other]:
        return best
    return None


def _is_abbreviation_break(text: str, dot: int) -> bool:
    """Whether the period at `dot` ends an abbreviation, an initial or an ordinal, not a sentence."""
    if text[dot] != ".":
        return False
    start = dot  # the letters and digits right before the period ([^\W_] is exactly str.isalnum)
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    if start == dot:
        return False
    word = text[start:dot]
    if word.isdigit():
        return len(word) <= 3
    return len(word) == 1 or word.lower() in ABBREVIATIONS


def _split_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans inside one line of text."""
    cursor = start
    for match in _BREAK.finditer(text, start, end):
        dot = match.start() - 1
        while dot > cursor and text[dot] not in ".!?…":
            dot -= 1
        if _is_abbreviation_break(text, dot):
            continue
        piece_end = match.start()
        while piece_end > cursor and text[piece_end - 1] in " \t":
            piece_end -= 1
        closing = re.match(r"[\"'“”»)\]]*", text[match.start() : match.end()])
        piece_end = match.start() + (closing.end() if closing else 0)
        if piece_end > cursor:
            yield cursor, piece_end
        cursor = match.end()
    if cursor < end:
        yield cursor, end


def segment(text: str, language: str | None = None) -> list[Sentence]:
    """Every sentence of `text`, in order, each labelled with its kind."""
    language = language if language in STOPWORDS else language_of(text)
    sentences: list[Sentence] = []
    seen_lines: set[str] = set()
    position = 0
    for number, raw_line in enumerate(text.split("\n")):
        line_start = position
        position += len(raw_line) + 1
        bullet = _BULLET.match(raw_line)
        begin = line_start + (bullet.end() if bullet else 0)
        stop = line_start + len(raw_line)
        while begin < stop and text[begin].isspace():
            begin += 1
        while stop > begin and text[stop - 1].isspace():
            stop -= 1
        if begin >= stop:
            continue
        line = text[begin:stop]
        words = [w.lower() for w in _WORD.findall(line)]
        normalised = " ".join(fold(w) for w in words)
        line_kind: SentenceKind | None = None
        if len(words) >= 3 and normalised in seen_lines:
            line_kind = "duplicate"
        elif _TIMESTAMP.match(line) or _TEASER.search(line):
            line_kind = "debris"
        else:
            line_language = _line_language(words)
            if line_language is not None and line_language != language:
                line_kind = "debris"
        seen_lines.add(normalised)
        if line_kind is None and len(words) <= HEADLINE_WORDS and not _TERMINAL.search(line):
            line_kind = "fragment"
        for s_start, s_end in _split_line(text, begin, stop):
            piece = text[s_start:s_end]
            kind: SentenceKind
            if line_kind is not None:
                kind = line_kind
            elif _DEBRIS_CUES.search(piece):
                kind = "debris"
            elif (
                not _TERMINAL.search(piece)
                or piece.rstrip("\"'“”»)").endswith("?")
                or len(_WORD.findall(piece)) < 3
            ):
                kind = "fragment"
            else:
                kind = "body"
            sentences.append(Sentence(s_start, s_end, piece, kind, number))
    return sentences

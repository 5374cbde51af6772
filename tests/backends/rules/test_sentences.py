"""Segmentation: whole sentences with exact offsets, abbreviations kept, web debris labelled."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.backends.rules import sentences
from claims.backends.rules.sentences import language_of, segment
from tests.conftest import seed_texts


def _body(text: str, language: str | None = "de") -> list[str]:
    return [s.text for s in segment(text, language) if s.is_body]


def test_german_abbreviations_and_ordinals_do_not_end_a_sentence() -> None:
    text = (
        "Am 22. April traf Dr. Meier in St. Petersburg ein, z. B. mit Nr. 5 im Gepäck. "
        "Sergei Schoigu (l.) sprach mit ihm. Danach ging es weiter."
    )
    assert _body(text) == [
        "Am 22. April traf Dr. Meier in St. Petersburg ein, z. B. mit Nr. 5 im Gepäck.",
        "Sergei Schoigu (l.) sprach mit ihm.",
        "Danach ging es weiter.",
    ]


def test_offsets_slice_the_original_text() -> None:
    text = "Kopfzeile\n\n  • Putin traf Xi in Peking. Beide sprachen lange.\nEnde."
    for sentence in segment(text):
        assert text[sentence.start : sentence.end] == sentence.text
    assert _body(text)[0] == "Putin traf Xi in Peking."


def test_cookie_banner_and_paywall_lines_are_debris() -> None:
    text = (
        "Um Ihnen ein besseres Nutzererlebnis zu bieten, verwenden wir Cookies.\n"
        "Jetzt für nur 0,99€ im ersten Monat testen\n"
        "Putin traf am Montag den Präsidenten von Kasachstan.\n"
    )
    kinds = [(s.kind, s.text[:10]) for s in segment(text, "de")]
    assert kinds[0][0] == "debris"
    assert kinds[-1] == ("body", "Putin traf")
    assert sum(1 for kind, _ in kinds if kind == "body") == 1


def test_repeated_headline_in_lower_case_is_a_duplicate() -> None:
    text = (
        "Neue Achse? Russland und seine Verbündeten treffen sich\n\n"
        "Der Text beginnt hier mit einem Satz.\n\n"
        "neue achse? russland und seine verbündeten treffen sich\n"
    )
    kinds = [s.kind for s in segment(text, "de")]
    assert kinds[-1] == "duplicate"
    assert "body" in kinds


def test_english_headline_list_under_a_german_article_is_debris() -> None:
    text = (
        "Der Kreml-Chef reiste am Montag nach Minsk und traf dort Lukaschenko.\n\n"
        "OTHER NEWS\n\n21 minutes ago\n\n"
        "Blinken orders crackdown on the leaks after the talks with his counterparts.\n\n"
        "Saudi offers Iran any assistance needed in the helicopter search.\n"
    )
    body = _body(text)
    assert body == ["Der Kreml-Chef reiste am Montag nach Minsk und traf dort Lukaschenko."]


def test_headlines_and_questions_carry_no_claims() -> None:
    text = "Putin trifft Xi in Peking\nTreffen sich die beiden bald wieder?\nEr reiste ab.\n"
    kinds = [s.kind for s in segment(text, "de")]
    assert kinds == ["fragment", "fragment", "body"]


def test_language_detection() -> None:
    assert language_of("Der Präsident traf sich mit dem Kanzler und sprach über die Lage.") == "de"
    assert language_of("The president met the chancellor and talked about the situation.") == "en"


_SENTENCE = st.sampled_from(
    [
        "Putin traf am 22. April Xi in Peking.",
        "Das ISW (l.) berichtet z. B. von Treffen.",
        "Iran liefert Drohnen an Russland!",
        "Wird es ein Abkommen geben?",
        "Lawrow reiste nach St. Petersburg.",
        "The U.S. envoy met Dr. Smith on April 22.",
    ]
)


@given(st.lists(_SENTENCE, min_size=1, max_size=8), st.sampled_from([" ", "\n", "\n\n", "  "]))
def test_every_sentence_is_an_exact_slice(sentences: list[str], glue: str) -> None:
    text = glue.join(sentences)
    found = segment(text)
    for sentence in found:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
    starts = [s.start for s in found]
    assert starts == sorted(starts)


class _Counting:
    """Stands in for a compiled pattern or the `re` module and adds up the characters handed to it."""

    def __init__(self, target: Any, tally: list[int]) -> None:
        self._target = target
        self._tally = tally

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._target, name)
        if name not in {"search", "match", "fullmatch", "finditer", "findall", "sub", "split"}:
            return attribute

        def counted(*args: Any, **kwargs: Any) -> Any:
            strings = [a for a in args if isinstance(a, str)]
            if self._target is re:  # re.match(pattern, string, ...): the string is the last str
                self._tally[0] += len(strings[-1])
            else:  # pattern.finditer(string, pos, endpos)
                numbers = [a for a in args if isinstance(a, int)]
                pos = numbers[0] if numbers else 0
                endpos = numbers[1] if len(numbers) > 1 else len(strings[0])
                self._tally[0] += max(0, min(endpos, len(strings[0])) - pos)
            return attribute(*args, **kwargs)

        return counted


def _characters_scanned(monkeypatch: pytest.MonkeyPatch, text: str) -> int:
    tally = [0]
    with monkeypatch.context() as patch:
        patch.setattr(sentences, "re", _Counting(re, tally))
        for name, value in vars(sentences).items():
            if isinstance(value, re.Pattern):
                patch.setattr(sentences, name, _Counting(value, tally))
        segment(text, "de")
    return tally[0]


def test_segmenting_scans_each_character_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """Linear, not quadratic (issue 10: a regex over the whole prefix at every full stop made 800,000
    characters take 100 s): four times the text hands its regexes about four times the characters."""
    seeds = "\n\n".join(seed_texts().values())

    def copies(n: int) -> str:  # distinct lines, so no copy is skipped as a duplicate
        return "\n\n".join(
            "\n".join(f"{line} Nachtrag {k}." if line.strip() else line for line in seeds.split("\n"))
            for k in range(n)
        )

    once = _characters_scanned(monkeypatch, copies(1))
    four_times = _characters_scanned(monkeypatch, copies(4))
    assert once > len(copies(1))  # the count sees the regexes at work
    assert 3.5 < four_times / once < 4.5

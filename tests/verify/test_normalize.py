"""The normalisation forgives only the documented differences, and its offset map is exact."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.verify.normalize import (
    DASHES,
    DOUBLE_QUOTES,
    INVISIBLE,
    SINGLE_QUOTES,
    NormalizedText,
    normalize_string,
)

# Characters that exercise every rule: letters (plain, precomposed, decomposable), whitespace of
# many kinds, typographic quotes and dashes, invisibles, punctuation, and a Hangul syllable.
ALPHABET = (
    "abcXYZäöüßéñ"
    + "e\u0301"
    + "o\u0308"
    + " \t\n\u00a0\u2009\u202f\u3000"
    + DOUBLE_QUOTES
    + SINGLE_QUOTES
    + DASHES
    + INVISIBLE
    + ".,;:!?()\"'-"
    + "\u1100\u1161\u11a8한"
)
texts = st.text(alphabet=st.sampled_from(ALPHABET), max_size=200)


def reference_normalize(text: str) -> str:
    """The documented rules, written the slow and obvious way."""
    text = "".join(ch for ch in text if ch not in INVISIBLE)
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text)
    for ch in DOUBLE_QUOTES:
        text = text.replace(ch, '"')
    for ch in SINGLE_QUOTES:
        text = text.replace(ch, "'")
    for ch in DASHES:
        text = text.replace(ch, "-")
    return text


def test_each_rule_on_an_example() -> None:
    assert normalize_string("„Putin“ traf\u00a0Xi –\nin\u00adPeking") == '"Putin" traf Xi - inPeking'
    assert normalize_string("Cafe\u0301 ‚au‘ lait") == "Café 'au' lait"
    assert normalize_string("a \u200b b") == "a b"


def test_nothing_else_is_forgiven() -> None:
    assert normalize_string("Putin") != normalize_string("putin")
    assert normalize_string("Treffen.") != normalize_string("Treffen")
    assert normalize_string("Toqajew") != normalize_string("Tokajew")


@given(texts)
@settings(max_examples=300)
def test_fast_pass_agrees_with_the_reference(text: str) -> None:
    normalized = NormalizedText.of(text).text
    assert normalized == reference_normalize(text)


@given(texts, st.data())
@settings(max_examples=300)
def test_every_normalised_span_maps_to_an_original_span_that_normalises_back(
    text: str, data: st.DataObject
) -> None:
    mapped = NormalizedText.of(text)
    if not mapped.text.strip():
        return
    start = data.draw(st.integers(0, len(mapped.text) - 1))
    end = data.draw(st.integers(start + 1, len(mapped.text)))
    piece = mapped.text[start:end]
    if piece != piece.strip() or not piece:
        return
    if mapped.cuts_group(start) or mapped.cuts_group(end):
        return  # no original offset lies inside a fused group; the verifier refuses such a match
    original_start, original_end = mapped.original_span(start, end)
    assert 0 <= original_start < original_end <= len(text)
    assert normalize_string(text[original_start:original_end]) == piece


@given(texts)
def test_mapping_is_monotonic(text: str) -> None:
    mapped = NormalizedText.of(text)
    starts = [mapped.original_start(i) for i in range(len(mapped.text))]
    assert starts == sorted(starts)
    assert all(mapped.original_end(i) > starts[i] for i in range(len(mapped.text)))


def test_a_position_inside_a_fused_group_is_known() -> None:
    # ü + two acute accents: NFC fuses ü and the first accent into ǘ; the second stays.
    mapped = NormalizedText.of(":::\u00fc\u0301\u0301")
    assert mapped.text == ":::\u01d8\u0301"
    assert mapped.cuts_group(4)
    assert not any(mapped.cuts_group(p) for p in (0, 3, 5))


def test_compositions_the_fast_pass_cannot_see_still_normalise() -> None:
    assert NormalizedText.of("x \u1100\u1161\u11a8 y").text == "x 각 y"
    assert NormalizedText.of("e\u200b\u0301 x").text == "é x"
    assert NormalizedText.of("\u212b ohm \u2126").text == "Å ohm Ω"


@given(texts)
@settings(max_examples=300)
def test_quotes_and_documents_are_normalised_alike(text: str) -> None:
    assert normalize_string(text) == NormalizedText.of(text).text.strip()


@given(texts)
@settings(max_examples=500)
def test_normalize_string_skips_only_steps_that_would_change_nothing(text: str) -> None:
    """normalize_string runs a step only if a search finds work for it; the result must be that of
    running every step unconditionally."""
    from claims.verify import normalize

    plain = normalize._INVISIBLE_RUN.sub("", text)
    plain = unicodedata.normalize("NFC", plain)
    plain = normalize._SPACE_RUN.sub(" ", plain).translate(normalize._CHAR_MAP).strip()
    assert normalize_string(text) == plain

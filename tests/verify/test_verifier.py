"""The verifier keeps a claim only when its quote is in the source, and records the exact span."""

from __future__ import annotations

import random
from difflib import SequenceMatcher
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from benchmarks.quotes import mixed_quotes
from claims.schema import (
    PROPOSED_CLAIM_ADAPTER,
    ProposedClaim,
    ProposedMeeting,
    Provenance,
    RejectedClaim,
    VerifiedMeeting,
)
from claims.verify.normalize import DASHES, DOUBLE_QUOTES, INVISIBLE, SINGLE_QUOTES, normalize_string
from claims.verify.verifier import SourceText, Verifier, quote_word_count
from tests.conftest import gold_lines, seed_texts

PROVENANCE = Provenance(backend="test")


def meeting(quote: str, names: tuple[str, str] = ("Putin", "Xi")) -> ProposedMeeting:
    return ProposedMeeting(
        quote=quote,
        status="occurred",
        participants=[{"name": names[0], "country": "RUS"}, {"name": names[1], "country": "CHN"}],
    )


def test_every_gold_quote_and_alt_quote_verifies_with_exact_offsets() -> None:
    texts = seed_texts()
    verifier = Verifier(texts)
    checked = 0
    for line in gold_lines():
        for quote in [line["quote"], *line["alt_quotes"]]:
            claim = PROPOSED_CLAIM_ADAPTER.validate_python({**line, "quote": quote})
            outcome = verifier.verify(line["doc_id"], claim, PROVENANCE)
            assert not isinstance(outcome, RejectedClaim), (quote, outcome)
            assert texts[line["doc_id"]][outcome.span.start : outcome.span.end] == quote
            assert outcome.match == "exact"
            checked += 1
    assert checked == 78


def test_typographic_differences_are_forgiven_and_mapped_to_the_original() -> None:
    text = "Moskau – Putin traf am Montag „seinen Freund“ Xi\u00a0Jinping in Peking.\nDanach nichts."
    verifier = Verifier({"d": text})
    outcome = verifier.verify(
        "d", meeting('Moskau - Putin traf am Montag "seinen Freund" Xi Jinping'), PROVENANCE
    )
    assert isinstance(outcome, VerifiedMeeting)
    assert outcome.match == "normalized"
    assert (
        text[outcome.span.start : outcome.span.end]
        == "Moskau – Putin traf am Montag „seinen Freund“ Xi\u00a0Jinping"
    )
    assert outcome.quote == text[outcome.span.start : outcome.span.end]


@pytest.mark.parametrize(
    "altered",
    [
        "Putin traf am Montag seinen Freund Xi",  # a dropped quote mark is a changed character
        "Putin traf am Dienstag Xi Jinping",  # a changed word
        "Putin traf Xi Jinping in Peking",  # a dropped phrase
        "Putin met Xi Jinping on Monday",  # a translation
        "putin traf am montag",  # case
    ],
)
def test_anything_looser_is_rejected_as_not_found_with_a_near_miss(altered: str) -> None:
    text = "Putin traf am Montag „seinen Freund“ Xi Jinping in Peking. Sonst geschah nichts."
    outcome = Verifier({"d": text}).verify("d", meeting(altered), PROVENANCE)
    assert isinstance(outcome, RejectedClaim)
    assert outcome.reason == "not_found"
    assert outcome.near_miss is not None
    near = outcome.near_miss
    assert text[near.span.start : near.span.end] == near.text
    assert 0.0 < near.similarity < 1.0


def test_a_typo_fixed_by_the_model_is_rejected() -> None:
    texts = seed_texts()
    source = texts["002_8f00768b7795d178"]
    assert "Putin sizziert Pläne" in source  # the source's own typo
    outcome = Verifier(texts).verify(
        "002_8f00768b7795d178", meeting("Putin skizziert Pläne: Russland bei Entstehung"), PROVENANCE
    )
    assert isinstance(outcome, RejectedClaim)
    assert outcome.reason == "not_found"
    assert outcome.near_miss is not None and "sizziert" in outcome.near_miss.text


def test_a_quote_that_ends_inside_a_fused_letter_is_rejected() -> None:
    # The source's last letter is ü with two accents (NFC fuses ü and one of them); the quote's is
    # ü with one: a different character, so no span of the source is the quote.
    source = "Putin traf Xi in Peking am Tag \u00fc\u0301\u0301. Sonst nichts."
    quote = "Putin traf Xi in Peking am Tag \u01d8"
    outcome = Verifier({"d": source}).verify("d", meeting(quote), PROVENANCE)
    assert isinstance(outcome, RejectedClaim)
    assert outcome.reason == "not_found"


def test_short_quotes_are_not_evidence() -> None:
    outcome = Verifier({"d": "Putin traf Xi. Und so weiter."}).verify("d", meeting("Putin traf"), PROVENANCE)
    assert isinstance(outcome, RejectedClaim) and outcome.reason == "too_short"
    assert quote_word_count("Putin traf Xi.") == 3
    assert quote_word_count(" – „Putin“ traf – ") == 2


def test_unknown_document_is_a_rejection_not_a_crash() -> None:
    outcome = Verifier({"d": "text"}).verify_raw(
        {"doc_id": "nope", **meeting("Putin traf Xi in Peking").model_dump()}, PROVENANCE
    )
    assert isinstance(outcome, RejectedClaim) and outcome.reason == "unknown_document"


def test_invalid_claims_are_rejected_with_the_schema_error() -> None:
    outcome = Verifier({"d": "text"}).verify_raw({"doc_id": "d", "type": "meeting", "quote": "x"}, PROVENANCE)
    assert isinstance(outcome, RejectedClaim) and outcome.reason == "invalid"
    assert outcome.detail is not None and "status" in outcome.detail


def test_repeated_quote_takes_the_occurrence_nearest_the_chunk_and_counts_them() -> None:
    sentence = "Putin traf Xi Jinping in Peking."
    text = f"{sentence}\n{'Füllsatz ohne Inhalt. ' * 50}\n{sentence}\n"
    second = text.rindex(sentence)
    verifier = Verifier({"d": text})
    near_end = verifier.verify("d", meeting(sentence), PROVENANCE, near=(second - 10, len(text)))
    near_start = verifier.verify("d", meeting(sentence), PROVENANCE, near=(0, 40))
    assert isinstance(near_end, VerifiedMeeting) and isinstance(near_start, VerifiedMeeting)
    assert near_end.span.start == second and near_start.span.start == 0
    assert near_end.occurrences == near_start.occurrences == 2


def test_actor_and_weapon_support_is_checked_and_strict_mode_rejects() -> None:
    text = "Der Iran liefert Drohnen an Russland.\n\nIn Minsk traf der belarussische Minister niemanden."
    claim = PROPOSED_CLAIM_ADAPTER.validate_python(
        {
            "type": "arms_delivery",
            "quote": "Der Iran liefert Drohnen an Russland.",
            "status": "occurred",
            "supplier": {"name": "Iran", "country": "IRN"},
            "recipient": {"name": "Nordkorea", "country": "PRK"},
            "weapons": ["Drohnen", "Panzer"],
        }
    )
    lenient = Verifier({"d": text}).verify("d", claim, PROVENANCE)
    assert not isinstance(lenient, RejectedClaim)
    assert lenient.unsupported_fields == ["recipient.name", "weapons[1]"]
    strict = Verifier({"d": text}, strict=True).verify("d", claim, PROVENANCE)
    assert isinstance(strict, RejectedClaim) and strict.reason == "unsupported_fields"
    assert strict.unsupported_fields == ["recipient.name", "weapons[1]"]


def test_a_country_that_is_no_country_code_is_flagged_and_strict_mode_rejects() -> None:
    text = "Raisi traf Putin in Teheran."

    def raisi_meets_putin(code: str) -> ProposedClaim:
        return PROPOSED_CLAIM_ADAPTER.validate_python(
            {
                "type": "meeting",
                "quote": text,
                "status": "occurred",
                "participants": [{"name": "Raisi", "country": code}, {"name": "Putin", "country": "RUS"}],
            }
        )

    lenient = Verifier({"d": text}).verify("d", raisi_meets_putin("IRI"), PROVENANCE)
    assert not isinstance(lenient, RejectedClaim) and lenient.unsupported_fields == [
        "participants[0].country"
    ]
    strict = Verifier({"d": text}, strict=True).verify("d", raisi_meets_putin("IRI"), PROVENANCE)
    assert isinstance(strict, RejectedClaim) and strict.unsupported_fields == ["participants[0].country"]
    for code in ("IRN", "XKX"):
        allowed = Verifier({"d": text}, strict=True).verify("d", raisi_meets_putin(code), PROVENANCE)
        assert not isinstance(allowed, RejectedClaim) and allowed.unsupported_fields == []


def test_german_inflection_counts_as_support() -> None:
    text = "Putins Gesandter traf die nordkoreanische Delegation in Moskau."
    claim = meeting(text, names=("Putin", "Nordkorea"))
    outcome = Verifier({"d": text}).verify("d", claim, PROVENANCE)
    assert not isinstance(outcome, RejectedClaim) and outcome.unsupported_fields == []


# --- properties: planted spans and random strings ---------------------------------------------

WORD_CHARS = "abcdefghijklmnopqrstuvwxyzäöüßéABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
SPACES = [" ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u202f", " \n "]
words = st.text(alphabet=WORD_CHARS, min_size=1, max_size=8)
separators = st.sampled_from([*SPACES, ", ", ". ", " – ", " „", "“ ", " ‚", "‘ ", " (", ") ", " - "])


def perturb(piece: str, rng: random.Random) -> str:
    """Rewrite a string only in the ways the verifier forgives."""
    out: list[str] = []
    for ch in piece:
        if ch.isspace():
            out.append(rng.choice(SPACES))
        elif ch in DOUBLE_QUOTES + '"':
            out.append(rng.choice(DOUBLE_QUOTES + '"'))
        elif ch in SINGLE_QUOTES + "'":
            out.append(rng.choice(SINGLE_QUOTES + "'"))
        elif ch in DASHES + "-":
            out.append(rng.choice(DASHES + "-"))
        elif ch == "é":
            out.append(rng.choice(["é", "e\u0301"]))
        else:
            out.append(ch)
        if ch.isalpha() and rng.random() < 0.1:
            out.append(rng.choice(INVISIBLE))
    return "".join(out)


@st.composite
def planted(draw: st.DrawFn) -> tuple[str, int, int, str]:
    """A text of random words and separators, a planted span of ≥ 3 words, and a perturbed quote."""
    count = draw(st.integers(5, 60))
    parts: list[str] = []
    word_spans: list[tuple[int, int]] = []
    position = 0
    for index in range(count):
        word = draw(words)
        word_spans.append((position, position + len(word)))
        parts.append(word)
        position += len(word)
        if index < count - 1:
            separator = draw(separators)
            parts.append(separator)
            position += len(separator)
    text = "".join(parts)
    first = draw(st.integers(0, count - 3))
    last = draw(st.integers(first + 2, min(count - 1, first + 12)))
    start, end = word_spans[first][0], word_spans[last][1]
    quote = perturb(text[start:end], random.Random(draw(st.integers(0, 2**32))))
    return text, start, end, quote


@given(planted())
@settings(max_examples=300)
def test_planted_spans_map_back_to_exact_offsets(case: tuple[str, int, int, str]) -> None:
    text, start, end, quote = case
    assume(quote_word_count(quote) >= 3)
    found = SourceText(text).find(quote, near=(start, end))
    assert found is not None
    assert normalize_string(text[found.start : found.end]) == normalize_string(quote)
    if found.occurrences == 1:
        assert (found.start, found.end) == (start, end)


@given(planted(), st.text(alphabet=WORD_CHARS + " ", min_size=1, max_size=40))
@settings(max_examples=300)
def test_strings_not_in_the_text_are_never_accepted(case: tuple[str, int, int, str], noise: str) -> None:
    text = case[0]
    quote = f"{case[3]} {noise}" if len(noise) % 2 else f"{noise} {case[3]}"
    assume(quote_word_count(quote) >= 3)
    present = normalize_string(quote) in SourceText(text).normalized.text
    found = SourceText(text).find(quote)
    assert (found is not None) == present
    if found is not None:
        assert normalize_string(text[found.start : found.end]) == normalize_string(quote)


@given(planted(), st.integers(0, 10_000), st.sampled_from(WORD_CHARS))
@settings(max_examples=300)
def test_a_changed_character_is_rejected(
    case: tuple[str, int, int, str], where: int, replacement: str
) -> None:
    text, start, end, _ = case
    original = text[start:end]
    letters = [i for i, ch in enumerate(original) if ch in WORD_CHARS]
    index = letters[where % len(letters)]
    assume(original[index] != replacement)
    altered = original[:index] + replacement + original[index + 1 :]
    assume(quote_word_count(altered) >= 3)
    assume(normalize_string(altered) not in SourceText(text).normalized.text)
    assert SourceText(text).find(altered) is None


def _record(outcome: Any) -> dict[str, Any]:
    return outcome.model_dump(mode="json")  # type: ignore[no-any-return]


def test_verified_record_carries_provenance_and_a_stable_id() -> None:
    text = "Putin traf Xi Jinping in Peking."
    first = _record(Verifier({"d": text}).verify("d", meeting(text), PROVENANCE))
    again = _record(Verifier({"d": text}).verify("d", meeting(text), PROVENANCE))
    assert first["claim_id"] == again["claim_id"]
    assert first["provenance"]["backend"] == "test"
    assert first["doc_id"] == "d" and first["span"] == {"start": 0, "end": len(text)}


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_the_near_miss_of_a_quote_with_one_word_edited_is_the_sentence_it_came_from(seed: int) -> None:
    """The quality bar of the near-miss search (issue 10): for every quote made from a sentence of
    the text by replacing one word, the near miss is exactly that sentence, and its similarity is
    within 0.03 of difflib's ratio of the two (the measure the search used before rapidfuzz)."""
    text, quotes = mixed_quotes(seed=seed)
    source = SourceText(text)
    edited = [q for q in quotes if q.kind == "edited"]
    assert len(edited) > 150
    for quote in edited:
        assert source.find(quote.text) is None
        near = source.near_miss(quote.text)
        assert near is not None and quote.planted is not None
        assert (near.span.start, near.span.end) == quote.planted, quote.text
        reference = SequenceMatcher(None, quote.text, near.text, autojunk=False).ratio()
        assert abs(near.similarity - reference) <= 0.03, quote.text


def test_verbatim_quotes_are_found_and_invented_ones_rejected_with_a_near_miss() -> None:
    text, quotes = mixed_quotes()
    source = SourceText(text)
    for quote in quotes:
        found = source.find(quote.text)
        if quote.kind == "verbatim":
            assert found is not None and (found.start, found.end) == quote.planted
        else:
            assert found is None
            near = source.near_miss(quote.text)
            assert near is not None and text[near.span.start : near.span.end] == near.text


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="ab cd.\n„“–\u00a0", max_size=200),
    quote=st.text(alphabet='ab cd.x„"-', min_size=1, max_size=40),
)
def test_a_near_miss_is_a_span_of_the_source_with_a_similarity_between_0_and_1(text: str, quote: str) -> None:
    near = SourceText(text).near_miss(quote)
    if near is not None:
        assert 0 <= near.span.start < near.span.end <= len(text)
        assert near.text == text[near.span.start : near.span.end]
        assert 0.0 <= near.similarity <= 1.0

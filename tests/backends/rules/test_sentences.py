"""Segmentation: whole sentences with exact offsets, abbreviations kept, web debris labelled."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from claims.backends.rules.sentences import language_of, segment


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

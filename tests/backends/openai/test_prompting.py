"""The prompt templates: the article is a value, never template source; examples are honest."""

from __future__ import annotations

import pytest

from claims.backends.openai.prompting import (
    ALL_EXAMPLES,
    example_count,
    load_prompts,
    prompt_hash,
    render_messages,
    render_user,
)
from claims.backends.protocol import Chunk, ProposalRequest
from claims.inputs.documents import Document
from claims.schema import ProposedClaims
from claims.verify.verifier import Verifier
from tests.conftest import GOLD, SEEDS


def request(text: str, feedback: tuple[str, ...] = ()) -> ProposalRequest:
    document = Document(id="d", text=text, published="2024-11-26", language="de")
    return ProposalRequest(document, Chunk("d", 0, 0, len(text), text), feedback)


def test_template_syntax_in_the_article_and_feedback_stays_as_written() -> None:
    text = "A {{ 7*7 }} B {% if x %} C {# D {{ nope }} {%- raw %}\n\nE\n"
    quote = "{{ config }} {% endif %}"
    user = render_user(request(text, (quote,)))
    assert f"<<<\n{text}\n>>>" in user
    assert f"- {quote}" in user


def test_the_system_message_teaches_the_contract() -> None:
    system = render_messages(request("x"))[0]["content"]
    for rule in (
        "One claim per bilateral meeting",
        "Negated or denied events are not claims",
        "alleged",
        "planned",
        "speculative",
        "character for character",
        "never translate",
        "publication date",
    ):
        assert rule.lower() in system.lower(), rule


def test_the_publication_date_is_given_for_relative_dates() -> None:
    assert "Publication date: 2024-11-26" in render_user(request("x"))


def test_every_example_fits_the_schema_and_its_quotes_are_verbatim() -> None:
    prompts = load_prompts()
    assert len(prompts.examples) >= 4
    for example in prompts.examples:
        parsed = ProposedClaims.model_validate({"claims": example.claims})
        verifier = Verifier({"x": example.text})
        for claim in parsed.claims:
            found = verifier.source("x").find(claim.quote)  # type: ignore[union-attr]
            assert found is not None and found.match == "exact", (example.name, claim.quote)


def test_examples_are_written_for_the_purpose_not_taken_from_evaluation_data() -> None:
    evaluation = GOLD.read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")
    )
    for example in load_prompts().examples:
        for claim in example.claims:
            assert claim["quote"] not in evaluation
        for sentence in example.text.split(". "):
            assert sentence.strip() not in evaluation or len(sentence.strip()) < 20


def test_the_prompt_hash_is_stable_and_covers_the_examples() -> None:
    assert prompt_hash() == load_prompts().hash
    assert len(prompt_hash()) == 64


def test_examples_are_an_option_and_change_the_hash() -> None:
    every = load_prompts(ALL_EXAMPLES)
    none = load_prompts(0)
    two = load_prompts(2)
    assert len(every.examples) == example_count() >= 4
    assert none.examples == () and "# Examples" not in none.system
    assert [e.name for e in two.examples] == [e.name for e in every.examples[:2]]
    assert two.system.count("## Example ") == 2
    assert len({every.hash, none.hash, two.hash}) == 3
    assert load_prompts(example_count()).hash == every.hash  # all of them, however asked for
    with pytest.raises(ValueError, match="negative"):
        load_prompts(-2)


def test_without_examples_every_rule_is_still_stated() -> None:
    system = load_prompts(0).system
    with_examples = load_prompts(ALL_EXAMPLES).system
    assert with_examples.startswith(system)  # the examples only ever come after the rules
    rules = with_examples.split("# Examples")[0]
    for line in rules.splitlines():
        if line.startswith("- "):
            assert line in system, line


def test_the_static_part_of_every_request_is_byte_identical() -> None:
    first = render_messages(request("Erster Artikel."), examples=0)
    second = render_messages(request("Ein ganz anderer Artikel, länger.", ("ein Zitat",)), examples=0)
    assert first[0] == second[0]
    assert first[0]["role"] == "system" and "Artikel" not in first[0]["content"]
    assert first[1]["role"] == "user" and first[1]["content"].endswith("Erster Artikel.\n>>>")

"""Every rule of docs/ANNOTATION.md that a model must follow is stated in the prompt it gets by
default (no examples), and the request schema enumerates what ANNOTATION.md enumerates.

`PROMPT_RULES` lists, per rule of ANNOTATION.md's sections "The three claim types", "Rules that
decide the hard cases", "Fields" and "actor", the words that carry the rule; all of a rule's words
must stand in one line of the system message (one bullet), so a trimmed prompt that drops a rule,
or scatters it, fails. `GOLD_ONLY` names the rules the prompt deliberately does not carry, and
why. The enumerations are read from ANNOTATION.md itself, not copied here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claims.backends.openai.prompting import load_prompts
from claims.backends.openai.request_schema import request_schema

ANNOTATION = Path(__file__).resolve().parents[3] / "docs" / "ANNOTATION.md"

TYPE_RULES: dict[str, tuple[str, ...]] = {
    # The three claim types: what counts, and what does not
    "meeting counts": ("meeting:", "two or more", "states", "international body", "summit", "phone", "video"),
    "meeting does not": ("no counterpart", "statements", "interviews", "inside one state"),
    "delivery counts": (
        "arms_delivery:",
        "weapons",
        "ammunition",
        "military equipment",
        "technology",
        "armed actor",
        "ongoing supply",
    ),
    "delivery does not": ("troops", "civilian goods", "military cooperation"),
    "signing counts": (
        "treaty_signing:",
        "signed",
        "concluded",
        "pact",
        "strategic partnership",
        "memorandum",
        "declaration of intent",
        "agreements were made",
    ),
    "signing does not": ("promises", "invitations", "pledges", "membership"),
}
HARD_CASES: dict[str, tuple[str, ...]] = {
    # Rules that decide the hard cases
    "one claim per bilateral meeting": ("met the leaders of a, b and c", "per counterpart", "same sentence"),
    "one event, one claim": ("one event, one claim", "headline", "different times or places"),
    "a summit is one claim": ("summit", "one gathering", "every participant", "sidelines", "bilateral"),
    "a visit is a meeting": ("visit to a state", "no host official"),
    "a signing at a meeting is two claims": ("signing at a meeting", "meeting", "treaty_signing"),
    "supply relation and delivery": ("ongoing supply relation", "specific delivery", "two claims"),
    "negated events are no claims": ("negated", "denied", "not claims", "deny", "alleged"),
    "label what the text says": ("what the text says", "kaz"),
}
FIELD_RULES: dict[str, tuple[str, ...]] = {
    # Fields
    "quote is verbatim": (
        "quote:",
        "one sentence",
        "character for character",
        "typos",
        "typographic quotes",
        "dashes",
        "never translate",
        "…",
    ),
    "status": (
        "status:",
        "occurred",
        "reported speech",
        "alleged",
        "soll",
        "angeblich",
        "reportedly",
        "planned",
        "future",
        "speculative",
        "könnte",
        "dürfte",
        "could",
    ),
    "date": (
        "date:",
        "yyyy-mm-dd",
        "precision",
        "relative",
        "publication date",
        "range",
        "common prefix",
        "null",
        "ongoing",
    ),
    "location": ("location:", "as written", "null"),
    "attributed_to": ("attributed_to:", "source", "quoted sentence", "before", "null"),
    "meeting fields": ("participants", "at least two actors"),
    "delivery fields": ("supplier", "recipient", "weapons", "as written", "weapon_categories", "other"),
    "signing fields": ("parties", "at least two actors", "agreement", "as written"),
    "actor": (
        '"name"',
        '"country"',
        '"role"',
        "most specific",
        "iso 3166-1 alpha-3",
        "null for a group or body",
        "title as written",
    ),
}
PROMPT_RULES = TYPE_RULES | HARD_CASES | FIELD_RULES

GOLD_ONLY = {
    "photo captions and implied meetings are optional": "a labelling rule for gold; a model proposes them",
    "aggregates with no counterpart are optional": "gold only: neither required nor penalised",
    "alt_quotes": "gold lines only",
    "Scoring": "how answers are scored, not what a model is asked",
    "Events across documents": "grouping across documents happens after extraction",
}


def system_lines() -> list[str]:
    return [line.lower() for line in load_prompts(0).system.splitlines()]


@pytest.mark.parametrize("rule", sorted(PROMPT_RULES))
def test_each_rule_is_stated_in_one_line_of_the_prompt_without_examples(rule: str) -> None:
    words = PROMPT_RULES[rule]
    lines = [line for line in system_lines() if all(word in line for word in words)]
    assert lines, f"{rule}: no line of the system message states all of {words}"


def test_the_rules_checked_are_the_rules_of_annotation_md() -> None:
    """A rule added to ANNOTATION.md's hard cases must be added here (or to GOLD_ONLY)."""
    text = ANNOTATION.read_text(encoding="utf-8")
    hard_cases = text.split("Rules that decide the hard cases:")[1].split("## Fields")[0]
    bullets = [line for line in hard_cases.splitlines() if line.startswith("- ")]
    optional_in_gold = [line for line in bullets if "`optional` in gold" in line]
    assert len(optional_in_gold) == 2
    assert len(bullets) == len(HARD_CASES) + len(optional_in_gold)
    for heading in ("## The three claim types", "## Fields", "## Scoring", "## Events across documents"):
        assert heading in text


def _enumeration(text: str, field: str) -> list[str]:
    row = next(line for line in text.splitlines() if line.startswith(f"| `{field}`"))
    return re.findall(r"`([a-z_]+)`", row.split("|")[2])


def test_the_request_schema_enumerates_the_categories_statuses_and_types_of_annotation_md() -> None:
    text = ANNOTATION.read_text(encoding="utf-8")
    categories = re.findall(r"`([a-z_]+)`", text.split("`weapon_categories`: list from")[1].split("|")[0])
    statuses = _enumeration(text, "status")
    types = _enumeration(text, "type")
    claim = request_schema()["properties"]["claims"]["items"]["properties"]
    assert claim["weapon_categories"]["items"]["enum"] == categories and len(categories) == 11
    assert claim["status"]["enum"] == statuses == ["occurred", "alleged", "planned", "speculative"]
    assert claim["type"]["enum"] == types == ["meeting", "arms_delivery", "treaty_signing"]

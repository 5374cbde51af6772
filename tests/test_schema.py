"""The claim models follow ANNOTATION.md, and what we ask a model for fits OpenAI strict mode."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from pydantic import ValidationError

from claims.schema import (
    DATE_PATTERN,
    PROPOSED_CLAIM_ADAPTER,
    ProposedArmsDelivery,
    ProposedClaims,
    ProposedMeeting,
)
from tests.conftest import gold_lines

# The keywords OpenAI structured outputs (strict: true) supports, from its "Supported schemas" guide.
STRICT_KEYWORDS = {
    "type", "properties", "required", "additionalProperties", "items", "anyOf", "enum", "const",
    "$ref", "$defs", "description", "title", "pattern", "format", "minItems", "maxItems",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
}  # fmt: skip


def strict_violations(schema: dict[str, Any]) -> list[str]:
    """Every place where a schema breaks the rules of OpenAI strict structured outputs."""
    problems: list[str] = []
    if schema.get("type") != "object":
        problems.append("root: must be an object")

    def walk(node: Any, path: str) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, f"{path}[{index}]")
            return
        if not isinstance(node, dict):
            return
        for keyword in node:
            if keyword not in STRICT_KEYWORDS:
                problems.append(f"{path}: unsupported keyword {keyword}")
        if node.get("type") == "object":
            if node.get("additionalProperties") is not False:
                problems.append(f"{path}: additionalProperties must be false")
            if sorted(node.get("required", [])) != sorted(node.get("properties", {})):
                problems.append(f"{path}: every property must be required")
        for key in ("properties", "$defs"):
            for name, child in node.get(key, {}).items():
                walk(child, f"{path}.{key}.{name}")
        for key in ("items", "anyOf"):
            if key in node:
                walk(node[key], f"{path}.{key}")

    walk(schema, "root")
    return problems


def test_proposed_claims_schema_is_accepted_by_openai_strict_mode() -> None:
    assert strict_violations(ProposedClaims.model_json_schema()) == []


def test_the_strictness_check_catches_what_strict_mode_refuses() -> None:
    loose = {
        "type": "object",
        "properties": {"a": {"type": "string", "minLength": 1}, "b": {"oneOf": []}},
        "required": ["a"],
    }
    problems = strict_violations(loose)
    assert "root: additionalProperties must be false" in problems
    assert "root: every property must be required" in problems
    assert "root.properties.a: unsupported keyword minLength" in problems
    assert "root.properties.b: unsupported keyword oneOf" in problems


def test_optional_fields_are_nullable_in_the_schema_and_defaulted_on_input() -> None:
    schema = ProposedClaims.model_json_schema()
    meeting = schema["$defs"]["ProposedMeeting"]["properties"]
    assert {"type": "null"} in meeting["location"]["anyOf"]
    claim = PROPOSED_CLAIM_ADAPTER.validate_python(
        {
            "type": "meeting",
            "quote": "q",
            "status": "planned",
            "participants": [{"name": "A", "country": "rus"}, {"name": "B"}],
        }
    )
    assert isinstance(claim, ProposedMeeting)
    assert claim.location is None and claim.date is None
    assert claim.participants[0].country == "RUS" and claim.participants[1].country is None


def test_every_gold_line_fits_the_schema() -> None:
    for line in gold_lines():
        claim = PROPOSED_CLAIM_ADAPTER.validate_python(line)
        assert claim.type == line["type"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2024-13"}, "date"),
        ({"date": "22.04.2024"}, "date"),
        ({"status": "rumoured"}, "status"),
        ({"supplier": {"name": "X", "country": "RU"}}, "country"),
        ({"weapon_categories": ["lasers"]}, "weapon_categories"),
        ({"type": "invasion"}, "type"),
    ],
)
def test_invalid_values_are_refused(change: dict[str, Any], field: str) -> None:
    base = {
        "type": "arms_delivery",
        "quote": "Iran liefert Drohnen an Russland.",
        "status": "occurred",
        "supplier": {"name": "Iran", "country": "IRN"},
        "recipient": {"name": "Russland", "country": "RUS"},
        "weapon_categories": ["drones"],
    }
    with pytest.raises(ValidationError) as error:
        PROPOSED_CLAIM_ADAPTER.validate_python({**base, **change})
    assert field in str(error.value)


def test_dates_at_every_precision_are_accepted() -> None:
    for date in ("2024", "2024-06", "2024-06-19", None):
        claim = ProposedArmsDelivery(
            quote="q",
            status="occurred",
            date=date,
            supplier={"name": "A"},
            recipient={"name": "B"},
        )
        assert claim.date == date


def test_a_meeting_needs_two_participants() -> None:
    with pytest.raises(ValidationError):
        ProposedMeeting(quote="q", status="occurred", participants=[{"name": "Putin"}])


def test_patterns_use_only_explicit_character_classes() -> None:
    """llama.cpp's schema-to-grammar converter cannot take `\\d`, `\\w` or `\\s`: the server segfaults."""
    patterns = re.findall(r'"pattern": "([^"]*)"', json.dumps(ProposedClaims.model_json_schema()))
    assert patterns, "the schema has patterns"
    for pattern in patterns:
        assert "\\\\" not in pattern, pattern
    assert re.match(DATE_PATTERN, "2024-06-19") and not re.match(DATE_PATTERN, "２０２４-06"), (
        "ASCII digits only"
    )

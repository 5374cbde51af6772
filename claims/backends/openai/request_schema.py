"""The schema sent to the model with every request: the claim structure and nothing the prompt says.

The system prompt defines every field (what a quote is, how to date, which status is which), so
the request schema carries only what a model needs to fill the structure: one claim object whose
`type` says which fields apply, the enumerations, and the request bounds that keep a small model
from running away. No titles, descriptions or patterns; only `type`, `quote` and `status` required: a
meeting leaves the delivery fields out instead of writing them as nulls (output tokens cost more
than input tokens). It is derived from the claim models, so a field added there appears here;
`schemas/request.schema.json` is its checked-in copy. Answers are validated against the full
models (`claims.schema`), and any over-long list is kept: the bounds only shape the request.

The full, described schema for people and other programs stays `schemas/proposed_claims.schema.json`.
It can also be *requested* (style `full`, the `local` backend's default): a server that turns the
schema into a decoding grammar (llama.cpp) then holds the model to the contract's patterns,
minimum lengths and per-type fields, which a small model needs more than it needs short prompts.
The full request also lists the allowed country codes (`claims.countries`) as an enumeration, so
such a server cannot write a code that is not ISO 3166-1 ("IRI", Iran's Olympic code, was Qwen's
most frequent error); the lean one leaves them to the prompt, as it does every pattern.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claims.countries import country_codes
from claims.schema import ProposedArmsDelivery, ProposedClaims, ProposedMeeting, ProposedTreatySigning
from claims.settings import REQUEST_SCHEMAS

SCHEMA_STYLES = REQUEST_SCHEMAS
"""How much of the claim contract the request schema carries: `lean` (the structure and the
enumerations; the prompt says the rest) or `full` (the contract's own schema, descriptions,
patterns and minimum lengths included, plus the request bounds). The setting's own values."""
CLAIM_MODELS = (ProposedMeeting, ProposedArmsDelivery, ProposedTreatySigning)
REQUIRED = ("type", "quote", "status")
ACTOR_LISTS = ("participants", "parties")
_DROPPED = (
    "title",
    "description",
    "default",
    "pattern",  # dates and ISO-3 codes are defined by the prompt and checked on the answer
    "minItems",
    "minLength",
    "maxLength",
    "additionalProperties",
)


@dataclass(frozen=True)
class RequestBounds:
    """Upper bounds the *request* asks for (the schema's `maxItems`), so that a small model stops
    instead of listing claims or actors until the token limit. They bound what is asked, never what
    is accepted: an answer over a bound is kept (the data contract has no such limits)."""

    claims: int = 40
    """Claims per answer (one chunk)."""
    actors: int = 12
    """Participants of a meeting, parties of a treaty."""
    weapons: int = 12
    """Weapon phrases of one delivery."""

    def describe(self) -> str:
        return f"claims={self.claims},actors={self.actors},weapons={self.weapons}"


def _lean(node: Any, defs: dict[str, Any]) -> Any:
    """Drop prose and strict-mode scaffolding; inline `$ref`s except the actor; fold `X | null`."""
    if isinstance(node, list):
        return [_lean(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return {"$ref": "#/$defs/Actor"} if name == "Actor" else _lean(defs[name], defs)
    if "anyOf" in node and len(node["anyOf"]) == 2 and {"type": "null"} in node["anyOf"]:
        (other,) = [option for option in node["anyOf"] if option != {"type": "null"}]
        folded = _lean(other, defs)
        if isinstance(folded.get("type"), str):
            return folded | {"type": [folded["type"], "null"]}
    leaned = {key: _lean(value, defs) for key, value in node.items() if key not in _DROPPED}
    leaned.pop("required", None)
    if "enum" in leaned:  # an enumeration names its type already
        leaned.pop("type", None)
    return leaned


def request_schema(bounds: RequestBounds | None = None, style: str = "lean") -> dict[str, Any]:
    """The JSON Schema of one answer as requested from a model: `{"claims": [claim, ...]}`, in
    one of `SCHEMA_STYLES`."""
    bounds = bounds or RequestBounds()
    if style == "full":
        return _full(bounds)
    if style != "lean":
        raise ValueError(f"unknown request schema style {style!r}; choose one of {', '.join(SCHEMA_STYLES)}")
    properties: dict[str, Any] = {}
    types: list[str] = []
    actor: dict[str, Any] = {}
    for model in CLAIM_MODELS:
        schema = model.model_json_schema()
        defs = schema.get("$defs", {})
        types.append(schema["properties"]["type"]["const"])
        for name, field in schema["properties"].items():
            if name != "type":
                properties.setdefault(name, _lean(field, defs))
        if "Actor" in defs and not actor:
            actor = _lean(defs["Actor"], defs) | {"required": ["name"]}
    _bound_lists(properties, bounds)
    properties["weapon_categories"].pop("maxItems", None)  # each category at most once: bounded by the enum
    claim = {
        "type": "object",
        "properties": {"type": {"enum": types}, **properties},
        "required": list(REQUIRED),
    }
    return {
        "title": "ProposedClaims",  # the function's name in tools mode
        "type": "object",
        "properties": {"claims": {"type": "array", "items": claim, "maxItems": bounds.claims}},
        "required": ["claims"],
        "$defs": {"Actor": actor},
    }


def _full(bounds: RequestBounds) -> dict[str, Any]:
    """The claim contract's schema (`ProposedClaims`) with the request bounds as `maxItems`, and the
    allowed country codes as an enumeration in place of the three-letter pattern."""
    schema = ProposedClaims.model_json_schema()
    schema["properties"]["claims"]["maxItems"] = bounds.claims
    for definition in schema.get("$defs", {}).values():
        _bound_lists(definition.get("properties", {}), bounds)
    for option in schema["$defs"]["Actor"]["properties"]["country"]["anyOf"]:
        if option.get("type") == "string":
            option.pop("pattern", None)
            option["enum"] = country_codes()
    return schema


def _bound_lists(properties: dict[str, Any], bounds: RequestBounds) -> None:
    """Write the actor and weapon bounds as `maxItems` into the claim properties that have those lists."""
    for name in ACTOR_LISTS:
        if name in properties:
            properties[name]["maxItems"] = bounds.actors
    if "weapons" in properties:
        properties["weapons"]["maxItems"] = bounds.weapons

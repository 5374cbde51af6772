"""The request schema: the claim structure a model must fill, without the prompt's prose."""

from __future__ import annotations

import json
from typing import Any

from claims.backends.openai.request_schema import CLAIM_MODELS, RequestBounds, request_schema
from claims.schema import ProposedClaims, Status, WeaponCategory


def _keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {key for value in node.values() for key in _keys(value)}
    if isinstance(node, list):
        return {key for item in node for key in _keys(item)}
    return set()


def test_every_field_of_every_claim_model_is_requested() -> None:
    claim = request_schema()["properties"]["claims"]["items"]
    for model in CLAIM_MODELS:
        assert set(model.model_fields) <= set(claim["properties"]), model.__name__
    assert claim["properties"]["type"]["enum"] == ["meeting", "arms_delivery", "treaty_signing"]
    assert claim["properties"]["status"]["enum"] == [status.value for status in Status]
    categories = claim["properties"]["weapon_categories"]["items"]["enum"]
    assert categories == [category.value for category in WeaponCategory]
    assert claim["required"] == ["type", "quote", "status"]


def test_no_prose_in_the_request_schema() -> None:
    schema = request_schema()
    assert schema.pop("title") == "ProposedClaims"  # the function's name, not sent as a parameter
    assert not _keys(schema) & {"title", "description", "pattern", "default"}


def test_the_bounds_shape_only_the_request() -> None:
    schema = request_schema(RequestBounds(claims=7, actors=3, weapons=2))
    claims = schema["properties"]["claims"]
    assert claims["maxItems"] == 7
    assert claims["items"]["properties"]["participants"]["maxItems"] == 3
    assert claims["items"]["properties"]["parties"]["maxItems"] == 3
    assert claims["items"]["properties"]["weapons"]["maxItems"] == 2


def test_nullable_fields_say_so_and_the_actor_is_shared() -> None:
    claim = request_schema()["properties"]["claims"]["items"]["properties"]
    assert claim["date"] == {"type": ["string", "null"]}
    assert claim["location"] == {"type": ["string", "null"]}
    assert claim["supplier"] == {"$ref": "#/$defs/Actor"}
    actor = request_schema()["$defs"]["Actor"]
    assert actor["required"] == ["name"]
    assert actor["properties"]["country"] == {"type": ["string", "null"]}


def test_it_is_much_smaller_than_the_described_schema() -> None:
    lean = len(json.dumps(request_schema()))
    full = len(json.dumps(ProposedClaims.model_json_schema()))
    assert lean < full / 3

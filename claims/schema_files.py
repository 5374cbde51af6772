"""The JSON Schema files in `schemas/`, generated from the models and checked for staleness."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from claims.backends.openai.request_schema import request_schema
from claims.schema import ErrorRecord, ProposedClaims, RejectedClaim, VerifiedClaim


def generated_schemas() -> dict[str, dict[str, Any]]:
    """File name → schema, for every record shape the tool reads or writes."""
    return {
        "proposed_claims.schema.json": ProposedClaims.model_json_schema(),
        "claim.schema.json": TypeAdapter(VerifiedClaim).json_schema(),
        "rejected.schema.json": RejectedClaim.model_json_schema(),
        "error.schema.json": ErrorRecord.model_json_schema(),
        # what is sent to a model with every request: the structure without the prompt's prose
        "request.schema.json": request_schema(),
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in generated_schemas().items():
        path = folder / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(folder: Path) -> list[str]:
    """Names of the schema files that are missing or differ from what the models generate."""
    stale = []
    for name, schema in generated_schemas().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render(schema):
            stale.append(name)
    return stale

"""Loading the rules backend's data files (claims/data/*.json) and fingerprinting them.

The lexicons and the gazetteer are data, not code, so that they can be extended without
touching a rule; their hash goes into provenance (`prompt_hash`), so that a change of data shows
in every claim it produced.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

DATA_FILES = ("gazetteer.json", "persons.json", "triggers.json", "cues.json")


def _read(name: str) -> str:
    return resources.files("claims").joinpath("data", name).read_text(encoding="utf-8")


@cache
def load(name: str) -> dict[str, Any]:
    """One data file as a JSON object (read once per process)."""
    value = json.loads(_read(name))
    if not isinstance(value, dict):
        raise ValueError(f"claims/data/{name}: expected a JSON object at the top level")
    return value


@cache
def data_hash() -> str:
    """A short hash over every data file: changes whenever any lexicon or gazetteer entry does."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode())
        digest.update(_read(name).encode())
    return digest.hexdigest()[:16]

"""Loading the rules backend's data files (claims/data/*.json) and fingerprinting them.

The lexicons, the gazetteer and the word lists are data, not code, so that they can be extended
without touching a rule; their hash goes into provenance (`prompt_hash`), so that a change of data
shows in every claim it produced. The hash also covers the rules' own source files, since the few
word sets still written inline in a rule (`key in {"mit", "with"}`) change output just the same.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

DATA_FILES = (
    "gazetteer.json",
    "persons.json",
    "triggers.json",
    "cues.json",
    "words.json",
    "sentences.json",
    "dates.json",
    "merge.json",
)
"""merge.json is read by claims.merge (the generic words of agreement names), which runs after every
backend; it is hashed here because the rules backend is the one whose output it shapes offline."""


def _read(name: str) -> str:
    return resources.files("claims").joinpath("data", name).read_text(encoding="utf-8")


@cache
def load(name: str) -> dict[str, Any]:
    """One data file as a JSON object (read once per process)."""
    value = json.loads(_read(name))
    if not isinstance(value, dict):
        raise ValueError(f"claims/data/{name}: expected a JSON object at the top level")
    return value


def _rule_sources() -> list[tuple[str, bytes]]:
    """The rules backend's own modules (name, bytes), in name order."""
    package = resources.files("claims.backends.rules")
    files = [entry for entry in package.iterdir() if entry.name.endswith(".py") and entry.is_file()]
    ordered = sorted(files, key=lambda entry: entry.name)
    return [(entry.name, entry.read_bytes().replace(b"\r\n", b"\n")) for entry in ordered]


@cache
def data_hash() -> str:
    """A short hash over every data file and the rules' source: changes whenever any lexicon,
    gazetteer entry, word list or rule does."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode())
        digest.update(_read(name).encode())
    for name, source in _rule_sources():
        digest.update(name.encode())
        digest.update(source)
    return digest.hexdigest()[:16]

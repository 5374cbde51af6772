"""The data files the event rules read (`claims/data/*.json`), loaded once and cached.

The gazetteer and the person list are shared with the rules backend; they are read here as data,
never through `claims.backends` (the events package is core and must not import a backend).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> Any:
    """The parsed JSON of `claims/data/<name>`."""
    return json.loads(resources.files("claims").joinpath("data", name).read_text(encoding="utf-8"))

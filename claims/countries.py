"""The codes an actor's country may take: ISO 3166-1 alpha-3 (ANNOTATION.md), plus XKX for Kosovo.

The list lives in `claims/data/countries.json` (code → English short name). XKX is user-assigned,
not ISO, but it is the code the EU, IMF and World Bank use for Kosovo, and the gazetteer uses it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def country_names() -> dict[str, str]:
    """Every allowed code with its English short name, in code order."""
    data = json.loads(
        resources.files("claims").joinpath("data", "countries.json").read_text(encoding="utf-8")
    )
    return dict(sorted({**data["codes"], **data["user_assigned"]}.items()))


def country_codes() -> list[str]:
    """Every allowed code, sorted."""
    return list(country_names())


def is_country_code(code: str) -> bool:
    return code in country_names()

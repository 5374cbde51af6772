"""The allowed country codes: ISO 3166-1 alpha-3 plus XKX, and every code our data uses is one."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from claims.countries import country_codes, country_names, is_country_code
from claims.events.data import load
from claims.schema import ISO3_PATTERN
from tests.conftest import EVAL


def test_the_list_is_iso_3166_alpha_3_and_kosovo() -> None:
    codes = country_codes()
    assert len(codes) == 250 and codes == sorted(codes)
    assert all(re.match(ISO3_PATTERN, code) for code in codes)
    assert country_names()["IRN"].startswith("Iran") and country_names()["XKX"] == "Kosovo"
    assert is_country_code("PRK") and not is_country_code("IRI") and not is_country_code("GER")


def actor_countries(claim: dict[str, Any]) -> Iterator[str]:
    for key in ("participants", "parties"):
        yield from (a["country"] for a in claim.get(key) or [] if a.get("country"))
    for key in ("supplier", "recipient"):
        if (claim.get(key) or {}).get("country"):
            yield claim[key]["country"]


def test_every_country_in_the_gold_sets_and_the_recorded_answers_is_allowed() -> None:
    gold_files = [
        EVAL / "gold" / "seeds.jsonl",
        *EVAL.glob("holdout/gold.jsonl"),
        *EVAL.glob("events/*/gold.jsonl"),
    ]
    assert len(gold_files) == 4
    used: set[str] = set()
    for path in gold_files:
        for line in path.read_text(encoding="utf-8").splitlines():
            used.update(actor_countries(json.loads(line)))
    for line in (EVAL / "recorded" / "seeds-answers.jsonl").read_text(encoding="utf-8").splitlines():
        answer = json.loads(line)["answer"]
        for claim in (json.loads(answer) if isinstance(answer, str) else answer).get("claims", []):
            used.update(actor_countries(claim))
    assert len(used) > 20
    assert sorted(code for code in used if not is_country_code(code)) == []


def test_every_state_of_the_gazetteer_is_allowed() -> None:
    states = set(load("gazetteer.json")["states"])
    assert len(states) > 100 and sorted(states - set(country_codes())) == []

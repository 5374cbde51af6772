"""What the rules tests share: running the backend on a text, and a small scorer for the
hand-written development texts (the full scorer is `claims eval`)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claims.backends.protocol import Chunk, ProposalRequest
from claims.backends.rules import RulesBackend
from claims.inputs.documents import Document
from claims.schema import Actor, ProposedClaim, actors_of

HERE = Path(__file__).resolve().parent
TEXTS = HERE / "texts"
HOLDOUT = HERE / "holdout"
DEV2 = HERE / "dev2"
"""15 texts written (with gold) before the second round of work on the rules, and developed against."""
DEV3 = HERE / "dev3"
"""8 texts written blind after dev2 had been used, scored first, then used to find general faults."""
_BACKEND = RulesBackend()


def propose(text: str, published: str | None = None, language: str | None = None) -> list[ProposedClaim]:
    """The claims the rules backend proposes for one text (one chunk: the whole text)."""
    document = Document(id="t", text=text, published=published, language=language)
    request = ProposalRequest(document, Chunk("t", 0, 0, len(text), text))
    return asyncio.run(_BACKEND.propose(request)).claims


def countries(claim: ProposedClaim) -> list[str | None]:
    return [actor.country for actor in actors_of(claim)]


@dataclass
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


def _key(actor: dict[str, Any] | Actor) -> str:
    data = actor.model_dump() if isinstance(actor, Actor) else actor
    return str(data["country"] or data["name"]).casefold()


def _gold_actors(gold: dict[str, Any]) -> list[dict[str, Any]]:
    if gold["type"] == "meeting":
        return list(gold["participants"])
    if gold["type"] == "treaty_signing":
        return list(gold["parties"])
    return [gold["supplier"], gold["recipient"]]


def _eligible(predicted: dict[str, Any], gold: dict[str, Any]) -> bool:
    if predicted["type"] != gold["type"]:
        return False
    if gold["type"] == "arms_delivery":
        return _key(predicted["supplier"]) == _key(gold["supplier"]) and _key(predicted["recipient"]) == _key(
            gold["recipient"]
        )
    mine = {_key(a) for a in _gold_actors(predicted)}
    theirs = [_key(a) for a in _gold_actors(gold)]
    matched = sum(1 for key in theirs if key in mine)
    return matched >= min(2, len(theirs))


def score(predicted: list[dict[str, Any]], gold: list[dict[str, Any]]) -> Score:
    """Micro counts by the guide's actor rule (countries; names where a country is null); a
    prediction matched to an optional gold claim counts neither way."""
    tp = fp = 0
    used: set[int] = set()
    for claim in predicted:
        match = next(
            (
                i
                for i, g in enumerate(gold)
                if i not in used and g["doc_id"] == claim["doc_id"] and _eligible(claim, g)
            ),
            None,
        )
        if match is None:
            fp += 1
            continue
        used.add(match)
        tp += 0 if gold[match].get("optional") else 1
    fn = sum(1 for i, g in enumerate(gold) if i not in used and not g.get("optional"))
    return Score(tp, fp, fn)


def load_gold(folder: Path) -> list[dict[str, Any]]:
    lines = (folder / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]

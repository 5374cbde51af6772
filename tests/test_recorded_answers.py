"""The seeds through a capable model's RECORDED answers (eval/recorded, real model output replayed
by the scripted fake server, keyed by chunk text): our parsing, verification, merge and scoring of
real answers. The answers were given to the prompts of commit 1f0c24e; the request schema and the
prompt have shrunk since, and these answers must still parse, verify and score exactly as then."""

from __future__ import annotations

import json
from pathlib import Path

from claims.cli import main
from tests.batch.helpers import answer_from, recorded_answers
from tests.conftest import ROOT
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer

SCORE_AT_1F0C24E = {"tp": 51, "fp": 1, "fn": 0}
"""`claims eval` of the same replay run on the code of commit 1f0c24e (before the lean request
schema): 62 claims, 0 rejected, P 0.981, R 1.000, F1 0.990."""


def test_the_recorded_answers_still_verify_and_score_the_same(tmp_path: Path) -> None:
    out = tmp_path / "claims.jsonl"
    with FakeOpenAIServer(default=answer_from(recorded_answers())).running() as fake:
        flags = ["--base-url", fake.url, "--model", MODEL_ID, "--no-cache", "--reask", "0"]
        assert main(["extract", str(ROOT / "eval" / "seeds"), "-o", str(out), *flags]) == 0
    assert [
        json.loads(line) for line in out.with_name("claims.rejected.jsonl").read_text().splitlines()
    ] == []
    scores = tmp_path / "scores.json"
    assert main(["eval", "--pred", str(out), "--json", str(scores)]) == 0
    data = json.loads(scores.read_text(encoding="utf-8"))
    micro = (data["systems"][0] if "systems" in data else data)["micro"]
    assert {key: micro[key] for key in SCORE_AT_1F0C24E} == SCORE_AT_1F0C24E

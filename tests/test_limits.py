"""No list length limit in the data contract: a summit of 30 heads of state and a chronology of 60
meetings go through the openai path (a SCRIPTED FAKE, in process), `claims verify` and `claims
eval`. The request still asks a model for at most 40 claims and 12 actors (maxItems); an answer
over those bounds is kept (also a delivery of 15 kinds of weapons, over the request's 12)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from claims.api import extract
from claims.backends.openai.backend import OpenAIBackend
from claims.backends.openai.config import DEFAULT_BOUNDS
from claims.cli import main
from claims.inputs.documents import Document
from claims.run.pipeline import ExtractOptions
from claims.schema import VerifiedArmsDelivery, VerifiedMeeting
from claims.settings import resolve_settings
from tests.fakes.claimdata import actor, delivery, meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, Reply
from tests.fakes.openai_transport import IN_PROCESS_URL, in_process_client

HEADS = [f"Präsident{chr(65 + n // 26)}{chr(97 + n % 26)}" for n in range(30)]
SUMMIT = "Zum Gipfel in Astana kamen " + ", ".join(HEADS) + " zusammen."
ARSENAL = [f"Waffe{chr(65 + n)}" for n in range(15)]
SHIPMENT = "Iran lieferte Russland " + ", ".join(ARSENAL) + " im Frühjahr."
CHRONOLOGY = [f"Minister Alpha{n} traf Ministerin Beta{n} in Stadt{n}." for n in range(60)]


def summit_claim() -> dict[str, Any]:
    return meeting(SUMMIT) | {"participants": [actor(name, None) for name in HEADS]}


def chronology_claims() -> list[dict[str, Any]]:
    return [
        meeting(line) | {"participants": [actor(f"Alpha{n}", None), actor(f"Beta{n}", None)]}
        for n, line in enumerate(CHRONOLOGY)
    ]


def test_a_summit_and_a_chronology_over_the_request_bounds_go_through_the_openai_path() -> None:
    fake = FakeOpenAIServer()
    fake.script("Astana", Reply.claims(summit_claim()))
    fake.script("Alpha0", Reply.claims(*chronology_claims(), completion_tokens=3000))
    fake.script("Waffe", Reply.claims(delivery(SHIPMENT) | {"weapons": ARSENAL}))
    settings = resolve_settings(backend="openai", base_url=IN_PROCESS_URL, model=MODEL_ID, env={})
    backend = OpenAIBackend(settings, http_client=in_process_client(fake))
    documents = [
        Document(id="summit", text=SUMMIT),
        Document(id="chronology", text=" ".join(CHRONOLOGY)),
        Document(id="shipment", text=SHIPMENT),
    ]
    result = extract(documents, backend=backend, options=ExtractOptions(chunk_chars=20_000, reask=0))
    assert not result.errors and not result.rejected
    (summit,) = [c for c in result.claims if c.doc_id == "summit"]
    assert isinstance(summit, VerifiedMeeting) and len(summit.participants) == 30
    assert len([c for c in result.claims if c.doc_id == "chronology"]) == 60
    (shipment,) = [c for c in result.claims if c.doc_id == "shipment"]
    assert isinstance(shipment, VerifiedArmsDelivery) and shipment.weapons == ARSENAL
    schema = fake.requests[0].body["tools"][0]["function"]["parameters"]
    assert schema["properties"]["claims"]["maxItems"] == DEFAULT_BOUNDS.claims == 40
    participants = schema["properties"]["claims"]["items"]["properties"]["participants"]
    assert participants["maxItems"] == DEFAULT_BOUNDS.actors == 12
    weapons = schema["properties"]["claims"]["items"]["properties"]["weapons"]
    assert weapons["maxItems"] == DEFAULT_BOUNDS.weapons == 12


def write_docs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "summit.txt").write_text(SUMMIT + "\n", encoding="utf-8")
    (folder / "chronology.txt").write_text("\n".join(CHRONOLOGY) + "\n", encoding="utf-8")
    return folder


def gold_lines() -> list[dict[str, Any]]:
    return [summit_claim() | {"doc_id": "summit"}] + [
        c | {"doc_id": "chronology"} for c in chronology_claims()
    ]


def test_claims_verify_accepts_a_summit_and_a_long_chronology(tmp_path: Path) -> None:
    docs = write_docs(tmp_path / "docs")
    proposed = tmp_path / "proposed.jsonl"
    proposed.write_text("".join(json.dumps(line) + "\n" for line in gold_lines()), encoding="utf-8")
    out, rejected = tmp_path / "verified.jsonl", tmp_path / "rejected.jsonl"
    code = main(["verify", "--source", str(docs), str(proposed), "-o", str(out), "--rejected", str(rejected)])
    assert code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 61 and rejected.read_text(encoding="utf-8") == ""
    assert max(len(r["participants"]) for r in records) == 30


def test_claims_eval_accepts_gold_with_a_summit_of_30(tmp_path: Path) -> None:
    docs = write_docs(tmp_path / "docs")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(line) + "\n" for line in gold_lines()), encoding="utf-8")
    scores = tmp_path / "scores.json"
    assert (
        main(["eval", "--gold", str(gold), "--docs", str(docs), "--pred", str(gold), "--json", str(scores)])
        == 0
    )
    assert '"f1": 1.0' in scores.read_text(encoding="utf-8")

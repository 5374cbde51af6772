"""The run record says what produced an evaluation: code, versions, inputs, system."""

from __future__ import annotations

import json

from claims.run.manifest import Manifest, UsageTotals
from claims.scoring.records import EvalClaim
from claims.scoring.run_record import (
    build_run_record,
    documents_digest,
    now,
    provenance_of,
    sha256_file,
)
from claims.scoring.summary import EvaluationSummary
from claims.software import Software
from tests.conftest import GOLD
from tests.scoring.builders import actor, meeting

QUOTE = "Putin traf Xi in Peking."


def claim_with(provenance: dict[str, str] | None) -> EvalClaim:
    return meeting(QUOTE, actor("Putin", "RUS"), actor("Xi", "CHN"), provenance=provenance)


def test_documents_digest_depends_on_ids_and_texts_not_order() -> None:
    digest = documents_digest({"a": "x", "b": "y"})
    assert digest == documents_digest({"b": "y", "a": "x"})
    assert digest != documents_digest({"a": "x", "b": "z"})
    assert digest != documents_digest({"a": "xb", "": "y"})


def test_provenance_of_prediction_records() -> None:
    one = [claim_with({"backend": "openai", "model": "m1"}), claim_with({"backend": "openai", "model": "m1"})]
    assert provenance_of(one) == {"backend": "openai", "model": "m1", "prompt_hash": None}
    mixed = [
        claim_with({"backend": "openai", "model": "m2"}),
        claim_with({"backend": "rules"}),
        claim_with(None),
    ]
    assert provenance_of(mixed)["backend"] == ["openai", "rules"]


def test_a_record_from_a_manifest_and_from_a_file() -> None:
    documents = {"doc": QUOTE}
    manifest = {
        "backend": "openai",
        "endpoint": "http://x/v1",
        "model": "m",
        "mode": "json",
        "prompt_hash": "h",
    }
    record = build_run_record(
        label="openai",
        command="claims eval --backend openai",
        started=now(),
        gold_path=GOLD,
        docs_path="docs",
        documents=documents,
        predictions=[],
        manifest=Manifest(
            run_id="r1",
            started_at="2026-01-01T00:00:00+00:00",
            usage=UsageTotals(requests=1, prompt_tokens=2, completion_tokens=1, total_tokens=3),
            **manifest,
        ),
    )
    assert {key: getattr(record, key) for key in manifest} == manifest
    assert record.tokens is not None and record.tokens.model_dump() == {
        "requests": 1,
        "prompt_tokens": 2,
        "completion_tokens": 1,
        "cached": 0,
        "cached_prompt_tokens": 0,
        "total_tokens": 3,
    }, "the tokens are the manifest's usage"
    assert isinstance(record.manifest, Manifest) and record.manifest.run_id == "r1"
    assert isinstance(record.software, Software) and record.software.packages["claims"], (
        "the same Software record as the extraction manifest"
    )
    assert record.gold is not None and record.gold.model_dump() == {
        "path": str(GOLD),
        "sha256": sha256_file(GOLD),
    }
    assert record.predictions is None
    from_file = build_run_record(
        label="p",
        command="claims eval --pred p",
        started=now(),
        gold_path=GOLD,
        docs_path="docs",
        documents=documents,
        predictions=[claim_with({"backend": "rules", "prompt_hash": "abc"})],
        predictions_path=GOLD,
    )
    assert (from_file.backend, from_file.prompt_hash, from_file.endpoint) == ("rules", "abc", None)
    assert from_file.predictions is not None and from_file.predictions.sha256 == sha256_file(GOLD)
    assert from_file.seconds is not None and from_file.seconds >= 0


def test_committed_reports_of_every_version_load_as_typed_summaries() -> None:
    # Reports written before the manifest was typed keep their manifest as written.
    reports = sorted((GOLD.parent.parent / "reports").glob("*.json"))
    assert reports
    for path in reports:
        data = json.loads(path.read_text(encoding="utf-8"))
        for system in data.get("systems", [data]):
            summary = EvaluationSummary.model_validate(system)
            assert summary.run is not None and summary.run.label == summary.label

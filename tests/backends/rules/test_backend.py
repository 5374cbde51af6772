"""The rules backend end to end: the protocol, every seed claim verifies, determinism, chunks,
and the scores on the hand-written development and held-out texts."""

from __future__ import annotations

import re

import claims
from claims.backends.protocol import Backend
from claims.backends.registry import create_backend
from claims.run.options import ExtractOptions
from claims.schema import ProposedArmsDelivery, VerifiedClaim
from claims.settings import resolve_settings
from tests.backends.rules.helpers import DEV2, DEV3, HOLDOUT, TEXTS, load_gold, score
from tests.conftest import SEEDS


def test_registry_creates_the_rules_backend_by_default() -> None:
    backend = create_backend(resolve_settings(env={}))
    assert isinstance(backend, Backend)
    assert backend.name == "rules"
    described = backend.describe()
    assert re.fullmatch(r"rules-\d+", described["model"] or "")
    assert described["endpoint"] is None and described["mode"] is None
    assert re.fullmatch(r"[0-9a-f]{16}", described["prompt_hash"] or "")


def test_every_seed_claim_verifies_exactly() -> None:
    result = claims.extract(SEEDS, backend="rules")
    assert result.errors == [] and result.rejected == []
    assert len(result.claims) >= 20
    texts = {path.stem: path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt")}
    for claim in result.claims:
        assert claim.match == "exact"
        assert texts[claim.doc_id][claim.span.start : claim.span.end] == claim.quote
    assert result.manifest.backend == "rules"


def test_two_runs_are_identical() -> None:
    """Documents finish in any order (they run concurrently); each document's claims do not change."""
    first = sorted(c.model_dump_json() for c in claims.extract(SEEDS, backend="rules").claims)
    second = sorted(c.model_dump_json() for c in claims.extract(SEEDS, backend="rules").claims)
    assert first == second


def test_small_chunks_give_the_same_claims() -> None:
    whole = claims.extract(SEEDS, backend="rules").claims
    chunked = claims.extract(
        SEEDS, backend="rules", options=ExtractOptions(chunk_chars=1500, chunk_overlap=300)
    ).claims

    def keys(found: list[VerifiedClaim]) -> set[tuple[str, str, int]]:
        return {(c.doc_id, c.type, c.span.start) for c in found}

    assert keys(chunked) == keys(whole)


def test_deliveries_carry_weapons_and_categories() -> None:
    result = claims.extract(SEEDS, backend="rules")
    deliveries = [c for c in result.claims if isinstance(c, ProposedArmsDelivery)]
    assert deliveries
    assert all(c.weapon_categories for c in deliveries)


def _predicted(folder: str) -> list[dict[str, object]]:
    return [c.model_dump(mode="json") for c in claims.extract(folder, backend="rules").claims]


def test_development_texts() -> None:
    found = score(_predicted(str(TEXTS)), load_gold(TEXTS))
    assert found.precision >= 0.9
    assert found.recall >= 0.8


def test_second_development_set_stays_above_its_floor() -> None:
    """dev2: states far beyond the seeds' four, synonyms, passives, roles, pronouns, hedges and
    look-alikes. At first contact the rules scored P 0.88 / R 0.58 there; a floor, with margin."""
    found = score(_predicted(str(DEV2)), load_gold(DEV2))
    assert found.precision >= 0.9
    assert found.recall >= 0.8


def test_third_development_set_stays_above_its_floor() -> None:
    """dev3: written blind after dev2 was used (first contact of this round's rules: P 0.90 / R 0.80
    by `claims eval`)."""
    found = score(_predicted(str(DEV3)), load_gold(DEV3))
    assert found.precision >= 0.9
    assert found.recall >= 0.75


def test_held_out_texts_stay_useful() -> None:
    """Texts written before the last round of tuning and never tuned against: a floor, not a target."""
    found = score(_predicted(str(HOLDOUT)), load_gold(HOLDOUT))
    assert found.precision >= 0.6
    assert found.recall >= 0.4

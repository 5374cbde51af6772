"""The evaluation data in eval/ (and the annotation guide in docs/) is byte-identical to the
shared copies it was taken from."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import EVAL, ROOT, SEEDS

SHARED = ROOT.parent / "shared"


@pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared beside this checkout (e.g. in CI)")
def test_eval_data_is_byte_identical_to_the_shared_copies() -> None:
    pairs = [
        (EVAL / "gold" / "seeds.jsonl", SHARED / "gold" / "seeds.jsonl"),
        (SEEDS / "documents.jsonl", SHARED / "gold" / "documents.jsonl"),
        (ROOT / "docs" / "ANNOTATION.md", SHARED / "ANNOTATION.md"),
    ]
    shared_texts = sorted((SHARED / "seeds").glob("*.txt"))
    assert shared_texts, "the shared seeds folder holds no .txt"
    assert [p.name for p in sorted(SEEDS.glob("*.txt"))] == [p.name for p in shared_texts]
    pairs += [(SEEDS / p.name, p) for p in shared_texts]
    for ours, theirs in pairs:
        assert ours.read_bytes() == theirs.read_bytes(), f"{ours} differs from {theirs}"


def test_eval_data_is_tracked_so_a_fresh_clone_has_it() -> None:
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "eval"], capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    tracked = set(listed.stdout.split())
    expected = {str(p.relative_to(ROOT)) for p in [*SEEDS.iterdir(), EVAL / "gold" / "seeds.jsonl"]}
    assert expected <= tracked

"""The checked-in schemas/ match the models: a stale file fails the build."""

from __future__ import annotations

from pathlib import Path

from claims.schema_files import generated_schemas, stale_schemas, write_schemas
from tests.conftest import ROOT


def test_checked_in_schemas_are_current() -> None:
    assert stale_schemas(ROOT / "schemas") == [], "run `claims schema --write` and commit schemas/"


def test_a_stale_or_missing_file_is_detected(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    assert stale_schemas(tmp_path) == []
    (tmp_path / "claim.schema.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / "error.schema.json").unlink()
    assert sorted(stale_schemas(tmp_path)) == ["claim.schema.json", "error.schema.json"]
    assert set(generated_schemas()) >= {"claim.schema.json", "error.schema.json"}

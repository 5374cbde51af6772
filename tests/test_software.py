"""Run facts: the checkout's revision (only the package's own checkout) and package versions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claims.software import git_state, package_versions
from tests.conftest import ROOT


def test_git_state_of_this_checkout() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    state = git_state()
    assert re.fullmatch(r"[0-9a-f]{40}", state["revision"] or "")
    assert isinstance(state["dirty"], bool)


def test_git_state_outside_the_package_checkout_is_null(tmp_path: Path) -> None:
    package = tmp_path / "claims"
    package.mkdir()
    assert git_state(package) == {"revision": None, "dirty": None}


def test_package_versions() -> None:
    versions = package_versions(["claims", "pydantic", "surely-not-installed-package"])
    assert versions["claims"] and versions["pydantic"]
    assert versions["surely-not-installed-package"] is None


def test_the_versions_of_everything_that_shapes_a_pages_text_are_recorded() -> None:
    """trafilatura, its fallback extractor (jusText), its date finder (htmldate) and the parser."""
    versions = package_versions()
    for name in ("trafilatura", "justext", "htmldate", "lxml", "pypdf", "charset-normalizer"):
        assert re.fullmatch(r"\d+\.\d+(\.\d+)?\S*", versions.get(name) or ""), name

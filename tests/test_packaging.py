"""The wheel's package list is explicit (prompts/ ships as claims.prompts): keep it complete."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

SOURCE_ROOTS = {"claims": ROOT / "claims", "claims.prompts": ROOT / "prompts"}


def setuptools_config() -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]  # type: ignore[no-any-return]


def shipped_files() -> list[tuple[str, Path]]:
    """(package, file) for every file under the package folders, as setuptools would map them."""
    files = []
    for package_root, folder in SOURCE_ROOTS.items():
        for path in folder.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                if package_root == "claims" and path.is_relative_to(SOURCE_ROOTS["claims.prompts"]):
                    continue
                parts = path.parent.relative_to(folder).parts
                files.append((".".join((package_root, *parts)), path))
    return files


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = setuptools_config()
    listed = set(config["packages"])
    found = {package for package, _ in shipped_files()}
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages"
    assert config["package-dir"]["claims.prompts"] == "prompts"


def test_every_data_file_matches_its_package_data_patterns() -> None:
    data = setuptools_config()["package-data"]
    data_files = [(package, path) for package, path in shipped_files() if path.suffix not in {".py", ".pyc"}]
    assert any(package == "claims.prompts" for package, _ in data_files)
    for package, path in data_files:
        patterns = data.get(package, [])
        assert any(path.match(pattern) for pattern in patterns), f"{path} would not ship in the wheel"

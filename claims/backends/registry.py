"""Backends by name. Each backend module exposes `create(settings) -> Backend`; they are imported
lazily, so the offline `rules` backend works without importing the LLM stack, and an optional extra that is
missing only matters to the backend that needs it.
"""

from __future__ import annotations

import importlib
from typing import cast

from claims.backends.protocol import Backend
from claims.settings import Settings

BACKEND_MODULES = {
    "rules": "claims.backends.rules",
    "openai": "claims.backends.openai.backend",
    "local": "claims.backends.local",
}


def create_backend(settings: Settings) -> Backend:
    """The backend that `settings.backend` names, configured from `settings`."""
    try:
        module_name = BACKEND_MODULES[settings.backend]
    except KeyError:
        raise ValueError(
            f"unknown backend {settings.backend!r}; choose one of {', '.join(BACKEND_MODULES)}"
        ) from None
    module = importlib.import_module(module_name)
    return cast(Backend, module.create(settings))

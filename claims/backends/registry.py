"""Backends by name. Each backend module exposes `create(settings) -> Backend` and may declare
`DEFAULTS` (its own defaults, which beat the general ones but never a value the user set); they
are imported lazily, so the offline `rules` backend works without importing the LLM stack, and an
optional extra that is missing only matters to the backend that needs it. No backend module
imports openai or instructor when it is imported: only its first request does.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, cast

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


def backend_defaults(name: str) -> Mapping[str, Any]:
    """The defaults backend `name` declares (`DEFAULTS` in its module); none for an unknown name."""
    module_name = BACKEND_MODULES.get(name)
    if module_name is None:
        return {}
    defaults: Mapping[str, Any] = getattr(importlib.import_module(module_name), "DEFAULTS", {})
    return defaults


def request_prefix_chars(settings: Settings) -> int | None:
    """Characters each request to the model repeats before its article (`request_prefix_chars` in
    the backend's module, built without starting anything); None for a backend that asks no model."""
    module = importlib.import_module(BACKEND_MODULES[settings.backend])
    measure = getattr(module, "request_prefix_chars", None)
    return None if measure is None else int(measure(settings))

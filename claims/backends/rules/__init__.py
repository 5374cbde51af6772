"""The offline `rules` backend: deterministic claim extraction for German and English news.

Modules, one job each: `sentences` (segmentation and web-page debris), `tokens`, `gazetteer`
(states, bodies, office holders), `lexicon` (triggers, weapons, roles), `cues` (status and
negation), `dates` (resolution against the publication date), `extract` (sentence → claims) and
`backend` (the `Backend` protocol). The word lists live in `claims/data/*.json`.
"""

from __future__ import annotations

from claims.backends.rules.backend import RulesBackend
from claims.config import Settings

DEFAULT_NOTICE = (
    "no OPENAI_API_KEY or OPENAI_BASE_URL set: using the offline rules backend; for an LLM pass "
    "--backend openai --model NAME with OPENAI_API_KEY set (or --base-url for a local server)"
)


def default_notice(settings: Settings) -> str | None:
    """The one line `claims extract` prints on stderr when it fell back to rules for want of an
    LLM endpoint (None when the backend was chosen on purpose)."""
    if settings.backend == "rules" and settings.backend_reason == "default":
        return DEFAULT_NOTICE
    return None


def create(settings: Settings) -> RulesBackend:
    """The rules backend; it takes no settings (no model, no endpoint, no key)."""
    del settings
    return RulesBackend()


__all__ = ["DEFAULT_NOTICE", "RulesBackend", "create", "default_notice"]

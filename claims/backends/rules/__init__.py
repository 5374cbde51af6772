"""The offline `rules` backend: deterministic claim extraction for German and English news.

Modules, one job each: `sentences` (segmentation and web-page debris), `tokens`, `gazetteer`
(states, bodies, office holders), `lexicon` (triggers, weapons, roles), `cues` (status and
negation), `dates` (resolution against the publication date), `words` (function words), `grammar`
and `clauses` (token-level tests), `mentions`, `actors` and `attribution` (who a sentence names, and
in which part), `context` (what carries over between sentences), `meetings`, `deliveries` and
`signings` (claims per type), `event_dates` (a claim's date), `extract` (sentence → claims) and
`backend` (the `Backend` protocol). The word lists live in `claims/data/*.json`.
"""

from __future__ import annotations

from claims.backends.rules.backend import RulesBackend
from claims.settings import Settings


def create(settings: Settings) -> RulesBackend:
    """The rules backend; it takes no settings (no model, no endpoint, no key)."""
    del settings
    return RulesBackend()


__all__ = ["RulesBackend", "create"]

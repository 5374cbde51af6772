"""The public names of `claims`: pinned, each importable, and loaded lazily (no openai on import)."""

from __future__ import annotations

import subprocess
import sys

import claims

PUBLIC = {
    # the front door
    "extract",
    "aextract",
    "ExtractionResult",
    "ExtractOptions",
    "load_documents",
    "Verifier",
    "__version__",
    # the records a run produces
    "Document",
    "VerifiedClaim",
    "RejectedClaim",
    "ErrorRecord",
    "Provenance",
    "Span",
    "Actor",
    "Manifest",
    "Software",
    # the run driver, for sinks and engines
    "DocumentResult",
    "RunDriver",
    "RunInfo",
    "Sink",
    "run_documents",
}


def test_all_is_pinned() -> None:
    """Removing or renaming a public name breaks users: it must be a decision, made here."""
    assert set(claims.__all__) == PUBLIC
    assert len(claims.__all__) == len(PUBLIC), "no duplicates"


def test_every_public_name_resolves() -> None:
    for name in claims.__all__:
        assert getattr(claims, name) is not None, name
    assert set(dir(claims)) >= PUBLIC


def test_import_claims_and_its_records_does_not_import_the_llm_clients() -> None:
    code = (
        "import sys, claims\n"
        "claims.Manifest, claims.VerifiedClaim, claims.RunDriver, claims.Document, claims.ErrorRecord\n"
        "print(sorted(m for m in ('openai', 'instructor', 'claims.api') if m in sys.modules))\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"

"""claims: typed, source-grounded claims (meetings, arms deliveries, treaty signings) from news text.

The public names are loaded on first use, so that `import claims.verify.verifier` (say) never drags in
the extraction front door and its backend registry, and `import claims` never imports openai.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from claims._version import __version__

if TYPE_CHECKING:
    from claims.api import ExtractionResult, aextract, extract
    from claims.inputs.documents import Document, load_documents
    from claims.run.document import DocumentResult
    from claims.run.driver import RunDriver, run_documents
    from claims.run.manifest import Manifest
    from claims.run.options import ExtractOptions
    from claims.run.sinks import RunInfo, Sink
    from claims.schema import Actor, ErrorRecord, Provenance, RejectedClaim, Span, VerifiedClaim
    from claims.software import Software
    from claims.verify.verifier import Verifier

_PUBLIC = {
    "Actor": "claims.schema",
    "Document": "claims.inputs.documents",
    "DocumentResult": "claims.run.document",
    "ErrorRecord": "claims.schema",
    "ExtractOptions": "claims.run.options",
    "ExtractionResult": "claims.api",
    "Manifest": "claims.run.manifest",
    "Provenance": "claims.schema",
    "RejectedClaim": "claims.schema",
    "RunDriver": "claims.run.driver",
    "RunInfo": "claims.run.sinks",
    "Sink": "claims.run.sinks",
    "Software": "claims.software",
    "Span": "claims.schema",
    "VerifiedClaim": "claims.schema",
    "Verifier": "claims.verify.verifier",
    "aextract": "claims.api",
    "extract": "claims.api",
    "load_documents": "claims.inputs.documents",
    "run_documents": "claims.run.driver",
}

__all__ = [
    "Actor",
    "Document",
    "DocumentResult",
    "ErrorRecord",
    "ExtractOptions",
    "ExtractionResult",
    "Manifest",
    "Provenance",
    "RejectedClaim",
    "RunDriver",
    "RunInfo",
    "Sink",
    "Software",
    "Span",
    "VerifiedClaim",
    "Verifier",
    "__version__",
    "aextract",
    "extract",
    "load_documents",
    "run_documents",
]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'claims' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

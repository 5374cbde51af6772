"""claims: typed, source-grounded claims (meetings, arms deliveries, treaty signings) from news text.

The public names are loaded on first use, so that `import claims.verify.verifier` (say) never drags in
the extraction front door and its backend registry.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from claims._version import __version__

if TYPE_CHECKING:
    from claims.api import ExtractionResult, aextract, extract
    from claims.inputs.documents import Document, load_documents
    from claims.run.options import ExtractOptions
    from claims.verify.verifier import Verifier

_PUBLIC = {
    "Document": "claims.inputs.documents",
    "ExtractOptions": "claims.run.options",
    "ExtractionResult": "claims.api",
    "Verifier": "claims.verify.verifier",
    "aextract": "claims.api",
    "extract": "claims.api",
    "load_documents": "claims.inputs.documents",
}

__all__ = [
    "Document",
    "ExtractOptions",
    "ExtractionResult",
    "Verifier",
    "__version__",
    "aextract",
    "extract",
    "load_documents",
]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'claims' has no attribute {name!r}")

"""claims: typed, source-grounded claims (meetings, arms deliveries, treaty signings) from news text."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("claims")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

from claims.api import ExtractionResult, aextract, extract
from claims.documents import Document, load_documents
from claims.pipeline import ExtractOptions
from claims.verify import Verifier

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

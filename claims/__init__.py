"""claims: typed, source-grounded claims (meetings, arms deliveries, treaty signings) from news text."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("claims")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["__version__"]

"""Where a document's text came from: the page or file, how its bytes were decoded, what extracted it.

`Origin` travels with the document (interface 4) into `claims.documents.jsonl`, the database and
the review page. Page metadata is untrusted input: `safe_url` keeps only http(s) URLs, without
user info, query or fragment, so a `javascript:` or `data:` canonical URL, or a token in a query
string, never reaches an output.
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version

from pydantic import BaseModel, ConfigDict, Field, field_validator

from claims.urls import public_url

_SPACES = re.compile(r"\s+")
MAX_TITLE = 500


class Origin(BaseModel):
    """The record of where a document's text came from (all parts optional)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    url: str | None = Field(default=None, description="The page's canonical (or fetched) http(s) URL.")
    site: str | None = Field(default=None, description="The publisher or site name the page gives.")
    title: str | None = Field(default=None, description="The page's or PDF's title, as plain text.")
    path: str | None = Field(default=None, description="The local file the text was read from.")
    encoding: str | None = Field(default=None, description="How the bytes were decoded (e.g. utf-8, cp1252).")
    extractor: str | None = Field(
        default=None,
        description="What turned the file into text, and its version ('trafilatura 2.3.1').",
    )

    @field_validator("url")
    @classmethod
    def _only_web_urls(cls, value: str | None) -> str | None:
        return safe_url(value)

    @field_validator("site", "title")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        return plain_line(value)


def safe_url(url: str | None) -> str | None:
    """An http(s) URL without credentials, query or fragment; None for anything else."""
    if not url:
        return None
    candidate = url.strip()
    if not re.match(r"(?i)https?://[^\s/]", candidate) or any(c.isspace() for c in candidate):
        return None
    try:
        cleaned = public_url(candidate)
    except ValueError:
        return None
    return cleaned if re.match(r"(?i)https?://[^\s/]", cleaned) else None


def plain_line(value: str | None) -> str | None:
    """Metadata text on one line (whitespace runs become one space, control characters go), or None."""
    if value is None:
        return None
    cleaned = "".join(c for c in value if c.isprintable() or c.isspace())
    cleaned = _SPACES.sub(" ", cleaned).strip()[:MAX_TITLE]
    return cleaned or None


def extractor_name(package: str) -> str:
    """`package version`, as recorded in `Origin.extractor` (the version changes the extracted text)."""
    try:
        return f"{package} {version(package)}"
    except PackageNotFoundError:  # pragma: no cover - only when run from a bare source tree
        return f"{package} (version unknown)"

"""The main text of a web page (trafilatura), with the page's metadata, as a document's text.

trafilatura finds the article in a saved or fetched page and leaves out navigation, cookie
banners, teaser and link lists, image captions and footers. Its text keeps one line per block
(paragraph, heading, list item); we separate blocks by a blank line so the chunker still sees
paragraphs. A page whose "main text" has no sentence in it (an index of headlines, a menu) has
none and is an error. The page gives the title, publication date, canonical URL, site name and language.
The text produced depends on trafilatura's version, which is pinned and recorded per document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from claims.inputs.encoding import Decoded, decode_bytes
from claims.inputs.origin import extractor_name, plain_line
from claims.schema import DATE_PATTERN

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_HEAD_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_LANGUAGE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")
_SENTENCE = re.compile(r"\w+(?:\W+\w+){4,}.*[.!?…:\"“”»«)]$")
"""A block that reads as prose: five words or more, ending like a sentence."""


class NoMainText(ValueError):
    """A page in which no main text could be found (an index page, a page built by JavaScript)."""


@dataclass(frozen=True)
class PageText:
    """What a page gives a document: the main text and the metadata that came with it."""

    text: str
    title: str | None
    published: str | None
    language: str | None
    url: str | None
    site: str | None
    encoding: str | None
    extractor: str


class _LanguageScan(HTMLParser):
    """The page's declared language: `<html lang>`, else a content-language or og:locale meta tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.meta_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "html" and self.html_lang is None:
            self.html_lang = values.get("lang") or values.get("xml:lang") or None
        elif tag == "meta" and self.meta_lang is None:
            key = (values.get("http-equiv") or values.get("property") or values.get("name") or "").lower()
            if key in ("content-language", "og:locale", "language", "dc.language"):
                self.meta_lang = values.get("content") or None


def page_language(html: str) -> str | None:
    """The primary language subtag the page declares ('de-DE' → 'de'), or None."""
    scan = _LanguageScan()
    try:
        scan.feed(html[:20000])
    except (AssertionError, ValueError):  # pragma: no cover - html.parser is lenient
        return None
    for candidate in (scan.html_lang, scan.meta_lang):
        match = _LANGUAGE.match((candidate or "").strip().split(",")[0].strip())
        if match:
            return match.group(1).lower()
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a `<meta>` tag near its start, if any."""
    match = _META_CHARSET.search(data[:_HEAD_BYTES])
    return match.group(1).decode("ascii") if match else None


def decode_page(
    data: bytes, where: str, forced: str | None = None, header_charset: str | None = None
) -> Decoded:
    """A page's bytes as text: forced encoding, BOM, UTF-8, the HTTP or meta declaration, detection."""
    return decode_bytes(data, where, forced=forced, declared=header_charset or declared_charset(data))


def main_text(html: str, where: str, url: str | None = None) -> PageText:
    """The main text and metadata of a page; NoMainText naming `where` if there is none."""
    import trafilatura  # imported here: it takes a quarter of a second and only HTML needs it

    extracted = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=True,
        deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    raw = getattr(extracted, "text", None) if extracted is not None else None
    blocks = [line.strip() for line in (raw or "").splitlines() if line.strip()]
    if not any(_SENTENCE.match(block) for block in blocks):  # headlines and menus only
        raise NoMainText(
            f"{where}: no main text found in the page (an index page, or one built by JavaScript?); "
            "save the article page itself, or give its text as a .txt file"
        )
    date = getattr(extracted, "date", None)
    return PageText(
        text="\n\n".join(blocks),
        title=plain_line(getattr(extracted, "title", None)),
        published=date if isinstance(date, str) and re.match(DATE_PATTERN, date) else None,
        language=page_language(html),
        url=getattr(extracted, "url", None) or url,
        site=plain_line(getattr(extracted, "sitename", None)),
        encoding=None,
        extractor=extractor_name("trafilatura"),
    )


def page_text(
    data: bytes,
    where: str,
    url: str | None = None,
    forced: str | None = None,
    header_charset: str | None = None,
) -> PageText:
    """Decode a page's bytes and extract its main text (ValueError naming `where` on failure)."""
    decoded = decode_page(data, where, forced=forced, header_charset=header_charset)
    page = main_text(decoded.text, where, url=url)
    return PageText(**{**page.__dict__, "encoding": decoded.encoding})

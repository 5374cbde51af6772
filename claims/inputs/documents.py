"""Loading documents: text, HTML and PDF files, folders of them, documents JSONL, URLs, stdin.

Each input is dispatched by its kind: `.html`/`.htm` → the page's main text (`claims.inputs.html`),
`.pdf` → its text layer (`claims.inputs.pdf`), `http(s)://…` → fetched (`claims.inputs.fetch`),
then treated as HTML (or PDF), `.jsonl` → one document per line, anything else → text decoded
by `claims.inputs.encoding`. A document that cannot be read becomes a `DocumentError` (naming
the file and the fix) in the stream instead of stopping the run, so every input ends as claims
or as an error record. For HTML and PDF, the document's text is the *extracted* text: every
span of its claims indexes that text, which is why it is written out with the claims.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from claims.inputs.encoding import decode_bytes
from claims.inputs.fetch import Fetched, FetchFailed, FetchOptions, fetch_pages, is_url, shown_url
from claims.inputs.html import HTML_SUFFIXES, PageText, page_text
from claims.inputs.origin import Origin
from claims.inputs.pdf import PDF_SUFFIXES, pdf_text
from claims.jsonl import JsonlError, parse_lines
from claims.schema import DATE_PATTERN, ErrorRecord
from claims.validation import first_error

METADATA_FILE = "documents.jsonl"
FOLDER_SUFFIXES = (".txt", *HTML_SUFFIXES, *PDF_SUFFIXES)
INPUT_KINDS = "a .txt, .html or .pdf file, a folder, a documents JSONL or an http(s) URL"


class Document(BaseModel):
    """One source text and what is known about it."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    text: str
    published: str | None = Field(default=None, description="Publication date, YYYY[-MM[-DD]].")
    language: str | None = None
    source: str | None = Field(default=None, description="The file (and line), or URL, it came from.")
    origin: Origin | None = Field(
        default=None, description="Where the text came from: page or file, encoding, extractor."
    )

    @field_validator("published")
    @classmethod
    def _check_date(cls, value: str | None) -> str | None:
        if value is not None and not re.match(DATE_PATTERN, value):
            raise ValueError(f"published must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
        return value


@dataclass(frozen=True)
class DocumentError:
    """A document (or input line) that could not be loaded."""

    source: str
    message: str
    doc_id: str | None = None

    def record(self) -> ErrorRecord:
        return ErrorRecord(
            doc_id=self.doc_id, source=self.source, stage="load", error="DocumentError", message=self.message
        )


class InputError(Exception):
    """An input that cannot be read at all (a missing path): the run stops with this message."""


@dataclass(frozen=True)
class LoadOptions:
    """How inputs are read: a forced text encoding (`--encoding`) and how pages are fetched."""

    encoding: str | None = None
    fetch: FetchOptions = field(default_factory=FetchOptions)


def read_text_file(path: Path, encoding: str | None = None) -> str:
    """Read a text file: UTF-8 (a BOM is tolerated), else the detected (or forced) encoding;
    raise ValueError naming the fix when it cannot be decoded with confidence."""
    return decode_bytes(path.read_bytes(), str(path), forced=encoding).text


def read_url_list(path: Path) -> Iterator[tuple[str, str]]:
    """The URLs of a `--urls` file, one per line (blank lines and `#` comments skipped), with where
    each came from (`FILE:LINE`); raise InputError when the file cannot be read."""
    try:
        content = read_text_file(path)
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: cannot read the URL list ({error}); give a text file of URLs") from None
    for number, line in enumerate(content.splitlines(), start=1):
        url = line.strip()
        if url and not url.startswith("#"):
            yield url, f"{path}:{number}"


def load_documents(
    paths: Iterable[str | Path],
    published: str | None = None,
    stdin: TextIO | BinaryIO | None = None,
    options: LoadOptions | None = None,
    urls: Iterable[tuple[str, str]] = (),
    skip_urls: Collection[str] = (),
) -> Iterator[Document | DocumentError]:
    """Yield the documents under `paths` (then those of `urls`, `(url, where)` pairs from a URL
    list) in a stable order; `-` reads standard input; URLs in a row are fetched concurrently.

    `published` applies to documents that carry no date of their own (a single text, say).
    URLs whose document id is in `skip_urls` (done by an earlier run) are not fetched again.
    Raises InputError for a path that does not exist: nothing could be read from it.
    """
    options = options or LoadOptions()
    seen: set[str] = set()
    for item in _load_all(paths, urls, stdin, options, skip_urls):
        if isinstance(item, Document):
            if item.id in seen:
                yield DocumentError(
                    item.source or item.id,
                    f"duplicate document id {item.id!r}; give every document a unique id",
                    item.id,
                )
                continue
            seen.add(item.id)
            if published and item.published is None:
                item = item.model_copy(update={"published": published})
        yield item


def _load_all(
    paths: Iterable[str | Path],
    urls: Iterable[tuple[str, str]],
    stdin: TextIO | BinaryIO | None,
    options: LoadOptions,
    skip_urls: Collection[str],
) -> Iterator[Document | DocumentError]:
    """Every input in order; consecutive URLs are handed to the fetcher together."""
    batch: list[tuple[str, str]] = []
    for raw in paths:
        raw_path = str(raw)
        if is_url(raw_path):
            if url_document_id(raw_path) not in skip_urls:
                batch.append((raw_path, shown_url(raw_path)))
            continue
        if batch:
            yield from _load_urls(batch, options)
            batch = []
        yield from _load_path(raw_path, stdin, options)
    for url, where in urls:
        if is_url(url):
            if url_document_id(url) not in skip_urls:
                batch.append((url, where))
        else:
            yield from _load_urls(batch, options)
            batch = []
            yield DocumentError(where, f"{where}: not an http(s) URL; give one URL per line")
    yield from _load_urls(batch, options)


def _load_urls(batch: list[tuple[str, str]], options: LoadOptions) -> Iterator[Document | DocumentError]:
    if not batch:
        return
    wheres = {url: where for url, where in batch}
    for url, outcome in fetch_pages([url for url, _ in batch], options.fetch):
        shown = shown_url(url)
        doc_id = url_document_id(url)
        if isinstance(outcome, FetchFailed):
            where = wheres[url]
            prefix = shown if where == shown else f"{where}: {shown}"
            yield DocumentError(shown, f"{prefix}: {outcome}", doc_id)
            continue
        yield _fetched_document(outcome, doc_id, shown, options)


def url_document_id(url: str) -> str:
    """A stable, readable id for a web page: host and last path part, and a hash of the whole URL
    (so two URLs that differ only in their query get two ids; the hash reveals nothing of it)."""
    parts = urlsplit(url)
    tail = [part for part in parts.path.split("/") if part]
    words = "-".join([parts.hostname or "page", *tail[-1:]])
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower().removeprefix("www.")).strip("-")[:60].strip("-")
    return f"{slug or 'page'}_{hashlib.sha256(url.encode()).hexdigest()[:10]}"


def _fetched_document(
    page: Fetched, doc_id: str, shown: str, options: LoadOptions
) -> Document | DocumentError:
    """A fetched page's text by its media type: HTML (also when unsaid), PDF or plain text."""
    media = page.media_type
    try:
        if media == "application/pdf" or (not media and page.body.startswith(b"%PDF-")):
            pdf = pdf_text(page.body, shown)
            origin = Origin(url=page.final_url, title=pdf.title, extractor=pdf.extractor)
            return Document(id=doc_id, text=pdf.text, source=shown, origin=origin)
        if media == "text/plain":
            decoded = decode_bytes(page.body, shown, forced=options.encoding, declared=page.charset)
            origin = Origin(url=page.final_url, encoding=decoded.encoding)
            return Document(id=doc_id, text=decoded.text, source=shown, origin=origin)
        if media and media not in ("text/html", "application/xhtml+xml"):
            return DocumentError(
                shown,
                f"{shown}: not a web page (content type {media}); give an HTML page, a PDF or text",
                doc_id,
            )
        page_doc = page_text(
            page.body, shown, url=page.final_url, forced=options.encoding, header_charset=page.charset
        )
    except ValueError as error:
        return DocumentError(shown, str(error), doc_id)
    return _page_document(page_doc, doc_id, shown, path=None, fallback_url=page.final_url)


def _page_document(
    page: PageText, doc_id: str, source: str, path: str | None, fallback_url: str | None
) -> Document:
    origin = Origin(
        url=page.url or fallback_url,
        site=page.site,
        title=page.title,
        path=path,
        encoding=page.encoding,
        extractor=page.extractor,
    )
    return Document(
        id=doc_id,
        text=page.text,
        published=page.published,
        language=page.language,
        source=source,
        origin=origin,
    )


def _load_path(
    raw_path: str, stdin: TextIO | BinaryIO | None, options: LoadOptions
) -> Iterator[Document | DocumentError]:
    if raw_path == "-":
        yield from _load_stdin(stdin if stdin is not None else sys.stdin, options)
        return
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", raw_path):
        raise InputError(f"{raw_path.split('://')[0]}:// is not supported; give {INPUT_KINDS}")
    path = Path(raw_path)
    if path.is_dir():
        yield from _load_folder(path, options)
    elif path.is_file():
        if path.suffix.lower() == ".jsonl":
            yield from _load_jsonl_file(path)
        else:
            yield from _load_file(path, path.stem, {}, options)
    else:
        raise InputError(f"{raw_path}: no such file or folder; give {INPUT_KINDS}")


def _load_stdin(stream: TextIO | BinaryIO, options: LoadOptions) -> Iterator[Document | DocumentError]:
    """Standard input as bytes, decoded like a file (`--encoding`, else UTF-8, else detection): the
    text stream of `sys.stdin` would turn bytes that are not UTF-8 into surrogates, which no output
    can write. A stream of text (a library caller's `io.StringIO`) is taken as it is."""
    name = "<stdin>"
    raw = getattr(stream, "buffer", stream).read()
    if isinstance(raw, str):
        yield from _load_stream(raw, name, encoding=None)
        return
    try:
        decoded = decode_bytes(raw, name, forced=options.encoding)
    except ValueError as error:
        yield DocumentError(name, str(error), "stdin")
        return
    yield from _load_stream(decoded.text, name, encoding=decoded.encoding)


def _load_stream(content: str, name: str, encoding: str | None) -> Iterator[Document | DocumentError]:
    if content.lstrip().startswith("{"):
        yield from _load_jsonl_lines(jsonl_lines(content), name, require_text=True)
    else:
        origin = Origin(encoding=encoding) if encoding else None
        yield Document(id="stdin", text=content, source=name, origin=origin)


def _load_folder(folder: Path, options: LoadOptions) -> Iterator[Document | DocumentError]:
    """A folder of `<doc_id>.txt` (.html, .htm, .pdf) files, dates from a `documents.jsonl` beside."""
    metadata: dict[str, dict[str, Any]] = {}
    meta_path = folder / METADATA_FILE
    if meta_path.is_file():
        for item in _load_jsonl_lines(
            jsonl_lines(read_text_file(meta_path)), str(meta_path), require_text=False
        ):
            if isinstance(item, DocumentError):
                yield item
            else:
                metadata[item.id] = {
                    key: value
                    for key, value in (("published", item.published), ("language", item.language))
                    if value is not None
                }
    files = [path for path in folder.iterdir() if path.is_file() and path.suffix.lower() in FOLDER_SUFFIXES]
    for path in sorted(files, key=lambda p: (p.stem, p.name)):
        yield from _load_file(path, path.stem, metadata.get(path.stem, {}), options)


def _load_file(
    path: Path, doc_id: str, metadata: dict[str, Any], options: LoadOptions
) -> Iterator[Document | DocumentError]:
    """One file by its suffix: HTML page, PDF, or text. Metadata given beside it wins over the page's."""
    where = str(path)
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
        if suffix in HTML_SUFFIXES:
            page = page_text(data, where, forced=options.encoding)
            document = _page_document(page, doc_id, where, path=where, fallback_url=None)
        elif suffix in PDF_SUFFIXES:
            pdf = pdf_text(data, where)
            origin = Origin(path=where, title=pdf.title, extractor=pdf.extractor)
            document = Document(id=doc_id, text=pdf.text, source=where, origin=origin)
        else:
            decoded = decode_bytes(data, where, forced=options.encoding)
            origin = Origin(path=where, encoding=decoded.encoding)
            document = Document(id=doc_id, text=decoded.text, source=where, origin=origin)
    except OSError as error:
        yield DocumentError(where, f"{where}: cannot read ({error.strerror}); check the file", doc_id)
        return
    except ValueError as error:
        yield DocumentError(where, str(error), doc_id)
        return
    yield document.model_copy(update=metadata) if metadata else document


def _load_jsonl_file(path: Path) -> Iterator[Document | DocumentError]:
    try:
        content = read_text_file(path)
    except (OSError, ValueError) as error:
        yield DocumentError(str(path), str(error))
        return
    yield from _load_jsonl_lines(jsonl_lines(content), str(path), require_text=True)


def jsonl_lines(content: str) -> list[str]:
    """The lines of JSON Lines text: split at newlines only (and CRLF), never at the other breaks
    `str.splitlines` knows, since U+2028, U+0085 and the like are valid inside a JSON string."""
    return [line.removesuffix("\r") for line in content.split("\n")]


def load_jsonl_lines(
    lines: Iterable[str], name: str, first_line: int = 1
) -> Iterator[Document | DocumentError]:
    """The documents of some lines of a documents JSONL that start at line `first_line` of `name`
    (an engine's shard of a large file), numbered as if the whole file were read."""
    yield from _load_jsonl_lines(lines, name, require_text=True, first_line=first_line)


def _load_jsonl_lines(
    lines: Iterable[str], name: str, require_text: bool, first_line: int = 1
) -> Iterator[Document | DocumentError]:
    expected = "a JSON object with 'id' and 'text'"
    for number, raw in parse_lines(lines, name, expected=expected, first_line=first_line):
        where = f"{name}:{number}"
        if isinstance(raw, JsonlError):
            yield DocumentError(where, str(raw))
            continue
        doc_id = raw.get("id", raw.get("doc_id"))
        if not isinstance(doc_id, str) or not doc_id:
            yield DocumentError(where, f"{where}: no 'id' (or 'doc_id'); every document needs one")
            continue
        if require_text and not isinstance(raw.get("text"), str):
            yield DocumentError(
                where,
                f"{where}: document {doc_id!r} has no 'text'; a documents JSONL needs id and text",
                doc_id,
            )
            continue
        try:
            origin = raw.get("origin")
            yield Document(
                id=doc_id,
                text=raw.get("text") or "",
                published=raw.get("published"),
                language=raw.get("language"),
                source=raw.get("source") if isinstance(raw.get("source"), str) else where,
                origin=Origin.model_validate(origin) if isinstance(origin, dict) else None,
            )
        except ValidationError as error:
            yield DocumentError(where, f"{where}: document {doc_id!r}: {first_error(error)}", doc_id)


def split_loaded(items: Iterable[Document | DocumentError]) -> tuple[list[Document], list[DocumentError]]:
    """Separate loaded documents from load errors (for callers that need them all at once)."""
    documents: list[Document] = []
    errors: list[DocumentError] = []
    for item in items:
        (documents if isinstance(item, Document) else errors).append(item)  # type: ignore[arg-type]
    return documents, errors

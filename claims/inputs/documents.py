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
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from claims.inputs.encoding import decode_bytes
from claims.inputs.fetch import Fetched, FetchFailed, FetchOptions, fetch_pages, is_url, shown_url
from claims.inputs.html import HTML_SUFFIXES, PageText, page_text
from claims.inputs.origin import Origin
from claims.inputs.parquet import (
    ParquetUnavailable,
    is_parquet,
    is_remote,
    parquet_records,
    read_remote_bytes,
    remote_exists,
)
from claims.inputs.pdf import PDF_SUFFIXES, pdf_text
from claims.jsonl import JsonlError, parse_lines
from claims.schema import DATE_PATTERN, ErrorRecord
from claims.validation import first_error

METADATA_FILE = "documents.jsonl"
FOLDER_SUFFIXES = (".txt", *HTML_SUFFIXES, *PDF_SUFFIXES)
INPUT_KINDS = (
    "a .txt, .html or .pdf file, a folder, a documents JSONL or Parquet (also as s3://, gs://, file://) "
    "or an http(s) URL"
)


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
    """A fetched page's text by its media type: HTML (also when unsaid), PDF or plain text; its
    publisher is the site the page names, else the host of its canonical (or fetched) URL."""
    loaded = _fetched_text(page, doc_id, shown, options)
    if not isinstance(loaded, Document):
        return loaded
    return with_site(
        loaded, url_site(loaded.origin.url if loaded.origin else None) or url_site(page.final_url)
    )


def _fetched_text(page: Fetched, doc_id: str, shown: str, options: LoadOptions) -> Document | DocumentError:
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
    if is_remote(raw_path):
        yield from _load_remote(raw_path)
        return
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", raw_path):
        raise InputError(f"{raw_path.split('://')[0]}:// is not supported; give {INPUT_KINDS}")
    path = Path(raw_path)
    if path.is_dir():
        yield from load_folder(path, options)
    elif path.is_file():
        if path.suffix.lower() == ".jsonl":
            yield from _load_jsonl_file(path)
        elif is_parquet(path.name):
            yield from load_parquet(str(path))
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


def folder_files(folder: Path) -> list[Path]:
    """The files of a folder that become documents (.txt, .html, .htm, .pdf), in load order."""
    files = [path for path in folder.iterdir() if path.is_file() and path.suffix.lower() in FOLDER_SUFFIXES]
    return sorted(files, key=lambda p: (p.stem, p.name))


def load_folder(
    folder: Path,
    options: LoadOptions | None = None,
    names: Sequence[str] | None = None,
    metadata_errors: bool = True,
) -> Iterator[Document | DocumentError]:
    """The documents of a folder of `<doc_id>.txt` (.html, .htm, .pdf) files, or only of the files
    `names` (an engine's shard of it, in the folder's order). Dates, languages and publishers come
    from a `documents.jsonl` beside, read once (the page's own site, where it names one, wins over
    `publisher`); `metadata_errors` False leaves out its broken lines (another shard reports them)."""
    options = options or LoadOptions()
    metadata: dict[str, dict[str, Any]] = {}
    sites: dict[str, str] = {}
    meta_path = folder / METADATA_FILE
    if meta_path.is_file():
        for item in _load_jsonl_lines(
            jsonl_lines(read_text_file(meta_path)), str(meta_path), require_text=False
        ):
            if isinstance(item, DocumentError):
                if metadata_errors:
                    yield item
            else:
                metadata[item.id] = {
                    key: value
                    for key, value in (("published", item.published), ("language", item.language))
                    if value is not None
                }
                if item.origin is not None and item.origin.site:
                    sites[item.id] = item.origin.site
    paths = folder_files(folder) if names is None else [folder / name for name in names]
    for path in paths:
        for loaded in _load_file(path, path.stem, metadata.get(path.stem, {}), options):
            yield with_site(loaded, sites.get(path.stem)) if isinstance(loaded, Document) else loaded


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
        yield _record_document(raw, where, require_text)


def _record_document(raw: dict[str, Any], where: str, require_text: bool) -> Document | DocumentError:
    """One record of a documents file (a JSONL line, a Parquet row) as a document, or why not."""
    doc_id = raw.get("id", raw.get("doc_id"))
    if not isinstance(doc_id, str) or not doc_id:
        return DocumentError(where, f"{where}: no 'id' (or 'doc_id'); every document needs one")
    if require_text and not isinstance(raw.get("text"), str):
        return DocumentError(
            where,
            f"{where}: document {doc_id!r} has no 'text'; a documents JSONL needs id and text",
            doc_id,
        )
    try:
        return Document(
            id=doc_id,
            text=raw.get("text") or "",
            published=raw.get("published"),
            language=raw.get("language"),
            source=raw.get("source") if isinstance(raw.get("source"), str) else where,
            origin=_line_origin(raw),
        )
    except ValidationError as error:
        return DocumentError(where, f"{where}: document {doc_id!r}: {first_error(error)}", doc_id)


def load_parquet(source: str, groups: Sequence[int] | None = None) -> Iterator[Document | DocumentError]:
    """The documents of a Parquet documents file (local or a pyarrow URI), or of some of its row
    groups (an engine's shard); rows are numbered from 1 as `FILE:ROW`. Raises InputError when
    pyarrow is missing (naming the extra)."""
    shown = shown_uri(source)
    try:
        for number, raw in parquet_records(source, groups):
            yield _record_document(raw, f"{shown}:{number}", require_text=True)
    except ParquetUnavailable as error:
        raise InputError(str(error)) from None
    except (OSError, ValueError) as error:
        reason = hide_userinfo(" ".join(str(error).split())[:200], source)
        yield DocumentError(
            shown, f"{shown}: not a readable Parquet file ({reason}); give a documents Parquet"
        )


def _load_remote(uri: str) -> Iterator[Document | DocumentError]:
    """A documents JSONL or Parquet file on one of pyarrow's filesystems (s3://, gs://, file://)."""
    shown = shown_uri(uri)
    if not (is_parquet(uri) or uri.lower().endswith(".jsonl")):
        raise InputError(f"{shown}: a remote input must be a documents .jsonl or .parquet file")
    try:
        if not remote_exists(uri):
            raise InputError(f"{shown}: no such file; check the URI")
        data = None if is_parquet(uri) else read_remote_bytes(uri)
    except ParquetUnavailable as error:
        raise InputError(str(error)) from None
    except (OSError, ValueError) as error:
        reason = hide_userinfo(" ".join(str(error).split())[:200], uri)
        raise InputError(f"{shown}: cannot read ({reason}); check the URI and the store's access") from None
    if data is None:
        yield from load_parquet(uri)
        return
    try:
        content = decode_bytes(data, shown).text
    except ValueError as error:
        yield DocumentError(shown, str(error))
        return
    yield from _load_jsonl_lines(jsonl_lines(content), shown, require_text=True)


def shown_uri(uri: str) -> str:
    """A URI as it may be shown: credentials written into it (`s3://KEY:SECRET@bucket`) masked."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", r"\1***@", uri)


def hide_userinfo(text: str, uri: str) -> str:
    """`text` with the credentials part of `uri`, if any, masked wherever it appears."""
    match = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/@]*)@", uri)
    return text.replace(match.group(1), "***") if match and match.group(1) else text


def _line_origin(raw: dict[str, Any]) -> Origin | None:
    """A documents JSONL line's `origin`, with its `publisher` (or `site`) as the site when the
    origin names none: the publisher is what counts an event's distinct sources."""
    origin = raw.get("origin")
    fields = dict(origin) if isinstance(origin, dict) else {}
    publisher = next((raw[k] for k in ("publisher", "site") if isinstance(raw.get(k), str)), None)
    if publisher and not fields.get("site"):
        fields["site"] = publisher
    return Origin.model_validate(fields) if fields else None


def with_site(document: Document, site: str | None) -> Document:
    """The document with `site` as its origin's site, unless it names one already."""
    if not site or (document.origin is not None and document.origin.site):
        return document
    origin = (document.origin or Origin()).model_copy(update={"site": Origin(site=site).site})
    return document.model_copy(update={"origin": origin})


def url_site(url: str | None) -> str | None:
    """A fetched page's publisher when the page names none: its host, without `www.`."""
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def split_loaded(items: Iterable[Document | DocumentError]) -> tuple[list[Document], list[DocumentError]]:
    """Separate loaded documents from load errors (for callers that need them all at once)."""
    documents: list[Document] = []
    errors: list[DocumentError] = []
    for item in items:
        (documents if isinstance(item, Document) else errors).append(item)  # type: ignore[arg-type]
    return documents, errors

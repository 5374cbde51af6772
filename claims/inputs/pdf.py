"""The text layer of a PDF (pypdf, the `pdf` extra), pages separated by a blank line.

A PDF with no text layer (a scan) cannot be read without OCR and becomes an error that says so.
The text produced depends on pypdf's version, which is pinned and recorded per document.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from claims.inputs.origin import extractor_name, plain_line

PDF_SUFFIXES = (".pdf",)
PDF_EXTRA = "reading PDF needs the pdf extra: pip install 'claims[pdf]'"


class PdfProblem(ValueError):
    """A PDF that gives no text, with a message naming the file and the fix."""


@dataclass(frozen=True)
class PdfText:
    text: str
    title: str | None
    pages: int
    extractor: str


def pdf_text(data: bytes, where: str) -> PdfText:
    """The text of every page of a PDF; PdfProblem naming `where` and the fix when there is none."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ModuleNotFoundError:
        raise PdfProblem(f"{where}: {PDF_EXTRA}") from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd files are not ours to print
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfProblem(f"{where}: the PDF is encrypted with a password; give a decrypted copy")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        metadata = reader.metadata
        title = plain_line(metadata.title) if metadata is not None else None
    except PdfProblem:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise PdfProblem(
            f"{where}: not a readable PDF ({type(error).__name__}); check that the file is a complete PDF"
        ) from None
    text = "\n\n".join(page for page in pages if page)
    if not text.strip():
        count = f"{len(pages)} page{'s' if len(pages) != 1 else ''}"
        raise PdfProblem(
            f"{where}: the PDF has no text layer ({count}, a scan?); "
            "run OCR first (e.g. ocrmypdf) and give the result"
        )
    return PdfText(text=text, title=title, pages=len(pages), extractor=extractor_name("pypdf"))

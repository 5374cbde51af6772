"""PDF files: the text layer of every page (pypdf, the `pdf` extra); a scan is an error that says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.inputs.documents import Document, DocumentError, load_documents, split_loaded
from tests.inputs.pdfmaker import make_pdf

pytest.importorskip("pypdf", reason="the pdf extra (pypdf) is not installed")

PAGE_ONE = [
    "Am Montag traf Putin in Peking den Präsidenten Xi Jinping.",
    "Die beiden sprachen über Öl (und Gas).",
]
PAGE_TWO = ["Russland liefert nach Angaben der USA Raketen an den Iran."]


def test_a_pdf_becomes_its_text_pages_apart_with_title_and_extractor(tmp_path: Path) -> None:
    path = tmp_path / "bericht.pdf"
    path.write_bytes(make_pdf([PAGE_ONE, PAGE_TWO], title="Bericht über die Gespräche"))
    [document] = list(load_documents([path]))
    assert isinstance(document, Document)
    assert document.id == "bericht" and document.source == str(path)
    assert document.text == "\n".join(PAGE_ONE) + "\n\n" + PAGE_TWO[0]
    assert document.origin is not None
    assert document.origin.title == "Bericht über die Gespräche"
    assert document.origin.path == str(path)
    assert document.origin.extractor is not None and document.origin.extractor.startswith("pypdf ")


def test_a_folder_mixes_pdf_html_and_text(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(make_pdf([PAGE_ONE]))
    (tmp_path / "b.txt").write_text("Putin traf Xi.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an input", encoding="utf-8")
    documents, errors = split_loaded(load_documents([tmp_path]))
    assert errors == [] and [d.id for d in documents] == ["a", "b"]


def test_a_scanned_pdf_without_text_is_an_error_record_that_says_so(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([[], []], scanned=True))
    [error] = list(load_documents([path]))
    assert isinstance(error, DocumentError) and error.doc_id == "scan"
    assert error.message.startswith(f"{path}: the PDF has no text layer (2 pages")
    assert "OCR" in error.message


def test_a_broken_pdf_is_an_error_record_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(make_pdf([PAGE_ONE])[:200])
    [error] = list(load_documents([path]))
    assert isinstance(error, DocumentError)
    assert error.message.startswith(f"{path}: not a readable PDF") and "\n" not in error.message

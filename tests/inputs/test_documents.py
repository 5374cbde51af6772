"""Documents load from .txt files, folders, JSONL and stdin; bad input becomes an error record."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from claims.inputs.documents import Document, DocumentError, InputError, load_documents, split_loaded
from tests.conftest import SEEDS


def test_the_seed_folder_loads_with_publication_dates() -> None:
    documents, errors = split_loaded(load_documents([SEEDS]))
    assert errors == []
    assert [d.id for d in documents] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    by_id = {d.id: d for d in documents}
    assert by_id["002_8f00768b7795d178"].published == "2024-11-26"
    assert by_id["000_b8597e5840640336"].language == "de"


def test_a_documents_jsonl_accepts_id_or_doc_id(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    lines = [
        {"id": "a", "text": "Text A", "published": "2024-05"},
        {"doc_id": "b", "text": "Text B", "language": "en", "note": "ignored"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    documents, errors = split_loaded(load_documents([path]))
    assert errors == []
    assert [(d.id, d.text, d.published, d.language) for d in documents] == [
        ("a", "Text A", "2024-05", None),
        ("b", "Text B", None, "en"),
    ]


def test_bad_jsonl_lines_become_errors_naming_file_and_line_and_the_rest_loads(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(
        '{"id": "ok", "text": "fine"}\n{not json\n{"text": "no id"}\n{"id": "x"}\n'
        '{"id": "d", "text": "t", "published": "May 2024"}\n',
        encoding="utf-8",
    )
    documents, errors = split_loaded(load_documents([path]))
    assert [d.id for d in documents] == ["ok"]
    assert [e.source for e in errors] == [f"{path}:2", f"{path}:3", f"{path}:4", f"{path}:5"]
    assert "not valid JSON" in errors[0].message
    assert "no 'id'" in errors[1].message
    assert "has no 'text'" in errors[2].message
    assert "YYYY" in errors[3].message


def test_bom_is_tolerated_and_empty_documents_are_documents(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes("\ufeffPutin traf Xi.".encode())
    (tmp_path / "empty.txt").write_bytes(b"")
    documents, errors = split_loaded(load_documents([tmp_path]))
    assert errors == []
    assert {d.id: d.text for d in documents} == {"bom": "Putin traf Xi.", "empty": ""}


def test_undecodable_and_binary_files_are_errors_that_name_the_fix(tmp_path: Path) -> None:
    (tmp_path / "noise.txt").write_bytes(bytes(range(0x80, 0x100)) * 4)
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / "good.txt").write_text("gut", encoding="utf-8")
    items = list(load_documents([tmp_path]))
    errors = [i for i in items if isinstance(i, DocumentError)]
    assert [i.id for i in items if isinstance(i, Document)] == ["good"]
    messages = {e.doc_id: e.message for e in errors}
    assert "not UTF-8" in messages["noise"] and "iconv" in messages["noise"]
    assert "--encoding" in messages["noise"]
    assert "binary" in messages["binary"]
    assert all("\n" not in m for m in messages.values())


def test_a_missing_path_stops_with_a_message() -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        list(load_documents(["/nonexistent/folder"]))


def test_stdin_is_text_or_jsonl_and_published_applies_to_undated_documents() -> None:
    [text_doc] = list(load_documents(["-"], published="2024-07-01", stdin=io.StringIO("Putin traf Xi.")))
    assert isinstance(text_doc, Document)
    assert (text_doc.id, text_doc.published) == ("stdin", "2024-07-01")
    jsonl = io.StringIO('{"id": "a", "text": "x", "published": "2023"}\n{"id": "b", "text": "y"}\n')
    docs = list(load_documents(["-"], published="2024", stdin=jsonl))
    assert [(d.id, d.published) for d in docs if isinstance(d, Document)] == [("a", "2023"), ("b", "2024")]


def test_duplicate_ids_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a", "text": "1"}\n{"id": "a", "text": "2"}\n', encoding="utf-8")
    documents, errors = split_loaded(load_documents([path]))
    assert [d.text for d in documents] == ["1"]
    assert "duplicate document id 'a'" in errors[0].message


def test_a_jsonl_text_may_hold_line_separators_that_are_not_newlines(tmp_path: Path) -> None:
    """json.dumps(ensure_ascii=False) keeps U+2028 and U+0085 raw; they do not end a JSONL line."""
    path = tmp_path / "docs.jsonl"
    text = "Erster Satz.\u2028Zweiter Satz.\x85Dritter."
    path.write_text(json.dumps({"id": "a", "text": text}, ensure_ascii=False) + "\r\n", encoding="utf-8")
    (document,) = load_documents([path])
    assert isinstance(document, Document) and document.text == text and document.source == f"{path}:1"


def test_a_publisher_or_site_becomes_the_origin_site(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_text(f"Text {name}.", encoding="utf-8")
    (folder / "documents.jsonl").write_text(
        '{"doc_id": "a", "publisher": "tagesschau.de"}\n{"id": "b", "site": "dw.com", "published": "2024"}\n',
        encoding="utf-8",
    )
    docs, errors = split_loaded(load_documents([str(folder)]))
    assert not errors
    sites = {d.id: (d.origin.site if d.origin else None) for d in docs}
    assert sites == {"a": "tagesschau.de", "b": "dw.com", "c": None}
    assert next(d for d in docs if d.id == "a").origin.path == str(folder / "a.txt")  # type: ignore[union-attr]
    lines = tmp_path / "docs.jsonl"
    lines.write_text(
        '{"id": "x", "text": "T", "publisher": "  Der\\nSpiegel "}\n'
        '{"id": "y", "text": "T", "publisher": "ignored", "origin": {"site": "Die Zeit"}}\n',
        encoding="utf-8",
    )
    x, y = load_documents([str(lines)])
    assert isinstance(x, Document) and x.origin is not None and x.origin.site == "Der Spiegel"
    assert isinstance(y, Document) and y.origin is not None and y.origin.site == "Die Zeit"


def test_a_byte_stream_on_stdin_is_decoded_like_a_file() -> None:
    text = "Außenministerin traf ihren Amtskollegen – „Gespräche“ in München, Grüße und Küsse.\n"
    [document] = list(load_documents(["-"], stdin=io.BytesIO(text.encode("cp1252"))))
    assert isinstance(document, Document)
    assert document.text == text and document.origin is not None and document.origin.encoding == "cp1252"

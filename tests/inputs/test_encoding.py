"""Text files in other encodings are decoded (detected, or forced with --encoding) and the encoding
recorded; only what cannot be decoded with confidence is refused."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.inputs.documents import Document, DocumentError, LoadOptions, load_documents
from claims.inputs.encoding import codec_name, decode_bytes

GERMAN = (
    "Bundeskanzler Olaf Scholz traf am Montag in Paris den französischen Präsidenten. "
    "Die Gespräche über Waffenlieferungen dauerten länger als geplant – „ein gutes Treffen“, hieß es.\n"
    "Der Außenminister äußerte sich über die Lage; Größere Lieferungen für 2 Mio. € folgen.\n"
)
LATIN1 = "Präsident Putin traf in Moskau den Außenminister Österreichs. Später äußerte er sich über Öl.\n"
RUSSIAN = "Министр иностранных дел России заявил сегодня в Москве, что переговоры продолжатся.\n"


def load_one(path: Path, encoding: str | None = None) -> Document | DocumentError:
    [item] = list(load_documents([path], options=LoadOptions(encoding=encoding)))
    return item


def test_a_cp1252_file_is_decoded_and_its_encoding_recorded(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(GERMAN.encode("cp1252"))
    document = load_one(path)
    assert isinstance(document, Document)
    assert document.text == GERMAN
    assert document.origin is not None and document.origin.encoding == "cp1252"


def test_a_latin1_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(LATIN1.encode("latin-1"))
    document = load_one(path)
    assert isinstance(document, Document) and document.text == LATIN1
    assert document.origin is not None and document.origin.encoding in ("cp1252", "latin-1")


def test_a_cyrillic_file_is_detected_not_read_as_western(tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    path.write_bytes(RUSSIAN.encode("cp1251"))
    document = load_one(path)
    assert isinstance(document, Document) and document.text == RUSSIAN
    assert document.origin is not None and document.origin.encoding == "cp1251"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_with_bom_is_decoded_without_its_bom(tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    path = tmp_path / "utf16.txt"
    path.write_bytes(bom + GERMAN.encode(codec))
    document = load_one(path)
    assert isinstance(document, Document) and document.text == GERMAN
    assert document.origin is not None and document.origin.encoding == "utf-16"


def test_utf8_with_bom_is_utf8_and_the_bom_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + GERMAN.encode())
    document = load_one(path)
    assert isinstance(document, Document) and document.text == GERMAN
    assert document.origin is not None and document.origin.encoding == "utf-8"


def test_mixed_line_endings_are_kept_so_offsets_index_the_file(tmp_path: Path) -> None:
    text = "Erste Zeile.\r\nZweite Zeile.\nDritte Zeile.\rVierte Zeile.\r\n\r\nAbsatz."
    path = tmp_path / "mixed.txt"
    path.write_bytes(text.encode("cp1252"))
    document = load_one(path)
    assert isinstance(document, Document) and document.text == text
    start = document.text.index("Dritte")
    assert document.text[start : start + len("Dritte Zeile.")] == "Dritte Zeile."


def test_encoding_forces_a_decoding_and_a_wrong_one_names_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    path.write_bytes(RUSSIAN.encode("cp1251"))
    forced = load_one(path, encoding="koi8-r")  # wrong, but it is what the user asked for
    assert isinstance(forced, Document) and forced.text != RUSSIAN
    assert forced.origin is not None and forced.origin.encoding == "koi8-r"
    utf8_bytes = tmp_path / "de.txt"
    utf8_bytes.write_bytes(GERMAN.encode("cp1252"))
    refused = load_one(utf8_bytes, encoding="utf-8")
    assert isinstance(refused, DocumentError)
    assert refused.message.startswith(f"{utf8_bytes}: not utf-8 (byte 0x") and "--encoding" in refused.message


def test_unknown_encoding_names_are_refused_with_examples() -> None:
    with pytest.raises(ValueError, match=r"unknown encoding 'klingon'.*cp1252"):
        codec_name("klingon")
    assert codec_name("Windows-1252") == "cp1252" and codec_name("latin1") == "iso8859-1"


def test_what_nothing_decodes_confidently_is_refused_with_the_current_message(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 4)
    error = load_one(path)
    assert isinstance(error, DocumentError)
    assert error.message.startswith(f"{path}: not UTF-8 (byte 0x80 at offset 0)")
    assert "iconv" in error.message and "--encoding" in error.message


@given(st.text(alphabet=st.characters(blacklist_characters="\x00\ufeff", blacklist_categories=["Cs"])))
def test_utf8_and_utf16_with_bom_round_trip_any_text(text: str) -> None:
    assert decode_bytes(text.encode("utf-8"), "t").text == text
    assert decode_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "t").text == text


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßÄÖÜéèàç .,;:!?-–„“\"'()0123456789€\n", min_size=1))
def test_a_decoding_is_never_lossy_whatever_the_detector_picks(text: str) -> None:
    data = text.encode("cp1252")
    try:
        decoded = decode_bytes(data, "t")
    except ValueError as error:  # refusing a short odd string is allowed; misreading it is not
        assert "not UTF-8" in str(error)
        return
    assert decoded.text.encode(decoded.encoding) == data

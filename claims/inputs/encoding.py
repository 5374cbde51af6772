"""Decoding the bytes of a text file: UTF-8, a byte-order mark, or detection (charset-normalizer).

A file is decoded, in order, with the encoding forced by the user (`--encoding`), the one its
byte-order mark names, UTF-8, an encoding the file itself declares (an HTML `<meta charset>`,
an HTTP header), Windows-1252 when its text reads cleanly (the common case of German and English
files from Windows, and of Latin-1), and finally the one charset-normalizer detects. Only bytes
that nothing decodes confidently are refused, with a message that names the fix. The encoding
used is returned so that it can be recorded with the document.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

MAX_CHAOS = 0.2
"""charset-normalizer's mess ratio above which a detected decoding is not trusted."""
WESTERN = "cp1252"
WESTERN_CHAOS = 0.1
"""Windows-1252 (a superset of Latin-1's letters) is tried before detection when its text reads
this cleanly: short German or English texts otherwise often detect as some other 8-bit code page
that decodes the umlauts into the wrong letters."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding that produced it (a Python codec name, e.g. 'cp1252')."""

    text: str
    encoding: str


def codec_name(name: str) -> str:
    """The canonical Python name of an encoding; ValueError naming the fix for an unknown one."""
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        raise ValueError(
            f"unknown encoding {name!r}; give a name Python knows, e.g. utf-8, cp1252, latin-1"
        ) from None


def decode_bytes(data: bytes, where: str, forced: str | None = None, declared: str | None = None) -> Decoded:
    """Decode `data` (from `where`, named in errors); ValueError naming the fix if it cannot be."""
    if forced:
        encoding = codec_name(forced)
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError as error:
            raise ValueError(
                f"{where}: not {encoding} (byte 0x{data[error.start]:02x} at offset {error.start}); "
                "give the file's real encoding with --encoding, or leave it out to detect it"
            ) from None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                break
            return Decoded(text.removeprefix("\ufeff"), "utf-8" if encoding == "utf-8-sig" else encoding)
    if b"\x00" in data:
        raise ValueError(
            f"{where}: binary file (contains NUL bytes); give a text file instead "
            "(or its encoding with --encoding, e.g. utf-16)"
        )
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    if declared:
        try:
            encoding = codec_name(declared)
            return Decoded(data.decode(encoding), encoding)
        except (ValueError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall back to detection
    from charset_normalizer import from_bytes  # ~25 ms: only for text that is not UTF-8
    from charset_normalizer.md import mess_ratio

    try:
        western = data.decode(WESTERN)
    except UnicodeDecodeError:
        western = None
    if western is not None and mess_ratio(western, WESTERN_CHAOS) < WESTERN_CHAOS:
        return Decoded(western, WESTERN)
    best = from_bytes(data).best()
    if best is not None and best.chaos <= MAX_CHAOS:
        encoding = codec_name(best.encoding)
        return Decoded(data.decode(encoding), encoding)
    raise ValueError(
        f"{where}: not UTF-8 (byte 0x{data[first_bad]:02x} at offset {first_bad}) and no encoding "
        "could be detected with confidence; convert it first (e.g. iconv -f LATIN1 -t UTF-8) "
        "or name it with --encoding"
    )

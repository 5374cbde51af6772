"""Saved web pages: the main text without web debris, paragraph breaks kept, metadata from the page.

The pages in `pages/` were written for these tests in the layouts of German and English news
sites (cookie banners, menus, teasers, captions, related-article and most-read lists, newsletter
boxes); `pages/expected/` holds the main text each must give and the metadata it carries.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.inputs.documents import Document, DocumentError, LoadOptions, load_documents, split_loaded
from claims.inputs.html import page_language, page_text
from claims.inputs.origin import Origin, safe_url

PAGES = Path(__file__).parent / "pages"
EXPECTED = PAGES / "expected"
ARTICLES = ["de_tagesblatt", "en_dailyrecord", "de_rundschau_cp1252"]
DEBRIS = {
    "de_tagesblatt": [
        "Cookies",
        "Alle akzeptieren",
        "Startseite",
        "Eilmeldung",
        "Lesen Sie auch",
        "Biden trifft Steinmeier",
        "Iran liefert Drohnen",
        "Mehr zum Thema",
        "Selenskyj trifft Trump",
        "Foto: dpa",
        "Newsletter",
        "Impressum",
        "Teilen",
        "Von Anna Berger",
    ],
    "en_dailyrecord": [
        "cookies",
        "Accept all",
        "Subscribe",
        "Biden meets Zelensky",
        "Photograph:",
        "Advertisement",
        "Sign up to First Edition",
        "Most viewed",
        "Macron meets Xi Jinping",
        "Iran delivers drones",
        "Privacy policy",
        "Share on",
    ],
    "de_rundschau_cp1252": [
        "Cookies",
        "Traueranzeigen",
        "Kiewer Bahnhof",
        "Abo",
        "Meistgelesen",
        "Polen liefert Panzer",
        "Erdogan trifft Putin",
        "Impressum",
    ],
}


def load_page(name: str, encoding: str | None = None) -> Document:
    [document] = list(load_documents([PAGES / f"{name}.html"], options=LoadOptions(encoding=encoding)))
    assert isinstance(document, Document), document
    return document


@pytest.mark.parametrize("name", ARTICLES)
def test_a_saved_page_gives_its_expected_main_text(name: str) -> None:
    document = load_page(name)
    assert document.text == (EXPECTED / f"{name}.txt").read_text(encoding="utf-8")


PARAGRAPHS = {"de_tagesblatt": 4, "en_dailyrecord": 5, "de_rundschau_cp1252": 4}
"""How many paragraphs of article body each page has (its `<p>` elements inside the article)."""


@pytest.mark.parametrize("name", ARTICLES)
def test_no_web_debris_survives_and_every_article_paragraph_does(name: str) -> None:
    text = load_page(name).text
    for debris in DEBRIS[name]:
        assert debris not in text, debris
    raw = (PAGES / f"{name}.html").read_bytes().decode("cp1252" if "cp1252" in name else "utf-8")
    blocks = text.split("\n\n")
    for block in blocks:
        assert f">{block}</" in raw, block  # each block is one whole element's text, nothing invented
    sentences = [block for block in blocks if block.endswith((".", '"'))]
    assert len(sentences) == PARAGRAPHS[name]


@pytest.mark.parametrize("name", ARTICLES)
def test_page_metadata_fills_published_language_and_origin(name: str) -> None:
    expected = json.loads((EXPECTED / "metadata.json").read_text(encoding="utf-8"))[name]
    document = load_page(name)
    origin = document.origin
    assert origin is not None
    got = {
        "title": origin.title,
        "published": document.published,
        "language": document.language,
        "url": origin.url,
        "site": origin.site,
        "encoding": origin.encoding,
    }
    assert got == expected
    assert origin.path == str(PAGES / f"{name}.html") and document.source == origin.path
    assert origin.extractor is not None and origin.extractor.startswith("trafilatura ")


def test_the_dates_and_languages_of_the_pages() -> None:
    assert [(load_page(n).published, load_page(n).language) for n in ARTICLES] == [
        ("2024-11-26", "de"),
        ("2024-06-19", "en"),
        ("2024-09-09", "de"),
    ]


def test_a_page_declaring_windows_1252_is_decoded_by_its_declaration_or_a_forced_encoding() -> None:
    assert "Bundesaußenministerin" in load_page("de_rundschau_cp1252").text
    forced = load_page("de_rundschau_cp1252", encoding="latin-1")
    assert forced.origin is not None and forced.origin.encoding == "iso8859-1"
    assert "Bundesaußenministerin Annalena Baerbock" in forced.text


def test_a_page_without_main_text_is_an_error_record_naming_the_file() -> None:
    path = PAGES / "de_index.html"
    [error] = list(load_documents([path]))
    assert isinstance(error, DocumentError) and error.doc_id == "de_index"
    assert error.message.startswith(f"{path}: no main text found in the page")


def test_a_folder_of_pages_loads_articles_and_reports_the_index_page() -> None:
    documents, errors = split_loaded(load_documents([PAGES]))
    assert [d.id for d in documents] == sorted(ARTICLES)
    assert [e.doc_id for e in errors] == ["de_index"]


def test_metadata_given_beside_the_pages_wins_over_the_page(tmp_path: Path) -> None:
    (tmp_path / "de_tagesblatt.html").write_bytes((PAGES / "de_tagesblatt.html").read_bytes())
    (tmp_path / "documents.jsonl").write_text('{"id": "de_tagesblatt", "published": "2024-11-25"}\n')
    [document] = list(load_documents([tmp_path]))
    assert isinstance(document, Document)
    assert (document.published, document.language) == ("2024-11-25", "de")


HOSTILE = """<!DOCTYPE html><html lang="en"><head>
<title>&lt;img src=x onerror=alert(1)&gt; Talks in Geneva</title>
<meta property="og:title" content="&lt;script&gt;alert('title')&lt;/script&gt; Talks in Geneva">
<meta property="og:site_name" content="&lt;b&gt;Evil&lt;/b&gt; News">
<link rel="canonical" href="javascript:alert(document.domain)">
<meta property="og:url" content="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">
</head><body><article>
<h1>Talks in Geneva</h1>
<p>The foreign ministers of the United States and Russia met in Geneva on Friday for talks on arms control.
Both sides described the meeting as constructive and agreed to meet again next month.</p>
<p>A joint statement was expected later in the day, officials said after the meeting ended.</p>
</article></body></html>"""


def test_hostile_page_metadata_never_becomes_a_link_and_stays_plain_text() -> None:
    page = page_text(HOSTILE.encode(), "hostile.html")
    origin = Origin(url=page.url, site=page.site, title=page.title)
    assert origin.url is None
    assert origin.title is not None and "Talks in Geneva" in origin.title
    assert origin.site is not None and "Evil" in origin.site  # markup arrives as text, escaped on display
    assert "foreign ministers" in page.text


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a/b.html", "https://example.org/a/b.html"),
        ("https://user:secret@example.org/a?token=abc#top", "https://example.org/a"),
        ("HTTP://Example.org:8080/x", "http://example.org:8080/x"),
        ("javascript:alert(1)", None),
        ("JavaScript://example.org/%0aalert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//example.org/no-scheme", None),
        ("https://exa mple.org/", None),
        ("", None),
        (None, None),
    ],
)
def test_only_plain_web_urls_are_kept(url: str | None, safe: str | None) -> None:
    assert safe_url(url) == safe
    assert Origin(url=url).url == safe


def test_declared_languages_are_reduced_to_their_primary_subtag() -> None:
    assert page_language('<html lang="de-AT"><head></head></html>') == "de"
    assert page_language('<html><head><meta http-equiv="content-language" content="en-US"></head>') == "en"
    assert page_language('<html lang="x"><meta property="og:locale" content="fr_FR"></html>') == "fr"
    assert page_language("<html><body>no language</body></html>") is None

"""Fetching pages over HTTP against a loopback server: pages, redirects and every failure (404s,
redirect loops, slow answers, a 50 MB body, non-pages) become documents or error records."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from claims.inputs.documents import Document, DocumentError, LoadOptions, load_documents, url_document_id
from claims.inputs.fetch import DEFAULT_USER_AGENT, FetchOptions
from tests.fakes.page_server import MB, PageServer, Route
from tests.inputs.pdfmaker import make_pdf

PAGES = Path(__file__).parent / "pages"
FAST = FetchOptions(timeout=2.0, per_host_delay=0.0, max_bytes=2 * MB)


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


@pytest.fixture
def server() -> Iterator[PageServer]:
    pages = PageServer()
    pages.routes.update(
        {
            "/de.html": Route(body=page("de_tagesblatt.html")),
            "/en.html": Route(body=page("en_dailyrecord.html")),
            "/rundschau": Route(body=page("de_rundschau_cp1252.html"), content_type="text/html"),
            "/moved": Route(301, headers={"Location": "/rundschau"}),
            "/loop": Route(302, headers={"Location": "/loop"}),
            "/ftp": Route(302, headers={"Location": "ftp://127.0.0.1/file"}),
            "/gone": Route(410, b"gone"),
            "/broken": Route(500, b"oops"),
            "/slow": Route(body=page("de_tagesblatt.html"), delay=3.0),
            "/trickle": Route(body=page("de_tagesblatt.html"), trickle=0.05),
            "/huge": Route(huge=50 * MB),
            "/huge-unsized": Route(huge=50 * MB, send_length=False),
            "/index.html": Route(body=page("de_index.html")),
            "/photo.png": Route(body=b"\x89PNG\r\n", content_type="image/png"),
            "/report.pdf": Route(
                body=make_pdf(
                    [["Am Montag traf Putin in Peking den Präsidenten Xi Jinping."]], title="Bericht"
                ),
                content_type="application/pdf",
            ),
            "/notes.txt": Route(
                body="Präsident Putin traf in Moskau den Außenminister.".encode("cp1252"),
                content_type="text/plain; charset=windows-1252",
            ),
        }
    )
    with pages.running():
        yield pages


def fetch(urls: list[str], options: FetchOptions = FAST) -> list[Document | DocumentError]:
    return list(load_documents(urls, options=LoadOptions(fetch=options)))


def test_fetched_pages_are_documents_with_their_metadata(server: PageServer) -> None:
    de_url, en_url = server.url("/de.html"), server.url("/en.html")
    de, en = fetch([de_url, en_url])
    assert isinstance(de, Document) and isinstance(en, Document)
    assert de.text == (PAGES / "expected" / "de_tagesblatt.txt").read_text(encoding="utf-8")
    assert (de.id, de.source, de.published, de.language) == (
        url_document_id(de_url),
        de_url,
        "2024-11-26",
        "de",
    )
    assert de.origin is not None and en.origin is not None
    assert de.origin.url == "https://www.tagesblatt.example/politik/ausland/scholz-macron-paris-100.html"
    assert (de.origin.site, de.origin.path, de.origin.encoding) == ("Tagesblatt", None, "utf-8")
    assert en.origin.title == "Russia and North Korea sign mutual defence pact as Putin visits Pyongyang"
    assert {seen.user_agent for seen in server.seen} == {DEFAULT_USER_AGENT}


def test_redirects_are_followed_and_the_final_url_recorded(server: PageServer) -> None:
    [document] = fetch([server.url("/moved")])
    assert isinstance(document, Document)
    assert document.source == server.url("/moved")
    assert document.origin is not None and document.origin.url == server.url("/rundschau")
    assert document.origin.encoding == "cp1252"  # from the page's meta declaration
    assert "Bundesaußenministerin Annalena Baerbock" in document.text


def test_pdf_and_plain_text_urls_are_read_by_their_content_type(server: PageServer) -> None:
    pytest.importorskip("pypdf", reason="the pdf extra (pypdf) is not installed")
    pdf, text = fetch([server.url("/report.pdf"), server.url("/notes.txt")])
    assert (
        isinstance(pdf, Document) and pdf.text == "Am Montag traf Putin in Peking den Präsidenten Xi Jinping."
    )
    assert pdf.origin is not None and pdf.origin.title == "Bericht"
    assert isinstance(text, Document) and text.text == "Präsident Putin traf in Moskau den Außenminister."
    assert text.origin is not None and text.origin.encoding == "cp1252"


def test_every_failure_is_an_error_record_and_the_run_goes_on(server: PageServer) -> None:
    closed = PageServer()
    with closed.running():
        refused = closed.url("/nobody-home")
    cases = {
        "/missing": "HTTP 404 Not Found",
        "/gone": "HTTP 410 Gone",
        "/broken": "HTTP 500 Internal Server Error",
        "/loop": "more than 5 redirects",
        "/ftp": "redirected to a URL that is not http(s)",
        "/slow": "timed out after 0.5 s",
        "/huge": "the page is 52,428,800 bytes, over the cap of 2,097,152",
        "/huge-unsized": "the page is over the cap of 2,097,152 bytes",
        "/index.html": "no main text found in the page",
        "/photo.png": "not a web page (content type image/png)",
    }
    urls = [server.url(path) for path in cases] + [refused, server.url("/en.html")]
    options = FetchOptions(timeout=0.5, per_host_delay=0.0, max_bytes=2 * MB)
    items = fetch(urls, options)
    assert len(items) == len(urls)
    *errors, last_refused, good = items
    assert isinstance(good, Document)
    for (path, expected), error in zip(cases.items(), errors, strict=True):
        assert isinstance(error, DocumentError), path
        assert error.source == server.url(path) and error.doc_id == url_document_id(server.url(path))
        assert error.message.startswith(f"{server.url(path)}: ") and expected in error.message, error.message
        assert "\n" not in error.message
    assert isinstance(last_refused, DocumentError) and "cannot connect" in last_refused.message


def test_a_page_that_trickles_in_is_stopped_at_the_whole_download_deadline(server: PageServer) -> None:
    """Every piece arrives well within the read timeout, so only the deadline on the whole
    download stops it (the page would take several seconds at this pace)."""
    options = FetchOptions(timeout=0.5, per_host_delay=0.0, max_bytes=2 * MB)
    assert len(page("de_tagesblatt.html")) / 64 * 0.05 > 4 * options.timeout
    started = time.monotonic()
    (error,) = fetch([server.url("/trickle")], options)
    assert isinstance(error, DocumentError)
    assert error.message.endswith("timed out after 0.5 s (the download was too slow)"), error.message
    assert time.monotonic() - started < 2 * options.timeout + 1


def test_a_50_mb_page_is_refused_under_the_default_cap_too(server: PageServer) -> None:
    [error] = fetch([server.url("/huge-unsized")], FetchOptions(per_host_delay=0.0))
    assert isinstance(error, DocumentError) and "over the cap of 20,000,000 bytes" in error.message


def test_credentials_and_query_tokens_never_reach_documents_or_errors(server: PageServer) -> None:
    port = server.url("/").split(":")[2].rstrip("/")
    secret_ok = f"http://reader:hunter2@127.0.0.1:{port}/en.html?token=SECRET123"
    secret_bad = f"http://reader:hunter2@127.0.0.1:{port}/missing?api_key=SECRET456"
    good, bad = fetch([secret_ok, secret_bad])
    assert isinstance(good, Document) and isinstance(bad, DocumentError)
    shown = " ".join([good.model_dump_json(), bad.source, bad.message, bad.doc_id or ""])
    for secret in ("hunter2", "reader", "SECRET123", "SECRET456", "token", "api_key"):
        assert secret not in shown
    assert good.source == server.url("/en.html")
    assert good.id != url_document_id(server.url("/en.html"))  # the query still tells pages apart
    assert server.seen[0].authorization is not None  # the credentials were used, only never shown


def test_concurrency_bounds_the_pages_in_flight(server: PageServer) -> None:
    for n in range(6):
        server.routes[f"/wait{n}"] = Route(body=page("de_tagesblatt.html"), delay=0.4)
    items = fetch([server.url(f"/wait{n}") for n in range(6)], FetchOptions(concurrency=2, per_host_delay=0))
    assert all(isinstance(item, Document) for item in items)
    assert server.max_in_flight == 2
    assert [seen.path for seen in server.seen] != [] and len(server.seen) == 6


def test_requests_to_one_host_are_spaced_by_the_per_host_delay(server: PageServer) -> None:
    urls = [server.url(path) for path in ("/de.html", "/en.html", "/rundschau")]
    fetch(urls, FetchOptions(concurrency=3, per_host_delay=0.3))
    starts = sorted(seen.started for seen in server.seen)
    assert len(starts) == 3
    assert all(later - earlier >= 0.29 for earlier, later in itertools.pairwise(starts))


def test_results_come_back_in_the_order_given(server: PageServer) -> None:
    server.routes["/late"] = Route(body=page("en_dailyrecord.html"), delay=0.5)
    urls = [server.url("/late"), server.url("/de.html"), server.url("/missing")]
    items = fetch(urls, FetchOptions(concurrency=3, per_host_delay=0))
    assert [item.source for item in items] == urls


def test_a_url_list_skips_comments_and_reports_lines_that_are_not_urls(
    server: PageServer, tmp_path: Path
) -> None:
    from claims.inputs.documents import read_url_list

    listing = tmp_path / "urls.txt"
    listing.write_text(f"# news\n\n{server.url('/de.html')}\nnot a url\n  {server.url('/missing')}  \n")
    items = list(load_documents([], urls=read_url_list(listing), options=LoadOptions(fetch=FAST)))
    assert isinstance(items[0], Document)
    assert isinstance(items[1], DocumentError) and items[1].source == f"{listing}:4"
    assert "not an http(s) URL" in items[1].message
    assert isinstance(items[2], DocumentError) and items[2].message.startswith(
        f"{listing}:5: {server.url('/missing')}"
    )


def test_a_fetched_page_without_a_site_is_published_by_its_host(server: PageServer) -> None:
    text, named = fetch([server.url("/notes.txt"), server.url("/de.html")])
    assert isinstance(text, Document) and text.origin is not None and text.origin.site == "127.0.0.1"
    assert isinstance(named, Document) and named.origin is not None and named.origin.site == "Tagesblatt"

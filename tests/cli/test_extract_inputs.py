"""`claims extract` over web pages, URL lists, PDFs and other encodings: the documents' extracted
text is written beside the claims, and `claims verify` and `claims report` accept it as --source."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claims.cli import main
from claims.inputs.documents import url_document_id
from tests.fakes.page_server import PageServer, Route

PAGES = Path(__file__).parent.parent / "inputs" / "pages"
FETCH = ["--fetch-delay", "0", "--fetch-timeout", "5"]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def server() -> Iterator[PageServer]:
    pages = PageServer()
    for name in ("de_tagesblatt", "en_dailyrecord", "de_rundschau_cp1252"):
        pages.routes[f"/{name}"] = Route(body=(PAGES / f"{name}.html").read_bytes(), content_type="text/html")
    with pages.running():
        yield pages


def test_urls_become_claims_whose_spans_index_the_written_text(
    server: PageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = [server.url("/en_dailyrecord"), server.url("/de_rundschau_cp1252")]
    out = tmp_path / "out" / "claims.jsonl"
    assert main(["extract", *urls, "-o", str(out), *FETCH]) == 0
    documents = {d["id"]: d for d in read_jsonl(out.with_name("claims.documents.jsonl"))}
    assert set(documents) == {url_document_id(url) for url in urls}
    english = documents[url_document_id(urls[0])]
    assert english["source"] == urls[0] and english["published"] == "2024-06-19"
    assert english["origin"]["site"] == "The Daily Record"
    assert english["origin"]["extractor"].startswith("trafilatura ")
    assert "Most viewed" not in english["text"]
    claims = read_jsonl(out)
    assert claims, "the rules find claims in these pages"
    for claim in claims:
        text = documents[claim["doc_id"]]["text"]
        assert text[claim["span"]["start"] : claim["span"]["end"]] == claim["quote"]
    manifest = json.loads(out.with_name("claims.manifest.json").read_text())
    assert manifest["software"]["packages"]["trafilatura"] and manifest["software"]["packages"]["httpx"]
    capsys.readouterr()

    source = str(out.with_name("claims.documents.jsonl"))
    verified = tmp_path / "verified.jsonl"
    assert main(["verify", str(out), "--source", source, "-o", str(verified)]) == 0
    assert len(read_jsonl(verified)) == len(claims)
    assert "rejected 0" in capsys.readouterr().err
    report = tmp_path / "report.html"
    assert main(["report", str(verified), "--source", source, "-o", str(report)]) == 0
    assert "The Daily Record" in report.read_text(encoding="utf-8")


def test_a_url_list_with_failures_goes_on_and_resume_fetches_only_what_is_left(
    server: PageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "urls.txt"
    good, missing = server.url("/de_tagesblatt"), server.url("/later")
    secret = server.url("/en_dailyrecord").replace("http://", "http://reader:hunter2@") + "?token=SECRET77"
    listing.write_text(f"# reading list\n{good}\n{missing}\n{secret}\n", encoding="utf-8")
    out = tmp_path / "out" / "claims.jsonl"
    assert main(["extract", "--urls", str(listing), "-o", str(out), *FETCH]) == 1
    err = capsys.readouterr().err
    assert f"{listing}:3: {missing}: HTTP 404 Not Found" in err
    [error] = read_jsonl(out.with_name("claims.errors.jsonl"))
    assert (error["stage"], error["source"], error["doc_id"]) == ("load", missing, url_document_id(missing))
    assert len(read_jsonl(out.with_name("claims.documents.jsonl"))) == 2
    for path in out.parent.iterdir():
        content = path.read_text(encoding="utf-8")
        assert "SECRET77" not in content and "hunter2" not in content, path.name
    assert "SECRET77" not in err and "hunter2" not in err

    server.routes["/later"] = Route(body=(PAGES / "de_rundschau_cp1252.html").read_bytes())
    fetched_before = len(server.seen)
    assert main(["extract", "--urls", str(listing), "-o", str(out), "--resume", *FETCH]) == 0
    assert [seen.path for seen in server.seen[fetched_before:]] == ["/later"]  # the others were done
    documents = read_jsonl(out.with_name("claims.documents.jsonl"))
    assert sorted(d["id"] for d in documents) == sorted(
        url_document_id(url) for url in (good, missing, secret)
    )  # every document's text exactly once
    assert read_jsonl(out.with_name("claims.errors.jsonl")) == []


def test_html_and_cp1252_files_and_a_forced_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_bytes((PAGES / "de_rundschau_cp1252.html").read_bytes())
    text = "Am Montag traf Putin in Peking den Präsidenten Xi Jinping.\r\nDanach reiste er ab.\n"
    (folder / "windows.txt").write_bytes(text.encode("cp1252"))
    out = tmp_path / "out" / "claims.jsonl"
    assert main(["extract", str(folder), "-o", str(out)]) == 0
    documents = {d["id"]: d for d in read_jsonl(out.with_name("claims.documents.jsonl"))}
    assert documents["windows"]["text"] == text and documents["windows"]["origin"]["encoding"] == "cp1252"
    assert documents["page"]["published"] == "2024-09-09"
    for claim in read_jsonl(out):
        body = documents[claim["doc_id"]]["text"]
        assert body[claim["span"]["start"] : claim["span"]["end"]] == claim["quote"]
    capsys.readouterr()
    assert main(["extract", str(folder), "-o", str(out), "--encoding", "klingon"]) == 2
    assert "unknown encoding 'klingon'" in capsys.readouterr().err


def test_a_missing_url_list_stops_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--urls", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "c.jsonl")]) == 2
    assert "nope.txt: cannot read the URL list" in capsys.readouterr().err

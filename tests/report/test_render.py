"""The HTML page: self-contained, and no document text can escape its JSON data block."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re

from hypothesis import given
from hypothesis import strategies as st

from claims.inputs.documents import Document
from claims.report import make_report
from claims.report.build import build_report
from claims.report.render import render_html, script_json, static_text
from tests.report.helpers import seed_claims, seed_documents

HOSTILE = "</script><script>window.__pwned=1</script><!-- <img src=x onerror=alert(1)> & \u2028 </SCRIPT >"
DATA_BLOCK = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.S)


@given(st.text())
def test_script_json_round_trips_and_never_contains_markup_characters(text: str) -> None:
    encoded = script_json({"text": text, "list": [text]})
    assert not set(encoded) & set("<>&\u2028\u2029")
    assert json.loads(encoded) == {"text": text, "list": [text]}


def test_hostile_text_stays_inside_the_data_block() -> None:
    document = Document(id="<b>doc</b>", text=f"Vorher. {HOSTILE} Nachher.")
    page, _ = make_report([document], [], title=HOSTILE)
    # Exactly the page's own two script elements close: the data block and the code.
    assert len(re.findall(r"</script", page, re.I)) == 2
    match = DATA_BLOCK.search(page)
    assert match is not None
    data = json.loads(match.group(1))
    assert data["documents"][0]["segments"] == [[document.text, []]]
    assert data["documents"][0]["id"] == "<b>doc</b>"
    assert f"<title>{html.escape(HOSTILE)}</title>" in page


def _csp_sources(page: str, directive: str) -> str:
    match = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert match is not None
    policy = html.unescape(match.group(1))
    return next(part for part in policy.split(";") if part.strip().startswith(directive))


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_the_policy_allows_the_pages_own_script_and_style_and_nothing_else() -> None:
    page = render_html(build_report(seed_documents(), seed_claims()).data)
    assert f"'{_sha256(static_text('report.js'))}'" in _csp_sources(page, "script-src")
    assert f"'{_sha256(static_text('report.css'))}'" in _csp_sources(page, "style-src")
    assert "'none'" in _csp_sources(page, "default-src")
    assert f"<script>{static_text('report.js')}</script>" in page
    assert f"<style>{static_text('report.css')}</style>" in page


def test_the_page_loads_nothing_from_the_network() -> None:
    for name in ("report.html", "report.css", "report.js"):
        text = static_text(name)
        assert not re.search(r"https?:|//[a-z]|@import|\bsrc=|\bhref=", text), name


def test_the_script_never_parses_html() -> None:
    code = static_text("report.js")
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert forbidden not in code, forbidden

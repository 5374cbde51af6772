"""Writing the review page: one self-contained HTML file (inline CSS, JS and data; no network).

The data goes into a `<script type="application/json">` block, serialised so that no document
text can end that block: `<`, `>` and `&` (and the JavaScript line separators) are written as
`\\u003c`-style escapes, which JSON decodes back to the same characters. The page script
builds the DOM with `textContent` only. A Content-Security-Policy allows exactly the page's
own script and style (by hash) and nothing else — no network, no injected handlers.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib.resources import files
from typing import Any

from claims.report.build import ReportData

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")
_SLOT = re.compile(r"@@(\w+)@@")


def script_json(value: Any) -> str:
    """JSON that is safe inside a `<script>` element: it cannot close it or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda match: _JSON_ESCAPES[match.group()], text)


def static_text(name: str) -> str:
    """A file shipped in `claims/report/static/`."""
    return files("claims.report").joinpath("static", name).read_text(encoding="utf-8")


def _csp_hash(content: str) -> str:
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_html(data: ReportData) -> str:
    """The complete page for a report's data."""
    css = static_text("report.css")
    js = static_text("report.js")
    if "</" in css or "</" in js:
        raise RuntimeError("the report's static CSS/JS must not contain '</' (it would end its element)")
    csp = (
        f"default-src 'none'; script-src {_csp_hash(js)}; style-src {_csp_hash(css)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    slots = {
        "title": html.escape(data["title"]),
        "csp": html.escape(csp),
        "css": css,
        "js": js,
        "data": script_json(data),
    }
    # One pass over the template only: text put into one slot is never searched for another.
    return _SLOT.sub(lambda match: slots[match.group(1)], static_text("report.html"))

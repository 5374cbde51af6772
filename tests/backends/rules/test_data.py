"""The rules' data files and their fingerprint: every word list the rules read is in the hash."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from claims.backends.rules import data

RULES = Path(data.__file__).parent


def test_every_data_file_is_an_object_that_documents_its_format() -> None:
    for name in data.DATA_FILES:
        value = data.load(name)
        assert isinstance(value.get("_format"), str) and value["_format"], name


@pytest.mark.parametrize("changed", ["dates.json", "sentences.json", "merge.json", "words.json"])
def test_the_hash_changes_with_any_data_file(monkeypatch: pytest.MonkeyPatch, changed: str) -> None:
    before = data.data_hash()
    original = data._read

    def edited(name: str) -> str:
        text = original(name)
        return text.replace('"_format"', '"_format_x"', 1) if name == changed else text

    monkeypatch.setattr(data, "_read", edited)
    data.data_hash.cache_clear()
    try:
        assert data.data_hash() != before
    finally:
        monkeypatch.undo()
        data.data_hash.cache_clear()
    assert data.data_hash() == before


def test_the_hash_changes_with_a_word_set_written_inside_a_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    before = data.data_hash()
    sources = data._rule_sources()
    assert "meetings.py" in [name for name, _ in sources]
    edited = [
        (n, s.replace(b'{"zwischen", "between"}', b'{"zwischen"}') if n == "meetings.py" else s)
        for n, s in sources
    ]
    assert edited != sources
    monkeypatch.setattr(data, "_rule_sources", lambda: edited)
    data.data_hash.cache_clear()
    try:
        assert data.data_hash() != before
    finally:
        monkeypatch.undo()
        data.data_hash.cache_clear()


def _module_level_word_sets(path: Path) -> list[str]:
    """Names bound at module level to a literal set, frozenset or dict of three or more strings."""
    found: list[str] = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        value = node.value
        if isinstance(value, ast.Call) and getattr(value.func, "id", None) == "frozenset" and value.args:
            value = value.args[0]
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "split"
        ):
            value = ast.List(
                [ast.Constant(w) for w in ast.literal_eval(value.func.value).split()]
            )  # "a b".split()
        elements = value.keys if isinstance(value, ast.Dict) else getattr(value, "elts", [])
        words = [
            e
            for e in elements
            if isinstance(e, ast.Constant) and isinstance(e.value, str) and e.value.isalpha()
        ]
        if len(words) >= 3:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [ast.unparse(t) for t in targets]
    return found


def test_sentences_dates_and_merge_read_their_word_lists_from_data_files() -> None:
    """The lists issue 10 named live in claims/data/ now, not in code."""
    for path in (RULES / "sentences.py", RULES / "dates.py", RULES.parent.parent / "merge.py"):
        assert _module_level_word_sets(path) == [], path

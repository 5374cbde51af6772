"""Counting documents up front for the progress total: folders, JSONL lines, unknown for stdin."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from claims.inputs import count
from claims.inputs.count import count_documents
from claims.inputs.documents import load_documents


def test_a_folder_counts_its_text_files_and_a_jsonl_its_nonblank_lines(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "documents.jsonl", "notes.md"):
        (folder / name).write_text("x\n")
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text('{"id": "1", "text": "a"}\n\n   \n{"id": "2", "text": "b"}')
    single = tmp_path / "one.txt"
    single.write_text("text")
    assert count_documents([folder]) == 2
    assert count_documents([jsonl]) == 2
    assert count_documents([folder, jsonl, single]) == 5


def test_stdin_or_a_missing_path_is_unknown(tmp_path: Path) -> None:
    assert count_documents(["-"]) is None
    assert count_documents([tmp_path / "missing"]) is None


@given(st.lists(st.sampled_from(["", " ", '{"id": "x", "text": "t"}']), max_size=40), st.booleans())
def test_the_jsonl_count_is_the_loaders_count_across_block_boundaries(lines: list[str], final: bool) -> None:
    import tempfile

    content = "\n".join(
        f'{{"id": "d{i}", "text": "t"}}' if line.strip() else line for i, line in enumerate(lines)
    )
    if final:
        content += "\n"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "d.jsonl"
        path.write_text(content)
        original = count._BLOCK
        count._BLOCK = 7  # lines cross block boundaries
        try:
            counted = count_documents([path])
        finally:
            count._BLOCK = original
        assert counted == sum(1 for _ in load_documents([path]))

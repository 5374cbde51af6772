"""`--dry-run`: the requests a run would send and its prompt tokens, with nothing asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.backends.openai.backend import request_prefix_chars
from claims.backends.openai.config import RequestConfig, static_prefix_chars
from claims.cli import main
from claims.inputs.documents import Document, DocumentError
from claims.run.estimate import CHARS_PER_TOKEN, PREFIX_CHARS_PER_TOKEN, estimate_requests
from claims.run.options import ExtractOptions
from claims.settings import resolve_settings


def test_every_chunk_is_a_request_carrying_the_prefix() -> None:
    long = Document(id="long", text=("Ein Satz über ein Treffen. " * 40).strip())
    short = Document(id="short", text="Kurz.")
    options = ExtractOptions(chunk_chars=300, chunk_overlap=0)
    estimate = estimate_requests([long, short, DocumentError("x.txt", "unreadable")], options, 1000)
    assert (estimate.documents, estimate.unreadable) == (2, 1)
    assert estimate.requests >= 4  # 1,079 characters in chunks of at most 300, and the short one
    assert estimate.article_chars >= len(long.text) + len(short.text)
    assert estimate.prompt_chars == estimate.requests * 1000 + estimate.article_chars
    per_request = round(1000 / PREFIX_CHARS_PER_TOKEN)
    assert estimate.prompt_tokens == estimate.requests * per_request + round(
        estimate.article_chars / CHARS_PER_TOKEN
    )


def test_a_backend_that_asks_no_model_sends_no_request() -> None:
    estimate = estimate_requests([Document(id="a", text="Text.")], ExtractOptions(), None)
    assert (estimate.requests, estimate.prompt_tokens) == (0, 0)


def test_the_prefix_follows_the_examples_setting() -> None:
    settings = resolve_settings(backend="openai", base_url="http://127.0.0.1:9/v1", model="m", env={})
    with_examples = settings.model_copy(update={"examples": 5})
    assert request_prefix_chars(with_examples) > request_prefix_chars(settings) + 3000
    assert request_prefix_chars(settings) > static_prefix_chars(RequestConfig.from_settings(settings))


def test_dry_run_asks_nothing_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Putin traf Xi in Peking. " * 10, encoding="utf-8")
    out = tmp_path / "out" / "claims.jsonl"
    # port 9 (discard) on loopback: nothing listens; a request would fail the run
    code = main(
        [
            "extract",
            str(docs),
            "-o",
            str(out),
            "--dry-run",
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--model",
            "m",
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "requests: 1" in printed and "prompt tokens (estimate" in printed
    assert not out.parent.exists()


def dry_run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, str]:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "a.txt").write_text("Putin traf Xi in Peking. " * 10, encoding="utf-8")
    code = main(["extract", str(docs), "--dry-run", *flags])
    return code, capsys.readouterr().out


def test_a_model_without_a_key_is_priced_for_the_openai_backend(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--dry-run --model gpt-4o-mini` with no key once fell back to the rules: "requests: 0"."""
    code, printed = dry_run(tmp_path, capsys, "--model", "gpt-4o-mini")
    assert code == 0
    assert printed.startswith("backend: openai, model gpt-4o-mini\n")
    assert "no endpoint configured: priced for the openai backend" in printed
    assert "requests: 1" in printed and "prompt tokens (estimate, o200k_base" in printed


def test_the_openai_backend_is_priced_without_a_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed = dry_run(tmp_path, capsys, "--backend", "openai", "--model", "gpt-4o-mini")
    assert code == 0 and "requests: 1" in printed
    assert "no endpoint configured" not in printed  # the backend was asked for by name


def test_without_a_model_the_rules_say_how_to_price_a_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed = dry_run(tmp_path, capsys)
    assert code == 0 and "requests: 0" in printed
    assert "to price a model's requests, add --model NAME" in printed


def test_the_estimate_is_calibrated_on_the_measured_prefix() -> None:
    """benchmarks/tokens.py counted the default prefix at 1,289 o200k_base tokens (5,082 characters);
    at the old 4.4 characters a token it was estimated 10% low."""
    settings = resolve_settings(backend="openai", base_url="http://127.0.0.1:9/v1", model="m", env={})
    estimate = estimate_requests([], ExtractOptions(), request_prefix_chars(settings))
    assert 1_200 <= estimate.prefix_tokens <= 1_350

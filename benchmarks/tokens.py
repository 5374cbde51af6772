"""Prompt tokens per request: what every request carries besides its article, counted offline.

Run from the repository root:  .venv/bin/python -m benchmarks.tokens   (or: make bench-tokens;
`--raw` skips starting the llama.cpp server)

The request bodies are the real ones the `openai` backend sends, captured by the FAKE server
(tests/fakes/openai_server.py, scripted answers, no model) for the seed articles. Two real
tokenizers count them, both offline: the Qwen2.5 model's own (llama.cpp, vocabulary only; the
`local,qwen` extras) and OpenAI's o200k_base (the `bpe-openai` package, which embeds the encoding
files tiktoken would download). A tokenizer that is not installed shows as "—". The tool schema is
counted as the JSON the client sends; a provider renders it in its own format.

Counting raw strings leaves out what a server adds: the chat template's role markers and its
rendering of the tool (Qwen's template wraps the schema in a `<tools>` block with instructions).
So the overhead is also measured the way a bill counts it, when llama.cpp's server is installed
(the `local,qwen` extras): the same request bodies, sent to the real Qwen2.5 server (max_tokens
1) with an empty article and with a one-line article; `usage.prompt_tokens` minus the article's
tokens is the overhead ("served" column). The last table gives characters per token of the
prefix and of the seed articles under o200k_base, the ratios `claims extract --dry-run` uses.
Nothing is asserted.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import claims  # noqa: E402
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer  # noqa: E402

Counter = Callable[[str], int]
BEFORE = {"label": "before (1f0c24e: 5 examples, full schema)", "chars": 15382, "qwen": 4255, "o200k": 4101}
"""Measured with this script's method at commit 1f0c24e, the code before the lean prompt."""
LEAN = {
    "label": "lean (d3555c8: --examples 0, lean schema)",
    "chars": 5898,
    "qwen": 1498,
    "o200k": 1475,
    "served": 1591,
}
"""Measured with this script at d3555c8, before the instructions were tightened."""


def tokenizers() -> dict[str, Counter | None]:
    found: dict[str, Counter | None] = {"qwen": None, "o200k": None}
    try:
        from llama_cpp import Llama

        from claims.local.models import ensure_model, resolve_model
        from claims.settings import default_cache_dir

        path = ensure_model(resolve_model("qwen"), default_cache_dir())
        vocab = Llama(model_path=str(path), vocab_only=True, verbose=False)
        found["qwen"] = lambda text: len(vocab.tokenize(text.encode(), add_bos=False, special=False))
    except Exception as error:  # the extra is optional: say why it is missing
        print(f"(Qwen tokenizer not available: {type(error).__name__}: {error})", file=sys.stderr)
    try:
        import bpe_openai

        encoding = bpe_openai.get_encoding("o200k_base")
        found["o200k"] = lambda text: len(encoding.encode(text))
    except Exception as error:
        print(f"(o200k_base not available: {type(error).__name__}: {error})", file=sys.stderr)
    return found


def bodies(examples: int, request_schema: str = "lean") -> list[dict[str, Any]]:
    with FakeOpenAIServer().running() as fake:
        claims.extract(
            "eval/seeds",
            backend="openai",
            base_url=fake.url,
            model=MODEL_ID,
            api_key="sk-fake",
            use_cache=False,
            examples=examples,
            request_schema=request_schema,
        )
        return [request.body for request in fake.requests]


def overhead(body: dict[str, Any], count: Counter) -> tuple[int, int, int]:
    """Tokens of the system message, of the tools, and of the user message without its article."""
    system, user = body["messages"][0]["content"], body["messages"][1]["content"]
    article = user.split("<<<\n", 1)[1].rsplit("\n>>>", 1)[0]
    tools = json.dumps(body.get("tools") or body.get("response_format"), ensure_ascii=False)
    return count(system), count(tools), count(user) - count(article)


ONE_LINE = "Die Ministerin Lindqvist traf ihren Kollegen Tamm am Montag in Tallinn."


def article_of(body: dict[str, Any]) -> str:
    return str(body["messages"][1]["content"]).split("<<<\n", 1)[1].rsplit("\n>>>", 1)[0]


def with_article(body: dict[str, Any], text: str) -> dict[str, Any]:
    """The same request with another article (nothing else changes: the article comes last)."""
    messages = [dict(message) for message in body["messages"]]
    messages[1]["content"] = messages[1]["content"].replace(
        f"<<<\n{article_of(body)}\n>>>", f"<<<\n{text}\n>>>"
    )
    return body | {"messages": messages}


@contextmanager
def qwen_server() -> Iterator[tuple[str, str] | None]:
    """(base URL, model alias) of a real llama.cpp server running Qwen2.5, or None if not installed."""
    try:
        from claims.local.models import ensure_model, resolve_model
        from claims.local.server import ServerOptions, engine_missing, local_server
        from claims.settings import default_cache_dir

        missing = engine_missing()
        if missing:
            raise RuntimeError(missing)
        model = resolve_model("qwen")
        path = ensure_model(model, default_cache_dir())
        server = local_server(model, path, default_cache_dir(), ServerOptions(n_ctx=model.n_ctx))
        server.start()
    except Exception as error:  # the extras are optional: say why the column is empty
        print(f"(llama.cpp server not available: {type(error).__name__}: {error})", file=sys.stderr)
        yield None
        return
    try:
        yield server.base_url, model.alias
    finally:
        server.stop()


def served_overhead(server: tuple[str, str], body: dict[str, Any], count: Counter) -> int:
    """The server's prompt tokens for `body` with an empty and a one-line article, less the
    article's own tokens (both ways must agree: the template adds the same either way)."""
    import httpx

    url, alias = server
    found = []
    for text in ("", ONE_LINE):
        sent = with_article(body, text) | {"model": alias, "max_tokens": 1, "temperature": 0}
        answer = httpx.post(f"{url}/chat/completions", json=sent, timeout=1800).json()
        found.append(int(answer["usage"]["prompt_tokens"]) - count(text))
    if found[0] != found[1]:
        print(f"(served overhead differs with the article: {found})", file=sys.stderr)
    return max(found)


def ratios(sent: list[dict[str, Any]], count: Counter) -> tuple[float, float]:
    """Characters per token of the static prefix (system message and tool JSON) and of the articles."""
    prefix = "".join(
        b["messages"][0]["content"] + json.dumps(b.get("tools"), ensure_ascii=False) for b in sent[:1]
    )
    articles = "".join(article_of(b) for b in sent)
    return len(prefix) / count(prefix), len(articles) / sum(count(article_of(b)) for b in sent)


VARIANTS = ((0, "lean", "openai"), (5, "lean", None), (5, "full", "local"), (0, "full", None))
"""(examples, request schema, whose default it is): the openai default first (the ratios use it)."""


def main() -> None:
    counters = tokenizers()
    rows: list[dict[str, Any]] = [BEFORE, LEAN]
    for examples, schema, default in VARIANTS:
        sent = bodies(examples, schema)
        label = f"now, --examples {examples} --request-schema {schema}"
        row: dict[str, Any] = {"label": label + (f" ({default} default)" if default else "")}
        row["chars"] = round(
            sum(
                len(b["messages"][0]["content"]) + len(json.dumps(b["tools"], ensure_ascii=False))
                for b in sent
            )
            / len(sent)
        )
        for name, count in counters.items():
            if count is None:
                row[name] = None
                continue
            parts = [overhead(body, count) for body in sent]
            row[name] = round(sum(sum(p) for p in parts) / len(parts))
        row["sent"] = sent
        rows.append(row)
    qwen = counters["qwen"]
    if qwen is not None and "--raw" not in sys.argv[1:]:
        with qwen_server() as server:
            for row in rows[2:]:
                row["served"] = served_overhead(server, row["sent"][0], qwen) if server else None
    print(
        "| per request, everything but the article | static chars | Qwen2.5 tokens, raw strings "
        "| o200k_base tokens, raw strings | Qwen2.5 served (llama.cpp usage.prompt_tokens) |"
    )
    print("|---|---:|---:|---:|---:|")
    keys = ("chars", "qwen", "o200k", "served")
    for row in rows:
        cells = [f"{row[k]:,}" if isinstance(row.get(k), int) else "—" for k in keys]
        print(f"| {row['label']} | " + " | ".join(cells) + " |")
    o200k = counters["o200k"]
    if o200k is not None:
        prefix, article = ratios(rows[2]["sent"], o200k)
        print()
        print("| characters per token (o200k_base) | static prefix, --examples 0 | seed articles |")
        print("|---|---:|---:|")
        print(f"| measured | {prefix:.2f} | {article:.2f} |")


if __name__ == "__main__":
    main()

"""Prompt tokens per request: what every request carries besides its article, counted offline.

Run from the repository root:  .venv/bin/python -m benchmarks.tokens   (or: make bench-tokens)

The request bodies are the real ones the `openai` backend sends, captured by the FAKE server
(tests/fakes/openai_server.py, scripted answers, no model) for the seed articles. Two real
tokenizers count them, both offline: the Qwen2.5 model's own (llama.cpp, vocabulary only; the
`local,qwen` extras) and OpenAI's o200k_base (the `bpe-openai` package, which embeds the encoding
files tiktoken would download). A tokenizer that is not installed shows as "—". The tool schema is
counted as the JSON the client sends; a provider renders it in its own format. Nothing is asserted.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
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


def bodies(examples: int) -> list[dict[str, Any]]:
    with FakeOpenAIServer().running() as fake:
        claims.extract(
            "eval/seeds",
            backend="openai",
            base_url=fake.url,
            model=MODEL_ID,
            api_key="sk-fake",
            use_cache=False,
            examples=examples,
        )
        return [request.body for request in fake.requests]


def overhead(body: dict[str, Any], count: Counter) -> tuple[int, int, int]:
    """Tokens of the system message, of the tools, and of the user message without its article."""
    system, user = body["messages"][0]["content"], body["messages"][1]["content"]
    article = user.split("<<<\n", 1)[1].rsplit("\n>>>", 1)[0]
    tools = json.dumps(body.get("tools") or body.get("response_format"), ensure_ascii=False)
    return count(system), count(tools), count(user) - count(article)


def main() -> None:
    counters = tokenizers()
    rows = [BEFORE]
    for examples in (0, 5):
        sent = bodies(examples)
        row: dict[str, Any] = {
            "label": f"now, --examples {examples}" + (" (openai default)" if not examples else "")
        }
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
        rows.append(row)
    print("| per request, everything but the article | static chars | Qwen2.5 tokens | o200k_base tokens |")
    print("|---|---:|---:|---:|")
    for row in rows:
        cells = [f"{row[k]:,}" if isinstance(row.get(k), int) else "—" for k in ("chars", "qwen", "o200k")]
        print(f"| {row['label']} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

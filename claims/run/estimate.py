"""What a run would ask, without asking: requests and prompt tokens for a corpus (`--dry-run`).

Every request repeats the static prefix (instructions, examples, schema) and carries one chunk of
an article, so the prompt tokens of a run are about `requests × prefix + article characters`.
Characters become tokens at ratios measured with OpenAI's o200k_base encoding (`benchmarks/tokens.py`):
one for the prefix (English instructions and JSON, denser) and one for articles (German and English
news). An estimate to price a corpus before running it, not a bill: a server's chat template and
tool wrapper add about 100 tokens a request (llama.cpp's Qwen2.5 server counted 1,402 for a prefix
of 1,289 o200k tokens), and re-asks and splits of truncated answers come on top.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from claims.chunking import split_into_chunks
from claims.inputs.documents import Document, DocumentError
from claims.run.options import ExtractOptions

TOKENIZER = "o200k_base"
PREFIX_CHARS_PER_TOKEN = 4.0
"""Characters per o200k_base token of the static prefix without examples (5,082 → 1,289 tokens:
system message and tool JSON), counted offline with the bpe-openai package (`benchmarks/tokens.py`)."""
CHARS_PER_TOKEN = 4.44
"""Characters per o200k_base token of the seed articles (German and English news text), likewise."""


@dataclass(frozen=True)
class RequestEstimate:
    """The requests a run would send and the prompt tokens they would carry."""

    documents: int
    unreadable: int
    requests: int
    article_chars: int
    prefix_chars: int
    """Characters every request repeats before its article (0 for a backend that asks no model)."""

    @property
    def prompt_chars(self) -> int:
        return self.requests * self.prefix_chars + self.article_chars

    @property
    def prefix_tokens(self) -> int:
        return round(self.prefix_chars / PREFIX_CHARS_PER_TOKEN)

    @property
    def article_tokens(self) -> int:
        return round(self.article_chars / CHARS_PER_TOKEN)

    @property
    def prompt_tokens(self) -> int:
        return self.requests * self.prefix_tokens + self.article_tokens


def estimate_requests(
    items: Iterable[Document | DocumentError], options: ExtractOptions, prefix_chars: int | None
) -> RequestEstimate:
    """Chunk every document as the run would; `prefix_chars` None means no request is sent at all."""
    documents = unreadable = requests = article_chars = 0
    for item in items:
        if isinstance(item, DocumentError):
            unreadable += 1
            continue
        documents += 1
        if prefix_chars is None:
            continue
        chunks = split_into_chunks(item.id, item.text, options.chunk_chars, options.chunk_overlap)
        requests += len(chunks)
        article_chars += sum(len(chunk.text) for chunk in chunks)
    return RequestEstimate(documents, unreadable, requests, article_chars, prefix_chars or 0)


def format_estimate(estimate: RequestEstimate) -> str:
    """The lines `claims extract --dry-run` prints."""
    lines = [
        f"documents: {estimate.documents}"
        + (f" ({estimate.unreadable} unreadable)" if estimate.unreadable else ""),
        f"requests: {estimate.requests}",
    ]
    if estimate.requests:
        lines += [
            f"static prefix per request: {estimate.prefix_chars:,} characters "
            f"≈ {estimate.prefix_tokens:,} tokens",
            f"articles: {estimate.article_chars:,} characters ≈ {estimate.article_tokens:,} tokens",
            f"prompt tokens (estimate, {TOKENIZER} at {PREFIX_CHARS_PER_TOKEN} characters a token for the "
            f"prefix and {CHARS_PER_TOKEN} for articles; before re-asks and the server's chat template): "
            f"{estimate.prompt_tokens:,}",
        ]
    else:
        lines.append(
            "no model is asked (the rules backend runs offline); to price a model's requests, "
            "add --model NAME (or --backend openai / local)"
        )
    return "\n".join(lines)

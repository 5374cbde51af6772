"""What a run would ask, without asking: requests and prompt tokens for a corpus (`--dry-run`).

Every request repeats the static prefix (instructions, examples, schema) and carries one chunk of
an article, so the prompt tokens of a run are about `requests × prefix + article characters`.
Characters become tokens at a measured ratio (`CHARS_PER_TOKEN`): an estimate to price a corpus
before running it, not a bill. Re-asks and splits of truncated answers come on top.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from claims.chunking import split_into_chunks
from claims.inputs.documents import Document, DocumentError
from claims.run.options import ExtractOptions

CHARS_PER_TOKEN = 4.4
"""Characters per token of the seed articles and of our prompt under OpenAI's o200k_base encoding
(4,549 characters of instructions → 1,032 tokens; 3,877 of article → 872), counted offline with
the bpe-openai package (`benchmarks/tokens.py`). German and English news text."""


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
    def prompt_tokens(self) -> int:
        return round(self.prompt_chars / CHARS_PER_TOKEN)

    @property
    def prefix_tokens(self) -> int:
        return round(self.prefix_chars / CHARS_PER_TOKEN)


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
            f"articles: {estimate.article_chars:,} characters "
            f"≈ {round(estimate.article_chars / CHARS_PER_TOKEN):,} tokens",
            f"prompt tokens (estimate, {CHARS_PER_TOKEN} characters a token, before re-asks): "
            f"{estimate.prompt_tokens:,}",
        ]
    else:
        lines.append("no model is asked (the rules backend runs offline)")
    return "\n".join(lines)

"""Request sizes per article, measured, and the capacity plan they give for 10^6 and 10^8 articles.

Run from the repository root:  .venv/bin/python -m benchmarks.capacity   (docs/scale.md quotes it)

Measured here: the seed articles (eval/seeds) go through the real `openai` backend (tools mode,
our prompts, the default chunking, the verifier's re-asks) to the FAKE server, which answers each
chunk with the recorded answer for that chunk (eval/recorded/seeds-answers.jsonl, or
--recorded). Every request body is kept: its characters (messages plus the tool schema) and the
answer's characters (the recorded JSON) give the sizes. Tokens are counted with OpenAI's
o200k_base tokenizer when `bpe-openai` is installed (offline: it embeds the encoding; `make
bench-tokens` installs it), else estimated at a stated ratio (--chars-per-token), and the output
says which.

Published elsewhere, not measured here (flags, with their sources in docs/scale.md): Batch API
prices per million tokens, and vLLM output tokens/s per GPU for a 7–8B model.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from claims.api import aextract  # noqa: E402
from claims.inputs.documents import Document, load_documents  # noqa: E402
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, RecordedRequest, Reply  # noqa: E402

RECORDED = ROOT / "eval" / "recorded" / "seeds-answers.jsonl"


def replay(answers: dict[str, dict[str, Any]]) -> Any:
    def answer(request: RecordedRequest) -> Reply:
        recorded = answers.get(request.article)
        if recorded is None:
            raise SystemExit("a chunk has no recorded answer: the chunking differs from the recording")
        return Reply.claims(*recorded["claims"])

    return answer


def o200k() -> Callable[[str], int] | None:
    """OpenAI's o200k_base token count, when the bpe-openai package is installed."""
    try:
        import bpe_openai
    except ImportError:
        return None
    encoding = bpe_openai.get_encoding("o200k_base")
    return lambda text: len(encoding.encode(text))


def measure(recorded: Path, count: Callable[[str], int]) -> dict[str, float]:
    """Sizes per article (and per request for the fixed part) in the unit `count` gives."""
    answers = {}
    for line in recorded.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            answers[record["chunk"]] = record["answer"]
    documents = [item for item in load_documents([ROOT / "eval" / "seeds"]) if isinstance(item, Document)]
    server = FakeOpenAIServer(default=replay(answers))
    with server.running():
        result = asyncio.run(
            aextract(documents, backend="openai", base_url=server.url, model=MODEL_ID, use_cache=False)
        )
    if result.errors:
        raise SystemExit(f"the measuring run failed: {result.errors[0].message}")
    prompt = answer = overhead = 0
    for request in server.requests:
        body = request.body
        size = sum(count(str(message.get("content") or "")) for message in body["messages"])
        size += count(json.dumps(body.get("tools") or [], ensure_ascii=False))
        prompt += size
        overhead += size - count(request.article)
        answer += count(json.dumps(answers[request.article], ensure_ascii=False))
    first_asks = {request.article for request in server.requests}
    n = len(documents)
    return {
        "articles": n,
        "article_chars": sum(len(document.text) for document in documents) / n,
        "article": sum(count(document.text) for document in documents) / n,
        "chunks": len(first_asks) / n,
        "requests": len(server.requests) / n,
        "prompt": prompt / n,
        "answer": answer / n,
        "overhead": overhead / len(server.requests),
        "verified": len(result.claims) / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--recorded", type=Path, default=RECORDED)
    parser.add_argument("--chars-per-token", type=float, default=3.5, help="German news and JSON: 3-4")
    parser.add_argument("--input-price", type=float, default=0.075, help="USD per 1M input tokens (batch)")
    parser.add_argument("--output-price", type=float, default=0.30, help="USD per 1M output tokens (batch)")
    parser.add_argument(
        "--gpu-output-rates",
        default="1400,12500",
        help="published vLLM output tokens/s per GPU for a 7-8B model (low,high)",
    )
    args = parser.parse_args()
    tokenizer = o200k()
    ratio = args.chars_per_token
    count = tokenizer or (lambda text: round(len(text) / ratio))
    sizes = measure(args.recorded, count)
    prompt_tokens, answer_tokens = sizes["prompt"], sizes["answer"]
    print(f"Measured on {sizes['articles']} seed articles (FAKE server replaying recorded answers):")
    print(
        f"  article: {sizes['article_chars']:,.0f} characters, {sizes['article']:,.0f} tokens, "
        f"{sizes['chunks']:.1f} chunks"
    )
    print(f"  requests per article (re-asks included): {sizes['requests']:.2f}")
    print(f"  prompt tokens per article: {prompt_tokens:,.0f}")
    print(f"    of which instructions and tool schema, per request: {sizes['overhead']:,.0f}")
    print(f"  answer tokens per article: {answer_tokens:,.0f}")
    print(f"  verified claims per article: {sizes['verified']:.1f}")
    unit = "OpenAI o200k_base (bpe-openai)" if tokenizer else f"characters / {ratio} (no tokenizer installed)"
    print(f"  (tokens counted with {unit})")
    print()
    low, high = (float(rate) for rate in args.gpu_output_rates.split(","))
    low_label, high_label = f"GPU-h @{low:,.0f} tok/s", f"GPU-h @{high:,.0f} tok/s"
    header = f"{'articles':>12}  {'requests':>14}  {'input tokens':>16}  {'output tokens':>15}"
    header += f"  {'batch USD':>10}  {low_label:>{len(low_label)}}  {high_label:>{len(high_label)}}"
    print(header)
    for articles in (10**6, 10**8):
        inputs, outputs = prompt_tokens * articles, answer_tokens * articles
        cost = inputs / 1e6 * args.input_price + outputs / 1e6 * args.output_price
        print(
            f"{articles:>12,}  {sizes['requests'] * articles:>14,.0f}  {inputs:>16,.0f}  {outputs:>15,.0f}  "
            f"{cost:>10,.0f}  {outputs / low / 3600:>{len(low_label)},.0f}  "
            f"{outputs / high / 3600:>{len(high_label)},.0f}"
        )
    print()
    print(
        f"Prices: USD {args.input_price} / {args.output_price} per 1M input / output tokens; "
        f"GPU-hours: output tokens at {low:,.0f} and {high:,.0f} tokens/s per GPU "
        "(published elsewhere; see docs/scale.md)."
    )


if __name__ == "__main__":
    main()

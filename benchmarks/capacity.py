"""Request sizes per article, measured, and the capacity plan they give for 10^6 and 10^8 articles.

Run from the repository root:  .venv/bin/python -m benchmarks.capacity   (docs/scale.md quotes it)

Measured here: the seed articles (eval/seeds) go through the real `openai` backend (tools mode,
our prompts, the default chunking, the verifier's re-asks) to the FAKE server, which answers each
chunk with the recorded answer for that chunk (eval/recorded/seeds-answers.jsonl, or
--recorded). Every request body is kept: its characters (messages plus the tool schema) and the
answer's characters (the recorded JSON) give the sizes. Characters become tokens by a stated
ratio (--chars-per-token), not a tokenizer: none is available offline here.

Published elsewhere, not measured here (flags, with their sources in docs/scale.md): Batch API
prices per million tokens, and vLLM output tokens/s per GPU for a 7–8B model.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
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


def measure(recorded: Path) -> dict[str, float]:
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
    prompt_chars = answer_chars = 0
    for request in server.requests:
        body = request.body
        prompt_chars += sum(len(str(message.get("content") or "")) for message in body["messages"])
        prompt_chars += len(json.dumps(body.get("tools") or [], ensure_ascii=False))
        answer_chars += len(json.dumps(answers[request.article], ensure_ascii=False))
    first_asks = {request.article for request in server.requests}
    article_chars = sum(len(document.text) for document in documents)
    n = len(documents)
    return {
        "articles": n,
        "article_chars": article_chars / n,
        "chunks": len(first_asks) / n,
        "requests": len(server.requests) / n,
        "prompt_chars": prompt_chars / n,
        "answer_chars": answer_chars / n,
        "overhead_chars": (prompt_chars - sum(len(a) for a in first_asks)) / len(server.requests),
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
    sizes = measure(args.recorded)
    ratio = args.chars_per_token
    prompt_tokens = sizes["prompt_chars"] / ratio
    answer_tokens = sizes["answer_chars"] / ratio
    print(f"Measured on {sizes['articles']} seed articles (FAKE server replaying recorded answers):")
    print(f"  article: {sizes['article_chars']:,.0f} characters, {sizes['chunks']:.1f} chunks")
    print(f"  requests per article (re-asks included): {sizes['requests']:.2f}")
    print(f"  prompt per article: {sizes['prompt_chars']:,.0f} characters ≈ {prompt_tokens:,.0f} tokens")
    print(
        f"    of which instructions, examples and tool schema per request: {sizes['overhead_chars']:,.0f} "
        f"characters ≈ {sizes['overhead_chars'] / ratio:,.0f} tokens"
    )
    print(f"  answers per article: {sizes['answer_chars']:,.0f} characters ≈ {answer_tokens:,.0f} tokens")
    print(f"  verified claims per article: {sizes['verified']:.1f}")
    print(f"  (tokens = characters / {ratio}: an assumption, not a tokenizer)")
    print()
    low, high = (float(rate) for rate in args.gpu_output_rates.split(","))
    header = f"{'articles':>12}  {'requests':>14}  {'input tokens':>16}  {'output tokens':>15}"
    header += f"  {'batch USD':>10}  {'GPU-h (low)':>11}  {'GPU-h (high)':>12}"
    print(header)
    for articles in (10**6, 10**8):
        inputs, outputs = prompt_tokens * articles, answer_tokens * articles
        cost = inputs / 1e6 * args.input_price + outputs / 1e6 * args.output_price
        print(
            f"{articles:>12,}  {sizes['requests'] * articles:>14,.0f}  {inputs:>16,.0f}  {outputs:>15,.0f}  "
            f"{cost:>10,.0f}  {outputs / low / 3600:>11,.0f}  {outputs / high / 3600:>12,.0f}"
        )
    print()
    print(
        f"Prices: USD {args.input_price} / {args.output_price} per 1M input / output tokens; "
        f"GPU-hours: output tokens at {low:,.0f} and {high:,.0f} tokens/s per GPU "
        "(published elsewhere; see docs/scale.md)."
    )


if __name__ == "__main__":
    main()

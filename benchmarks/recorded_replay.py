"""The seeds through a capable model's RECORDED answers (eval/recorded: real model output, replayed
by the scripted FAKE server keyed by chunk text), written like any run, for `claims eval --pred`.

    .venv/bin/python -m benchmarks.recorded_replay out/recorded/claims.jsonl
    .venv/bin/claims eval --pred out/recorded/claims.jsonl      # claims and event-grouping scores

The answers were given to the prompts and chunking of commit 1f0c24e (eval/recorded/README.md):
this measures our parsing, verification, merging and grouping of real answers, not today's prompt.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from claims.cli import main  # noqa: E402
from tests.batch.helpers import answer_from, recorded_answers  # noqa: E402
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer  # noqa: E402


def replay(output: str) -> int:
    with FakeOpenAIServer(default=answer_from(recorded_answers())).running() as fake:
        flags = ["--base-url", fake.url, "--model", MODEL_ID, "--no-cache", "--reask", "0"]
        return main(["extract", str(ROOT / "eval" / "seeds"), "-o", output, *flags])


if __name__ == "__main__":
    sys.exit(replay(sys.argv[1] if len(sys.argv) > 1 else "out/recorded/claims.jsonl"))

"""Loading and rendering the prompt templates of `prompts/` (shipped as `claims.prompts`).

The templates are ours and are the only template *source*. The article, its metadata and the
re-ask feedback enter strictly as variable values of a sandboxed Jinja environment with
StrictUndefined, so an article containing `{{ 7*7 }}`, `{% if %}` or `{#` reaches the model byte
for byte. (instructor's own `context=` templating would render message text as source; it is
never used.) The prompt hash covers every template and example file, the number of examples
shown and the request schema, so any change to what the model is told changes cache keys and
shows in the run manifest.

The system message (task, rules, the first N few-shot examples) and the schema are the same bytes
in every request of a run and come first, so a provider's prompt cache serves them; the article
comes last, in the user message.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any

from claims.backends.openai.request_schema import request_schema
from claims.backends.protocol import ProposalRequest

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

PROMPTS_PACKAGE = "claims.prompts"
SYSTEM_TEMPLATE = "system.md.j2"
USER_TEMPLATE = "user.md.j2"
EXAMPLES_FOLDER = "examples"
ALL_EXAMPLES = -1
"""`examples=ALL_EXAMPLES` shows every few-shot example there is."""


@dataclass(frozen=True)
class FewShotExample:
    """One worked example: an article written for the prompt and the claims it should give."""

    name: str
    language: str
    published: str
    text: str
    claims: list[dict[str, Any]]

    @property
    def answer(self) -> str:
        return json.dumps({"claims": self.claims}, ensure_ascii=False)


@dataclass(frozen=True)
class Prompts:
    """The loaded templates, the system message rendered once, and the hash of it all."""

    system: str
    user_source: str
    examples: tuple[FewShotExample, ...]
    """The examples the system message shows."""
    hash: str


def _environment() -> SandboxedEnvironment:
    # imported here: a fully cached rerun hashes the templates but never renders one
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    # autoescape off: this is plain text for a model, and escaping would alter the article.
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


def _prompt_files(root: Traversable, prefix: str = "") -> list[tuple[str, bytes]]:
    """(relative path, bytes) of every template and example file, in a stable order."""
    found: list[tuple[str, bytes]] = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        name = prefix + entry.name
        if entry.is_dir():
            if entry.name != "__pycache__":
                found.extend(_prompt_files(entry, name + "/"))
        elif entry.name.endswith((".j2", ".json")):
            found.append((name, entry.read_bytes()))
    return found


def response_schema() -> dict[str, Any]:
    """The JSON Schema sent with every request (`claims.backends.openai.request_schema`)."""
    return request_schema()


@lru_cache(maxsize=1)
def schema_hash() -> str:
    canonical = json.dumps(response_schema(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@lru_cache(maxsize=1)
def _prompt_files_and_hash() -> tuple[tuple[tuple[str, bytes], ...], str]:
    """The template and example files, and the hash of them plus the response schema."""
    prompt_files = _prompt_files(files(PROMPTS_PACKAGE))
    digest = hashlib.sha256()
    for name, data in prompt_files:
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    digest.update(schema_hash().encode())
    return tuple(prompt_files), digest.hexdigest()


def _examples_of(prompt_files: tuple[tuple[str, bytes], ...], examples: int) -> tuple[FewShotExample, ...]:
    if examples < ALL_EXAMPLES:
        raise ValueError(f"the number of examples cannot be negative, not {examples}")
    available = tuple(
        _example(name, data) for name, data in prompt_files if name.startswith(EXAMPLES_FOLDER + "/")
    )
    return available if examples == ALL_EXAMPLES else available[:examples]


@lru_cache(maxsize=8)
def prompt_hash(examples: int = ALL_EXAMPLES) -> str:
    """sha256 of the template and example files, the examples shown, and the request schema
    (nothing rendered: a fully cached rerun needs the hash, never a template)."""
    prompt_files, digest = _prompt_files_and_hash()
    shown = _examples_of(prompt_files, examples)
    every = _examples_of(prompt_files, ALL_EXAMPLES)
    if len(shown) == len(every):
        return digest  # all examples: the hash of earlier runs
    return hashlib.sha256(f"{digest}\0examples={len(shown)}".encode()).hexdigest()


@lru_cache(maxsize=8)
def load_prompts(examples: int = ALL_EXAMPLES) -> Prompts:
    """Read the templates and examples from the installed package and render the system message
    with the first `examples` few-shot examples (0: none; ALL_EXAMPLES: every one)."""
    prompt_files, _digest = _prompt_files_and_hash()
    shown = _examples_of(prompt_files, examples)
    texts = dict(prompt_files)
    environment = _environment()
    system = environment.from_string(texts[SYSTEM_TEMPLATE].decode("utf-8")).render(examples=shown)
    return Prompts(
        system=system,
        user_source=texts[USER_TEMPLATE].decode("utf-8"),
        examples=shown,
        hash=prompt_hash(examples),
    )


def example_count() -> int:
    """How many few-shot examples `prompts/examples/` holds."""
    return len(_examples_of(_prompt_files_and_hash()[0], ALL_EXAMPLES))


def _example(name: str, data: bytes) -> FewShotExample:
    raw = json.loads(data)
    return FewShotExample(
        name=name,
        language=raw["language"],
        published=raw["published"],
        text=raw["text"],
        claims=raw["claims"],
    )


@lru_cache(maxsize=1)
def _user_template() -> Any:
    return _environment().from_string(load_prompts().user_source)


def render_user(request: ProposalRequest) -> str:
    """The user message for one chunk: metadata, the chunk text verbatim, and any re-ask feedback."""
    document = request.document
    rendered: str = _user_template().render(
        text=request.chunk.text,
        published=document.published,
        language=document.language,
        feedback=list(request.feedback),
    )
    return rendered


def render_messages(request: ProposalRequest, examples: int = ALL_EXAMPLES) -> list[dict[str, str]]:
    """The chat messages for one chunk: the static system message (task, rules, examples) first,
    then the user's with the article."""
    return [
        {"role": "system", "content": load_prompts(examples).system},
        {"role": "user", "content": render_user(request)},
    ]

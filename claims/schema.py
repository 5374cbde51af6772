"""The claim contract of ANNOTATION.md as Pydantic models.

Two shapes are kept apart: the claim an extractor *proposes* (no offsets, what an LLM is asked
for) and the *verified record* written out (adds doc_id, span, match kind and provenance).
Lists have no upper bound here: a summit of 17 heads of state is data. Bounds that keep a small
model from running away belong to the request sent to the model
(`claims.backends.openai.config.RequestBounds`), never to gold files or written records.
"""

from __future__ import annotations

import hashlib
import json
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

# Patterns use explicit character classes only: llama.cpp's JSON-Schema-to-grammar converter copies
# `\d` into its grammar as an escape its parser rejects, and the server then crashes (SIGSEGV).
ISO3_PATTERN = r"^[A-Z]{3}$"
DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"


class ClaimType(StrEnum):
    MEETING = "meeting"
    ARMS_DELIVERY = "arms_delivery"
    TREATY_SIGNING = "treaty_signing"


class Status(StrEnum):
    """How the text presents the event (ANNOTATION.md, field `status`)."""

    OCCURRED = "occurred"
    ALLEGED = "alleged"
    PLANNED = "planned"
    SPECULATIVE = "speculative"


class WeaponCategory(StrEnum):
    DRONES = "drones"
    MISSILES = "missiles"
    AMMUNITION = "ammunition"
    ARTILLERY = "artillery"
    ARMORED_VEHICLES = "armored_vehicles"
    AIRCRAFT = "aircraft"
    AIR_DEFENSE = "air_defense"
    SMALL_ARMS = "small_arms"
    NAVAL = "naval"
    TECHNOLOGY = "technology"
    OTHER = "other"


_UNSUPPORTED_IN_STRICT = ("default", "discriminator", "minLength", "maxLength")


def strict_json_schema(schema: dict[str, Any]) -> None:
    """Rewrite a Pydantic JSON Schema in place into the subset OpenAI strict mode accepts.

    Every property becomes required (optional ones are already nullable), objects forbid extra
    keys, `oneOf`/`discriminator` become a plain `anyOf`, and `default` values and the string
    length bounds strict mode does not support are dropped. Validation still applies them; only
    what we *ask* for is strict.
    """

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for keyword in _UNSUPPORTED_IN_STRICT:
                node.pop(keyword, None)
            if "oneOf" in node:
                node["anyOf"] = node.pop("oneOf")
            if node.get("type") == "object" and "properties" in node:
                node["required"] = list(node["properties"])
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)


def _strict_schema_extra(schema: dict[str, Any], _cls: type) -> None:
    strict_json_schema(schema)


class _Model(BaseModel):
    """Base of every claim model: unknown keys are ignored on input (gold lines carry extras)."""

    model_config = ConfigDict(extra="ignore", json_schema_extra=_strict_schema_extra)


class Actor(_Model):
    """A person, delegation or state acting for a state (or a body with no single state)."""

    name: str = Field(min_length=1, description="As written in the text: the most specific mention.")
    country: str | None = Field(
        default=None,
        pattern=ISO3_PATTERN,
        description="ISO 3166-1 alpha-3 code of the state the actor acts for; null for a group or body.",
    )
    role: str | None = Field(default=None, description="The title as written, or null.")

    @field_validator("country", mode="before")
    @classmethod
    def _upper_country(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().upper()
            return value or None
        return value


Quote = Annotated[
    str,
    Field(
        min_length=1,
        description="A verbatim span of the source, usually one sentence, copied character for character.",
    ),
]
IsoDate = Annotated[
    str | None,
    Field(
        pattern=DATE_PATTERN,
        description="YYYY, YYYY-MM or YYYY-MM-DD at the precision the text supports; null when unknown.",
    ),
]


class _ClaimFields(_Model):
    # `type` comes first (each claim class narrows it to a literal, keeping this position): in the
    # JSON Schema, property order is the order a model writes its answer in, and the type should
    # condition everything after it; in the written records it is what a reader looks for first.
    type: str
    quote: Quote
    status: Status = Field(
        description="occurred (stated as fact), alleged (text distances itself), planned, speculative."
    )
    date: IsoDate = None
    location: str | None = Field(default=None, description="The place as written, or null.")
    attributed_to: str | None = Field(
        default=None, description="The source the article cites for this claim, or null."
    )


class ProposedMeeting(_ClaimFields):
    """Officials of two or more states (or a state and an international body) met or talked."""

    type: Literal["meeting"] = "meeting"
    participants: list[Actor] = Field(min_length=2)


class ProposedArmsDelivery(_ClaimFields):
    """Weapons, ammunition, equipment or weapons technology passed from one actor to another."""

    type: Literal["arms_delivery"] = "arms_delivery"
    supplier: Actor
    recipient: Actor
    weapons: list[str] = Field(default_factory=list, description="Weapon phrases as written.")
    weapon_categories: list[WeaponCategory] = Field(default_factory=list)


class ProposedTreatySigning(_ClaimFields):
    """Two or more parties signed or concluded a formal agreement."""

    type: Literal["treaty_signing"] = "treaty_signing"
    parties: list[Actor] = Field(min_length=2)
    agreement: str = Field(min_length=1, description="The agreement's name or description as written.")


ProposedClaim = Annotated[
    ProposedMeeting | ProposedArmsDelivery | ProposedTreatySigning, Field(discriminator="type")
]
PROPOSED_CLAIM_ADAPTER: TypeAdapter[ProposedMeeting | ProposedArmsDelivery | ProposedTreatySigning] = (
    TypeAdapter(ProposedClaim)
)


class ProposedClaims(_Model):
    """What an extractor answers for one chunk of text: the claims it proposes."""

    claims: list[ProposedClaim] = Field(default_factory=list)


# --- written records -------------------------------------------------------------------------


class Span(BaseModel):
    """Character offsets into the original document text: `text[start:end]` is the evidence."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)


MatchKind = Literal["exact", "normalized"]


class Provenance(BaseModel):
    """What produced a claim: enough to reproduce it, never a secret."""

    backend: str
    model: str | None = None
    prompt_hash: str | None = None
    chunk: int | None = None


class _DocumentField(BaseModel):
    doc_id: str


class _RecordFields(BaseModel):
    claim_id: str = Field(description="Stable id: hash of doc_id, type, span and actors.")
    span: Span
    match: MatchKind
    occurrences: int = Field(ge=1, description="How often the quote occurs in the document.")
    alt_spans: list[Span] = Field(
        default_factory=list, description="Other spans stating the same claim (merged mentions)."
    )
    unsupported_fields: list[str] = Field(
        default_factory=list, description="Fields whose value was not found in or near the quote."
    )
    provenance: Provenance


# Base order fixes the field order of the written records: doc_id, the claim, then how it was verified.
class VerifiedMeeting(_RecordFields, ProposedMeeting, _DocumentField):
    model_config = ConfigDict(extra="ignore", json_schema_extra=None)


class VerifiedArmsDelivery(_RecordFields, ProposedArmsDelivery, _DocumentField):
    model_config = ConfigDict(extra="ignore", json_schema_extra=None)


class VerifiedTreatySigning(_RecordFields, ProposedTreatySigning, _DocumentField):
    model_config = ConfigDict(extra="ignore", json_schema_extra=None)


VerifiedClaim = Annotated[
    VerifiedMeeting | VerifiedArmsDelivery | VerifiedTreatySigning, Field(discriminator="type")
]
VERIFIED_CLAIM_ADAPTER: TypeAdapter[VerifiedMeeting | VerifiedArmsDelivery | VerifiedTreatySigning] = (
    TypeAdapter(VerifiedClaim)
)

RejectReason = Literal[
    "not_found",  # the quote is not in the source, even after normalisation
    "too_short",  # fewer than 3 words: not evidence
    "unknown_document",  # no document with this doc_id
    "unsupported_fields",  # strict mode: a field's value is not in or near the quote
    "invalid",  # the claim does not fit the schema
]


class NearMiss(BaseModel):
    """The closest span to a rejected quote, for the reviewer; never used as evidence."""

    span: Span
    text: str
    similarity: float = Field(ge=0.0, le=1.0)


class RejectedClaim(BaseModel):
    """A proposed claim the verifier refused, kept with its reason (never silently dropped)."""

    doc_id: str | None
    reason: RejectReason
    detail: str | None = None
    claim: dict[str, Any] = Field(description="The claim as proposed.")
    near_miss: NearMiss | None = None
    unsupported_fields: list[str] = Field(default_factory=list)
    provenance: Provenance | None = None


class ErrorRecord(BaseModel):
    """A document (or one chunk of it) that could not be processed; the run goes on and the exit
    code says so. A failed chunk of a document whose other chunks succeeded names its `chunk`."""

    doc_id: str | None
    source: str | None = Field(default=None, description="The file (and line) the document came from.")
    stage: Literal["load", "extract", "verify"]
    error: str = Field(description="The error's type, e.g. APITimeoutError.")
    message: str = Field(description="One line, naming the fix where there is one. Never a secret.")
    chunk: int | None = Field(
        default=None,
        description="The failed chunk's index, when the document's other chunks were kept (partial).",
    )
    span: Span | None = Field(default=None, description="Where that chunk sits in the document's text.")


def actor_fields(
    claim: ProposedMeeting | ProposedArmsDelivery | ProposedTreatySigning,
) -> list[tuple[str, Actor]]:
    """Every actor of a claim with its field path (`participants[0]`, `supplier`), in field order."""
    if isinstance(claim, ProposedMeeting):
        return [(f"participants[{i}]", a) for i, a in enumerate(claim.participants)]
    if isinstance(claim, ProposedTreatySigning):
        return [(f"parties[{i}]", a) for i, a in enumerate(claim.parties)]
    return [("supplier", claim.supplier), ("recipient", claim.recipient)]


def actors_of(claim: ProposedMeeting | ProposedArmsDelivery | ProposedTreatySigning) -> list[Actor]:
    """Every actor of a claim, in field order."""
    return [actor for _path, actor in actor_fields(claim)]


def claim_id(doc_id: str, claim_type: str, span: Span, actor_keys: list[str]) -> str:
    """A short stable id for a verified claim, so that reruns and merges can recognise it."""
    payload = json.dumps([doc_id, claim_type, span.start, span.end, sorted(actor_keys)], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def actor_key(actor: Actor) -> str:
    """How an actor is told apart from others when ids and merges are computed."""
    return actor.country or re.sub(r"\W+", " ", actor.name).strip().lower()

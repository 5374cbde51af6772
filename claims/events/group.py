"""Events as connected components of the same-event relation, found over blocked candidate pairs.

Only claims that share a block key (`link.block_keys`) are compared; two records of one claim
(the same `record_key`, e.g. from two runs) are always one event. Components do not depend
on the order pairs are visited, and members and events are sorted by a canonical key, so any
shuffle of the same claims gives the same events. `EventIndex` adds claims incrementally: each
new claim is compared only with the claims of its blocks, and an add reports the events it
created and the ones it replaced.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from claims.events.link import Decision, block_keys, same_event
from claims.schema import VerifiedArmsDelivery, VerifiedMeeting, VerifiedTreatySigning, actor_key

VerifiedClaim = VerifiedMeeting | VerifiedArmsDelivery | VerifiedTreatySigning
ClaimKey = tuple[str, int, int, str, str]


def claim_key(claim: VerifiedClaim) -> ClaimKey:
    """The canonical sort key: document, span, claim id, then the record itself (a total order)."""
    return (claim.doc_id, claim.span.start, claim.span.end, claim.claim_id, claim.model_dump_json())


def record_key(claim: VerifiedClaim) -> str:
    """Which claim a record is, across runs: doc_id and claim_id, and what claim_id leaves out — the
    date (one sentence can state two meetings of the same people: "after they met in Ashgabat on
    October 11"), an arms delivery's direction (claim_id sorts the actors, so A→B and B→A in one
    sentence share it) and a signing's agreement (two signings by the same parties)."""
    extra = ""
    if isinstance(claim, VerifiedArmsDelivery):
        extra = f"{actor_key(claim.supplier)}>{actor_key(claim.recipient)}"
    elif isinstance(claim, VerifiedTreatySigning):
        extra = claim.agreement
    return f"{claim.doc_id}\x1f{claim.claim_id}\x1f{claim.date or ''}\x1f{extra}"


def event_id(members: Sequence[VerifiedClaim]) -> str:
    """A stable id derived from the members' record keys only: same members, same id."""
    keys = sorted({record_key(claim) for claim in members})
    return "ev_" + hashlib.sha256("\x1e".join(keys).encode()).hexdigest()[:16]


class _UnionFind:
    """Union-find with the canonically smallest key as each set's root (order-independent roots)."""

    def __init__(self) -> None:
        self.parent: dict[ClaimKey, ClaimKey] = {}

    def add(self, key: ClaimKey) -> None:
        self.parent.setdefault(key, key)

    def find(self, key: ClaimKey) -> ClaimKey:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: ClaimKey, b: ClaimKey) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self.parent[high] = low


@dataclass
class EventChange:
    """What one `EventIndex.add` changed: events now present that were not, and ids now gone."""

    added: list[list[VerifiedClaim]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class EventIndex:
    """Events over a growing set of claims; adding claims touches only the events they can affect."""

    def __init__(self) -> None:
        self._claims: dict[ClaimKey, VerifiedClaim] = {}
        self._blocks: dict[str, set[ClaimKey]] = {}
        self._records: dict[str, set[ClaimKey]] = {}
        self._sets = _UnionFind()
        self._members: dict[ClaimKey, set[ClaimKey]] = {}
        self.comparisons = 0
        """How many candidate pairs `same_event` has decided (for benchmarks: blocking's effect)."""

    def __len__(self) -> int:
        return len(self._claims)

    def _candidates(self, key: ClaimKey, claim: VerifiedClaim) -> set[ClaimKey]:
        found = set(self._records.get(record_key(claim), set()))
        for block in block_keys(claim):
            found |= self._blocks.get(block, set())
        found.discard(key)
        return found

    def _link(self, key: ClaimKey, claim: VerifiedClaim, other: ClaimKey) -> bool:
        peer = self._claims[other]
        if record_key(peer) == record_key(claim):
            return True
        self.comparisons += 1
        return same_event(claim, peer).linked

    def add(self, claims: Iterable[VerifiedClaim]) -> EventChange:
        """Add claims (a record already present is ignored); return the events this created or grew."""
        new = sorted({claim_key(c): c for c in claims if claim_key(c) not in self._claims}.items())
        if not new:
            return EventChange()
        fresh = {key for key, _ in new}
        before: set[str] = set()  # ids of the events that existed before and were grown or merged
        for key, claim in new:
            self._claims[key] = claim
            self._sets.add(key)
            self._members[key] = {key}
            self._records.setdefault(record_key(claim), set()).add(key)
        for key, claim in new:
            for other in sorted(self._candidates(key, claim)):
                if self._sets.find(other) == self._sets.find(key) or not self._link(key, claim, other):
                    continue
                members = self._members[self._sets.find(other)]
                if not members & fresh:
                    before.add(event_id([self._claims[m] for m in members]))
                self._merge(key, other)
            for block in block_keys(claim):
                self._blocks.setdefault(block, set()).add(key)
        roots = sorted({self._sets.find(key) for key, _ in new})
        added = [self._event(root) for root in roots]
        removed = sorted(before - {event_id(members) for members in added})
        return EventChange(added=added, removed=removed)

    def _merge(self, a: ClaimKey, b: ClaimKey) -> None:
        ra, rb = self._sets.find(a), self._sets.find(b)
        self._sets.union(ra, rb)
        root = self._sets.find(ra)
        other = rb if root == ra else ra
        self._members[root] |= self._members.pop(other)

    def _event(self, root: ClaimKey) -> list[VerifiedClaim]:
        return [self._claims[key] for key in sorted(self._members[root])]

    def events(self) -> list[list[VerifiedClaim]]:
        """Every event, members in canonical order, events ordered by their first member."""
        return [self._event(root) for root in sorted(self._members)]

    def event_of(self, claim: VerifiedClaim) -> list[VerifiedClaim]:
        """The event a claim already added belongs to."""
        return self._event(self._sets.find(claim_key(claim)))


def group_claims(claims: Sequence[VerifiedClaim]) -> list[list[VerifiedClaim]]:
    """The events of `claims`: connected components, deterministic and independent of input order."""
    index = EventIndex()
    index.add(claims)
    return index.events()


def explain_pairs(claims: Sequence[VerifiedClaim]) -> list[tuple[VerifiedClaim, VerifiedClaim, Decision]]:
    """The decision on every candidate pair (claims sharing a block), in canonical order."""
    ordered = sorted(claims, key=claim_key)
    blocks: dict[str, list[VerifiedClaim]] = {}
    for claim in ordered:
        for block in block_keys(claim):
            blocks.setdefault(block, []).append(claim)
    seen: set[tuple[ClaimKey, ClaimKey]] = set()
    out = []
    for block in sorted(blocks):
        for a, b in itertools.combinations(blocks[block], 2):
            pair = (claim_key(a), claim_key(b))
            if pair not in seen:
                seen.add(pair)
                out.append((a, b, same_event(a, b)))
    return sorted(out, key=lambda item: (claim_key(item[0]), claim_key(item[1])))

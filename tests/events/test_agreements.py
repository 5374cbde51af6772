"""Agreement descriptions: one agreement across languages and wordings, generic ones, bundles."""

from __future__ import annotations

import pytest

from claims.events.agreements import same_agreement, signature


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Treaty on Comprehensive Strategic Partnership",
            "Abkommen über umfassende strategische Partnerschaft",
        ),
        ("the new defence pact", "Treaty on Comprehensive Strategic Partnership"),
        ("gegenseitiger Verteidigungspakt", "strategische Partnerschaft"),
        ("a treaty", "Gasabkommen"),
        ("ein Abkommen", "joint declaration"),
        ("Minsker Abkommen", "Minsk agreement"),
        ("Gasliefervertrag", "Vertrag über Gaslieferungen"),
        ("Absichtserklärung", "memorandum of understanding"),
    ],
)
def test_same_agreement(a: str, b: str) -> None:
    assert same_agreement(a, b)[0]
    assert same_agreement(b, a)[0]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("joint declaration", "ten sectoral agreements"),
        ("gemeinsame Erklärung", "zehn Abkommen"),
        ("Gasliefervertrag", "Verteidigungspakt"),
        ("Abkommen über wirtschaftliche Partnerschaft", "Verteidigungspakt"),
        ("Absichtserklärung", "Vertrag über strategische Partnerschaft"),
        ("New START", "Minsker Abkommen"),
    ],
)
def test_different_agreements(a: str, b: str) -> None:
    assert not same_agreement(a, b)[0]
    assert not same_agreement(b, a)[0]


def test_signature_reads_kind_bundle_and_topics() -> None:
    s = signature("zehn sektorale Abkommen über Energie")
    assert s.kind == "agreement" and s.bundle and s.topics == {"energy"}
    assert signature("Verteidigungspakt").topics == {"defence"}
    assert signature("Abkommen").generic
    assert not signature("Erklärung").generic

"""Disagreements between sources: what a ``ClaimDisputed`` and its ``DisputeResolved`` do to the facts that count.

The rule, written down once:

- A ``ClaimDisputed`` says another source gives ``field`` of its target another ``value``. The target keeps
  counting with its own value; while no resolution decides it, the dispute is **open** and every row the
  target feeds is marked ``disputed``.
- A ``DisputeResolved`` decides it: ``accepted: "original"`` (the target's value stands) or ``"disputed"``
  (the other source's value counts from then on, exactly as an ``EventCorrected`` of ``{field: value}``
  recorded at the resolution's place in the stream would). Of several resolutions of one dispute, the one
  recorded last decides.
- A retracted dispute or resolution no longer counts; corrections of them apply like corrections of any fact
  (they may change ``field``, ``value``, ``accepted``, ``note`` or the source, never the ``target``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from amity.events.partnership import EventCorrected, Fact

CLAIMS = ("ClaimDisputed", "DisputeResolved")


@dataclass
class Dispute:
    """One disagreement about a fact, as it stands: the claim (as corrected) and the resolution that decides it."""

    claim: Any  # ClaimDisputed
    resolution: Any = None  # DisputeResolved, or None while open

    @property
    def open(self) -> bool:
        return self.resolution is None

    @property
    def accepted(self) -> str | None:
        return None if self.resolution is None else self.resolution.accepted


def claims_in(records: Sequence[Fact], gone: set[str], apply: Any) -> dict[str, Any]:
    """Every dispute and resolution in force (not retracted), by id, with its corrections applied."""
    claims = {str(f.id): f for f in records if f.type in CLAIMS and str(f.id) not in gone}
    if claims:
        for fact in records:
            if isinstance(fact, EventCorrected) and str(fact.id) not in gone and str(fact.target) in claims:
                key = str(fact.target)
                changes = {k: v for k, v in fact.changes.items() if k != "target"}
                claims[key] = apply(claims[key], changes)
    return claims


def deciding(records: Sequence[Fact], claims: dict[str, Any]) -> dict[str, tuple[int, Any]]:
    """claim id → (record position, resolution) of the resolution recorded last, for every decided dispute."""
    out: dict[str, tuple[int, Any]] = {}
    for position, fact in enumerate(records):
        if fact.type == "DisputeResolved" and (key := str(fact.id)) in claims:
            resolution = claims[key]
            if str(resolution.target) in claims and claims[str(resolution.target)].type == "ClaimDisputed":
                out[str(resolution.target)] = (position, resolution)
    return out


def accepted_changes(claims: dict[str, Any], decided: dict[str, tuple[int, Any]]) -> dict[int, tuple[str, dict[str, Any]]]:
    """record position → (target id, changes): what each deciding resolution that accepts the disputed value changes."""
    out: dict[int, tuple[str, dict[str, Any]]] = {}
    for claim_id, (position, resolution) in decided.items():
        if resolution.accepted == "disputed":
            claim = claims[claim_id]
            out[position] = (str(claim.target), {claim.field: claim.value})
    return out


def disputes_by_target(claims: dict[str, Any], decided: dict[str, tuple[int, Any]]) -> dict[str, list[Dispute]]:
    """target id → its disputes in record order, each with the resolution that decides it (None: open)."""
    out: dict[str, list[Dispute]] = {}
    for claim_id, claim in claims.items():
        if claim.type == "ClaimDisputed":
            found = decided.get(claim_id)
            out.setdefault(str(claim.target), []).append(Dispute(claim, found[1] if found else None))
    return out


def touched(records: Sequence[Fact], start: int) -> set[str]:
    """Ids that the amendments from record position ``start`` on point at; a resolution also points at its dispute's target."""
    found = {str(t) for f in records[start:] if (t := f.__dict__.get("target")) is not None}  # a field's value, no __getattr__ miss
    disputes = {str(f.id): str(f.target) for f in records if f.type == "ClaimDisputed"}
    return found | {disputes[t] for t in found if t in disputes}

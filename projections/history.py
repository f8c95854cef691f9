"""A partnership's history: its facts in valid-time order, each marked corrected or retracted."""

from __future__ import annotations

from typing import Any, Sequence

from amity.events.partnership import Fact
from amity.events.wire import to_wire
from amity.ledger import amendments, corroboration, lifecycle


def history_rows(records: Sequence[Fact]) -> list[dict[str, Any]]:
    """Every fact once: a fact from a second source (``ledger/corroboration.py``) shows as a source of the fact it
    corroborates (``sources``, ``corroborated_by``), not as a row of its own; a disputed fact is marked."""
    items = amendments.amend(records)
    by_position = {a.position: a for a in items}
    found = corroboration.corroborations([(a.position, a.current) for a in items if a.retraction is None])
    ordered = lifecycle.in_valid_time((a.position, a.current) for a in items if a.position not in found)
    rows = []
    for position, fact in ordered:
        a = by_position[position]
        seconds = [by_position[p] for p, held in sorted(found.items()) if held == position]
        row = {
            "id": str(a.original.id), "type": fact.type, "date": str(fact.date),
            "recorded_at": to_wire(a.original)["recorded_at"], "recorded_by": a.original.recorded_by,
            "source": to_wire(fact)["source"], "details": _details(fact),
            "corrected": [{"id": str(c.id), "changes": c.changes, "recorded_at": to_wire(c)["recorded_at"], "recorded_by": c.recorded_by} for c in a.corrections],
            "retracted": None if a.retraction is None else {
                "id": str(a.retraction.id), "reason": a.retraction.reason,
                "recorded_at": to_wire(a.retraction)["recorded_at"], "recorded_by": a.retraction.recorded_by},
        }
        row["sources"] = [row["source"], *(to_wire(c.current)["source"] for c in seconds)]
        row["corroborated_by"] = [{"id": str(c.original.id), "date": str(c.current.date), "source": to_wire(c.current)["source"],
                                   "recorded_at": to_wire(c.original)["recorded_at"], "recorded_by": c.original.recorded_by} for c in seconds]
        row["disputed"] = a.disputed
        row["disputes"] = [{"id": str(d.claim.id), "field": d.claim.field, "value": d.claim.value, "source": to_wire(d.claim)["source"],
                            "status": "open" if d.open else f"{d.accepted} accepted"} for d in a.disputes]
        if a.corrections:
            row["original"] = {k: v for k, v in to_wire(a.original).items() if k in {k2 for c in a.corrections for k2 in c.changes}}
        rows.append(row)
    return rows


_COMMON = {"type", "cities", "date", "source", "id", "recorded_at", "recorded_by"}


def _details(fact: Fact) -> dict[str, Any]:
    return {k: v for k, v in to_wire(fact).items() if k not in _COMMON}

"""A partnership's history: its facts in valid-time order, each marked corrected or retracted."""

from __future__ import annotations

from typing import Any, Sequence

from amity.events.partnership import Fact
from amity.events.wire import to_wire
from amity.ledger import amendments, lifecycle


def history_rows(records: Sequence[Fact]) -> list[dict[str, Any]]:
    items = amendments.amend(records)
    by_position = {a.position: a for a in items}
    ordered = lifecycle.in_valid_time((a.position, a.current) for a in items)
    rows = []
    for position, fact in ordered:
        a = by_position[position]
        row = {
            "id": str(a.original.id), "type": fact.type, "date": str(fact.date),
            "recorded_at": to_wire(a.original)["recorded_at"], "recorded_by": a.original.recorded_by,
            "source": to_wire(fact)["source"], "details": _details(fact),
            "corrected": [{"id": str(c.id), "changes": c.changes, "recorded_at": to_wire(c)["recorded_at"], "recorded_by": c.recorded_by} for c in a.corrections],
            "retracted": None if a.retraction is None else {
                "id": str(a.retraction.id), "reason": a.retraction.reason,
                "recorded_at": to_wire(a.retraction)["recorded_at"], "recorded_by": a.retraction.recorded_by},
        }
        if a.corrections:
            row["original"] = {k: v for k, v in to_wire(a.original).items() if k in {k2 for c in a.corrections for k2 in c.changes}}
        rows.append(row)
    return rows


_COMMON = {"type", "cities", "date", "source", "id", "recorded_at", "recorded_by"}


def _details(fact: Fact) -> dict[str, Any]:
    return {k: v for k, v in to_wire(fact).items() if k not in _COMMON}

"""Disagreements between sources, side by side, and the rows they mark ``disputed`` (the rule: ledger/claims.py).

``dispute_rows`` is the table ``amity disputes`` prints: one row per ``ClaimDisputed`` in force, with the
target's value and source beside the other source's, and how it stands (``open``, ``original`` or
``disputed`` accepted, by which resolution). ``open_targets`` lists the facts under an open dispute, so the views (a timeline's
steps for status, an anniversary event's row), history and the rows they feed can be marked. Only streams holding a dispute are read (the
index knows which), so a ledger without disputes pays one indexed query.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable, Sequence
from uuid import UUID

from amity.events.partnership import Fact
from amity.events.wire import to_wire
from amity.ledger import amendments
from amity.projections.anniversaries import source_of
from amity.projections.timing import known_at


def disputes_of(records: Sequence[Fact]) -> list[dict[str, Any]]:
    """The disputes of one partnership's records, as they stand, in record order of the disputes."""
    rows = []
    for a in amendments.amend(records):
        for d in a.disputes:
            claim, res = d.claim, d.resolution
            rows.append({
                "id": str(claim.id), "target": str(a.original.id), "type": a.original.type, "cities": list(a.original.cities),
                "date": str(a.current.date), "field": claim.field,
                "original": {"value": to_wire(a.original).get(claim.field), "source": source_of(a.original)},
                "disputed": {"value": claim.value, "source": source_of(claim)},
                "counts": to_wire(a.current).get(claim.field),
                "status": "open" if d.open else f"{d.accepted} accepted",
                "resolution": None if res is None else {"id": str(res.id), "accepted": res.accepted, "source": source_of(res),
                                                        "note": res.note, "recorded_at": to_wire(res)["recorded_at"]},
                "target_retracted": a.retraction is not None,
                "recorded_at": to_wire(claim)["recorded_at"], "recorded_by": claim.recorded_by,
            })
    return sorted(rows, key=lambda r: r["recorded_at"])


def open_targets(records: Sequence[Fact]) -> dict[str, date]:
    """Fact id → earliest day of its date, for every fact that counts and has an open dispute."""
    if not any(f.type == "ClaimDisputed" for f in records):
        return {}
    return {str(a.original.id): a.current.date.earliest() for a in amendments.amend(records) if a.disputed}


def streams_with_disputes(ledger: Any) -> list[UUID]:
    rows = ledger.recorder.select_facts("f.type = 'ClaimDisputed'", [], order="f.stream")  # the partial index amity_facts_disputes
    return sorted({UUID(r["stream"]) for r in rows})


def records_with_disputes(ledger: Any, as_known_at: datetime | None = None) -> Iterable[tuple[UUID, list[Fact]]]:
    """(stream, records) of every partnership that holds a dispute (only those recorded by ``as_known_at`` if given)."""
    for stream, records in ledger.decoded(streams_with_disputes(ledger)):
        yield UUID(stream), (known_at(records, as_known_at) if as_known_at is not None else records)


def all_disputes(ledger: Any, as_known_at: datetime | None = None) -> list[dict[str, Any]]:
    """``amity disputes``: every disagreement in the ledger (as it stood at ``as_known_at``)."""
    rows = [row for _, records in records_with_disputes(ledger, as_known_at) for row in disputes_of(records)]
    return sorted(rows, key=lambda r: (r["cities"], r["recorded_at"]))


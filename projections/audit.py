"""The audit trail: events in record order with who recorded them, when, and from which source."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson

from amity.events.partnership import format_instant
from amity.projections.timing import parse_instant


BACKDATED = timedelta(days=1)  # a record time this long before the store's own is shown (only a restore keeps one)
AHEAD = timedelta(minutes=5)  # clocks drift; more than this after the store's own time is shown too


def far_apart(recorded_at: str, stored_at: str) -> bool:
    """Whether an event's record time (the ledger's word) is far from when the store wrote it (the store's)."""
    try:
        gap = datetime.fromisoformat(stored_at) - datetime.fromisoformat(recorded_at)
    except ValueError:
        return True
    return gap > BACKDATED or gap < -AHEAD


def audit_rows(recorder: Any, by: str | None = None, since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
    """Rows of the ``amity_facts`` index (record order), filtered by actor and record time."""
    where, params = [], []
    if by:
        where.append("f.recorded_by = ?")
        params.append(by)
    if since:
        where.append("f.recorded_at >= ?")
        params.append(format_instant(parse_instant(since)))
    if until:
        where.append("f.recorded_at <= ?")
        params.append(format_instant(parse_instant(until)))
    rows = []
    for r in recorder.select_facts(" AND ".join(where), params):
        state = orjson.loads(r["state"])
        row = {
            "position": r["position"], "recorded_at": r["recorded_at"], "recorded_by": r["recorded_by"],
            "stored_at": r["stored_at"], "stored_by": r["stored_by"], "type": r["type"],
            "recorded_far_from_stored": far_apart(r["recorded_at"], r["stored_at"]),
            "cities": state.get("cities"), "date": state.get("date"), "id": r["event_id"], "source": state.get("source"),
        }
        for extra in ("target", "changes", "reason", "place", "alias"):
            if extra in state and r["type"] in ("EventCorrected", "EventRetracted", "PlaceRegistered", "PlaceAliased"):
                row[extra] = state[extra]
        rows.append(row)
    return rows

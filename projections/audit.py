"""The audit trail: events in record order with who recorded them, when, from which source, and what a
correction changed (each field's value before it and after it)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson

from amity.events.partnership import format_instant
from amity.ledger.recording import CLOCK_SKEW


BACKDATED = timedelta(days=1)  # a record time this long before the store's own is shown (only a restore keeps one)
AHEAD = CLOCK_SKEW  # clocks drift; more than this after the store's own time is shown too


def far_apart(recorded_at: str, stored_at: str) -> bool:
    """Whether an event's record time (the ledger's word) is far from when the store wrote it (the store's)."""
    try:
        gap = datetime.fromisoformat(stored_at) - datetime.fromisoformat(recorded_at)
    except ValueError:
        return True
    return gap > BACKDATED or gap < -AHEAD


def audit_rows(recorder: Any, by: str | None = None, since: datetime | None = None, until: datetime | None = None) -> list[dict[str, Any]]:
    """Rows of the ``amity_facts`` index (record order), filtered by actor and record time."""
    where, params = [], []
    if by:
        where.append("f.recorded_by = ?")
        params.append(by)
    if since:
        where.append("f.recorded_at >= ?")
        params.append(format_instant(since))
    if until:
        where.append("f.recorded_at <= ?")
        params.append(format_instant(until))
    rows = []
    for r in recorder.select_facts(" AND ".join(where), params):
        state = orjson.loads(r["state"])
        row = {
            "position": r["position"], "recorded_at": r["recorded_at"], "recorded_by": r["recorded_by"],
            "stored_at": r["stored_at"], "stored_by": r["stored_by"], "type": r["type"],
            "recorded_far_from_stored": far_apart(r["recorded_at"], r["stored_at"]),
            "cities": state.get("cities"), "date": state.get("date"), "id": r["event_id"], "source": state.get("source"),
        }
        for extra in ("network", "member"):  # a network's fact (or an amendment of one)
            if extra in state:
                row[extra] = state[extra]
        for extra in ("target", "changes", "reason", "place", "alias", "counts", "field", "value", "accepted"):
            if extra in state and r["type"] in ("EventCorrected", "EventRetracted", "PlaceRegistered", "PlaceAliased",
                                                "CountAsserted", "ClaimDisputed", "DisputeResolved"):
                row[extra] = state[extra]
        rows.append(row)
    _add_changed(recorder, rows)
    return rows


def _add_changed(recorder: Any, rows: list[dict[str, Any]]) -> None:
    """``changed`` of each correction: {field: {"from": value before it, "to": value after it}}.

    "Before" is the target as recorded with the corrections recorded before this one applied.
    """
    targets = {r["target"] for r in rows if r["type"] == "EventCorrected"}
    if not targets:
        return
    found = recorder.lookup_ids(sorted(targets))
    streams = sorted({row["stream"] for row in found.values()})
    marks = ",".join("?" * len(streams))
    states: dict[str, dict[str, Any]] = {}
    corrections: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for r in recorder.select_facts(f"f.stream IN ({marks})", streams):
        state = orjson.loads(r["state"])
        states[r["event_id"]] = state
        if r["type"] == "EventCorrected":
            corrections.setdefault(state["target"], []).append((r["position"], state["changes"]))
    for row in rows:
        if row["type"] != "EventCorrected" or row["target"] not in states:
            continue
        before = dict(states[row["target"]])
        for position, changes in corrections.get(row["target"], []):
            if position < row["position"]:
                before.update(changes)
        row["changed"] = {k: {"from": before.get(k), "to": v} for k, v in row["changes"].items()}


def what_of(row: dict[str, Any]) -> str:
    """What an audit row did, in a few words: a correction's changes, a retraction's target, a place entry."""
    if row.get("changed"):
        return "; ".join(f"{k}: {_short(v['from'])} → {_short(v['to'])}" for k, v in row["changed"].items())
    if row["type"] == "EventRetracted":
        return f"retracts {row['target'][:8]}: {row.get('reason', '')}"
    if row["type"] == "PlaceAliased":
        return f"{row.get('place')} also as {row.get('alias')}"
    if row["type"] == "PlaceRegistered":
        return f"registers {row.get('place')}"
    if row["type"] == "CountAsserted":  # additions (#19)
        return f"{row.get('place')} counts " + ", ".join(f"{n} {t}" for t, n in (row.get("counts") or {}).items())
    if row["type"] == "ClaimDisputed":
        return f"disputes {row['target'][:8]}: {row.get('field')} = {_short(row.get('value'))}"
    if row["type"] == "DisputeResolved":
        return f"resolves {row['target'][:8]}: {row.get('accepted')} accepted"
    return ""


def _short(value: Any) -> str:
    if value is None:
        return "(none)"
    return value if isinstance(value, str) else orjson.dumps(value).decode()

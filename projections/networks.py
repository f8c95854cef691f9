"""Networks: the rows `amity networks`, `amity network NAME` and a city's profile print, from a network's facts.

Pure functions of one network's facts, as amended (corrections applied, retractions dropped), on a query day D:
a member joined (``MembershipJoined``: "since" its date) or listed ("member, joined by D at the latest": the
earliest ``MembershipListed`` on or before D), not one after ``MembershipLeft``; a fact whose period straddles D
("2025" for 2025-06-01) counts as a possibility and marks its row ``uncertain``. The views hold each network's
facts in valid-time order (``view_rows``), so a question is a fold of one row, not a replay of the store.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Collection, Sequence

import orjson

from amity.events.network import NetworkFact
from amity.events.wire import dumps, to_wire
from amity.ledger import membership
from amity.projections import anniversaryview
from amity.projections.anniversaries import source_of
from amity.projections.anniversaryview import NO_STANDING

DETAILS = ("short", "founded", "secretariat", "regional_office", "url", "scope")
ANNIVERSARY_TYPES = frozenset(anniversaryview.NETWORK_TYPES)  # a founding; a joining with its date


def name_of(facts: Sequence[tuple[int, NetworkFact]]) -> str:
    """The network's name as its facts store it: its first registration's (in record order)."""
    registrations = sorted((p, f) for p, f in facts if f.type == "NetworkRegistered")
    return (registrations[0][1] if registrations else min(facts, key=lambda pf: pf[0])[1]).network


def details_of(facts: Sequence[tuple[int, NetworkFact]]) -> dict[str, Any]:
    """The registration's fields; several registrations merge in valid-time order (a later value wins)."""
    out: dict[str, Any] = dict.fromkeys(DETAILS)
    for _, f in membership.in_valid_time(p_f for p_f in facts if p_f[1].type == "NetworkRegistered"):
        for key in DETAILS:
            value = getattr(f, key)
            if value is not None:
                out[key] = str(value) if key == "founded" else value
    return out


def _member_row(name: str, s: membership.Standing, roll: membership.Roll, day: date | None) -> dict[str, Any]:
    return {"member": name, "status": s.state, "since": str(s.since), "listed": s.state == "listed",
            "roles": sorted({r.role for r in roll.roles if r.member == name and membership.role_holds_on(r, day)}),
            "uncertain": day is not None and s.fact.date.latest() > day, "event_id": str(s.fact.id), "source": source_of(s.fact)}


def document(facts: Sequence[tuple[int, NetworkFact]], day: date | None) -> dict[str, Any] | None:
    """`amity network NAME`: the network on ``day`` (None: by every fact); None if nothing is on file by then."""
    visible = membership.visible_on(facts, day)
    if not visible:
        return None
    roll = membership.roll_of(visible)
    members = [_member_row(m, s, roll, day) for m, s in sorted(roll.members.items()) if s.is_member]
    gone = [{"member": m, "left": str(s.since), "reason": getattr(s.fact, "reason", None), "event_id": str(s.fact.id)}
            for m, s in sorted(roll.members.items()) if s.state == "left"]
    roles = [{"member": r.member, "role": r.role, "since": str(r.date), "until": str(r.until) if r.until else None,
              "event_id": str(r.id), "source": source_of(r)}
             for r in roll.roles if membership.role_holds_on(r, day) and roll.members.get(r.member, None) is not None
             and roll.members[r.member].is_member]
    meetings = [{"date": str(m.date), "meeting": m.meeting, "host": m.host, "topic": m.topic, "event_id": str(m.id), "source": source_of(m)}
                for m in roll.meetings]
    return {"network": name_of(facts), "name": name_of(facts), **details_of(facts), "members": members, "left": gone, "roles": roles,
            "meetings": meetings, "events": roll.events}


def summary(doc: dict[str, Any]) -> dict[str, Any]:
    """`amity networks`: one row of a network's document."""
    return {"network": doc["network"], "name": doc["network"], **{k: doc[k] for k in DETAILS}, "members": len(doc["members"])}


def membership_of(doc: dict[str, Any], member: str) -> dict[str, Any] | None:
    """A city's profile: its membership of the network in ``doc`` (with its roles), or None."""
    for row in doc["members"]:
        if row["member"] == member:
            return {"network": doc["network"], "short": doc["short"], "since": row["since"], "listed": row["listed"], "status": row["status"],
                    "role": ", ".join(row["roles"]) or None, "roles": row["roles"], "uncertain": row["uncertain"], "source": row["source"]}
    return None


# ---- the views' rows ------------------------------------------------------------------------------

def view_rows(stream: str, effective: Sequence[tuple[int, NetworkFact]]) -> tuple[tuple | None, list[tuple], list[tuple]]:
    """(the ``amity_networks`` row, its members' rows, its anniversary rows) of one network. A member's row is
    (member, stream, its facts as [place in the network's row, position, wire]); the network's own facts are the
    member ""'s (``networkview.member_facts``)."""
    if not effective:
        return None, [], []
    name = name_of(effective)
    items = [[p, to_wire(f)] for p, f in membership.in_valid_time(effective)]
    names = sorted({t for _, f in effective if f.type == "NetworkRegistered" for t in (f.network, f.short) if t})
    facts = dumps(items)  # keys sorted: the same bytes for a fact decoded or validated
    row = (stream, name, details_of(effective)["short"], dumps(names), facts)
    by_member: dict[str, list[list[Any]]] = {}
    for i, (p, w) in enumerate(items):
        by_member.setdefault(w.get("member") or "", []).append([i, p, w])
    members = [(member, stream, dumps(rows)) for member, rows in sorted(by_member.items())]
    return row, members, anniversary_rows(stream, name, effective)


def anniversary_rows(stream: str, name: str, effective: Sequence[tuple[int, NetworkFact]]) -> list[tuple]:
    """``amity_anniversary_events`` rows: a founding (its ``founded``) and each joining with its date; ``terminated``:
    the member has left by now (by every fact on file); never disputed (a dispute is about a partnership's fact)."""
    roll = membership.roll_of(effective)
    out = []
    for _, f in effective:
        if f.type == "NetworkRegistered" and f.founded is not None:
            out.append(anniversaryview.row(stream, str(f.id), f.type, str(f.founded), f.founded.year, (name, ""), False, False, NO_STANDING,
                                           dumps(source_of(f))))
        elif f.type == "MembershipJoined":
            left = roll.members.get(f.member) is not None and roll.members[f.member].state == "left"
            out.append(anniversaryview.row(stream, str(f.id), f.type, str(f.date), f.date.year, (name, f.member), left, False, NO_STANDING,
                                           dumps(source_of(f))))
    return out


def facts_of_items(items: Sequence[Sequence[Any]]) -> list[tuple[int, NetworkFact]]:
    """Facts ([position, wire], as a view holds them) back as facts, decoded without validating them again."""
    from amity.ledger.mapping import trusted_fact
    from amity.events.partnership import FACT_TYPES

    return [(p, trusted_fact(FACT_TYPES[w["type"]].TOPIC, w)) for p, w in items]


def facts_of_row(blob: bytes, members: Collection[str] | None = None) -> list[tuple[int, NetworkFact]]:
    """A view row's facts back as facts (decoded without validating again: they were validated on the way in);
    ``members``: only the network's own facts and those about these members (a member's standing depends on
    nothing else)."""
    from amity.ledger.mapping import trusted_fact
    from amity.events.partnership import FACT_TYPES

    from amity.projections.networkview import decoded

    return decoded(blob, lambda rows: [(p, trusted_fact(FACT_TYPES[w["type"]].TOPIC, w)) for p, w in rows
                                       if members is None or w.get("member") is None or w["member"] in members])


def anniversary_events(effective: Sequence[tuple[int, NetworkFact]]) -> list[dict[str, Any]]:
    """The anniversary events of one network's facts, as the view's rows read back (for replays: `--as-known-at`)."""
    out = []
    for row in anniversary_rows("", name_of(effective), effective) if effective else []:
        e = dict(zip(anniversaryview.COLUMNS, row))
        out.append({"event_id": e["event_id"], "type": e["type"], "date": e["date"], "cities": [e["city_a"], e["city_b"]],
                    "terminated": bool(e["terminated"]), "source": orjson.loads(e["source"])})
    return out

"""Corroboration: the same fact from another source is kept, append-only, and counted once.

The rule, written down once:

- Two facts **state the same fact** when they have the same type, the same pair (or, for a count, the same
  place) and the same fields of their type, whatever their ``source``, ``note``, ``people`` and ``place``
  (where it happened), and their dates nest: one date's period holds the other's ("2010" holds "2010-11"
  holds "2010-11-25"; equal dates hold each other).
- Of facts stating the same fact, the **most precise date stands** (day before month before year), and of
  equally precise ones the one recorded first. Every other one **corroborates** the most precise standing
  fact whose date its own holds (the earliest recorded of those, if several): it stays on file, shows its
  source beside the standing fact's in ``history``, and counts for nothing else (status, anniversaries,
  counts and the lifecycle rules see the standing fact once).
- Facts of one day with different fields (an MoU at tier friendship, another at sister) are not the same
  fact: that is a disagreement (``ClaimDisputed``), or two facts.
- Corrections and retractions apply first: a retracted standing fact lets its most precise corroboration
  stand; a correction that makes two facts equal makes one corroborate the other.
"""

from __future__ import annotations

from typing import Any, Sequence

from amity.events.network import NetworkFact
from amity.events.wire import dumps, to_wire

_PRECISION = {"day": 0, "month": 1, "year": 2}
NOT_THE_FACT = frozenset({"id", "recorded_at", "recorded_by", "as_written", "source", "note", "people", "date"})


def fact_key(fact: Any) -> bytes:
    """What identifies the fact a record states, apart from its date (``place`` is where it happened, except for a count)."""
    wire = to_wire(fact)
    drop = NOT_THE_FACT if fact.type == "CountAsserted" else NOT_THE_FACT | {"place"}
    return dumps({k: v for k, v in wire.items() if k not in drop})


def holds(outer: Any, inner: Any) -> bool:
    """Whether the period of date ``outer`` holds that of ``inner``."""
    return outer.earliest() <= inner.earliest() and inner.latest() <= outer.latest()


def corroborations(facts: Sequence[tuple[int, Any]]) -> dict[int, int]:
    """record position of each corroborating fact → record position of the standing fact it corroborates."""
    buckets: dict[tuple[str, int], list[tuple[int, Any]]] = {}
    for position, fact in facts:
        if fact.date is None or isinstance(fact, NetworkFact):  # a network's facts merge or are rules (ledger/membership.py)
            continue
        buckets.setdefault((fact.type, fact.date.year), []).append((position, fact))  # nested dates share their year
    out: dict[int, int] = {}
    for items in buckets.values():
        if len(items) < 2:
            continue
        groups: dict[bytes, list[tuple[int, Any]]] = {}
        for position, fact in items:
            groups.setdefault(fact_key(fact), []).append((position, fact))
        for group in groups.values():
            if len(group) > 1:
                out.update(_within(group))
    return out


def _within(group: list[tuple[int, Any]]) -> dict[int, int]:
    standing: list[tuple[int, Any]] = []
    out: dict[int, int] = {}
    for position, fact in sorted(group, key=lambda pf: (_PRECISION[pf[1].date.precision], pf[0])):
        held = next((p for p, f in standing if holds(fact.date, f.date)), None)
        if held is None:
            standing.append((position, fact))
        else:
            out[position] = held
    return out


def standing(facts: Sequence[tuple[int, Any]], others: dict[int, int] | None = None) -> list[tuple[int, Any]]:
    """The facts that count: every fact but those that corroborate another (``others``: their ``corroborations``, if known)."""
    others = corroborations(facts) if others is None else others
    return [pf for pf in facts if pf[0] not in others] if others else list(facts)


def noticed_base() -> tuple[type, ...]:
    """The facts that corroborate or are corroborated: a partnership's and counts."""
    from amity.events.additions import CountAsserted
    from amity.events.partnership import PartnershipFact

    return (PartnershipFact, CountAsserted)


def notices(records: Sequence[Any], start: int) -> list[str]:
    """One line for each fact from record position ``start`` on that corroborates another or is corroborated."""
    from amity.ledger import amendments

    facts = [(a.position, a.current) for a in amendments.amend(records, base=noticed_base()) if a.retraction is None]
    return notices_of(facts, corroborations(facts), start)


def notices_of(facts: Sequence[tuple[int, Any]], found: dict[int, int], start: int) -> list[str]:
    """``notices`` of amended facts that count (record position, fact) whose ``corroborations`` are ``found``."""
    by_position = dict(facts)
    out = []
    for position, held in sorted(found.items()):
        if position >= start or held >= start:
            one, other = by_position[position], by_position[held]
            source = other.source if isinstance(other.source, dict) else other.source.model_dump()
            out.append(f"{one.type} {str(one.id)[:8]} of {one.date} corroborates {other.type} {str(other.id)[:8]} of "
                       f"{other.date} ({source['title']}): the fact counts once")
    return out

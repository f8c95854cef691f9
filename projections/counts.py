"""Official counts checked like balance assertions: ``amity check``.

Each ``CountAsserted`` in force (corrections applied, retractions dropped, a corroborating count once) is
compared, tier by tier, with the ledger as of its date (a partial date read as its last day, like ``--as-of``):
``on_file`` is the number of partnerships of the place at that tier that are active or suspended then, exactly
the rows ``amity status PLACE --as-of DATE`` shows with that tier (``sister`` and ``twin`` count together:
twin ranks as sister). ``missing`` = asserted − on file (negative: more on file than the source counts); a row
holds when it is 0. Nothing is ever rejected for disagreeing with a count.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from amity.events.additions import CountAsserted
from amity.ledger import amendments
from amity.projections.anniversaries import source_of
from amity.projections.timing import known_at

COUNTED = ("active", "suspended")
SAME_TIER = {"twin": "sister"}


def same_tier(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and SAME_TIER.get(a, a) == SAME_TIER.get(b, b)


def counts_in_force(ledger: Any, as_known_at: datetime | None = None) -> list[Any]:
    """Every count that stands, in record order."""
    records = ledger.counts()
    if as_known_at:
        records = known_at(records, as_known_at)
    return [fact for _, fact in amendments.effective(records, base=CountAsserted)]


def check_rows(reader: Any, as_known_at: datetime | None = None, place: str | None = None) -> list[dict[str, Any]]:
    """One row per count and tier: asserted, on file, missing, which partnerships are on file."""
    ledger = reader.ledger
    gaz = ledger.gazetteer
    wanted = gaz.resolve(place).id if place else None
    rows = []
    for count in counts_in_force(ledger, as_known_at):
        where = gaz.resolve_stored_many([count.place])[count.place]
        if wanted is not None and where.id != wanted:
            continue
        on = count.date.latest()
        status = reader.status(place=where.id, as_of=on, as_known_at=as_known_at)
        for tier, asserted in count.counts.items():
            found = [r for r in status if r["status"] in COUNTED and same_tier(r["tier"], tier)]
            rows.append({
                "place": where.label, "place_id": where.id, "date": str(count.date), "as_of": on.isoformat(), "tier": tier,
                "asserted": asserted, "on_file": len(found), "missing": asserted - len(found), "holds": asserted == len(found),
                "partnerships": [next(c for c, i in zip(r["cities"], r["place_ids"]) if i != where.id) for r in found],
                "disputed": any(r.get("disputed") for r in found),
                "source": source_of(count), "id": str(count.id),
            })
    return sorted(rows, key=lambda r: (r["place"], r["as_of"], r["tier"]))

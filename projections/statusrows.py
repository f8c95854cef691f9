"""Status rows of many partnerships, light: tuples made from the timeline view's steps, each stored place named once.

``amity status`` of every partnership prints ~28,000 rows at 1M events. A row is a ``StatusRow`` (a tuple whose
fields are in the order ``--json`` prints them); a day's dormancy is decided once per distinct last activity, each
distinct stored place name is resolved once, and the rows come sorted as they are shown (by their places' labels,
then as stored), so a command can write them as it goes. ``as_dict`` is the row ``Reader.status`` has always given.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from datetime import date
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

from amity.events.dates import PartialDate
from amity.projections.status import asleep as asleep_on, dormant as dormant_now


class StatusRow(NamedTuple):
    cities: list[str]  # as stored until ``presented``, then as shown, in the order of their labels
    status: str
    tier: str | None
    since: str | None
    established: str | None
    implied_agreement: bool
    last_activity: str | None
    dormant: bool
    uncertain: bool
    events: int
    place_ids: list[str] | None  # set by ``presented``
    disputed: bool


FIELDS = StatusRow._fields
_make = StatusRow._make


def as_dict(row: StatusRow) -> dict[str, Any]:
    """The row as ``Reader.status`` gives it (and ``--json`` prints it)."""
    return dict(zip(FIELDS, row))


def from_steps(found: Iterable[tuple[str, str, Sequence[Any]]], on: date, dormant_years: int) -> list[StatusRow]:
    """Rows of (city_a, city_b, step) as ``PartnershipView.steps_on`` gives them (a step: ``timeline.STEP_FIELDS``)."""
    dormant: dict[str | None, bool] = {None: False, "": False}  # by last activity: asleep on the day (``status.asleep``)
    out = []
    for a, b, (_, status, tier, since, established, implied, last, events, uncertain, disputed) in found:
        asleep = dormant.get(last)
        if asleep is None:
            try:
                asleep = dormant[last] = asleep_on(PartialDate.parse(last).latest(), on, dormant_years)
            except (ValueError, TypeError):
                from amity.ledger.errors import StoreError

                raise StoreError(f"the view row of {a} – {b} is damaged: `amity rebuild` recomputes the views") from None
        out.append(StatusRow([a, b], status, tier, since, established, bool(implied), last,
                             dormant_now(status, asleep), bool(uncertain), events, None, bool(disputed)))
    return out


def from_dicts(rows: Iterable[dict[str, Any]]) -> list[StatusRow]:
    """Rows of ``status.status_row`` (a replay)."""
    return [StatusRow(r["cities"], r["status"], r["tier"], r["since"], r["established"], r["implied_agreement"], r["last_activity"],
                      r["dormant"], r["uncertain"], r["events"], None, r["disputed"]) for r in rows]


def kept(rows: list[StatusRow], names: Sequence[str], country: str | None, status: str | None, tier: str | None) -> list[StatusRow]:
    """The rows of one of ``names`` (stored strings; none: every row) with a place of ``country`` and the given status and tier."""
    wanted, suffix = set(names), country and f", {country.upper()}"
    return [r for r in rows if (not wanted or not wanted.isdisjoint(r.cities)) and (not status or r.status == status)
            and (not tier or r.tier == tier) and (not suffix or any(c.endswith(suffix) for c in r.cities))]


def presented(rows: list[StatusRow], gazetteer: Any) -> list[StatusRow]:
    """Rows with their places as shown now (current canonical or preferred names, in label order) and their ids,
    sorted by those labels; ``rows`` come sorted by their stored names (as the view and a replay give them), the
    order rows of equal labels keep."""
    known = gazetteer.resolve_stored_many(sorted({c for r in rows for c in r.cities}))
    shown = {text: (place.label, place.id) for text, place in known.items()}
    rank = {label: i for i, label in enumerate(sorted({label for label, _ in shown.values()}))}  # sorting by ints is quicker
    n, keyed = len(rank), []
    for r in rows:
        a, b = shown[r.cities[0]], shown[r.cities[1]]
        if b[0] < a[0]:
            a, b = b, a
        keyed.append((rank[a[0]] * n + rank[b[0]], _make(([a[0], b[0]], *r[1:10], [a[1], b[1]], r[11]))))
    keyed.sort(key=_first)
    return [row for _, row in keyed]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a while: while tens of thousands of rows are made (no cycles among
    them), it would walk every live object again and again (~0.5 s of `amity status` at 1M events)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _first(pair: tuple) -> Any:
    return pair[0]

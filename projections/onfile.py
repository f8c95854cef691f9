"""Names resolved against the places on file first: what read commands (history, status PLACE, city, network,
the anniversaries' filters) mean by a name that fits several places. Light to import: ``amity history`` needs
it without the views, which are opened only when a name is ambiguous."""

from __future__ import annotations

from typing import Any


def prefer_ledger(ledger: Any, view: Any = None):
    """The ledger's gazetteer, resolving names against the places on file first (read commands).

    The places on file (in a partnership's view row, or in the registry) are read only when a name fits
    several places, and the views are opened only then.
    """
    gaz = ledger.gazetteer
    if gaz.on_file is None:
        held: list[set[str]] = []

        def on_file() -> set[str]:
            if not held:
                from amity.projections.views import open_view

                cities = (view or open_view(ledger)).cities_on_file()
                held.append({p.id for p in gaz.resolve_stored_many(cities).values()} | set(gaz.registry))
            return held[0]

        gaz.on_file = on_file
    return gaz

"""The read side's entry point: a ledger's views, kept current, and the questions they answer.

``status`` reads the timeline view (valid time); with ``as_known_at`` it replays only the events
recorded up to that instant, partnership by partnership (an audit question: one ordered scan of the
store, decoded without re-validation, about as long as a rebuild in one process).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from amity.ledger.app import Ledger, today
from amity.projections import status as status_rules
from amity.projections.timing import known_at, parse_instant
from amity.projections.catchup import ViewUpdate, catch_up
from amity.projections.views import VIEW_NAME, open_view

DORMANT_YEARS = status_rules.DORMANT_YEARS


class Reader:
    """Answers questions about one ledger from its materialised views."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.view = open_view(ledger.recorder.datastore)  # type: ignore[attr-defined]  # PostgreSQL: created by `amity init`

    def catch_up(self, progress: Callable[[int, int], None] | None = None) -> int:
        from amity.ledger.errors import AmityError, StoreError, describe

        try:
            return catch_up(self.ledger, self.view, progress)
        except AmityError:
            raise
        except Exception as exc:  # a read-only, full or unreachable store
            raise StoreError(f"cannot update the views in {self.ledger.url}: {describe(exc)}; "
                             "run the command once with write access, or `amity rebuild`") from None

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Recompute the views from every event, in one transaction (the old views stand until it commits)."""
        from amity.ledger.errors import AmityError, StoreError, describe

        try:
            return catch_up(self.ledger, self.view, progress, reset=True)
        except AmityError:
            raise
        except Exception as exc:
            raise StoreError(f"cannot rebuild the views in {self.ledger.url}: {describe(exc)}") from None

    def projector(self) -> ViewUpdate:
        """For ``Ledger.import_events``: keeps the views current within the import's transaction."""
        return ViewUpdate(self.view, VIEW_NAME)

    def status(self, *, place: str | None = None, as_of: date | None = None, as_known_at: str | None = None,
               country: str | None = None, status: str | None = None, tier: str | None = None,
               dormant_years: int = DORMANT_YEARS) -> list[dict[str, Any]]:
        on = as_of or today()
        canonical = self.ledger.gazetteer.resolve(place).canonical if place else None
        if as_known_at:
            rows = self._known_at(parse_instant(as_known_at), on, dormant_years)
        else:
            self.catch_up()
            rows = [status_rules.row_on(it, on, dormant_years) for it in self.view.on(on, [canonical] if canonical else [])]
        if country:
            from amity.ledger.gazetteer import country_code

            country = country_code(country)
        return [r for r in rows if status_rules.matches(r, canonical, country, status, tier)]

    def anniversaries(self, start: date, end: date, milestones: tuple[int, ...], include_terminated: bool = False) -> list[dict[str, Any]]:
        """Anniversary rows whose period overlaps [start, end]."""
        from amity.projections import anniversaries as ann

        self.catch_up()
        events = self.view.establishing_in(ann.candidate_years(start, end, milestones), include_terminated)
        return ann.rows_for(events, milestones, start, end)

    def _known_at(self, instant, on: date, dormant_years: int) -> list[dict[str, Any]]:
        """Every partnership replayed from only the events recorded by ``instant``: one ordered scan of the store."""
        from amity.ledger.bulk import bulk_collection
        from amity.ledger.mapping import trusted_fact
        from amity.ledger.partnership import REGISTRY_ID
        from amity.ledger.writer import StreamReader

        rows = []
        with bulk_collection(), self.view.read_transaction() as c:
            for stream, items in StreamReader(self.ledger.recorder, c).streams(None):
                if stream == REGISTRY_ID.hex:
                    continue
                records = known_at([trusted_fact(topic, state) for topic, state in items], instant)
                row = status_rules.status_row(records, on=on, dormant_years=dormant_years)
                if row:
                    rows.append(row)
        return sorted(rows, key=lambda r: r["cities"])

    def place_ids(self, rows: list[dict[str, Any]]) -> None:
        """Add the place ids to each row (for --json)."""
        gaz, cache = self.ledger.gazetteer, {}
        for r in rows:
            r["place_ids"] = [cache.setdefault(c, gaz.resolve(c).id) for c in r["cities"]]

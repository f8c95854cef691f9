"""The read side's entry point: a ledger's views, kept current, and the questions they answer.

``status`` reads the timeline view (valid time); with ``as_known_at`` it replays only the events
recorded up to that instant, partnership by partnership (an audit question: one ordered scan of the
store, decoded without re-validation, about as long as a rebuild in one process).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Sequence

from amity.ledger.app import Ledger, today
from amity.projections import status as status_rules
from amity.projections.onfile import prefer_ledger
from amity.projections.views import VIEW_NAME, open_view

DORMANT_YEARS = status_rules.DORMANT_YEARS


class Reader:
    """Answers questions about one ledger from its materialised views."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.view = open_view(ledger)  # PostgreSQL: created by `amity init`

    def catch_up(self, progress: Callable[[int, int], None] | None = None) -> int:
        from amity.ledger.errors import AmityError, StoreError, describe

        try:
            if self.view.is_current(self.ledger):
                return 0  # the usual case: nothing to compute, and the catch-up machinery is not even imported
            from amity.projections.catchup import catch_up

            return catch_up(self.ledger, self.view, progress)
        except AmityError:
            raise
        except Exception as exc:  # a read-only, full, busy or unreachable store
            reason = describe(exc)
            if "locked" in reason.lower():
                raise StoreError(f"the views in {self.ledger.url} are behind and another process is writing to it; "
                                 "try again when it has finished") from None
            raise StoreError(f"cannot update the views in {self.ledger.url}: {reason}; "
                             "run the command once with write access, or `amity rebuild`") from None

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Recompute the views from every event, in one transaction (the old views stand until it commits)."""
        from amity.ledger.errors import AmityError, StoreError, describe

        from amity.projections.catchup import catch_up

        try:
            return catch_up(self.ledger, self.view, progress, reset=True)
        except AmityError:
            raise
        except Exception as exc:
            raise StoreError(f"cannot rebuild the views in {self.ledger.url}: {describe(exc)}") from None

    def projector(self) -> Any:
        """For ``Ledger.import_events``: keeps the views current within the import's transaction (a ``ViewUpdate``)."""
        from amity.projections.catchup import ViewUpdate

        return ViewUpdate(self.view, VIEW_NAME)

    def status(self, *, place: str | None = None, as_of: date | None = None, as_known_at: datetime | None = None,
               country: str | None = None, status: str | None = None, tier: str | None = None,
               dormant_years: int = DORMANT_YEARS) -> list[dict[str, Any]]:
        """One status row per partnership (``statusrows.as_dict``), sorted by the places as shown."""
        from amity.projections.statusrows import as_dict

        return [as_dict(r) for r in self.status_rows(place=place, as_of=as_of, as_known_at=as_known_at, country=country,
                                                     status=status, tier=tier, dormant_years=dormant_years)]

    def status_rows(self, *, place: str | None = None, as_of: date | None = None, as_known_at: datetime | None = None,
                    country: str | None = None, status: str | None = None, tier: str | None = None,
                    dormant_years: int = DORMANT_YEARS) -> list[Any]:
        """``status`` as light ``statusrows.StatusRow`` tuples (``amity status`` of every partnership writes them as it goes)."""
        from amity.projections import statusrows

        on = as_of or today()
        gaz = self.prefer_ledger()
        names = gaz.spellings(gaz.resolve(place)) if place else []
        if country:
            from amity.ledger.gazetteer import country_code

            country = country_code(country)
        if as_known_at:
            rows = statusrows.from_dicts(self._known_at(as_known_at, on, dormant_years))
        else:
            self.catch_up()
        with statusrows.collector_paused():
            if not as_known_at:
                rows = statusrows.from_steps(self.view.steps_on(on, names), on, dormant_years)
            return statusrows.presented(statusrows.kept(rows, names, country, status, tier), self.ledger.gazetteer)

    def prefer_ledger(self):
        """The gazetteer, resolving names against the places on file first (read commands)."""
        return prefer_ledger(self.ledger, self.view)

    def anniversaries(self, start: date, end: date, milestones: tuple[int, ...], include_terminated: bool = False,
                      networks: bool = False, places: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Anniversary rows whose period overlaps [start, end]; ``networks``: with foundings and joinings of networks, marked;
        ``places``: only events that name one of these canonical strings (the view's rows are filtered by the store)."""
        from amity.projections import anniversaries as ann
        from amity.projections.anniversaryview import events_in

        self.catch_up()
        window = ann.Window(milestones, start, end)
        events = events_in(self.view, ann.candidate_years(start, end, milestones), include_terminated, networks,
                           keep=lambda text: bool(window.of(text)), months=window.months(), cities=places, bounds=window.bounds())
        day = today()
        key = day.isoformat()  # a partnership's standing holds from its day on; before it, its timeline says
        earlier = self.view.statuses_on([e["stream"] for e in events if e["standing_from"] and e["standing_from"] > key], day)
        for e in events:
            stream, standing, since = e.pop("stream"), e.pop("standing"), e.pop("standing_from")
            e["suspended"] = (standing if since is None or since <= key else earlier.get(stream)) == "suspended"
        return ann.mark(ann.rows_for(events, milestones, start, end, window))

    def revisions(self, event_ids: list[str]) -> dict[str, tuple[int, str]]:
        """(SEQUENCE, LAST-MODIFIED) of each event for a calendar: how many corrections it has had (and
        retractions of those), and the record time of the latest of them (or of the event itself)."""
        import orjson

        recorder = self.ledger.recorder
        found = recorder.lookup_ids(event_ids)  # type: ignore[attr-defined]
        out = {event_id: (0, row["recorded_at"]) for event_id, row in found.items()}
        streams = sorted({row["stream"] for row in found.values()})
        if not streams:
            return out
        marks = ",".join("?" * len(streams))
        amended: dict[str, str] = {}  # correction id -> the event it corrects
        for r in recorder.select_facts(f"f.type IN ('EventCorrected', 'EventRetracted') AND f.stream IN ({marks})", streams):  # type: ignore[attr-defined]
            target = orjson.loads(r["state"])["target"]
            event_id = target if target in out else amended.get(target)
            if event_id is None:
                continue
            if r["type"] == "EventCorrected":
                amended[r["event_id"]] = event_id
            sequence, modified = out[event_id]
            out[event_id] = (sequence + 1, max(modified, r["recorded_at"]))
        return out

    def _known_at(self, instant: datetime, on: date, dormant_years: int) -> list[dict[str, Any]]:
        """Every partnership replayed from only the events recorded by ``instant``: one ordered scan of the store."""
        from amity.events.network import NETWORK_TYPES
        from amity.projections.timing import known_at

        rows = []
        with self.ledger.records() as records:
            for _stream, facts in records.streams():
                if facts and facts[0].type in NETWORK_TYPES:
                    continue  # a network's stream: `amity networks` answers about it
                row = status_rules.status_row(known_at(facts, instant), on=on, dormant_years=dormant_years)
                if row:
                    rows.append(row)
        return sorted(rows, key=lambda r: r["cities"])

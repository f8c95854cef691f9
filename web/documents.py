"""The documents behind the pages: the same JSON the CLI prints with ``--json``, from the same projections.

A page is a template over one of these documents, and ``?format=json`` returns the document itself:
``status_rows`` is ``amity status --json``, ``history`` is ``amity history A B --json``, ``audit`` is
``amity audit --json`` and ``anniversaries`` is ``amity anniversaries --from D --days N --json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from amity.events.partnership import Fact
from amity.ledger.app import Ledger, today
from amity.projections import anniversaries as ann
from amity.projections.audit import audit_rows
from amity.projections.history import history_rows
from amity.projections.reader import Reader
from amity.cli.options import instant as parse_instant
from amity.projections.timing import known_at

UPCOMING_DAYS = 90


def parse_day(text: str) -> date:
    """A page's ``as_of``: a full date."""
    from amity.ledger.errors import BadInput

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"as_of {text!r}: use a full date YYYY-MM-DD") from None


@dataclass(frozen=True)
class When:
    """The two times a page is asked about: ``as_of`` (valid time) and ``as_known_at`` (record time)."""

    as_of: str | None = None
    as_known_at: str | None = None

    @classmethod
    def of(cls, params: Any) -> When:
        as_of, known = params.get("as_of") or None, params.get("as_known_at") or None
        if as_of:
            parse_day(as_of)
        if known:
            parse_instant(known)
        return cls(as_of, known)

    @property
    def day(self) -> date:
        return parse_day(self.as_of) if self.as_of else today()

    def query(self) -> dict[str, str]:
        return {k: v for k, v in (("as_of", self.as_of), ("as_known_at", self.as_known_at)) if v}


class Documents:
    """Every question the web view and the published pages ask, answered from one ledger's projections."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.reader = Reader(ledger)

    def status_rows(self, when: When, place: str | None = None, country: str | None = None,
                    status: str | None = None, tier: str | None = None) -> list[dict[str, Any]]:
        return self.reader.status(place=place, as_of=when.day if when.as_of else None, as_known_at=parse_instant(when.as_known_at),
                                  country=country, status=status, tier=tier)  # presented once: labels are never resolved again

    def records(self, a: str, b: str, when: When) -> tuple[tuple[str, str], list[Fact]]:
        """The canonical names of a partnership and its records (only those recorded by ``as_known_at``)."""
        stream_id, names = self.ledger.pair(a, b)
        records = self.ledger.stream(stream_id)
        return names, known_at(records, parse_instant(when.as_known_at)) if when.as_known_at else records

    def history(self, names: tuple[str, str], records: list[Fact]) -> dict[str, Any]:
        return {"cities": list(names), "events": history_rows(records)}

    def anniversaries(self, when: When, days: int = UPCOMING_DAYS, place: str | None = None, networks: bool = False) -> list[dict[str, Any]]:
        """Anniversaries in the ``days`` from the day asked about; under ``as_known_at``, of the events recorded by then;
        ``networks``: with networks' foundings and joinings (the calendar, as the CLI's)."""
        start, end = ann.day_window(when.day, days)
        if when.as_known_at:  # an audit question: each partnership's records as known then (a replay, like status)
            events = [e for row in self.status_rows(when, place=place) for e in ann.establishing(self.records(*row["place_ids"], when)[1])]
            rows = ann.rows_for([e for e in events if not e["terminated"]], ann.MILESTONES, start, end)
        else:
            rows = self.reader.anniversaries(start, end, ann.MILESTONES, networks=networks)
        return [r for r in rows if place in r["cities"]] if place else rows

    def audit(self, by: str | None, since: str | None, until: str | None) -> list[dict[str, Any]]:
        return audit_rows(self.ledger.recorder, by, parse_instant(since, "--since"), parse_instant(until, "--until"))

    def find_place(self, text: str) -> str:
        """The place a search names: as the gazetteer resolves it or, failing that, the one place on file it matches
        (an ambiguous name with one candidate on file, or part of a name: "kuala")."""
        from amity.ledger.errors import AmbiguousPlace, BadInput, UnknownPlace

        gazetteer = self.ledger.gazetteer
        try:
            return gazetteer.resolve(text).canonical
        except (AmbiguousPlace, UnknownPlace) as exc:
            on_file = {c for r in self.reader.status() for c in r["cities"]}
            if isinstance(exc, AmbiguousPlace):
                found = {p.canonical for p in gazetteer.search(text.split(",")[0]) if p.canonical in on_file}
            else:
                found = {c for c in on_file if all(w in c.casefold() for w in text.casefold().split())}
            if len(found) == 1:
                return found.pop()
            if found:
                raise BadInput(f"{text!r} matches {len(found)} places on file: {'; '.join(sorted(found))}") from None
            raise

    def networks(self, place: str, when: When) -> list[dict[str, Any]]:
        """The place's networks on the day asked about (`amity city`'s section): network, role, since."""
        from amity.projections.networkreader import NetworkReader

        gaz = self.ledger.gazetteer
        return NetworkReader(self.reader).memberships(gaz.spellings(gaz.resolve(place)), when.day, parse_instant(when.as_known_at))

    def sections(self, place: str, when: When, *names: str) -> dict[str, Any]:
        """Sections of `amity city`'s profile by name (``counts``, ``disputes`` …), the same rows as its --json."""
        from amity.projections.profile import SECTIONS, Context

        gaz, by_name = self.ledger.gazetteer, dict(SECTIONS)
        found = gaz.resolve(place)
        ctx = Context(self.reader, found, gaz.spellings(found), when.day, parse_instant(when.as_known_at), 365)
        return {name: by_name[name](ctx) for name in names}

    def place(self, text: str) -> dict[str, Any]:
        p = self.ledger.gazetteer.resolve(text)
        return {"canonical": p.canonical, "name": p.name, "country": p.country, "region": p.region, "kind": p.kind, "id": p.id}

    def digest(self) -> dict[str, Any]:
        from amity.ledger.integrity import digest_of

        return digest_of(self.ledger.recorder)

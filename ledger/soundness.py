"""What `verify` checks beyond the chain: that each stored event is a sound fact in its right place.

A writer on PostgreSQL appends through the owner's function, which can check the index against the
event but not Amity's models or place names. So `verify` also checks, for every event in chain order:
that it validates as its type (no unknown field, no impossible date); that each stream's versions run
1, 2, 3 … with no gap; that place facts live in the place registry, apply cleanly, and nothing else does;
that every event of a stream is about the same pair; and, at the end, that each stream's id is the one
its pair's place ids give (so a fact planted under a made-up stream, or under another pair's, is found).
A network's facts (and their amendments) must be in the stream their network resolves to, registrations
taken in chain order.
"""

from __future__ import annotations

from typing import Any

from amity.events.partnership import PlaceFact
from amity.ledger.errors import AmityError
from amity.ledger.mapping import fact_class, stored_fact
from amity.ledger.additions import COUNTS_ID
from amity.ledger.networks import NetworkDirectory
from amity.ledger.streamids import REGISTRY_ID, partnership_id

AMENDMENTS = ("EventCorrected", "EventRetracted")  # of a count: in the counts stream, without cities
REGISTRY, COUNTS = REGISTRY_ID.hex, COUNTS_ID.hex


class Soundness:
    """Accumulates what it needs over the chain walk; each method returns a reason, or None."""

    def __init__(self) -> None:
        from amity.ledger.gazetteer import Gazetteer

        self.versions: dict[str, int] = {}
        self.pairs: dict[str, tuple[str, ...]] = {}
        self.gazetteer = Gazetteer()
        self.networks = NetworkDirectory()
        self.network_streams: dict[str, str] = {}  # a network as written -> its stream (a resolved name keeps its stream)

    def event(self, row: tuple, d: dict[str, Any]) -> str | None:
        """Why the chain row ``row`` (``integrity.CHAIN_COLUMNS``; its state decoded: ``d``) is not a sound fact, or None."""
        stream, version, type_, topic, state = row[4], row[5], row[6], row[13], row[14]
        try:
            fact = stored_fact(fact_class(topic), state, d)
        except (ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
            first = " ".join(str(exc).split())[:160]
            return f"its stored fact is not a valid {type_} ({first}): it was written behind the ledger's back"
        if not isinstance(version, int) or version != self.versions.get(stream, 0) + 1:
            return f"its stream version {version} does not follow {self.versions.get(stream, 0)}: events were inserted out of sequence"
        self.versions[stream] = version
        place_fact = isinstance(fact, PlaceFact)
        if place_fact != (stream == REGISTRY):
            return "it is stored in the wrong stream (a place fact outside the place registry, or a fact in it): it was inserted or moved"
        if place_fact:
            try:
                self.gazetteer.apply(fact, replay=True)  # type: ignore[arg-type]
            except AmityError as exc:
                return f"this place fact does not apply ({exc}): it was written behind the ledger's back"
            return None
        if d.get("network") is not None and not d.get("cities"):
            return self._network(fact, stream)
        if (stream == COUNTS) != (fact.type == "CountAsserted" or (fact.type in AMENDMENTS and not d.get("cities"))):
            return "it is stored in the wrong stream (a count outside the counts stream, or another fact in it): it was inserted or moved"
        if stream == COUNTS:
            return None
        cities = tuple(d.get("cities") or ())
        if self.pairs.setdefault(stream, cities) != cities:
            return f"it is about {' – '.join(cities)}, but its stream holds the events of {' – '.join(self.pairs[stream])}: it was inserted or moved"
        return None

    def _network(self, fact: Any, stream: str) -> str | None:
        """A network fact (or an amendment of one) lives in its network's stream."""
        expected = self.network_streams.get(fact.network) if fact.type != "NetworkRegistered" else None
        if expected is None:
            try:
                expected = self.networks.add(fact, replay=True) if fact.type == "NetworkRegistered" else self.networks.resolve(fact.network)[0]
            except AmityError as exc:
                return f"its network does not resolve ({exc}): it was written behind the ledger's back"
            if fact.type != "NetworkRegistered":
                self.network_streams[fact.network] = expected
        if expected != stream:
            return f"it is about the network {fact.network!r}, but it is stored in another stream: it was inserted or moved"
        return None

    def streams(self) -> tuple[str | None, list[str]]:
        """After the walk: (the first stream whose id is not its pair's, or None; the pairs that no longer resolve)."""
        unresolved = []
        for stream, cities in self.pairs.items():
            try:
                a, b = (self.gazetteer.resolve(c).id for c in cities)
            except (AmityError, ValueError):
                unresolved.append(" – ".join(cities))
                continue
            if partnership_id(a, b).hex != stream:
                return stream, unresolved
        return None, unresolved

"""Place identity: names resolve to GeoNames cities, ISO 3166-2 subdivisions or the ledger's registry.

"Teheran" and "Tehran", "Esfahan" and "Isfahan", "Madras" and "Chennai" resolve to one place through
GeoNames' alternate names; "St. Petersburg" and "Saint Petersburg" through folded abbreviations;
"Miaoli County", "County Durham" and "Gyeonggi-do" through ISO 3166-2 names with their type words
folded. Country tokens may be ISO codes, English names or names in any language pycountry translates
("Turki", "Jepun"). Places the gazetteer lacks (a district, a council) come from the ledger's own
registry, filled by ``PlaceRegistered`` and ``PlaceAliased`` events; a registry entry comes first.

Lookup tiers, first non-empty wins: the registry, GeoNames primary names, alternate names, ISO
subdivision names, then subdivision names without their type words. Several matches are settled by
the rule in ``placechoice`` or are an error listing them. Place ids: ``geonames:<id>``,
``iso:<code>``, ``amity:<slug>``; they never change. The index lives on disk (``placeindex``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING, Callable
from amity.events.places import PlaceRef, fold_name
from amity.ledger import placeindex as ix
from amity.ledger.placeindex import Place, country_code
from amity.ledger.errors import AmbiguousPlace, BadInput, UnknownPlace
from amity.ledger.placenames import bare_key, check_new_name, lookalike, match_key

if TYPE_CHECKING:
    from amity.events.partnership import PlaceFact
    from amity.ledger.records import RegistryEntry

_ID = re.compile(r"^(geonames|iso|amity):\S+$")


class Gazetteer:
    """Resolves place references; holds the ledger's registry of extra places, aliases and display names."""

    def __init__(self) -> None:
        self.registry: dict[str, Place] = {}
        self.registry_names: dict[str, set[str]] = defaultdict(set)
        self.aliases_seen: dict[str, set[str]] = defaultdict(set)
        self.preferred: dict[str, str] = {}
        self.on_file: Callable[[], set[str]] | None = None  # read commands: the places the ledger holds
        self._resolved: dict[str, Place] = {}
        self._places: dict[str, Place] = {}

    # -- registry -------------------------------------------------------------------------
    def apply(self, fact: PlaceFact | RegistryEntry, replay: bool = False) -> str:
        """Apply a registry event; ``replay``: one on file, taken as it was accepted (never refused again).

        Returns the place as a registration stores it: the new entry's canonical name, or the id of the
        known place that a registration of a known place (by another name) confirms.
        """
        if fact.type == "PlaceRegistered":
            place = self.register(fact.place, fact.kind or "city", force=bool(fact.force), replay=replay)
            return place.canonical if place.id.startswith("amity:") else place.id
        return self.alias(fact.place, fact.alias or "", preferred=bool(fact.preferred), force=bool(fact.force) or replay).canonical

    def register(self, text: str, kind: str, force: bool = False, replay: bool = False) -> Place:
        """Add a place the gazetteer lacks; with a region, always a registry entry of its own.

        "Name, CC" of a known place confirms it ("Gyeonggi Province, KR", "Miaoli County, TW", "Melaka, MY"):
        the event keeps the place's id. Only a city registered by the exact name of a known city is refused
        ("Seoul, KR": it adds nothing, and is likely a mistake).
        """
        if _ID.match(text.strip()):
            return self.get(text.strip())  # a confirmation of a known place, as stored
        if not replay:
            check_new_name(text, "place")
        ref = PlaceRef.parse(text)
        if ref.country is None:
            raise BadInput(f"register {text!r} with its country: 'Name, Region, CC'")
        cc, region = self._country(ref.country, ref.region)
        ref = PlaceRef(ref.name, region, ref.country)
        slug = "/".join(fold_name(p).replace(" ", "-") for p in (ref.name, ref.region, cc) if p)
        pid = f"amity:{slug}"
        if pid in self.registry:
            return self.registry[pid]
        if ref.region is None and not replay:
            existing = self._quiet(text)
            if existing is not None and existing.kind != kind and not self.candidates(text, strict=True):
                existing = None  # "Istanbul Metropolitan Municipality" is not the province its bare name is
            if existing is not None and kind == "city" == existing.kind and text.strip() in (existing.canonical, existing.label):
                raise BadInput(f"{text!r} is already known as {existing.label} ({existing.id}); use PlaceAliased, "
                               "or register it with its region: 'Name, Region, CC'")
            if existing is not None:
                return existing
        if not (force or replay):
            self._check_lookalike(ref.name, cc, text)
        canonical = ", ".join(x for x in (ref.name, ref.region, cc) if x)
        place = Place(pid, ref.name, cc, ref.region, kind, canonical)
        self._resolved.clear()
        self.registry[pid] = place
        self.registry_names[match_key(ref.name)].add(pid)
        return place

    def alias(self, text: str, alias: str, preferred: bool = False, force: bool = False) -> Place:
        """Make ``alias`` another name of the place ``text`` resolves to; ``preferred``: the name shown."""
        check_new_name(alias, "alias")
        place = self.resolve(text)
        name = PlaceRef.parse(alias).name
        if not force and match_key(name) != match_key(place.name):
            self._check_lookalike(name, place.country, alias, place.id)
        self._resolved.clear()
        self.registry_names[match_key(name)].add(place.id)
        self.aliases_seen[place.id].add(alias)
        if preferred:
            self.preferred[place.id] = name
        return place

    def _check_lookalike(self, name: str, cc: str, text: str, own: str | None = None) -> None:
        latin = lookalike(name)
        if latin is None:
            return
        twin = self._quiet(f"{latin}, {cc}") or self._quiet(latin)
        if twin is not None and twin.id != own:
            raise BadInput(f"{text!r} looks like {twin.label} ({twin.id}) but is spelt with other characters; "
                           'if it is truly another place, add "force": true')

    def _quiet(self, text: str) -> Place | None:
        try:
            return self.resolve(text)
        except (UnknownPlace, AmbiguousPlace):
            return None

    # -- lookup ---------------------------------------------------------------------------
    def get(self, pid: str) -> Place:
        """The place with this id, with its display name (a preferred alias) when it has one."""
        place = self.registry.get(pid) or self._places.get(pid)
        if place is None:
            row = ix.place_row(pid)
            if row is None:
                raise UnknownPlace(f"no place has the id {pid!r}")
            place = self._places[pid] = ix.place_of(row)
        chosen = self.preferred.get(pid)
        if chosen is not None:
            region = place.region if place.canonical.count(",") == 2 else None
            place = replace(place, display=", ".join(x for x in (chosen, region, place.country) if x))
        return place

    def resolve(self, text: str) -> Place:
        """The one place ``text`` names, or an error listing candidates (or near matches)."""
        if not isinstance(text, str):
            raise BadInput("a place must be a string such as 'Seoul, KR'")
        known = self._resolved.get(text)
        if known is None:
            from amity.ledger.placechoice import choose

            known = self._resolved[text] = choose(self, text, self.candidates(text))
        return known

    def resolve_stored(self, text: str) -> Place:
        """The place a canonical string in a stored event names (also as an earlier version wrote it)."""
        for place in self.registry.values():
            if place.canonical == text:
                return self.get(place.id)
        pid = ix.stored_id(text)
        return self.get(pid) if pid else self.resolve(text)

    def resolve_stored_many(self, texts: list[str]) -> dict[str, Place]:
        """``resolve_stored`` of many strings (a status of every partnership): one query per 500."""
        own = {p.canonical: p.id for p in self.registry.values()}
        out = {t: self.get(own[t]) for t in texts if t in own}
        for text, row in ix.stored_rows([t for t in texts if t not in own]).items():
            if row["id"] not in self._places:
                self._places[row["id"]] = ix.place_of(row)
            out[text] = self.get(row["id"])
        for text in texts:
            if text not in out:
                try:
                    out[text] = self.resolve(text)
                except (UnknownPlace, AmbiguousPlace):  # shown as stored rather than failing the whole answer
                    out[text] = Place("", text, text.rsplit(", ", 1)[-1], None, "unknown", text)
        return out

    def spellings(self, place: Place) -> list[str]:
        """Every canonical string stored events may carry for ``place``."""
        return sorted({place.canonical, *(ix.legacy_names(place.id) if not place.id.startswith("amity:") else ())})

    def candidates(self, text: str, strict: bool = False) -> list[Place]:
        """The places of the first lookup tier that has any fitting ``text``'s country and region.

        ``strict``: not by subdivision names without their type words, nor by strings 0.1.0 stored.
        """
        text = text.strip()
        if _ID.match(text):
            return [self.get(text)]
        try:
            ref = PlaceRef.parse(text)
        except ValueError as exc:
            raise BadInput(str(exc)) from None
        cc, region = self._country(ref.country, ref.region) if ref.country else (None, None)
        key = match_key(ref.name)
        tiers = (lambda: sorted(self.registry_names.get(key, ())), lambda: self._ids(key, ix.PRIMARY),
                 lambda: self._ids(key, ix.ALTERNATE), lambda: self._ids(key, ix.SUBDIVISION),
                 lambda: self._ids(bare_key(ref.name), ix.SUBDIVISION_BARE))
        for tier in tiers[:4] if strict else tiers:
            places = [self.get(pid) for pid in tier()]
            found = [p for p in places if self.fits(p, cc, region)] or [p for p in places if self.fits(p, cc, region, loose=True)]
            if found:
                return found
        legacy = ix.stored_id(text) if ref.country and not strict else None  # as 0.1.0 stored it (never printed)
        return [self.get(legacy)] if legacy else []

    def _ids(self, key: str, tier: int) -> list[str]:
        ids = []
        for row in ix.rows_for(key, tier):
            if row["id"] not in self._places:
                self._places[row["id"]] = ix.place_of(row)
            ids.append(row["id"])
        return ids

    def _country(self, token: str, region: str | None) -> tuple[str, str | None]:
        """The country code of a token; in "Name, X", X may be a division or a city known in one country
        ("Manchester, England", "Minato-ku, Nagoya"): it is then the region."""
        try:
            return country_code(token), region
        except UnknownPlace:
            if region is not None:
                raise
            ids = ix.ids_for(match_key(token), ix.SUBDIVISION) or ix.ids_for(bare_key(token), ix.SUBDIVISION_BARE)
            places = [self.get(pid) for pid in ids] or self.candidates(token, strict=True)
            countries = {p.country for p in places}
            if len(countries) == 1 and (ids or len(places) == 1):
                return countries.pop(), token
            raise

    def fits(self, place: Place, cc: str | None, region: str | None, loose: bool = False) -> bool:
        """In the country and region; ``loose``: the region's type words aside ("Nagasaki Prefecture")."""
        if cc is not None and place.country != cc:
            return False
        if region is None:
            return True
        return (bare_key(region) in place.region_keys(bare=True)) if loose else (match_key(region) in place.region_keys())

    def search(self, query: str) -> list[Place]:
        """Places whose name starts with ``query`` (for `amity places`)."""
        key = match_key(query)
        ids = set(ix.with_prefix(key))
        ids |= {pid for name, pids in self.registry_names.items() if name.startswith(key) for pid in pids}
        return sorted((self.get(pid) for pid in ids), key=lambda p: (-p.population, p.canonical))[:50]

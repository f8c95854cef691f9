"""Place references as users write them: ``"Name"``, ``"Name, CC"`` or ``"Name, Region, CC"``.

Parsing is purely textual; resolving a reference to a place identity (a GeoNames id, an ISO 3166-2
subdivision or an entry of the ledger's own registry) is the gazetteer's job in ``amity.ledger``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A place as written: a name, optionally a region (state, province, parent city) and a country."""

    name: str
    region: str | None = None
    country: str | None = None

    @classmethod
    def parse(cls, text: str) -> PlaceRef:
        if not isinstance(text, str) or not text.strip():
            raise ValueError("a place must be a non-empty string such as 'Seoul, KR'")
        parts = [p.strip() for p in text.split(",")]
        if any(not p for p in parts) or len(parts) > 3:
            raise ValueError(f"{text!r} is not a place: write 'Name', 'Name, CC' or 'Name, Region, CC'")
        if len(parts) == 1:
            return cls(parts[0])
        if len(parts) == 2:
            return cls(parts[0], None, parts[1])
        return cls(parts[0], parts[1], parts[2])

    def __str__(self) -> str:
        return ", ".join(p for p in (self.name, self.region, self.country) if p)


def fold_name(text: str) -> str:
    """A matching key: case-folded, accents stripped, spaces and dashes collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("-", " ").replace("'", "").replace("’", "")
    return " ".join(bare.casefold().split())

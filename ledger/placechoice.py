"""Which place did the user mean: one rule, and the errors that list candidates or near matches.

The rule, applied to the places of the first lookup tier that fit the name, country and region:

1. One place: that place.
2. In a read command, exactly one of them is on file in the ledger: that one.
3. All in one country, and exactly one is the country's capital: the capital.
4. All in one country, and one has at least ``RATIO`` (10) times the population of every other: that one.
   An order of magnitude: a city of 410,000 against a Tokyo neighbourhood of 18,000 (Nagasaki), of
   1.5 million against a town of 17,000 (Kawasaki), of 1.4 million against 82,000 (Gwangju). Below it,
   both places are cities that sources name on their own (Suzhou, Jiangsu 6.7 million and Suzhou, Anhui
   1.6 million; Portland, Oregon and Portland, Maine; the Springfields), so the user must say which.
5. Otherwise an error listing the candidates, each with its real region. Places in several countries
   are never settled by size ("Valencia": Spain, Venezuela, …). The others stay reachable by their region
   ("Nagasaki, Tokyo, JP") or id (``geonames:8573184``); `amity places` lists them as "also".
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from amity.events.places import PlaceRef, fold_name
from amity.ledger import placeindex as ix
from amity.ledger.errors import AmbiguousPlace, BadInput, UnknownPlace
from amity.ledger.placenames import match_key

if TYPE_CHECKING:
    from amity.ledger.gazetteer import Gazetteer, Place

RATIO = 10


def settle(gaz: Gazetteer, found: list[Place]) -> Place | None:
    """The place the rule picks among several, or None."""
    if len(found) == 1:
        return found[0]
    if gaz.on_file is not None:
        held = gaz.on_file()
        on_file = [p for p in found if p.id in held]
        if len(on_file) == 1:
            return on_file[0]
    if len({p.country for p in found}) != 1:
        return None
    capitals = [p for p in found if p.capital]
    if len(capitals) == 1:
        return capitals[0]
    ranked = sorted(found, key=lambda p: -p.population)
    if ranked[0].population >= RATIO * max(1, ranked[1].population):
        return ranked[0]
    return None


def choose(gaz: Gazetteer, text: str, found: list[Place]) -> Place:
    if not found:
        raise UnknownPlace(f"unknown place {text!r}", hint=near_matches(gaz, text), joint="; {}")
    chosen = settle(gaz, found)
    if chosen is not None:
        return chosen
    ranked = sorted(found, key=lambda p: (-p.population, p.canonical))
    listed = "; ".join(f"{p.label} ({p.id})" for p in ranked[:8])
    more = f" and {len(ranked) - 8} more" if len(ranked) > 8 else ""
    raise AmbiguousPlace(f"{text!r} is ambiguous: {listed}{more}; add the country (and region), e.g. {ranked[0].canonical!r}")


def near_matches(gaz: Gazetteer, text: str) -> str:
    """"did you mean …" with real places first (same name elsewhere, then close spellings), registering last."""
    try:
        ref = PlaceRef.parse(text.strip())
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    same = sorted(gaz.candidates(ref.name), key=lambda p: -p.population)  # the same name elsewhere
    seen: dict[str, Place] = {p.id: p for p in same[:3]}
    if len(seen) < 3:
        cc = _country(ref.country)
        key = match_key(ref.name)
        for close in difflib.get_close_matches(key, ix.primary_keys(cc), n=3, cutoff=0.8):
            for p in gaz.candidates(close):
                if cc is None or p.country == cc:
                    seen.setdefault(p.id, p)
    places = list(seen.values())[:5]
    hint = f"did you mean {' or '.join(repr(p.canonical) for p in places)}? " if places else ""
    return f"{hint}{'if not, ' if places else ''}register it with a PlaceRegistered event"


def _country(token: str | None) -> str | None:
    if token is None:
        return None
    return ix.country_of(fold_name(token))

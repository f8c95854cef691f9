"""Matching keys for place names, and the checks a name must pass before the registry takes it.

``match_key`` is what lookups compare: ``fold_name`` (case, accents, dashes) plus abbreviations folded
("St." / "St" / "Saint", "Mt" / "Mount", "Ft" / "Fort"), so "St. Petersburg", "St Petersburg" and
"Saint Petersburg" meet. ``bare_key`` also drops the type words of subdivisions ("Miaoli County",
"County Durham", "Gyeonggi Province", "Gyeonggi-do", "Osaka Prefecture", "Tokyo Metropolis").
Registry ids (``amity:…``) are built from ``fold_name`` alone and never change.

``check_new_name`` refuses control characters and newlines; ``lookalike`` finds the Latin name a mixed-
script name imitates (Unicode's confusables data, via ``confusable_homoglyphs``): "Раris" (Cyrillic Р
and а) reads as "Paris".
"""

from __future__ import annotations

import unicodedata

from amity.events.places import fold_name

ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "port"}

# Type words of subdivisions, in English and in the romanised forms ISO 3166-2 uses.
TYPE_WORDS = frozenset("""
county province prefecture state region district metropolis metropolitan city special autonomous
self governing oblast krai kray governorate department departement municipality territory capital
do ken fu to si shi gun teukbyeolsi gwangyeoksi teukbyeoljachido teukbyeoljachisi sheng zizhiqu
ostan vilayeti il of the
""".split())


def match_key(text: str) -> str:
    """The lookup key of a name: folded, dots dropped, abbreviations spelt out."""
    folded = fold_name(text).replace(".", " ").replace(",", " ").replace("(", " ").replace(")", " ")
    return " ".join(ABBREVIATIONS.get(w, w) for w in folded.split())


def bare_key(text: str) -> str:
    """``match_key`` without leading and trailing type words ("county durham" → "durham"); never empty."""
    words = match_key(text).split()
    while len(words) > 1 and words[-1] in TYPE_WORDS:
        words.pop()
    while len(words) > 1 and words[0] in TYPE_WORDS:
        words.pop(0)
    return " ".join(words)


def latin_key(name: str) -> str | None:
    """``match_key`` for names in Latin script (other scripts never match typed input keys; skipped fast)."""
    if not name:
        return None
    if not name.isascii() and not name[0].isascii() and ord(name[0]) > 0x24F:
        return None
    key = match_key(name)
    return key if key.isascii() else None


def check_new_name(text: str, what: str) -> None:
    """Refuse control characters (newlines, escapes, bidi controls) in a name the registry would keep."""
    from amity.ledger.errors import BadInput

    bad = next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")), None)
    if bad is not None:
        raise BadInput(f"{what} {text!r} contains the control character U+{ord(bad):04X}; write the name as plain text")


def lookalike(name: str) -> str | None:
    """The Latin text a mixed-script name imitates, or None when it imitates nothing."""
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(name, greedy=True, preferred_aliases=["latin", "common"])
    if not found:
        return None
    swap = {}
    for item in found:
        latin = next((h["c"] for h in item["homoglyphs"] if h["c"].isascii()), None)
        if latin is not None:
            swap[item["character"]] = latin
    text = "".join(swap.get(ch, ch) for ch in name)
    return text if text != name else None


def skeleton(text: str) -> str:
    """``text`` with every character that has ASCII look-alikes replaced by one of them, the same for the
    whole family (Cyrillic С and Latin C; O and 0; I, l and 1), then folded: two names with one skeleton
    read alike on a screen ("C4O" and "C40", "С40" with a Cyrillic С)."""
    from confusable_homoglyphs.confusables import confusables_data

    def ascii_of(ch: str) -> set[str]:
        return {h["c"] for h in confusables_data.get(ch, []) if h["c"].isascii() and h["c"].isprintable()}

    out = []
    for ch in text:
        family, todo = {ch}, [ch]
        while todo:
            for other in ascii_of(todo.pop()) - family:
                family.add(other)
                todo.append(other)
        ascii_ = sorted(c for c in family if c.isascii())
        out.append(ascii_[0] if ascii_ else ch)
    return fold_name("".join(out))

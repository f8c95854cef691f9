"""Writes the corpus of bad inputs (one file each) and expected.json. Run from the repo root:

    .venv/bin/python tests/corpus/make_corpus.py

Each bad file is imported into the seed ledger by tests/test_reliability.py and must be refused whole.
Each hostile file (``hostile_*``) is valid and goes in: its recorded text is made to attack the reader's
terminal (rich markup, escape sequences, bidi controls), and tests/test_hostile_text.py checks that every
read command shows it as text, escaped, and that JSON keeps it exact.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = {"title": "corpus"}
KL_ANKARA = ["Kuala Lumpur, MY", "Ankara, TR"]
PAIR = ["Kyoto, JP", "Paris, FR"]


def ev(kind, cities=PAIR, date="2000", **kw):
    return {"type": kind, "cities": cities, "date": date, "source": SRC, **kw}


GOOD = ev("CommemorationHeld", what="a good line before the bad one")
CASES: dict[str, tuple[list, int, str]] = {
    # name: (lines, bad line number, text the one-line error must contain)
    "not_an_object": ([GOOD, [1, 2]], 2, "JSON object"),
    "unknown_type": ([GOOD, ev("MoUSignd", tier="sister")], 2, "did you mean 'MoUSigned'"),
    "unknown_field": ([GOOD, ev("MoUSigned", tierr="sister")], 2, "'tierr'"),
    "missing_field": ([GOOD, ev("MoUSigned")], 2, "'tier'"),
    "missing_source": ([GOOD, {k: v for k, v in ev("MoUSigned", tier="sister").items() if k != "source"}], 2, "'source'"),
    "wrong_type": ([GOOD, ev("MoUSigned", tier=5)], 2, "'tier'"),
    "impossible_date": ([GOOD, ev("MoUSigned", date="2025-02-30", tier="sister")], 2, "'date'"),
    "mou_in_the_future": ([GOOD, ev("MoUSigned", date="2027-01-01", tier="sister")], 2, "after today"),
    "unknown_place": ([GOOD, ev("MoUSigned", cities=["Xyzzyville, FR", "Kyoto, JP"], tier="sister")], 2, "unknown place"),
    "ambiguous_place": ([GOOD, ev("MoUSigned", cities=["Valencia", "Kyoto, JP"], tier="sister")], 2, "ambiguous"),
    "place_with_itself": ([GOOD, ev("MoUSigned", cities=["Kyoto, JP", "Kyoto"], tier="sister")], 2, "two different places"),
    "duplicate_id": ([GOOD, {**ev("MoUSigned", tier="sister"), "id": "6b1f3c2e-0000-4000-8000-000000000001"},
                      {**ev("MoUSigned", tier="friendship"), "id": "6b1f3c2e-0000-4000-8000-000000000001"}], 3, "different content"),
    "correction_of_a_missing_event": ([GOOD, {"type": "EventCorrected", "target": "6b1f3c2e-0000-4000-8000-00000000dead", "changes": {"date": "2001"}, "source": SRC}], 2, "not on file"),
    "rule_mou_below_the_tier": ([GOOD, ev("MoUSigned", cities=KL_ANKARA, date="2000", tier="friendship")], 2, "below the current tier"),
    "rule_elevation_does_not_raise": ([GOOD, ev("RelationshipElevated", cities=["Seoul, KR", "Tashkent, UZ"], date="2015", to_tier="friendship")], 2, "does not raise"),
    "rule_elevation_of_a_terminated_tie": ([GOOD, ev("RelationshipTerminated", date="2001"), ev("RelationshipElevated", date="2002", to_tier="sister")], 3, "termination"),
    "rule_suspension_twice": ([GOOD, ev("RelationshipSuspended", date="2001"), ev("RelationshipSuspended", date="2002")], 3, "already suspended"),
    "rule_suspension_of_a_terminated_tie": ([GOOD, ev("RelationshipTerminated", date="2001"), ev("RelationshipSuspended", date="2002")], 3, "termination"),
    "rule_restoration_of_a_terminated_tie": ([GOOD, ev("RelationshipTerminated", date="2001"), ev("RelationshipRestored", date="2009")], 3, "termination"),
    "rule_restoration_with_recent_activity": ([GOOD, ev("RelationshipRestored", cities=["Seoul, KR", "Kuala Lumpur, MY"], date="2026-01")], 2, "5 years"),
    "rule_termination_twice": ([GOOD, ev("RelationshipTerminated", date="2001"), ev("RelationshipTerminated", date="2002")], 3, "termination"),
    "rule_visit_ends_before_it_starts": ([GOOD, ev("VisitStarted", date="2001-03-10", visit="v"), ev("VisitEnded", date="2001-03-01", visit="v")], 2, "visit 'v'"),
    "rule_forum_held_after_cancelled": ([GOOD, ev("ForumCancelled", date="2001-02-01", forum="f"), ev("ForumHeld", date="2001-03-01", forum="f")], 3, "cancelled"),
}
RAW: dict[str, tuple[bytes, int, str]] = {
    "invalid_json": (json.dumps(GOOD).encode() + b'\n{"type": "MoUSigned", "cities": [\n', 2, "invalid JSON"),
    "invalid_utf8": (json.dumps(GOOD).encode() + b'\n{"type": "CommemorationHeld", "what": "\xff\xfe"}\n', 2, "UTF-8"),
    "cut_off_mid_line": (json.dumps(GOOD).encode() + b"\n" + json.dumps(ev("MoUSigned", tier="sister")).encode()[:40], 2, "cut off"),
}


# Valid events whose text attacks the screen. expected.json lists, for each, the texts to find in tables
# ("shows", escaped as tables print them) and in JSON ("exact").
MOU_ID = "6b1f3c2e-0000-4000-8000-00000000beef"
HOSTILE_PAIR = ["Kyoto, JP", "Lyon, FR"]
HOSTILE: dict[str, tuple[list, list[str], list[str]]] = {
    "hostile_markup": ([
        {**ev("MoUSigned", cities=HOSTILE_PAIR, date="2000-05-05", tier="friendship"), "id": MOU_ID,
         "source": {"title": "Notes [/]", "publisher": "Mayor [sic] said"}},
        {**ev("CommemorationHeld", cities=HOSTILE_PAIR, date="2001", what="[link=https://evil.example/]official source[/link]"),
         "source": {"title": "[bold red]loud[/bold red]"}},
        {"type": "EventCorrected", "target": MOU_ID, "changes": {"date": "2000-05-06"}, "source": {"title": "desk [i]review[/i]"},
         "note": "[/] [sic]"},
        {**ev("RelationshipSuspended", cities=HOSTILE_PAIR, date="2020", reason="[blink]gone[/blink]")},
        {"type": "PlaceRegistered", "place": "Ville [sic], FR", "kind": "city", "source": SRC},
        ev("CommemorationHeld", cities=["Kyoto, JP", "Ville [sic], FR"], date="2002"),
    ], ["Kyoto, JP – Ville [sic], FR", "Notes [/]", "Mayor [sic] said", "[link=https://evil.example/]official", "date: 2000-05-05 → 2000-05-06", "(suspended)"],
       ["Notes [/]", "Mayor [sic] said", "[link=https://evil.example/]official source[/link]", "[blink]gone[/blink]"]),
    "hostile_escapes": ([
        {**ev("MoUSigned", cities=["Kyoto, JP", "Nantes, FR"], date="2000-05-05", tier="friendship"),
         "source": {"title": "\x1b[2J cleared", "publisher": "\x1b[1A\x1b[2K up"}, "recorded_by": "adm\u202eni\u202c"},
        {**ev("CommemorationHeld", cities=["Kyoto, JP", "Nantes, FR"], date="2001", what="bell\x07 tab\t nl\u2028 rtl\u2067x\u2069"),
         "source": {"title": "\u202egnp.exe"}, "recorded_by": "ok\x9bdesk"},
    ], ["\\x1b[2J cleared", "\\x1b[1A\\x1b[2K up", "adm\\u202eni\\u202c", "\\u202egnp.exe"],
       ["\x1b[2J cleared", "adm\u202eni\u202c", "\u202egnp.exe", "bell\x07 tab\t nl\u2028 rtl\u2067x\u2069"]),
}


def main() -> None:
    expected = {}
    for name, (lines, line, text) in CASES.items():
        (HERE / f"{name}.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
        expected[f"{name}.jsonl"] = {"line": line, "says": text}
    for name, (data, line, text) in RAW.items():
        (HERE / f"{name}.jsonl").write_bytes(data)
        expected[f"{name}.jsonl"] = {"line": line, "says": text}
    for name, (lines, shows, exact) in HOSTILE.items():
        (HERE / f"{name}.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
        expected[f"{name}.jsonl"] = {"accepted": True, "shows": shows, "exact": exact}
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()

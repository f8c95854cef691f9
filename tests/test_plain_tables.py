"""cli/plain.py lays tables out as rich draws them: every table the commands print on the seed ledger, and
hostile ones (long words, accents, wide characters, empty cells), come out the same both ways at several widths.

One known difference: rich shortens a line of wide (CJK) characters that exactly fills its column ("타슈켄 …");
cli/plain.py keeps it whole (tests/test_cli.py checks that such lines never pass the width)."""

from __future__ import annotations

import contextlib
import io

import pytest

COMMANDS = [
    ("status",), ("status", "Seoul"), ("status", "--as-of", "2012"), ("history", "Seoul", "Tashkent"),
    ("history", "Kuala Lumpur", "Tashkent"), ("audit",), ("city", "Kuala Lumpur"), ("city", "Seoul"), ("networks",),
    ("network", "ASCN"), ("anniversaries", "--year", "2025"), ("check",), ("disputes",), ("places", "Nagasaki"),
]
HOSTILE = [
    ("2010-01-01", "Ташкент – Сеул, Île-de-France, ‘quoted’ — Zürich " * 3, "MoUSigned", ""),
    ("2011", "x" * 90 + " then words", "", "東京都 – Île-de-France, FR"),
    ("", "", "", ""),
]


@pytest.fixture
def drawn(monkeypatch):
    """Every table the plain layout is asked to print, with what it printed."""
    from amity.cli import plain

    seen, real = [], plain.print_table

    def spy(title, headers, wrap, widths, cells, gap, bold=False):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            real(title, headers, wrap, widths, cells, gap)
        seen.append(((title, headers, wrap, widths, cells, gap), out.getvalue()))
        real(title, headers, wrap, widths, cells, gap, bold)

    monkeypatch.setattr(plain, "print_table", spy)
    return seen


def same_as_rich(seen: list, total: int) -> int:
    from amity.cli.render import Col, rich_table

    for (title, headers, wrap, widths, cells, gap), printed in seen:
        if len(cells) <= 100:  # rich takes a long table a second a thousand rows: the tables here are short
            assert printed == rich_table(title, [Col(h, wrap=w) for h, w in zip(headers, wrap)], widths, cells, gap, total), title
    return len(seen)


@pytest.mark.parametrize("total", [60, 80, 100, 132])
def test_every_table_of_the_seed_ledger_is_laid_out_as_rich_draws_it(seed_ledger, store, cli, drawn, monkeypatch, total):
    monkeypatch.setenv("COLUMNS", str(total))
    for args in COMMANDS:
        assert cli(*args, "--store", store).code in (0, 1), args  # `check` exits 1 when a count does not hold
    assert same_as_rich(drawn, total) >= len(COMMANDS) - 2  # `disputes` and `places` may print a line, not a table


@pytest.mark.parametrize("total", [60, 80, 132])
def test_hostile_cells_are_laid_out_as_rich_draws_them(drawn, monkeypatch, capsys, total):
    from amity.cli.render import Col, table

    monkeypatch.setenv("COLUMNS", str(total))
    table("t", [Col("date"), Col("details", wrap=True), Col("type"), Col("places", wrap=True, limit=40)], HOSTILE)
    table(None, ["a", "b"], [("a b c", "d")])
    capsys.readouterr()
    assert same_as_rich(drawn, total) == 2

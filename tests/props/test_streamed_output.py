"""Output written as it goes is the output written whole: a JSON array a chunk of items at a time is the document
``emit_json`` writes, byte for byte; a long table (laid out a chunk of rows at a time, each distinct text of a column
once) has each row's lines exactly as a table of that row alone lays them out."""

from __future__ import annotations

import contextlib
import io
import sys

from hypothesis import given, settings, strategies as st

from amity.cli import plain
from amity.cli.render import emit_json, emit_json_array

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12))
items = st.dictionaries(st.text(max_size=8), st.one_of(scalars, st.lists(scalars, max_size=3)), max_size=4)


def written(write, *args) -> bytes:
    out = io.BytesIO()
    wrapper = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    old, sys.stdout = sys.stdout, wrapper
    try:
        write(*args)
        wrapper.flush()
    finally:
        sys.stdout = old
        wrapper.detach()  # the bytes stay readable
    return out.getvalue()


@given(st.lists(items, max_size=9), st.integers(1, 4))
def test_a_json_array_written_a_chunk_at_a_time_is_the_document_written_whole(rows, chunk):
    assert written(emit_json_array, iter(rows), chunk) == written(emit_json, rows)


words = st.sampled_from(["Seoul,", "KR", "–", "Kuala", "Lumpur,", "MY", "Île-de-France", "東京都", "x" * 30, "active", ""])
cells = st.lists(words, max_size=5).map(" ".join)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(cells, st.sampled_from(["active", "none", ""]), cells), min_size=1, max_size=40), st.integers(1, 3))
def test_a_long_tables_rows_are_laid_out_as_each_alone(rows, repeat):
    rows = rows * (1 + 3000 // len(rows)) if repeat == 3 else rows * repeat  # past a chunk of 2048 rows, values repeating
    args = ("t", ["place", "status", "notes"], [True, False, True], [14, 6, 20])
    whole = written(plain.print_table, *args, rows, 1).decode().split("\n")
    head = len(written(plain.print_table, *args, [], 1).decode().split("\n")) - 1
    alone = [line for row in rows for line in written(plain.print_table, *args, [row], 1).decode().split("\n")[head:-1]]
    assert whole[:head] == written(plain.print_table, *args, [], 1).decode().split("\n")[:head]
    assert whole[head:-1] == alone


def test_the_table_is_written_a_chunk_at_a_time():
    chunks = []

    class Out(io.StringIO):
        def write(self, text):
            chunks.append(text)
            return len(text)

    with contextlib.redirect_stdout(Out()):
        plain.print_table(None, ["a"], [False], [3], [(str(i % 7),) for i in range(5000)], 1)
    assert len(chunks) >= 3 and "".join(chunks).count("\n") == 5000 + 2  # the header and its rule, then every row

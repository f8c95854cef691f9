"""How import problems (``amity.ledger.problems.Problem`` values) are shown: one line each, or JSON objects."""

from __future__ import annotations

import sys
from typing import Any

from amity.cli.render import emit_json, visible

SHOWN_PROBLEMS = 20  # problems listed in text mode; `--dry-run --json` lists them all


def one_line(p: Any) -> str:
    """``data.jsonl:14: unknown field 'dat' for MoUSigned (did you mean 'date'?)``: the place, what is wrong, the fix."""
    where = f"{p.file}:{p.line}: " if p.line else (f"{p.file}: " if p.file else "")
    return where + p.reason


def as_json(p: Any) -> dict[str, Any]:
    """``{"file", "line", "field", "message", "hint", "text"}``; ``text`` is the one-line form."""
    return {"file": p.file, "line": p.line, "field": p.field, "message": p.message, "hint": p.hint, "text": one_line(p)}


def summary(exc: Any) -> str:
    """The first problem, and how many more there are."""
    more = len(exc.problems) - 1
    return one_line(exc.problems[0]) + (f" (and {more} more; `amity import --dry-run --json` lists all)" if more else "")


def report(exc: Any, json: bool) -> None:
    """Every problem: all in the JSON document; in text, one line each, up to ``SHOWN_PROBLEMS``. Exits 1."""
    from amity.cli.main import fail

    if json:
        emit_json({"ok": False, "problems": [as_json(p) for p in exc.problems]})
    if json or len(exc.problems) == 1:
        fail(summary(exc))
    lines = [f"amity: error: {len(exc.problems)} problems; nothing was imported"]
    lines += [f"  {visible(' '.join(one_line(p).split()))}" for p in exc.problems[:SHOWN_PROBLEMS]]
    if len(exc.problems) > SHOWN_PROBLEMS:
        lines.append(f"  and {len(exc.problems) - SHOWN_PROBLEMS} more (`amity import --dry-run --json` lists all)")
    sys.stderr.write("\n".join(lines) + "\n")
    raise SystemExit(1)

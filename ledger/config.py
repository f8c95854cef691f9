"""Amity's configuration in one place: the environment it reads, today's date, and its tuning constants.

Environment: ``AMITY_STORE`` (the store when ``--store`` is not given), ``AMITY_ACTOR`` (who records, else
the OS user), ``AMITY_TODAY`` (today, YYYY-MM-DD; tests and demos pin it), ``AMITY_LOCK_TIMEOUT`` (seconds a
write waits for another writer's lock, default 30).
"""

from __future__ import annotations

import getpass
import os
from datetime import date

from amity.ledger.errors import BadInput

DEFAULT_STORE = "amity.db"
CHUNK = 5000  # input lines validated, normalised and stored at a time (an import, a restore)
PG_APPEND_ROWS = 2000  # events per call of PostgreSQL's amity_append (larger batches stall the pipeline)
FETCH_ROWS = 2000  # rows per fetch when streams are read back
LOOKUP_CHUNK = 500  # ids or streams per IN (…) list


def store_text() -> str:
    """The store named by ``AMITY_STORE``, else the default file."""
    return os.environ.get("AMITY_STORE") or DEFAULT_STORE


def actor() -> str:
    """Who records: ``AMITY_ACTOR``, else the OS user."""
    return os.environ.get("AMITY_ACTOR") or getpass.getuser()


def today() -> date:
    """Today, from ``AMITY_TODAY`` (YYYY-MM-DD) when set, else the system clock."""
    text = os.environ.get("AMITY_TODAY")
    if text:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise BadInput(f"AMITY_TODAY={text!r} is not a date: use YYYY-MM-DD") from None
    return date.today()


def lock_timeout() -> int:
    """Seconds a write waits for another writer's lock (``AMITY_LOCK_TIMEOUT``, default 30)."""
    try:
        return max(1, int(os.environ.get("AMITY_LOCK_TIMEOUT", "30")))
    except ValueError:
        raise BadInput(f"AMITY_LOCK_TIMEOUT={os.environ['AMITY_LOCK_TIMEOUT']!r} is not a whole number of seconds") from None

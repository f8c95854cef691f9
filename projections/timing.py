"""Record time: what the ledger knew at an instant (``--as-known-at``; the CLI reads the instant, ``cli/options.instant``)."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from amity.events.partnership import Fact


def known_at(records: Sequence[Fact], moment: datetime) -> list[Fact]:
    """The records recorded at or before ``moment`` (in record order)."""
    return [f for f in records if f.recorded_at is not None and f.recorded_at <= moment]

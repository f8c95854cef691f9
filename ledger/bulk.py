"""Bulk work (an import, a rebuild) under a collector tuned for it.

Replaying or importing a million events allocates tens of millions of short-lived objects that form no
reference cycles (dicts, tuples, models). With the default thresholds the cyclic collector runs every
700 allocations and, as the heap grows, keeps re-scanning everything that is long-lived (the
gazetteer's index alone is ~260,000 objects): measured here, that was over half of the decoding time.
So, for the duration of the work: what is alive at its start is frozen (never scanned again) and the
youngest generation is collected every 100,000 allocations instead. Cycles are still collected.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

BULK_THRESHOLD = 100_000


@contextmanager
def bulk_collection() -> Iterator[None]:
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(BULK_THRESHOLD, old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()

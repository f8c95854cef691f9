"""Stream ids: a partnership's stream is a UUIDv5 of its sorted place ids, the place registry has one fixed id.

Kept apart from the aggregates (``ledger/partnership.py``) so that a read names streams without importing the
event models.
"""

from __future__ import annotations

from uuid import UUID, uuid5

STREAM_NAMESPACE = UUID("9f1d2c3b-6a5e-5f40-8b7c-2d1e0f9a8b7c")
REGISTRY_ID = uuid5(STREAM_NAMESPACE, "amity:place-registry")


def partnership_id(place_a: str, place_b: str) -> UUID:
    """The stream id of the pair, whatever order the places come in."""
    return uuid5(STREAM_NAMESPACE, "partnership:" + "|".join(sorted((place_a, place_b))))

"""Amity: an event-sourced ledger of city diplomacy.

The code lives in the top-level folders ``events/``, ``ledger/``, ``projections/`` and ``cli/``,
installed as ``amity.events``, ``amity.ledger``, ``amity.projections`` and ``amity.cli``.
"""

__version__ = "0.1.0"
LEDGER_FORMAT_VERSION = 1

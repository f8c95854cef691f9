"""The web view (``amity serve``) and the published pages (``amity publish``): templates over the projections."""

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"

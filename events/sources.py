"""Provenance: where a fact comes from, and who took part."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    """Base of every wire-format model: immutable, unknown fields rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True)  # built on first use: a read command may never validate


class Source(Record):
    """The document a fact was taken from."""

    title: str = Field(min_length=1, description="Title of the document, article or page.")
    publisher: str | None = Field(None, description="Who published it.")
    url: str | None = Field(None, description="Where it can be read, if online.")
    quote: str | None = Field(None, description="A short passage that states the fact.")
    also: tuple[Source, ...] | None = Field(None, description="Further sources that state the same fact.")


class Person(Record):
    """Someone who took part: a signatory, a head of delegation."""

    name: str = Field(min_length=1)
    role: str | None = None
    city: str | None = Field(None, description="The place the person represented, as written.")

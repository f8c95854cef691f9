"""Partial dates: valid time known to the year, the month or the day.

A source often says only "in 2010" or "in July 1991". ``PartialDate`` keeps that precision: it is
printed back exactly as given, never padded to 1 January, and it knows the earliest and latest
day it could mean.

Ordering (a total preorder): dates sort by (earliest possible day, latest possible day). So
``2010-01-01 < 2010-01 < 2010`` and ``2010 < 2010-02``: a more precise date that starts on the same
day sorts first, and a period sorts by where it starts. Two dates are "equal" in this order only
when they denote the same period.
"""

from __future__ import annotations

import calendar
import re
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic is imported by the models that use PartialDate, not by readers of dates
    from pydantic import GetCoreSchemaHandler

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

YEAR, MONTH, DAY = "year", "month", "day"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date of year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None
    _first: date = field(init=False, repr=False, compare=False)
    _last: date = field(init=False, repr=False, compare=False)
    _text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month:02d} does not exist")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]  # type: ignore[arg-type]
            if not 1 <= self.day <= last:
                raise ValueError(f"{self.year:04d}-{self.month:02d}-{self.day:02d} does not exist (the month has {last} days)")
        # Folds ask for these millions of times: computed once.
        if self.day is not None:
            object.__setattr__(self, "_text", f"{self.year:04d}-{self.month:02d}-{self.day:02d}")
        elif self.month is not None:
            object.__setattr__(self, "_text", f"{self.year:04d}-{self.month:02d}")
        else:
            object.__setattr__(self, "_text", f"{self.year:04d}")
        object.__setattr__(self, "_first", date(self.year, self.month or 1, self.day or 1))
        if self.day is not None:
            object.__setattr__(self, "_last", self._first)
        elif self.month is not None:
            object.__setattr__(self, "_last", date(self.year, self.month, calendar.monthrange(self.year, self.month)[1]))
        else:
            object.__setattr__(self, "_last", date(self.year, 12, 31))

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` otherwise."""
        if isinstance(text, str):
            return _parse(text)
        raise ValueError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        m = _PATTERN.match(text.strip())
        if not m:
            raise ValueError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
        y, mo, d = m.groups()
        return cls(int(y), int(mo) if mo else None, int(d) if d else None)

    @classmethod
    def of(cls, day: date) -> PartialDate:
        return cls(day.year, day.month, day.day)

    @property
    def precision(self) -> str:
        return DAY if self.day is not None else MONTH if self.month is not None else YEAR

    def earliest(self) -> date:
        """The first day this date could mean."""
        return self._first

    def latest(self) -> date:
        """The last day this date could mean."""
        return self._last

    def sort_key(self) -> tuple[date, date]:
        return (self._first, self._last)

    def add_years(self, years: int) -> PartialDate:
        """The same date ``years`` later, at the same precision (29 February → 28 February)."""
        y = self.year + years
        if self.day == 29 and self.month == 2 and not calendar.isleap(y):
            return _made(y, 2, 28)
        return _made(y, self.month, self.day)

    def covers(self, day: date) -> bool:
        return self.earliest() <= day <= self.latest()

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"PartialDate({str(self)!r})"

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: PartialDate) -> bool:
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: PartialDate) -> bool:
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: PartialDate) -> bool:
        return self.sort_key() >= other.sort_key()

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        from pydantic_core import core_schema

        def validate(value: Any) -> PartialDate:
            if isinstance(value, PartialDate):
                return value
            if isinstance(value, str):
                return cls.parse(value)
            raise ValueError("a date must be a string YYYY, YYYY-MM or YYYY-MM-DD")

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
            json_schema_input_schema=core_schema.str_schema(),
        )


@lru_cache(maxsize=1 << 16)
def _made(year: int, month: int | None, day: int | None) -> PartialDate:
    """``PartialDate(year, month, day)``, remembered (anniversaries ask for the same few days many times)."""
    return PartialDate(year, month, day)


@lru_cache(maxsize=1 << 16)
def _parse(text: str) -> PartialDate:
    """``PartialDate.parse``, remembered: a ledger holds far fewer distinct dates than events."""
    return PartialDate._parse(text)


def add_years(day: date, years: int) -> date:
    """``day`` plus ``years`` calendar years (29 February → 28 February in a common year)."""
    y = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(y):
        return date(y, 2, 28)
    return day.replace(year=y)

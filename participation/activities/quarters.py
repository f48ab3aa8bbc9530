"""Councils report by financial-year quarter: Q1 is April to June."""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Quarter:
    start: date

    @classmethod
    def containing(cls, day: date) -> "Quarter":
        month = ((day.month - 4) % 12) // 3 * 3 + 4
        year = day.year if day.month >= 4 else day.year - 1
        if month > 12:
            month -= 12
            year += 1
        return cls(date(year, month, 1))

    @classmethod
    def parse(cls, text: str, *, default: "Quarter") -> "Quarter":
        """Read a quarter from "2026-04-01"-style text; anything else gives the default."""
        try:
            day = date.fromisoformat(text)
        except (TypeError, ValueError):
            return default
        # Far-off years would overflow the previous/next quarter links.
        return cls.containing(day) if 1900 <= day.year <= 2200 else default

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> "Quarter":
        month = self.start.month + 3
        year = self.start.year + (month > 12)
        return Quarter(date(year, (month - 1) % 12 + 1, 1))

    def previous(self) -> "Quarter":
        month = self.start.month - 3
        year = self.start.year - (month < 1)
        return Quarter(date(year, (month - 1) % 12 + 1, 1))

    @property
    def number(self) -> int:
        return (self.start.month - 4) % 12 // 3 + 1

    @property
    def financial_year(self) -> str:
        first = self.start.year if self.start.month >= 4 else self.start.year - 1
        return f"{first}/{str(first + 1)[-2:]}"

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.financial_year} ({self.start:%b} to {self.end:%b %Y})"

    @property
    def short_label(self) -> str:
        return f"Q{self.number} {self.financial_year}"

    def __str__(self):
        return self.start.isoformat()

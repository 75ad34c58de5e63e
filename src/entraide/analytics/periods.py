"""Periods of the reviews: ISO weeks (Monday–Sunday, `%G-W%V`) and calendar months."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    start: date
    end: date
    kind: str  # "week" or "month"

    def previous(self) -> Period:
        return period_of(self.start - timedelta(days=1), self.kind)

    def next(self) -> Period:
        return period_of(self.end + timedelta(days=1), self.kind)

    def days(self) -> int:
        return (self.end - self.start).days + 1


def period_of(day: date, kind: str) -> Period:
    """The ISO week or the month that holds `day`."""
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return Period(day.strftime("%G-W%V"), start, start + timedelta(days=6), "week")
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return Period(day.strftime("%Y-%m"), start, following - timedelta(days=1), "month")


def parse_label(label: str) -> Period | None:
    """`2026-W47` or `2026-11` back to its period; None for anything else."""
    m = _WEEK.match(label)
    if m:
        try:
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return None
        return period_of(monday, "week")
    m = _MONTH.match(label)
    if m and 1 <= int(m.group(2)) <= 12:
        return period_of(date(int(m.group(1)), int(m.group(2)), 1), "month")
    return None


def weeks_ending(day: date, count: int = 12) -> list[Period]:
    """The `count` ISO weeks up to the one holding `day`, oldest first."""
    return [period_of(day - timedelta(weeks=k), "week") for k in range(count - 1, -1, -1)]


def week_labels(weeks: list[Period]) -> list[str]:
    """Short labels of consecutive weeks (`W47`); when the weeks cross a year, the first
    week and the first of the new year carry it (`2026-W43`, `W44`… `W53`, `2027-W01`, `W02`):
    no two labels read the same, and they stay short enough not to overlap on the axis."""
    if len({w.label[:4] for w in weeks}) == 1:
        return [w.label[-3:] for w in weeks]
    return [
        w.label if k == 0 or w.label[:4] != weeks[k - 1].label[:4] else w.label[-3:]
        for k, w in enumerate(weeks)
    ]


# Mermaid's xychart asks d3 for about ten ticks; over 0..N they fall on whole numbers only
# from N = 8 on (0..7 gives 0.5 steps, 0..3 0.2 steps): counts get a whole-number axis.
WHOLE_TICKS_FROM = 8


def count_axis_max(counts: list[int]) -> int:
    """The top of an axis of counts whose ticks are whole numbers."""
    return max(max(counts, default=0), WHOLE_TICKS_FROM)

"""Cadence, due dates, birthdays and tie strength of one contact (DESIGN §4)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta
from typing import NamedTuple

from entraide.model import Birthday, Contact
from entraide.settings import Circle, Settings

DAYS_PER_YEAR = 365.25
LN6 = math.log(6)


class TieSummary(NamedTuple):
    """Everything §4 says of one tie (a named tuple: 10,000 of them are made per pass)."""

    interactions: int
    last_contact: date | None
    first_contact: date | None
    cadence: int | None
    due: date | None
    overdue_days: int
    strength: float
    tie: str  # "strong", "weak" or "dormant"
    gave: int
    asked: int
    news: int
    activity: float
    frequency: float
    duration: float
    closeness: float
    next_birthday: date | None


def next_birthday(birthday: Birthday | None, today: date) -> date | None:
    """The next birthday on or after today; 29 February falls on 28 February in other years."""
    if birthday is None:
        return None
    for year in (today.year, today.year + 1):
        day = birthday.day
        if birthday.month == 2 and day == 29 and not _leap(year):
            day = 28
        when = date(year, birthday.month, day)
        if when >= today:
            return when
    return None  # unreachable: next year's date is always later


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def add_days(day: date, days: int) -> date:
    """`day + days`, or the last representable date for an absurd cadence."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


def tie_summary(contact: Contact, settings: Settings, today: date) -> TieSummary:
    """Everything §4 says of one tie as of `today` (interactions after today are plans).

    Strength = 0.4·closeness + 0.4·frequency + 0.2·duration, after Marsden & Campbell (1984:
    declared closeness is the best single indicator) and Gilbert & Karahalios (2009: recency
    and duration predict strength best). Frequency `f = 1 − e^(−A/2)` with an exponentially
    decayed activity `A = Σ 2^(−age/half_life)` over the activity window, as in relational
    event models (Lerner & Lomi 2020). Duration `d = min(1, ln(1 + years) / ln 6)`.
    """
    return summarizer(settings, today)(contact)


def summarizer(settings: Settings, today: date) -> Callable[[Contact], TieSummary]:
    """`tie_summary(·, settings, today)`, with what depends on the settings and the day alone
    worked out once (the daemon summarises 10,000 contacts at a time)."""
    today_n = today.toordinal()
    window = settings.activity_window_days
    decay = -math.log(2) / settings.half_life_days
    dormant_days = settings.dormant_days
    strong = settings.strong_threshold
    unknown_closeness = settings.unknown_closeness
    circles: dict[str, Circle | None] = {}
    steps: dict[int, timedelta] = {}
    exp, log = math.exp, math.log

    def summary(contact: Contact) -> TieSummary:
        count = gave = asked = news = 0
        activity = 0.0
        first = last = None
        follow = contact.follow_up
        answered = False
        for i in contact.interactions:  # oldest first
            d = i.date
            age = today_n - d.toordinal()
            if age < 0:
                break  # a plan, not a contact
            if first is None:
                first = d
            last = d
            count += 1
            if i.gave:
                gave += 1
            if i.asked:
                asked += 1
            if i.news:
                news += 1
            if age <= window:
                activity += exp(age * decay)  # 2^(−age/half_life)
            if follow is not None and d >= follow:
                answered = True
        name = contact.circle
        if name is None:
            circle = None
        else:
            try:
                circle = circles[name]
            except KeyError:
                circle = circles[name] = settings.circle(name)
        cadence = (
            contact.cadence if contact.cadence is not None else (circle.cadence if circle else None)
        )
        # Due: `last + cadence` (never contacted: today); a follow-up with no interaction on
        # or after it makes it the earlier; `snooze_until` moves it to at least that date;
        # None when paused or nothing is due.
        due: date | None = None
        overdue = 0
        if not contact.paused and (cadence is not None or (follow is not None and not answered)):
            if cadence is None:
                assert follow is not None
                due = follow
            else:
                if last is None:
                    due = today
                else:
                    try:  # `add_days`
                        step = steps.get(cadence)
                        if step is None:
                            step = steps[cadence] = timedelta(days=cadence)
                        due = last + step
                    except OverflowError:
                        due = date.max
                if follow is not None and not answered and follow < due:
                    due = follow
            snooze = contact.snooze_until
            if snooze is not None and snooze > due:
                due = snooze
            overdue = today_n - due.toordinal()
            if overdue < 0:
                overdue = 0
        closeness = circle.closeness if circle else unknown_closeness
        frequency = 1 - exp(-activity / 2)
        since = contact.since
        start = since if first is None or (since is not None and since < first) else first
        years = (today_n - start.toordinal()) / DAYS_PER_YEAR if start is not None else 0.0
        duration = min(1.0, log(1 + years) / LN6) if years > 0 else 0.0
        strength = 0.4 * closeness + 0.4 * frequency + 0.2 * duration
        if last is None or today_n - last.toordinal() > dormant_days:
            tie = "dormant"
        else:
            tie = "strong" if strength >= strong else "weak"
        birthday = next_birthday(contact.birthday, today) if contact.birthday is not None else None
        return TieSummary(
            count, last, first, cadence, due, overdue, strength, tie, gave, asked, news,
            activity, frequency, duration, closeness, birthday,
        )  # fmt: skip

    return summary

"""Time spent networking against the weekly budget: keep it in moderation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from entraide.model import Contact, Interaction
from entraide.settings import Settings


def minutes(interaction: Interaction, settings: Settings) -> float:
    """The interaction's own minutes, else `kind_minutes[kind]`, else `default_minutes`."""
    if interaction.minutes is not None:
        return interaction.minutes
    return settings.minutes_for(interaction.kind)


def minutes_between(
    contacts: Iterable[Contact], settings: Settings, start: date, end: date
) -> float:
    """Minutes of every interaction dated from `start` to `end` (inclusive)."""
    total = 0.0
    for contact in contacts:
        for i in reversed(contact.interactions):
            if i.date < start:
                break
            if i.date <= end:
                total += minutes(i, settings)
    return total


def budget_for(settings: Settings, days: int) -> float:
    """The budget of a period of `days` days: `weekly_minutes` pro rata."""
    return settings.weekly_minutes * days / 7

"""Give, ask, news (DESIGN §4): mutual aid means giving before asking."""

from __future__ import annotations

from datetime import date

from entraide.model import Contact, Interaction
from entraide.settings import Settings


def asked_never_gave(contact: Contact, settings: Settings, today: date) -> int:
    """How many asks in the last `dormant_days` days when you never gave in them (else 0)."""
    asked = gave = 0
    for i in contact.interactions:
        age = (today - i.date).days
        if 0 <= age <= settings.dormant_days:
            asked += i.asked
            gave += i.gave
    return asked if asked and not gave else 0


def balance(gave: int, asked: int) -> float:
    """`(gave − asked) / (gave + asked)`, 0 when both are 0."""
    return (gave - asked) / (gave + asked) if gave + asked else 0.0


def out_of_the_blue(contact: Contact, interaction: Interaction, settings: Settings) -> bool:
    """An ask whose previous interaction with that person was more than `urgency_days`
    earlier, or none: networking only in urgency."""
    if not interaction.asked:
        return False
    previous = None
    for i in contact.interactions:
        if i.date >= interaction.date:
            break
        previous = i.date
    return previous is None or (interaction.date - previous).days > settings.urgency_days

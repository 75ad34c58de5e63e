"""The `status --json` object (DESIGN §6, schemas/status.schema.json)."""

from __future__ import annotations

from datetime import date
from typing import Any

from entraide.model import Problem, Vault
from entraide.parse.values import nfc, sort_key_name
from entraide.settings import Settings


def _r(value: float) -> float:
    return round(value, 4)


def status(
    vault: Vault, settings: Settings, today: date, problems: tuple[Problem, ...]
) -> dict[str, Any]:
    from entraide.analytics.diversity import network_diversity
    from entraide.analytics.ties import summarizer

    contacts = []
    tie_summary = summarizer(settings, today)
    for contact in sorted(vault.contacts, key=lambda c: (sort_key_name(c.name), c.name, c.path)):
        tie = tie_summary(contact)
        contacts.append(
            {
                "name": nfc(contact.name),
                "path": nfc(contact.path),
                "circle": contact.circle,
                "interactions": tie.interactions,
                "last_contact": tie.last_contact.isoformat() if tie.last_contact else None,
                "due": tie.due.isoformat() if tie.due else None,
                "strength": _r(tie.strength),
                "tie": tie.tie,
                "gave": tie.gave,
                "asked": tie.asked,
                "news": tie.news,
            }
        )
    diversity = {}
    for dim, d in network_diversity(vault, settings, today).items():
        diversity[dim] = {
            "counts": dict(sorted(d.counts.items())),
            "unknown": d.unknown,
            "blau": _r(d.blau),
            "iqv": _r(d.iqv),
            "shannon_bits": _r(d.shannon_bits),
            "effective": _r(d.effective),
        }
    return {
        "today": today.isoformat(),
        "contacts": contacts,
        "diversity": diversity,
        "problems": [p.as_json() for p in sorted(problems, key=Problem.sort_key)],
    }

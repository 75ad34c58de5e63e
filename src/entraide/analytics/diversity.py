"""Diversity of ties per dimension (DESIGN §4): Blau, IQV, Shannon entropy, effective number.

Weak ties to other social circles bring novel information (Granovetter 1973); Blau's index
`1 − Σp²` is the chance that two ties drawn at random differ, the IQV rescales it by its
maximum `(K−1)/K`, and `exp(H)` is the effective number of equally common categories.
Unknown values are counted apart and left out of every index.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from entraide.model import Contact, Interaction, Vault
from entraide.settings import Settings

UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Diversity:
    counts: dict[str, int]
    unknown: int
    blau: float
    iqv: float
    shannon_bits: float
    effective: float


def diversity(values: Iterable[str]) -> Diversity:
    return from_counts(Counter(values))


def from_counts(counts: Counter[str]) -> Diversity:
    """The indices of a count per value (`unknown` counted apart)."""
    counts = Counter({k: n for k, n in counts.items() if n > 0})
    unknown = counts.pop(UNKNOWN, 0)
    total = sum(counts.values())
    if total == 0:
        return Diversity({}, unknown, 0.0, 0.0, 0.0, 0.0)
    ordered = dict(sorted(counts.items()))  # the same sums, whatever the order of the notes
    shares = [n / total for n in ordered.values()]
    blau = 1 - sum(p * p for p in shares)
    k = len(counts)
    iqv = k / (k - 1) * blau if k > 1 else 0.0
    nats = -sum(p * math.log(p) for p in shares)
    return Diversity(
        counts=ordered,
        unknown=unknown,
        blau=blau,
        iqv=iqv,
        shannon_bits=nats / math.log(2),
        effective=math.exp(nats),
    )


def is_active(contact: Contact, settings: Settings, today: date) -> bool:
    """An interaction in the last `dormant_days` days (0 ≤ age ≤ N): not dormant."""
    for i in reversed(contact.interactions):
        if i.date <= today:
            return (today - i.date).days <= settings.dormant_days
    return False


def network_diversity(vault: Vault, settings: Settings, today: date) -> dict[str, Diversity]:
    """Per configured dimension, over the active network as of `today`."""
    active = [c for c in vault.contacts if is_active(c, settings, today)]
    return {dim: diversity(c.dimension(dim) for c in active) for dim in settings.dimensions}


def period_diversity(
    items: Iterable[tuple[Contact, Interaction]], dimensions: Iterable[str]
) -> dict[str, Diversity]:
    """Per dimension, over a period's interactions: one count per interaction day."""
    people = [contact for contact, _ in items]
    return {dim: diversity(c.dimension(dim) for c in people) for dim in dimensions}


PIE_SLICES = 8


class Slices(NamedTuple):
    """What a pie shows (DESIGN 5.2): the largest values (`unknown` among them, marked by
    `is_unknown`), at most `PIE_SLICES`, and the total of the rest ("other")."""

    values: tuple[tuple[str, int, bool], ...]  # (value, count, is_unknown), largest first
    other: int  # the sum of the values left out
    others: int  # how many values that is


def pie_slices(d: Diversity, limit: int = PIE_SLICES) -> Slices:
    """The largest `limit` values of `d` (unknown included), the rest summed as "other":
    the slices' counts always sum to the data's."""
    items = [(value, n, False) for value, n in d.counts.items() if n > 0]
    if d.unknown:
        items.append((UNKNOWN, d.unknown, True))
    items.sort(key=lambda item: (-item[1], item[2], item[0]))
    if len(items) <= limit:
        return Slices(tuple(items), 0, 0)
    rest = items[limit:]
    return Slices(tuple(items[:limit]), sum(n for _, n, _ in rest), len(rest))

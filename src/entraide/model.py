"""The vault as entraide sees it: frozen values, computed once, that know nothing of files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import NamedTuple


def fast_reduce(self: object) -> tuple[object, tuple[object, ...]]:
    """Pickle a frozen, slotted dataclass as its constructor arguments: several times faster
    than the default state dictionaries, which matters for the parse cache."""
    cls = type(self)
    return (cls, tuple(getattr(self, name) for name in cls.__slots__))  # type: ignore[attr-defined]


# Sources of an interaction, most explicit first: a same-day merge keeps the kind of the lowest.
PROPERTY, BODY_LOG, MENTION = 0, 1, 2


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """Something wrong in the vault, located so the user can fix it."""

    path: str
    line: int | None
    code: str
    message: str

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, 0 if self.line is None else 1, self.line or 0, self.code, self.message)

    def as_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "code": self.code, "message": self.message}


class Interaction(NamedTuple):
    """One day of contact with one person, after same-day records were merged.

    A named tuple, not a frozen dataclass: a vault makes tens of thousands of them, and a
    tuple is built (and unpickled from the cache) several times faster."""

    date: date
    kind: str | None = None
    minutes: float | None = None
    gave: bool = False
    asked: bool = False
    news: bool = False
    source: int = PROPERTY
    gave_text: str | None = None
    asked_text: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Birthday:
    __reduce__ = fast_reduce

    month: int
    day: int
    year: int | None = None


_NO_DIMENSIONS: Mapping[str, str] = MappingProxyType({})


class Contact(NamedTuple):
    """A person: one note, its valid properties, and its merged interactions (oldest first).

    A named tuple (built twice per contact and build: a frozen dataclass costs three times
    as much); immutable like the rest of the model."""

    name: str
    path: str
    circle: str | None = None
    cadence: int | None = None
    dimensions: Mapping[str, str] = _NO_DIMENSIONS  # missing → "unknown"
    aliases: tuple[str, ...] = ()
    since: date | None = None
    birthday: Birthday | None = None
    follow_up: date | None = None
    snooze_until: date | None = None
    paused: bool = False
    interactions: tuple[Interaction, ...] = ()
    email: tuple[str, ...] = ()  # addresses as written (calendar and mail capture match them)
    # What they care about, can help with, are looking for (DESIGN 5.5), as compared:
    # trimmed, NFC, case-folded, a `[[link]]` reduced to its target.
    interests: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()

    def dimension(self, key: str) -> str:
        return self.dimensions.get(key, "unknown")


NO_DATED_EDGES: Mapping[tuple[str, str], date] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Vault:
    """Everything entraide derives from a vault: contacts, `knows` edges and problems."""

    contacts: tuple[Contact, ...]
    edges: frozenset[tuple[str, str]]  # undirected, by contact path, (a, b) with a < b
    problems: tuple[Problem, ...]
    conflicted: frozenset[str] = frozenset()  # paths with conflict markers or a conflict copy
    # `knows` edges from a day on (an introduction in an `interactions` entry's `gave` text,
    # DESIGN 5.5), by pair as in `edges`; none of them is in `edges`.
    dated_edges: Mapping[tuple[str, str], date] = field(default_factory=lambda: NO_DATED_EDGES)

    def edges_as_of(self, day: date) -> frozenset[tuple[str, str]]:
        """The `knows` edges that exist on `day`: `edges`, plus the dated ones from then on."""
        if not self.dated_edges:
            return self.edges
        return self.edges | {pair for pair, since in self.dated_edges.items() if since <= day}

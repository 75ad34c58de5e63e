"""One pass's analytics over a vault, computed on demand and memoised: the check-in list, the
reviews and `status` ask for the same tie summaries, and a daemon pass after one saved note
reuses every summary of a contact that did not change."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from datetime import date
from operator import itemgetter

from entraide.analytics.diversity import UNKNOWN, Diversity, from_counts
from entraide.analytics.reciprocity import asked_never_gave
from entraide.analytics.ties import TieSummary, tie_summary
from entraide.model import Contact, Interaction, Vault
from entraide.settings import Settings


class Analysis:
    def __init__(self, vault: Vault, settings: Settings, previous: Analysis | None = None) -> None:
        self.vault = vault
        self.settings = settings
        self._ties: dict[date, dict[str, TieSummary]] = {}
        self._diversity: dict[tuple[date, str], Diversity] = {}
        self._counts: dict[tuple[date, str], Counter[str]] = {}
        self._changed: tuple[list[Contact], list[Contact]] | None = None
        self._never_gave: dict[date, dict[str, int]] = {}
        self._previous = (
            previous if previous is not None and previous.settings == settings else None
        )
        if self._previous is not None:
            self._previous._previous = None  # keep one pass back, never the whole history
        self._days: list[date] | None = None  # every interaction by date, built on demand
        self._events: list[tuple[Contact, Interaction]] = []

    def ties(self, as_of: date) -> dict[str, TieSummary]:
        """Every contact's tie summary as of `as_of`, by path."""
        found = self._ties.get(as_of)
        if found is None:
            previous = self._previous
            before = previous._ties.get(as_of) if previous is not None else None
            old = {c.path: c for c in previous.vault.contacts} if previous and before else {}
            found = {}
            for c in self.vault.contacts:
                if before is not None and old.get(c.path) is c:
                    found[c.path] = before[c.path]
                else:
                    found[c.path] = tie_summary(c, self.settings, as_of)
            self._ties[as_of] = found
        return found

    def diversity(self, as_of: date, dimension: str) -> Diversity:
        """Diversity of the active (not dormant) network as of `as_of` along `dimension`."""
        key = (as_of, dimension)
        found = self._diversity.get(key)
        if found is None:
            ties = self.ties(as_of)
            previous = self._previous
            before = previous._counts.get(key) if previous is not None else None
            if previous is not None and before is not None:
                # Only the contacts that changed since the last pass move the counts.
                old_ties = previous.ties(as_of)
                counts = before.copy()
                gone, came = self._changes()
                for c in gone:
                    if old_ties[c.path].tie != "dormant":
                        counts[c.dimensions.get(dimension, UNKNOWN)] -= 1
                for c in came:
                    if ties[c.path].tie != "dormant":
                        counts[c.dimensions.get(dimension, UNKNOWN)] += 1
            else:
                counts = Counter(
                    c.dimensions.get(dimension, UNKNOWN)
                    for c in self.vault.contacts
                    if ties[c.path].tie != "dormant"
                )
            self._counts[key] = counts
            found = from_counts(counts)
            self._diversity[key] = found
        return found

    def _changes(self) -> tuple[list[Contact], list[Contact]]:
        """Contacts of the previous pass that are no longer the same, and their successors."""
        if self._changed is None:
            previous = self._previous
            assert previous is not None
            old = {c.path: c for c in previous.vault.contacts}
            new = {c.path: c for c in self.vault.contacts}
            gone = [c for path, c in old.items() if new.get(path) is not c]
            came = [c for path, c in new.items() if old.get(path) is not c]
            self._changed = (gone, came)
        return self._changed

    def asked_never_gave(self, as_of: date) -> dict[str, int]:
        """Asks without a gift within the last year, per contact path (only those with some)."""
        found = self._never_gave.get(as_of)
        if found is None:
            found = {}
            for c in self.vault.contacts:
                n = asked_never_gave(c, self.settings, as_of)
                if n:
                    found[c.path] = n
            self._never_gave[as_of] = found
        return found

    def _by_date(self) -> list[date]:
        if self._days is None:
            # A stable sort on the date keeps contacts in vault order within a day.
            events = [(i.date, c, i) for c in self.vault.contacts for i in c.interactions]
            events.sort(key=itemgetter(0))
            self._days = [e[0] for e in events]
            self._events = [(c, i) for _, c, i in events]
        return self._days

    def between(self, start: date, end: date) -> list[tuple[Contact, Interaction]]:
        """Every (contact, interaction) dated from `start` to `end`, by date."""
        days = self._by_date()
        return self._events[bisect_left(days, start) : bisect_right(days, end)]

    def count_between(self, start: date, end: date) -> int:
        days = self._by_date()
        return bisect_right(days, end) - bisect_left(days, start)

    def most_seen_share(self, start: date, end: date, top: int = 5) -> float:
        """The clan indicator: share of the period's interactions with the `top` most seen."""
        items = self.between(start, end)
        if not items:
            return 0.0
        seen = Counter(c.path for c, _ in items)
        return sum(n for _, n in seen.most_common(top)) / len(items)

"""One pass's analytics over a vault, computed on demand and memoised: the check-in list, the
reviews and `status` ask for the same tie summaries, and a daemon pass after one saved note
reuses every result of a contact that did not change.

Contacts are frozen: a contact that did not change since the last pass is the very same object
(the build reuses it), so every per-contact result of the previous `Analysis` is taken over for
it and only the changed contacts are computed again. Whatever is derived from all contacts
(counts, the interactions by date, selections, rankings) is patched with the changed contacts
only, in a way that gives exactly what a fresh computation gives.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, compress
from operator import is_not, methodcaller
from typing import Any, TypeVar

from entraide.analytics.budget import minutes
from entraide.analytics.diversity import UNKNOWN, Diversity, from_counts
from entraide.analytics.holes import Holes, ego_holes_of
from entraide.analytics.introductions import Introduction, introductions
from entraide.analytics.reciprocity import asked_never_gave, out_of_the_blue
from entraide.analytics.ties import TieSummary, summarizer
from entraide.model import Contact, Interaction, Vault
from entraide.parse.values import fold, nfc, sort_key_name
from entraide.settings import Settings

T = TypeVar("T")
# What a tie did over a period (flags of `Analysis.tie_changes`).
NEW, STRONGER, DRIFTING, DORMANT = 1, 2, 4, 8
Event = tuple[Contact, Interaction]


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the previous pass's vault."""

    gone: list[Contact]  # contacts of the previous vault that are no longer there as such
    came: list[Contact]  # contacts of this vault that were not in the previous one as such
    removed: list[str]  # paths of the previous vault that are no longer contacts
    same_paths: bool  # the same paths in the same order: only some contacts were replaced
    order_kept: bool  # the contacts found in both are in the same relative order


@dataclass(slots=True)
class PeriodStats:
    """Sums over the interactions dated from `start` to `end`, which are sums over contacts:
    a pass after a few notes changed takes the changed contacts' share out and puts their new
    share in, which gives exactly the sums of a fresh count (integers; minutes see `spent`)."""

    start: date
    end: date
    count: int = 0
    people: Counter[str] = field(default_factory=Counter)  # interactions per contact path
    gave: int = 0
    asked: int = 0
    news: int = 0
    blue: Counter[str] = field(default_factory=Counter)  # asks out of the blue per path
    dimensions: dict[str, Counter[str]] = field(default_factory=dict)  # value → interactions
    whole_minutes: int = 0  # the sum of the minutes that are whole numbers
    size: int = 0  # the sum of their absolute values
    floats: int = 0  # how many of them are floats (`spent` is then a float, as `sum` gives)
    fractions: int = 0  # how many minutes are not whole numbers

    def copy(self) -> PeriodStats:
        return PeriodStats(
            self.start, self.end, self.count, self.people.copy(), self.gave, self.asked,
            self.news, self.blue.copy(), {k: v.copy() for k, v in self.dimensions.items()},
            self.whole_minutes, self.size, self.floats, self.fractions,
        )  # fmt: skip

    def add(self, items: Iterable[Event], settings: Settings, sign: int = 1) -> None:
        """Count (or with `sign` −1, take out) these interactions."""
        blue = self.blue
        here: dict[str, list[Any]] = {}  # path → [contact, interactions]
        count = gave = asked = news = whole = size = floats = fractions = 0
        for c, i in items:
            count += 1
            mine = here.get(c.path)
            if mine is None:
                here[c.path] = [c, 1]
            else:
                mine[1] += 1
            if i.gave:
                gave += 1
            if i.asked:
                asked += 1
                if out_of_the_blue(c, i, settings):
                    _bump(blue, c.path, sign)
            if i.news:
                news += 1
            m = minutes(i, settings)
            if isinstance(m, int) or m.is_integer():
                whole += int(m)
                size += abs(int(m))
                if isinstance(m, float):
                    floats += 1
            else:
                fractions += 1
        self.count += sign * count
        self.gave += sign * gave
        self.asked += sign * asked
        self.news += sign * news
        self.whole_minutes += sign * whole
        self.size += sign * size
        self.floats += sign * floats
        self.fractions += sign * fractions
        people = self.people
        for path, (_, n) in here.items():
            _bump(people, path, sign * n)
        for dim in dict.fromkeys(settings.dimensions):  # each dimension once
            counts = self.dimensions.setdefault(dim, Counter())
            for c, n in here.values():
                counts[c.dimensions.get(dim, UNKNOWN)] += sign * n

    def spent(self, items: Callable[[], Iterable[Event]], settings: Settings) -> float:
        """`sum(minutes(i) for _, i in items())`: the exact sum of whole minutes whatever the
        order (while it stays exact in a float), else that very sum in date order."""
        if not self.fractions and self.size < 2**53:
            return float(self.whole_minutes) if self.floats else self.whole_minutes
        return sum(minutes(i, settings) for _, i in items())


def _bump(counts: Counter[str], key: str, by: int) -> None:
    n = counts[key] + by
    if n:
        counts[key] = n
    else:
        del counts[key]


def _changes(old: tuple[Contact, ...], new: tuple[Contact, ...]) -> Changes:
    if len(old) == len(new):
        # The usual daemon pass: a few contacts replaced in place (found at C speed).
        at = list(compress(range(len(new)), map(is_not, old, new)))
        if all(old[k].path == new[k].path for k in at):
            return Changes([old[k] for k in at], [new[k] for k in at], [], True, True)
    # A contact is found in both vaults as the very same object, or it changed.
    old_ids, new_ids = set(map(id, old)), set(map(id, new))
    gone = [c for c in old if id(c) not in new_ids]
    came = [c for c in new if id(c) not in old_ids]
    paths = {c.path for c in came}
    removed = [c.path for c in gone if c.path not in paths]
    kept_old = [c for c in old if id(c) in new_ids]
    kept_new = [c for c in new if id(c) in old_ids]
    order_kept = len(kept_old) == len(kept_new) and not any(map(is_not, kept_old, kept_new))
    return Changes(gone, came, removed, False, order_kept)


class Analysis:
    def __init__(
        self,
        vault: Vault,
        settings: Settings,
        previous: Analysis | None = None,
        notes: Iterable[str] | None = None,
    ) -> None:
        self.vault = vault
        self.settings = settings
        # Every note a link may lead to (vault paths), for links that open the right note;
        # None: the contacts' notes alone.
        self.notes: tuple[str, ...] | None = None if notes is None else tuple(notes)
        self._targets: LinkTargets | None = None
        self._diversity: dict[tuple[date, str], Diversity] = {}
        self._counts: dict[tuple[date, str], Counter[str]] = {}
        self._active_dims: dict[date, list[Mapping[str, str]]] = {}
        self._per_contact: dict[Hashable, dict[str, Any]] = {}
        self._select: dict[Hashable, dict[str, Any]] = {}
        self._ranked: dict[Hashable, list[Any]] = {}
        self._holes: dict[date, Holes | None] = {}
        self._introductions: dict[date, tuple[Introduction, ...]] = {}
        self._circles: Counter[str] | None = None
        self._periods: dict[tuple[date, date], PeriodStats] = {}
        self._rank: dict[str, int] | None = None
        self._changed: Changes | None = None
        self._previous = (
            previous if previous is not None and previous.settings == settings else None
        )
        if self._previous is not None:
            self._previous._previous = None  # keep one pass back, never the whole history
        # Every interaction by date, built on demand: the dates that have some, in order, and
        # each date's (contact, interaction) pairs in vault order.
        self._days: list[date] | None = None
        self._buckets: dict[date, list[Event]] = {}

    # -- what changed since the previous pass ---------------------------------------------

    def changes(self) -> Changes | None:
        """The contacts that changed since the previous pass (None without a previous one)."""
        previous = self._previous
        if previous is None:
            return None
        if self._changed is None:
            self._changed = _changes(previous.vault.contacts, self.vault.contacts)
        return self._changed

    def per_contact(self, key: Hashable, fn: Callable[[Contact], T]) -> dict[str, T]:
        """`fn(contact)` of every contact, by path, memoised under `key`. In no particular
        order (iterate `vault.contacts` for the vault's order).

        `key` must stand for `fn` and every input of it besides the contact (dates...): the
        previous pass's values under the same key are reused for the contacts that did not
        change."""
        found = self._per_contact.get(key)
        if found is None:
            previous = self._previous
            before = previous._per_contact.get(key) if previous is not None else None
            changes = self.changes() if before is not None else None
            if before is not None and changes is not None:
                found = before.copy()
                for path in changes.removed:
                    del found[path]
                for c in changes.came:
                    found[c.path] = fn(c)
            else:
                found = {c.path: fn(c) for c in self.vault.contacts}
            self._per_contact[key] = found
        return found

    def select(self, key: Hashable, fn: Callable[[Contact], T]) -> dict[str, T]:
        """The contacts whose `fn(contact)` is truthy, by path, with that value, memoised under
        `key` (as for `per_contact`). In no particular order."""
        found = self._select.get(key)
        if found is None:
            previous = self._previous
            before = previous._select.get(key) if previous is not None else None
            changes = self.changes() if before is not None else None
            if before is not None and changes is not None:
                found = before.copy()
                for c in changes.gone:
                    found.pop(c.path, None)
                for c in changes.came:
                    value = fn(c)
                    if value:
                        found[c.path] = value
            else:
                found = {}
                for c in self.vault.contacts:
                    value = fn(c)
                    if value:
                        found[c.path] = value
            self._select[key] = found
        return found

    def ranked(
        self, key: Hashable, fn: Callable[[Contact], T | None], order: Callable[[T], Any]
    ) -> list[T]:
        """The truthy `fn(contact)` values (see `select`), sorted by `order`, which must tell
        any two values apart (end the key with the contact's path)."""
        found = self._ranked.get(key)
        if found is None:
            chosen = self.select(key, fn)
            previous = self._previous
            before = previous._ranked.get(key) if previous is not None else None
            changes = self.changes() if before is not None else None
            if before is not None and changes is not None:
                assert previous is not None
                old = previous._select[key]
                found = before.copy()
                for c in changes.gone:
                    value = old.get(c.path)
                    if value is not None:
                        at = bisect_left(found, order(value), key=order)
                        if at == len(found) or found[at] is not value:  # not a strict order
                            found = sorted(chosen.values(), key=order)
                            break
                        del found[at]
                else:
                    for c in changes.came:
                        value = chosen.get(c.path)
                        if value is not None:
                            insort(found, value, key=order)
            else:
                found = sorted(chosen.values(), key=order)
            self._ranked[key] = found
        return found

    # -- per contact ----------------------------------------------------------------------

    def ties(self, as_of: date) -> dict[str, TieSummary]:
        """Every contact's tie summary as of `as_of`, by path (in no particular order)."""
        return self.per_contact(("ties", as_of), summarizer(self.settings, as_of))

    def by_path(self) -> dict[str, Contact]:
        """Every contact by path."""
        return self.per_contact("contact", _itself)

    def name_keys(self) -> dict[str, str]:
        """`sort_key_name(contact.name)` of every contact, by path: how people are sorted."""
        return self.per_contact("name key", _name_key)

    def asked_never_gave(self, as_of: date) -> dict[str, int]:
        """Asks without a gift within the last year, per contact path (only those with some),
        in no particular order."""
        settings = self.settings
        return self.select(("never gave", as_of), lambda c: asked_never_gave(c, settings, as_of))

    def active(self, as_of: date) -> dict[str, bool]:
        """The active contacts (an interaction in the last `dormant_days` days: not dormant),
        by path."""
        ties = self.ties(as_of)
        return self.select(("active", as_of), lambda c: ties[c.path].tie != "dormant")

    def link_targets(self) -> LinkTargets:
        """How to link each contact so that Obsidian opens its note (see `LinkTargets`);
        the previous pass's, while the notes and the contacts' paths are the same."""
        if self._targets is None:
            contacts = tuple(c.path for c in self.vault.contacts)
            notes = self.notes if self.notes is not None else contacts
            previous = self._previous
            before = previous._targets if previous is not None else None
            if before is not None and before.notes == notes and before.contacts == contacts:
                self._targets = before
            else:
                self._targets = LinkTargets(contacts, notes)
        return self._targets

    # -- over all contacts ----------------------------------------------------------------

    def diversity(self, as_of: date, dimension: str) -> Diversity:
        """Diversity of the active (not dormant) network as of `as_of` along `dimension`."""
        key = (as_of, dimension)
        found = self._diversity.get(key)
        if found is None:
            ties = self.ties(as_of)
            previous = self._previous
            before = previous._counts.get(key) if previous is not None else None
            changes = self.changes() if before is not None else None
            if previous is not None and before is not None and changes is not None:
                # Only the contacts that changed since the last pass move the counts.
                old_ties = previous.ties(as_of)
                counts = before.copy()
                for c in changes.gone:
                    if old_ties[c.path].tie != "dormant":
                        counts[c.dimensions.get(dimension, UNKNOWN)] -= 1
                for c in changes.came:
                    if ties[c.path].tie != "dormant":
                        counts[c.dimensions.get(dimension, UNKNOWN)] += 1
            else:
                counts = Counter(map(methodcaller("get", dimension, UNKNOWN), self._dims(as_of)))
            self._counts[key] = counts
            found = from_counts(counts)
            self._diversity[key] = found
        return found

    def _dims(self, as_of: date) -> list[Mapping[str, str]]:
        """The diversity values of every active contact as of `as_of`, in vault order."""
        found = self._active_dims.get(as_of)
        if found is None:
            active = self.active(as_of)
            found = [c.dimensions for c in self.vault.contacts if c.path in active]
            self._active_dims[as_of] = found
        return found

    def circle_counts(self) -> Counter[str]:
        """How many contacts declare each circle (entries may be 0)."""
        if self._circles is None:
            previous = self._previous
            before = previous._circles if previous is not None else None
            changes = self.changes() if before is not None else None
            if before is not None and changes is not None:
                counts = before.copy()
                for c in changes.gone:
                    if c.circle:
                        counts[c.circle] -= 1
                for c in changes.came:
                    if c.circle:
                        counts[c.circle] += 1
            else:
                counts = Counter(c.circle for c in self.vault.contacts if c.circle)
            self._circles = counts
        return self._circles

    def tie_changes(self, start: date, as_of: date, before: date) -> dict[str, int]:
        """The ties that are new over `start`..`as_of` (their first interaction falls in the
        period and their `since`, if any, does not come before the period: DESIGN 5.2 — an
        old acquaintance logged for the first time is not a new tie), stronger or drifting
        (strength ±0.05 since `before`) or gone dormant, as flags by path (only those with
        some: NEW, STRONGER, DRIFTING, DORMANT)."""
        ties_now = self.ties(as_of)
        ties_before = self.ties(before)

        def flags(contact: Contact) -> int:
            t, b = ties_now[contact.path], ties_before[contact.path]
            first = t.first_contact
            new = (
                first is not None
                and start <= first <= as_of
                and (contact.since is None or contact.since >= start)
            )
            found = NEW if new else 0
            if t.strength - b.strength >= 0.05 and not new:
                found |= STRONGER
            if b.strength - t.strength >= 0.05 and t.tie != "dormant":
                found |= DRIFTING
            if t.tie == "dormant" and b.tie != "dormant" and t.interactions:
                found |= DORMANT
            return found

        return self.select(("tie changes", start, as_of, before), flags)

    def holes(self, as_of: date) -> Holes | None:
        """The user's structural holes over the active network as of `as_of` (see holes.py),
        or None without `knows` edges among contacts."""
        if as_of in self._holes:
            return self._holes[as_of]
        edges = self.vault.edges_as_of(as_of)
        active = self.active(as_of)
        previous = self._previous
        changes = self.changes()
        if (
            previous is not None
            and changes is not None
            and as_of in previous._holes
            and (
                previous.vault.edges_as_of(as_of) is edges
                or previous.vault.edges_as_of(as_of) == edges
            )
        ):
            # The same edges among the same active contacts: the same measures.
            was = previous.active(as_of)
            if {c.path for c in changes.gone if c.path in was} == {
                c.path for c in changes.came if c.path in active
            }:
                found = previous._holes[as_of]
                self._holes[as_of] = found
                return found
        found = ego_holes_of(active, edges) if edges else None
        self._holes[as_of] = found
        return found

    def introductions(self, as_of: date) -> tuple[Introduction, ...]:
        """The best `introductions_per_week` introductions worth making among the active
        contacts as of `as_of` (DESIGN 5.5; see introductions.py)."""
        found = self._introductions.get(as_of)
        if found is None:
            found = introductions(
                self.vault.contacts,
                self.vault.edges_as_of(as_of),
                self.settings,
                as_of,
                active=self.active(as_of),
                limit=self.settings.introductions_per_week,
                name_keys=self.name_keys(),
            )
            self._introductions[as_of] = found
        return found

    # -- interactions by date -------------------------------------------------------------

    def _ranks(self) -> dict[str, int]:
        """Each contact's position in the vault, by path."""
        if self._rank is None:
            previous = self._previous
            changes = self.changes()
            if previous is not None and changes is not None and changes.same_paths:
                self._rank = previous._rank  # the same paths in the same places
            if self._rank is None:
                self._rank = {c.path: k for k, c in enumerate(self.vault.contacts)}
        return self._rank

    def _by_date(self) -> list[date]:
        if self._days is None:
            previous = self._previous
            changes = self.changes()
            if (
                previous is not None
                and previous._days is not None
                and changes is not None
                and changes.order_kept
            ):
                self._days, self._buckets = self._patched_days(previous, changes)
            else:
                buckets: dict[date, list[Event]] = {}
                for c in self.vault.contacts:
                    for i in c.interactions:
                        day = buckets.get(i.date)
                        if day is None:
                            buckets[i.date] = [(c, i)]
                        else:
                            day.append((c, i))
                self._days, self._buckets = sorted(buckets), buckets
        return self._days

    def _patched_days(
        self, previous: Analysis, changes: Changes
    ) -> tuple[list[date], dict[date, list[Event]]]:
        """The previous pass's interactions by date, without the changed contacts' old ones
        and with their new ones, each date still in vault order."""
        buckets = previous._buckets.copy()
        gone = {id(c) for c in changes.gone}
        added: dict[date, list[Event]] = {}
        for c in changes.came:
            for i in c.interactions:
                added.setdefault(i.date, []).append((c, i))
        touched = {i.date for c in changes.gone for i in c.interactions} | added.keys()
        if not touched:
            return previous._days or [], buckets
        rank = self._ranks()
        reshaped = False
        for day in touched:
            events = [e for e in buckets.get(day, ()) if id(e[0]) not in gone]
            new = added.get(day)
            if new:
                events += new
                events.sort(key=lambda e: rank[e[0].path])  # stable: a contact's own order
            if events:
                reshaped = reshaped or day not in buckets
                buckets[day] = events
            elif day in buckets:
                del buckets[day]
                reshaped = True
        days = sorted(buckets) if reshaped else (previous._days or [])
        return days, buckets

    def between(self, start: date, end: date) -> list[Event]:
        """Every (contact, interaction) dated from `start` to `end`, by date (then in vault
        order)."""
        days = self._by_date()
        chosen = days[bisect_left(days, start) : bisect_right(days, end)]
        return list(chain.from_iterable(map(self._buckets.__getitem__, chosen)))

    def count_between(self, start: date, end: date) -> int:
        days = self._by_date()
        chosen = days[bisect_left(days, start) : bisect_right(days, end)]
        return sum(map(len, map(self._buckets.__getitem__, chosen)))

    def period(self, start: date, end: date) -> PeriodStats:
        """The sums over the interactions dated from `start` to `end`."""
        key = (start, end)
        found = self._periods.get(key)
        if found is None:
            previous = self._previous
            before = previous._periods.get(key) if previous is not None else None
            changes = self.changes() if before is not None else None
            if before is not None and changes is not None:
                found = before.copy()
                for contacts, sign in ((changes.gone, -1), (changes.came, 1)):
                    mine = [
                        (c, i) for c in contacts for i in c.interactions if start <= i.date <= end
                    ]
                    found.add(mine, self.settings, sign)
            else:
                found = PeriodStats(start, end)
                found.add(self.between(start, end), self.settings)
            self._periods[key] = found
        return found

    def spent(self, start: date, end: date) -> float:
        """Minutes spent from `start` to `end`: `sum(minutes(i) for _, i in between(…))`."""
        return self.period(start, end).spent(lambda: self.between(start, end), self.settings)

    def most_seen_share(self, start: date, end: date, top: int = 5) -> float:
        """The clan indicator: share of the period's interactions with the `top` most seen."""
        items = self.between(start, end)
        if not items:
            return 0.0
        seen = Counter(c.path for c, _ in items)
        return sum(n for _, n in seen.most_common(top)) / len(items)


def _stem(path: str) -> str:
    return path.rpartition("/")[2][:-3] if path.endswith(".md") else path.rpartition("/")[2]


class LinkTargets:
    """For each contact path, the link target that opens that note (DESIGN §3, 5.1): None
    when `[[its name]]` leads to it among `notes` (one note of that name, else the shortest
    path, then alphabetical), else the shortest path suffix `[[Folder/Name]]` that does (the
    full path always does), and always a path for contacts sharing a name (each line reads
    apart, and a tick on it is never ambiguous). Links are written from the output folder,
    whose notes are never candidates. Worked out per contact on demand: a pass names a few."""

    def __init__(self, contacts: tuple[str, ...], notes: tuple[str, ...]) -> None:
        self.contacts = contacts
        self.notes = notes
        by_name: dict[str, list[str]] = {}
        for path in (*notes, *contacts):
            key = fold(nfc(_stem(path)))
            same = by_name.get(key)
            if same is None:
                by_name[key] = [path]
            elif path not in same:
                same.append(path)
        self._by_name = by_name
        self._names = Counter(fold(nfc(_stem(path))) for path in contacts)
        self._found: dict[str, str | None] = {}

    def get(self, path: str) -> str | None:
        if path in self._found:
            return self._found[path]
        key = fold(nfc(_stem(path)))
        same = self._by_name.get(key, [path])
        target: str | None = None
        if self._names[key] > 1 or (len(same) > 1 and min(same, key=_by_length) != path):
            parts = path[:-3].split("/") if path.endswith(".md") else path.split("/")
            target = "/".join(parts)
            for k in range(2, len(parts) + 1):
                suffix = "/".join(parts[-k:])
                wanted = fold(nfc(suffix))
                matches = [
                    p
                    for p in same
                    if fold(nfc(p[:-3])) == wanted or fold(nfc(p[:-3])).endswith("/" + wanted)
                ]
                if min(matches, key=_by_length) == path:
                    target = suffix
                    break
        self._found[path] = target
        return target


def link_targets(contacts: Iterable[str], notes: Iterable[str]) -> dict[str, str | None]:
    """`LinkTargets` of every contact, as a dict."""
    found = LinkTargets(tuple(contacts), tuple(notes))
    return {path: found.get(path) for path in found.contacts}


def _by_length(path: str) -> tuple[int, str]:
    return (len(path), path)


def _itself(contact: Contact) -> Contact:
    return contact


def _name_key(contact: Contact) -> str:
    name = contact.name
    # ASCII has nothing to decompose or strip: its sort key is its case fold.
    return name.lower() if name.isascii() else sort_key_name(name)

"""Introductions worth making (DESIGN 5.5): give before you ask, by connecting people.

Bringing together professionals of different trades and cultures links pieces of knowledge,
and introducing two people is a gift to both. A pair of active contacts who do not know each
other yet is a candidate when one needs something the other offers, or when they share an
interest and differ on a diversity dimension where both are known. Score: 2 per need met
(each way), 1 per shared interest, 0.5 per dimension where both are known and differ; ties
broken by the sorted names.

Contacts are indexed by each item, so the work is O(contacts × items + candidate pairs),
never all pairs: two contacts that share no item are never looked at together.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations, product

from entraide.analytics.diversity import UNKNOWN, is_active
from entraide.model import Contact
from entraide.parse.values import sort_key_name
from entraide.settings import Settings

# An interest (or a need and its offers) held by more contacts than this makes no pair by
# itself: see `introductions`. Far above what a hand-kept network shares around one item.
COMMON = 100


@dataclass(frozen=True, slots=True)
class Introduction:
    """Two contacts worth introducing, `a` before `b` by name (then path), and why.

    `needs_met` holds every item one of them needs and the other offers, sorted (an item
    needed each way is there twice: each is a need met); `a_needs` / `b_needs` split them by
    who needs them. `differ_on` names the dimensions where both are known and differ, in the
    settings' order; `differences` holds them with both values."""

    a: str  # contact path
    b: str
    a_name: str
    b_name: str
    score: float
    needs_met: tuple[str, ...]
    shared_interests: tuple[str, ...]
    differ_on: tuple[str, ...]
    a_needs: tuple[str, ...] = ()  # what `a` needs and `b` offers
    b_needs: tuple[str, ...] = ()  # what `b` needs and `a` offers
    differences: tuple[tuple[str, str, str], ...] = ()  # (dimension, a's value, b's value)

    def as_json(self) -> dict[str, object]:
        """The `status --json` entry (DESIGN 5.5): names as `a` and `b`, their paths too."""
        return {
            "a": self.a_name,
            "b": self.b_name,
            "a_path": self.a,
            "b_path": self.b,
            "score": round(self.score, 4),
            "needs_met": list(self.needs_met),
            "shared_interests": list(self.shared_interests),
            "differ_on": list(self.differ_on),
        }


def _order(contact: Contact) -> tuple[str, str, str]:
    """How people are sorted (as in `status`): accents removed and case folded, then name,
    then path."""
    return (sort_key_name(contact.name), contact.name, contact.path)


def introductions(
    contacts: Iterable[Contact],
    edges: Collection[tuple[str, str]],
    settings: Settings,
    today: date,
    active: Collection[str] | None = None,
    limit: int | None = None,
    name_keys: Mapping[str, str] | None = None,
) -> tuple[Introduction, ...]:
    """The candidate introductions among the active contacts as of `today`, best first (score
    descending, then the pair's names); the best `limit` of them when given.

    `edges` are the undirected `knows` edges as (path, path) pairs, either way round; a pair
    they link is never suggested. `active`: the paths of the active contacts, when the caller
    already knows them (else each contact's interactions decide, as `is_active` does);
    `name_keys`: `sort_key_name` of each contact's name by path, likewise."""
    people: list[Contact] = []
    for c in contacts:
        if not (c.interests or c.needs or c.offers):
            continue  # nothing to share: in no pair
        if c.path in active if active is not None else is_active(c, settings, today):
            people.append(c)
    if name_keys is None:
        people.sort(key=_order)
    else:
        keys = name_keys
        people.sort(key=lambda c: (keys[c.path], c.name, c.path))
    # Each item's holders, by position in `people` (increasing: each contact is seen once).
    offered: dict[str, list[int]] = {}
    needing: dict[str, list[int]] = {}
    caring: dict[str, list[int]] = {}
    for i, c in enumerate(people):
        for item in dict.fromkeys(c.offers):
            offered.setdefault(item, []).append(i)
        for item in dict.fromkeys(c.needs):
            needing.setdefault(item, []).append(i)
        for item in dict.fromkeys(c.interests):
            caring.setdefault(item, []).append(i)
    # Pairs (i, j), i < j, that share something: counted at C speed, item by item. An item
    # held by more than COMMON contacts (an interest half the network shares) makes no pair by
    # itself: its pairs would grow with the square of its holders (1,200 people who like
    # photography are 720,000 pairs). It still counts, exactly, in the score of every pair
    # that is a candidate for another reason.
    together: list[tuple[int, int]] = []
    for holders in caring.values():
        if 1 < len(holders) <= COMMON:
            together.extend(combinations(holders, 2))
    shared = Counter(together)
    asks: list[tuple[int, int]] = []  # (who needs, who offers)
    for item, needers in needing.items():
        offerers = offered.get(item)
        if offerers and len(needers) * len(offerers) <= COMMON * COMMON:
            asks.extend(product(needers, offerers))
    interests = [frozenset(c.interests) for c in people]
    wanted = Counter(asks)
    met: Counter[tuple[int, int]] = Counter()
    for (i, j), count in wanted.items():
        if i != j:
            met[(i, j) if i < j else (j, i)] += count
    at = {c.path: i for i, c in enumerate(people)}
    linked: set[tuple[int, int]] = set()
    for x, y in edges:
        i, j = at.get(x, -1), at.get(y, -1)
        if i >= 0 and j >= 0:
            linked.add((i, j) if i < j else (j, i))
    dimensions = tuple(dict.fromkeys(settings.dimensions))
    known_values: dict[int, tuple[str | None, ...]] = {}  # by position, for the pairs scored

    def known(i: int) -> tuple[str | None, ...]:
        found = known_values.get(i)
        if found is None:
            found = known_values[i] = _known_values(people[i], dimensions)
        return found

    most = 0.5 * len(dimensions)  # the most differences can add
    # The best so far as (score, -i, -j): the greater, the better; with a `limit`, a heap of
    # at most that many, its worst first, so a pair that cannot beat it is never scored.
    best: list[tuple[float, int, int]] = []
    room = limit if limit is not None else -1

    def consider(score: float, i: int, j: int) -> None:
        entry = (score, -i, -j)
        if room < 0 or len(best) < room:
            heapq.heappush(best, entry)
        elif room and entry > best[0]:
            heapq.heapreplace(best, entry)

    for pair, count in met.items():
        base = 2.0 * count + len(interests[pair[0]] & interests[pair[1]])
        if pair in linked or (0 <= room <= len(best) and (room == 0 or base + most < best[0][0])):
            continue
        i, j = pair
        consider(base + 0.5 * _differ(known(i), known(j)), i, j)
    for pair in shared:
        if pair in met or pair in linked:
            continue
        count = len(interests[pair[0]] & interests[pair[1]])
        if 0 <= room <= len(best) and (room == 0 or count + most < best[0][0]):
            continue  # cannot make the list
        i, j = pair
        differ = _differ(known(i), known(j))
        if differ:  # a shared interest alone, between two alike: no candidate
            consider(count + 0.5 * differ, i, j)
    chosen = sorted(best, reverse=True)
    return tuple(_introduction(people[-i], people[-j], dimensions) for _, i, j in chosen)


def _known_values(contact: Contact, dimensions: Sequence[str]) -> tuple[str | None, ...]:
    """The contact's value along each dimension, None where it is unknown."""
    values = contact.dimensions
    return tuple(v if (v := values.get(d, UNKNOWN)) != UNKNOWN else None for d in dimensions)


def _differ(a: tuple[str | None, ...], b: tuple[str | None, ...]) -> int:
    """How many dimensions both know and differ on."""
    if a == b:
        return 0
    count = 0
    for x, y in zip(a, b, strict=True):
        if x != y and x is not None and y is not None:
            count += 1
    return count


def _introduction(a: Contact, b: Contact, dimensions: Sequence[str]) -> Introduction:
    """The pair's introduction, worked out in full (for the few that are shown)."""
    a_needs = tuple(sorted(set(a.needs) & set(b.offers)))
    b_needs = tuple(sorted(set(b.needs) & set(a.offers)))
    shared = tuple(sorted(set(a.interests) & set(b.interests)))
    differences = _differences(a, b, dimensions)
    return Introduction(
        a=a.path,
        b=b.path,
        a_name=a.name,
        b_name=b.name,
        score=2.0 * (len(a_needs) + len(b_needs)) + len(shared) + 0.5 * len(differences),
        needs_met=tuple(sorted(a_needs + b_needs)),
        shared_interests=shared,
        differ_on=tuple(d for d, _, _ in differences),
        a_needs=a_needs,
        b_needs=b_needs,
        differences=differences,
    )


def _differences(
    a: Contact, b: Contact, dimensions: Sequence[str]
) -> tuple[tuple[str, str, str], ...]:
    """The dimensions where both are known (not `unknown`) and differ, with both values."""
    found = []
    for dim in dimensions:
        va = a.dimensions.get(dim, UNKNOWN)
        vb = b.dimensions.get(dim, UNKNOWN)
        if va != UNKNOWN and vb != UNKNOWN and va != vb:
            found.append((dim, va, vb))
    return tuple(found)

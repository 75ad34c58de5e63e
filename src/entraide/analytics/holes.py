"""Structural holes (Burt 1992): the ego's effective size and constraint.

The ego (the user) is tied to every active contact; the alters' ties to one another are the
undirected, unweighted `knows` edges. A network of alters who do not know each other spans
structural holes: information from one group reaches another only through you.

With unweighted ties the measures need only each alter's degree among the ego's alters and the
number of triangles it closes, so they are computed in O(edges) — networkx's `constraint` is
O(degree³) and never finishes at 10,000 alters. Checked against networkx in the tests.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from math import fsum

from entraide.analytics.diversity import is_active
from entraide.model import Vault
from entraide.settings import Settings


@dataclass(frozen=True, slots=True)
class Holes:
    alters: int
    edges: int
    effective_size: float
    efficiency: float
    constraint: float


def effective_size_and_constraint(
    adjacency: Mapping[Hashable, Iterable[Hashable]], node: Hashable
) -> tuple[float, float]:
    """Burt's effective size and constraint of `node` in an undirected, unweighted graph.

    For unweighted undirected ties, p_ij = 1/deg(i) (i ≠ j neighbours), so
    effective size = n − 2t/n (t: ties among the n neighbours) and
    constraint = Σ_j (1/n + Σ_{q ∈ N(i) ∩ N(j), q ≠ i, j} 1/(n · deg(q)))².
    """
    neighbours = {v for v in adjacency.get(node, ()) if v != node}
    n = len(neighbours)
    if n == 0:
        return float("nan"), float("nan")
    degree = {v: len({w for w in adjacency.get(v, ()) if w != v}) for v in neighbours}
    ties = 0
    indirect: dict[Hashable, float] = dict.fromkeys(neighbours, 0.0)
    for q in neighbours:
        others = [w for w in adjacency.get(q, ()) if w in neighbours and w != q]
        ties += len(others)
        # q is a path node (node → q → j) for every neighbour j of q: p_iq · p_qj.
        weight = 1.0 / (n * degree[q])
        for j in others:
            indirect[j] += weight
    ties //= 2
    effective = n - 2 * ties / n
    constraint = sum((1.0 / n + indirect[j]) ** 2 for j in neighbours)
    return effective, constraint


def ego_holes(vault: Vault, settings: Settings, today: date) -> Holes | None:
    """The user's structural holes over the active network, or None without `knows` edges."""
    if not vault.edges:
        return None
    active = {c.path for c in vault.contacts if is_active(c, settings, today)}
    return ego_holes_of(active, vault.edges)


def ego_holes_of(active: Collection[str], edges: Iterable[tuple[str, str]]) -> Holes | None:
    """The ego's measures when it is tied to every `active` contact and the alters' ties among
    themselves are `edges` (those between two active contacts count); None without alters.

    `effective_size_and_constraint` of the ego, specialised: every alter is tied to the ego,
    so its degree is 1 + its degree among the alters, and an alter that knows no other one
    adds (1/n)² to the constraint. Sums are exact (`fsum`), so the result does not depend on
    the order of the edges or of the sets.
    """
    n = len(active)
    if n == 0:
        return None
    among: dict[str, set[str]] = {}
    count = 0
    for a, b in edges:
        if a != b and a in active and b in active:
            count += 1
            among.setdefault(a, set()).add(b)
            among.setdefault(b, set()).add(a)
    ties = sum(map(len, among.values())) // 2
    effective = n - 2 * ties / n
    # p_iq · p_qj for every path ego → q → j: 1 / (n · deg(q)), deg(q) counting the ego.
    weight = {q: 1.0 / (n * (1 + len(others))) for q, others in among.items()}
    alone = 1.0 / n
    terms = [(alone + fsum(weight[q] for q in others)) ** 2 for others in among.values()]
    terms.extend(repeat(alone * alone, n - len(among)))
    return Holes(n, count, effective, effective / n, fsum(terms))

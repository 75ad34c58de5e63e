"""Structural holes in O(edges), proven equal to networkx (tests only) on small graphs."""

import math
from datetime import date

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.analytics.holes import effective_size_and_constraint, ego_holes, ego_holes_of
from entraide.model import Contact, Interaction, Vault
from entraide.settings import Settings


def adjacency(graph: nx.Graph) -> dict[object, set[object]]:
    return {v: set(graph[v]) for v in graph}


def test_borgatti_graph_from_networkx_tests() -> None:
    # The undirected example of networkx's own structural-holes tests (Borgatti's).
    graph = nx.Graph()
    graph.add_edges_from(
        [
            ("A", "B"),
            ("A", "F"),
            ("A", "G"),
            ("A", "E"),
            ("E", "G"),
            ("F", "G"),
            ("B", "G"),
            ("B", "D"),
            ("D", "G"),
            ("G", "C"),
        ]
    )
    graph.add_node("H")  # isolated: no measure
    adj = adjacency(graph)
    got = {v: effective_size_and_constraint(adj, v) for v in "GAC"}
    assert [round(got[v][0], 3) for v in "GAC"] == [4.667, 2.5, 1.0]
    assert [round(got[v][1], 3) for v in "GAC"] == [0.4, 0.595, 1.0]
    sizes = nx.effective_size(graph, nodes=list(graph))
    constraint = nx.constraint(graph)
    for v in "GAC":
        assert math.isclose(got[v][0], sizes[v], rel_tol=1e-9)
        assert math.isclose(got[v][1], constraint[v], rel_tol=1e-9)
    assert math.isnan(effective_size_and_constraint(adj, "H")[0])


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 12), st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=40))
def test_equal_to_networkx_on_random_graphs(n: int, pairs: list[tuple[int, int]]) -> None:
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from((a % n, b % n) for a, b in pairs if a % n != b % n)
    adj = adjacency(graph)
    sizes = nx.effective_size(graph, nodes=list(graph))
    constraint = nx.constraint(graph)
    for v in graph:
        effective, c = effective_size_and_constraint(adj, v)
        if graph.degree(v) == 0:
            assert math.isnan(effective)
            continue
        assert math.isclose(effective, sizes[v], rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(c, constraint[v], rel_tol=1e-9, abs_tol=1e-12)


def test_ego_network_of_a_vault() -> None:
    today = date(2026, 11, 22)
    seen = (Interaction(date(2026, 11, 1)),)
    contacts = tuple(Contact(name=n, path=f"People/{n}.md", interactions=seen) for n in "ABCD")
    vault = Vault(contacts, frozenset({("People/A.md", "People/B.md")}), ())
    holes = ego_holes(vault, Settings(), today)
    assert holes is not None
    assert holes.alters == 4 and holes.edges == 1
    assert math.isclose(holes.effective_size, 4 - 2 * 1 / 4)
    assert ego_holes(Vault(contacts, frozenset(), ()), Settings(), today) is None


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 12),
    st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), max_size=40),
)
def test_ego_measures_equal_the_general_ones(n: int, pairs: list[tuple[int, int]]) -> None:
    # The ego is tied to its n alters; edges may touch contacts that are not active (≥ n),
    # repeat, or loop: only those between two distinct alters count.
    active = {f"p{k}" for k in range(n)}
    edges = [(f"p{a}", f"p{b}") for a, b in pairs]
    holes = ego_holes_of(active, edges)
    assert holes is not None
    adjacency: dict[object, set[object]] = {"ego": set(active)}
    for v in active:
        adjacency[v] = {"ego"}
    for a, b in edges:
        if a in active and b in active and a != b:
            adjacency[a].add(b)
            adjacency[b].add(a)
    effective, constraint = effective_size_and_constraint(adjacency, "ego")
    assert holes.alters == n
    assert holes.edges == sum(1 for a, b in edges if a in active and b in active and a != b)
    assert holes.effective_size == effective
    assert holes.efficiency == effective / n
    assert math.isclose(holes.constraint, constraint, rel_tol=1e-12)
    assert ego_holes_of(set(), edges) is None

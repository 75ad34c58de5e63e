"""Introductions worth making (DESIGN 5.5): hand-computed expectations on a fixture vault,
properties of the rule (hypothesis), the weekly review's section and the `log --gave` gesture."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entraide.analytics.introductions import Introduction, introductions
from entraide.cli import _field_text, main
from entraide.model import Contact, Interaction
from entraide.parse.props import items
from entraide.settings import Settings

FIXTURE = Path(__file__).parent / "fixtures" / "vaults" / "18-introductions"
SCHEMA = Path(__file__).parent.parent / "src" / "entraide" / "schemas" / "status.schema.json"
TODAY = date(2026, 11, 23)
TODAY_TEXT = TODAY.isoformat()


@pytest.fixture
def intro_vault(tmp_path: Path) -> Path:
    target = tmp_path / "vault"
    shutil.copytree(FIXTURE / "vault", target)
    return target


def status_of(vault: Path, capsys: pytest.CaptureFixture[str], today: str) -> dict[str, Any]:
    capsys.readouterr()  # what ran before
    assert main(["status", str(vault), "--json", "--today", today]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def pairs(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i["a"], i["b"]) for i in data["introductions"]]


# -- hand-computed ----------------------------------------------------------------------------


def test_the_fixture_vault_gives_the_hand_computed_introductions(
    intro_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    data = status_of(intro_vault, capsys, expected["today"])
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert data["introductions"] == expected["introductions"]


def test_items_are_trimmed_nfc_case_folded_and_links_reduce_to_their_target() -> None:
    assert items([" Hiring ", "[[Climate]]", "[[Folder/Jazz#Live|jazz]]", "Cafe\u0301"]) == (
        "hiring",
        "climate",
        "folder/jazz",
        "café",
    )
    assert items("Data, science") == ("data, science",)  # text is one item, compared whole
    assert items([["Nested"], None, "", "   ", "hiring", "HIRING", 3]) == ("nested", "hiring", "3")
    assert items(None) == ()


def test_the_rule_on_small_cases() -> None:
    s = Settings()
    seen = (Interaction(TODAY - timedelta(days=3)),)

    def person(name: str, **kw: Any) -> Contact:
        return Contact(name=name, path=f"People/{name}.md", interactions=seen, **kw)

    ana = person("Ana", needs=("hiring",), dimensions={"sector": "Finance"})
    ben = person("Ben", offers=("hiring",), dimensions={"sector": "Finance"})
    (only,) = introductions([ben, ana], frozenset(), s, TODAY)
    assert (only.a_name, only.b_name, only.score, only.a_needs, only.b_needs) == (
        "Ana",
        "Ben",
        2.0,
        ("hiring",),
        (),
    )
    assert only.differ_on == ()
    # A shared interest alone between two alike is no candidate; with a difference it is.
    cleo = person("Cleo", interests=("jazz",), dimensions={"sector": "Arts"})
    dan = person("Dan", interests=("jazz",), dimensions={"sector": "Arts", "country": "Peru"})
    assert introductions([cleo, dan], frozenset(), s, TODAY) == ()
    eve = person("Eve", interests=("jazz",), dimensions={"sector": "Law"})
    (found,) = introductions([cleo, eve], frozenset(), s, TODAY)
    assert (found.score, found.differ_on, found.differences) == (
        1.5,
        ("sector",),
        (("sector", "Arts", "Law"),),
    )
    # `unknown` is never a difference, even written out.
    fay = person("Fay", interests=("jazz",), dimensions={"sector": "unknown", "country": "Chile"})
    assert introductions([cleo, fay], frozenset(), s, TODAY) == ()
    # Dormant contacts and linked pairs are left out.
    old = person("Old", offers=("hiring",))._replace(
        interactions=(Interaction(TODAY - timedelta(days=366)),)
    )
    assert introductions([ana, old], frozenset(), s, TODAY) == ()
    assert introductions([ana, ben], {("People/Ben.md", "People/Ana.md")}, s, TODAY) == ()
    # A limit keeps the best, ties broken by names.
    assert introductions([ana, ben, cleo, eve], frozenset(), s, TODAY, limit=1) == (only,)
    assert introductions([ana, ben], frozenset(), s, TODAY, limit=0) == ()


# -- properties -------------------------------------------------------------------------------

WORDS = st.sampled_from(["climate", "jazz", "hiring", "design", "law"])
VALUES = st.sampled_from(["A", "B", "unknown"])


@st.composite
def networks(draw: st.DrawFn) -> list[Contact]:
    n = draw(st.integers(min_value=0, max_value=9))
    names = draw(st.lists(st.sampled_from("ABCDEFGHIJKLMN"), min_size=n, max_size=n))
    out = []
    for k, name in enumerate(names):
        age = draw(st.sampled_from([0, 10, 400]))
        dims = {d: v for d in ("sector", "country") if (v := draw(VALUES)) != "unknown"}
        out.append(
            Contact(
                name=name,
                path=f"People/{k}.md",
                dimensions=dims,
                interests=tuple(dict.fromkeys(draw(st.lists(WORDS, max_size=3)))),
                offers=tuple(dict.fromkeys(draw(st.lists(WORDS, max_size=2)))),
                needs=tuple(dict.fromkeys(draw(st.lists(WORDS, max_size=2)))),
                interactions=(Interaction(TODAY - timedelta(days=age)),),
            )
        )
    return out


def brute_force(contacts: list[Contact], edges: set[tuple[str, str]]) -> list[tuple[Any, ...]]:
    """Every pair, the rule as DESIGN 5.5 words it, for the indexed version to agree with."""
    s = Settings()
    active = [c for c in contacts if c.interactions[0].date >= TODAY - timedelta(days=365)]
    found = []
    for x in active:
        for y in active:
            kx = (x.name.casefold(), x.name, x.path)
            ky = (y.name.casefold(), y.name, y.path)
            if not kx < ky or (x.path, y.path) in edges or (y.path, x.path) in edges:
                continue
            needs = len(set(x.needs) & set(y.offers)) + len(set(y.needs) & set(x.offers))
            shared = len(set(x.interests) & set(y.interests))
            differ = sum(
                1
                for d in s.dimensions
                if d in x.dimensions and d in y.dimensions and x.dimensions[d] != y.dimensions[d]
            )
            if needs or (shared and differ):
                found.append((-(2 * needs + shared + 0.5 * differ), kx, ky))
    return [(px, py, -score) for score, (_, _, px), (_, _, py) in sorted(found)]


def as_rows(found: tuple[Introduction, ...]) -> list[tuple[Any, ...]]:
    return [(i.a, i.b, i.score) for i in found]


PROFILE = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@PROFILE
@given(networks(), st.randoms(use_true_random=False))
def test_the_index_agrees_with_every_pair_and_order_does_not_matter(
    contacts: list[Contact], rnd: Any
) -> None:
    s = Settings()
    found = introductions(contacts, frozenset(), s, TODAY)
    assert as_rows(found) == brute_force(contacts, set())
    shuffled = list(contacts)
    rnd.shuffle(shuffled)
    assert introductions(shuffled, frozenset(), s, TODAY) == found
    for k in range(4):
        assert introductions(contacts, frozenset(), s, TODAY, limit=k) == found[:k]


@PROFILE
@given(networks())
def test_a_pair_is_symmetric_and_a_knows_edge_removes_it(contacts: list[Contact]) -> None:
    s = Settings()
    found = introductions(contacts, frozenset(), s, TODAY)
    by_path = {c.path: c for c in contacts}
    for intro in found:
        # Either way round, the pair reads the same (a sorts first; needs swap sides).
        a, b = by_path[intro.a], by_path[intro.b]
        (alone,) = introductions([b, a], frozenset(), s, TODAY)
        assert alone == intro
        assert sorted(alone.a_needs + alone.b_needs) == list(intro.needs_met)
        for edge in ((intro.a, intro.b), (intro.b, intro.a)):
            again = introductions(contacts, frozenset({edge}), s, TODAY)
            assert intro.a not in {i.a for i in again if i.b == intro.b}
            assert [i for i in found if (i.a, i.b) != (intro.a, intro.b)] == list(again)


# -- the review and the gesture ---------------------------------------------------------------


def test_the_weekly_review_lists_the_best_with_their_why(
    intro_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_note = intro_vault / "Entraide" / "Settings.md"
    settings_note.write_text("---\nintroductions_per_week: 2\n---\n", encoding="utf-8")
    assert main(["run", str(intro_vault), "--today", "2026-11-23"]) == 0
    week = (intro_vault / "Entraide" / "Reviews" / "2026-W48.md").read_text(encoding="utf-8")
    section = week.split("## Introductions worth making\n\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines() == [
        "- [[Ana]] and [[Ben]]: Ana needs hiring, Ben offers hiring; both care about climate; "
        "Finance and Architecture (sector), Banker and Architect (profession)",
        "- [[Ivy]] and [[Jo]]: Ivy needs design, Jo offers design; "
        "Jo needs mentoring, Ivy offers mentoring",
    ]
    month = (intro_vault / "Entraide" / "Reviews" / "2026-11.md").read_text(encoding="utf-8")
    assert "Introductions worth making" not in month
    assert len(status_of(intro_vault, capsys, "2026-11-23")["introductions"]) == 2


def test_copied_text_is_escaped_in_the_why(intro_vault: Path) -> None:
    ana = intro_vault / "People" / "Ana.md"
    ana.write_text(
        ana.read_text(encoding="utf-8").replace("needs: [Hiring]", 'needs: ["#hiring <b>"]'),
        encoding="utf-8",
    )
    ben = intro_vault / "People" / "Ben.md"
    ben.write_text(
        ben.read_text(encoding="utf-8").replace("offers: [hiring]", 'offers: ["#HIRING <b>"]'),
        encoding="utf-8",
    )
    assert main(["run", str(intro_vault), "--today", "2026-11-23"]) == 0
    week = (intro_vault / "Entraide" / "Reviews" / "2026-W48.md").read_text(encoding="utf-8")
    assert "Ana needs \\#hiring &lt;b&gt;, Ben offers \\#hiring &lt;b&gt;" in week


def test_log_gave_with_a_link_records_the_introduction(
    intro_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ("Ana", "Ben") in pairs(status_of(intro_vault, capsys, "2026-11-23"))
    logged = ["log", str(intro_vault), "Ana", "--gave", "intro to [[Ben]]", "--today", TODAY_TEXT]
    assert main(logged) == 0
    capsys.readouterr()
    note = (intro_vault / "People" / "Ana.md").read_text(encoding="utf-8")
    assert "- 2026-11-23 check-in [gave:: intro to [[Ben]]]\n" in note
    data = status_of(intro_vault, capsys, "2026-11-23")
    assert ("Ana", "Ben") not in pairs(data)
    assert ("Ivy", "Jo") in pairs(data)
    ana = next(c for c in data["contacts"] if c["name"] == "Ana")
    assert (ana["gave"], ana["last_contact"]) == (1, "2026-11-23")


def test_field_text_keeps_links_and_nothing_else_that_closes_a_field() -> None:
    assert _field_text("intro to  [[Ben Li]]\n") == "intro to [[Ben Li]]"
    assert _field_text("a [b] c") == "a (b) c"
    assert _field_text("[[A|x]] and [[B]]]]") == "[[A|x]] and [[B]]))"
    assert _field_text("[[[B]]]") == "([[B]])"
    assert _field_text("kind [[x]]", links=False) == "kind ((x))"


def test_a_gift_link_in_an_interactions_entry_links_the_pair_from_that_day_on(
    intro_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ana = intro_vault / "People" / "Ana.md"
    ana.write_text(
        ana.read_text(encoding="utf-8").replace(
            "interactions:\n",
            'interactions:\n  - date: 2026-11-23\n    gave: "intro to [[Hal]]"\n',
        ),
        encoding="utf-8",
    )
    before = status_of(intro_vault, capsys, "2026-11-22")
    after = status_of(intro_vault, capsys, "2026-11-23")
    assert ("Ana", "Hal") in pairs(before)
    assert ("Ana", "Hal") not in pairs(after)
    assert pairs(after) == [p for p in pairs(before) if p != ("Ana", "Hal")]
    # The structural-holes figures count the edge from that day on too.
    assert main(["run", str(intro_vault), "--today", "2026-11-23"]) == 0
    week = (intro_vault / "Entraide" / "Reviews" / "2026-W48.md").read_text(encoding="utf-8")
    assert "2 pairs know each other" in week  # Ana-Gus (knows) and Ana-Hal (the gift)


def test_no_section_without_items_and_a_plain_none_without_candidates(intro_vault: Path) -> None:
    people = sorted((intro_vault / "People").glob("*.md"))
    for note in people:  # the same vault with nothing to share…
        text = note.read_text(encoding="utf-8")
        kept = [
            line
            for line in text.split("\n")
            if not line.startswith(("interests:", "offers:", "needs:"))
        ]
        note.write_text("\n".join(kept), encoding="utf-8")
    assert main(["run", str(intro_vault), "--today", "2026-11-23"]) == 0
    review = intro_vault / "Entraide" / "Reviews" / "2026-W48.md"
    assert "Introductions worth making" not in review.read_text(encoding="utf-8")
    # … then with one need that no one offers: the section says there is none.
    ana = intro_vault / "People" / "Ana.md"
    ana.write_text(ana.read_text(encoding="utf-8").replace("---\n", "---\nneeds: [x]\n", 1))
    assert main(["run", str(intro_vault), "--today", "2026-11-23"]) == 0
    week = review.read_text(encoding="utf-8")
    assert "## Introductions worth making\n\nNone this week: " in week


def test_an_interest_half_the_network_shares_makes_no_pair_by_itself() -> None:
    """An interest held by more than COMMON active contacts would make pairs by the square of
    its holders (1,200 people who like photography: 720,000 pairs): it makes none by itself,
    and still counts in the score of a pair that is a candidate for another reason."""
    from entraide.analytics.introductions import COMMON, introductions
    from entraide.model import Contact, Interaction
    from entraide.settings import Settings

    seen = (Interaction(date(2026, 11, 1)),)
    crowd = [
        Contact(
            name=f"P{k:04}",
            path=f"People/P{k:04}.md",
            dimensions={"sector": "a" if k % 2 else "b"},
            interests=("photography",),
            interactions=seen,
        )
        for k in range(COMMON + 1)
    ]
    settings = Settings()
    assert introductions(crowd, frozenset(), settings, date(2026, 11, 23)) == ()
    needy = crowd[0]._replace(needs=("hiring",))
    giver = crowd[1]._replace(offers=("hiring",))
    found = introductions([needy, giver, *crowd[2:]], frozenset(), settings, date(2026, 11, 23))
    pairs = [(i.a, i.b, i.shared_interests) for i in found]
    assert pairs == [("People/P0000.md", "People/P0001.md", ("photography",))]

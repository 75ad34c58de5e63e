"""DESIGN 5.2 on real files: `status: final` is honoured only once the period has ended as of
today (a run with a future `--today` finalises nothing for good), no review is written for a
period that starts after today, new ties are first met in the period, and a review opens with
three plain sentences and explains its indices."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from entraide.cli import main

REVIEWS = "Entraide/Reviews"


def run(vault: Path, day: str) -> None:
    assert main(["run", str(vault), "--today", day]) == 0


def status_of(path: Path) -> str:
    m = re.search(r"^status: (\w+)$", path.read_text("utf-8"), re.MULTILINE)
    assert m, path
    return m.group(1)


@pytest.mark.usefixtures("instant_settle")
def test_a_future_today_finalises_nothing_for_good(vault: Path) -> None:
    run(vault, "2026-11-23")
    week = vault / REVIEWS / "2026-W48.md"
    assert status_of(week) == "current"
    run(vault, "2026-12-02")  # a clock set a week ahead: W48 looks ended, and final
    assert status_of(week) == "final"
    ahead = (vault / REVIEWS / "2026-W49.md").read_bytes()
    run(vault, "2026-11-24")  # the real day: W48 is this week again
    assert status_of(week) == "current"
    assert "As of 2026-11-24. Updated as you go." in week.read_text("utf-8")
    assert (vault / REVIEWS / "2026-W49.md").read_bytes() == ahead  # not written again
    run(vault, "2026-11-30")  # it ends: final, then kept
    assert status_of(week) == "final"
    final = week.read_bytes()
    (vault / "People" / "Kofi Mensah.md").open("a").write("\n- 2026-11-25 call\n")
    run(vault, "2026-12-01")
    assert week.read_bytes() == final


@pytest.mark.usefixtures("instant_settle")
def test_no_review_of_a_period_that_starts_after_today(vault: Path) -> None:
    run(vault, "2026-11-23")
    run(vault, "2026-11-24")
    names = sorted(p.name for p in (vault / REVIEWS).iterdir())
    assert names == ["2026-11.md", "2026-W48.md"]


def _person(vault: Path, name: str, extra: str) -> None:
    (vault / "People" / f"{name}.md").write_text(
        f"---\ntags: [person]\ncircle: active\n{extra}---\n", "utf-8"
    )


@pytest.mark.usefixtures("instant_settle")
def test_new_ties_are_people_first_met_in_the_period(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "People").mkdir()
    first = "interactions:\n  - {date: 2026-11-24, kind: coffee}\n"
    _person(vault, "New Person", first)
    _person(vault, "Met Here", "since: 2026-11-23\n" + first)
    _person(vault, "Old Friend", "since: 2015-03-01\n" + first)  # logged for the first time
    _person(vault, "Regular", "interactions:\n  - {date: 2026-10-01}\n  - {date: 2026-11-24}\n")
    run(vault, "2026-11-25")
    text = (vault / REVIEWS / "2026-W48.md").read_text("utf-8")
    assert "- New: [[Met Here]], [[New Person]]\n" in text
    assert "| new ties | 2 | |" in text
    assert text.split("\n\n")[1] == (
        "You talked with 4 people this week, 2 of them new. Every interaction went to a "
        "handful of people: who else could you call? You gave nothing, asked for nothing and "
        "asked nobody about their news."
    )
    assert "> [!info]- What these numbers mean" in text
    for word in ("Blau", "IQV", "Entropy", "Effective number", "Effective size", "Constraint"):
        assert re.search(rf"^> - \*\*{word}", text, re.MULTILINE), word

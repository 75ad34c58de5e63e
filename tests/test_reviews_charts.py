"""DESIGN 5.2: the reviews' charts never lose or hide data. On every fixture vault, and on
hostile labels: every pie slice's label is distinct (Mermaid keeps one slice per label), at
most 8 slices plus "other", the counts sum to the data's (`status --json`); the weekly chart
has whole numbers on a whole-number axis and distinct week labels, with their year where the
weeks cross one. `scripts/render_charts` renders the same blocks with Mermaid itself."""

from __future__ import annotations

import json
import math
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import TEMPLATE
from entraide.analytics.diversity import Diversity, pie_slices
from entraide.analytics.periods import count_axis_max, period_of, week_labels, weeks_ending
from entraide.cli import main
from entraide.render.reviews import pie_lines
from entraide.render.text import mermaid
from test_fixture_vaults import SCENARIOS, VAULTS, apply_make, load_expected

_BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_SLICE = re.compile(r'^    "([^"]*)" : (\d+)$')


def mermaid_blocks(text: str) -> list[str]:
    return _BLOCK.findall(text)


def pies(text: str) -> dict[str, list[tuple[str, int]]]:
    """Each pie of a review by title: its (label, count) slices."""
    found = {}
    for block in mermaid_blocks(text):
        head, *rows = block.rstrip("\n").split("\n")
        if not head.startswith("pie title "):
            continue
        slices = []
        for row in rows:
            m = _SLICE.match(row)
            assert m, f"not a slice line: {row!r}"
            slices.append((m.group(1), int(m.group(2))))
        found[head[len("pie title ") :]] = slices
    return found


def check_pie(slices: list[tuple[str, int]], counts: dict[str, int], unknown: int) -> None:
    labels = [label for label, _ in slices]
    assert len(labels) == len(set(labels)), labels  # Mermaid would merge two equal labels
    assert len(slices) <= 9 and all(n > 0 for _, n in slices), slices
    assert sum(n for _, n in slices) == sum(counts.values()) + unknown
    largest = sorted([*counts.values(), *([unknown] if unknown else [])], reverse=True)
    shown = [n for label, n in slices if label != "other"] if len(largest) > 8 else None
    if shown is not None:  # the 8 largest are shown, the rest summed
        assert sorted(shown, reverse=True) == largest[:8]
        assert dict(slices)["other"] == sum(largest[8:])
    for label, _ in slices:
        assert label and not re.search(r"[\"'`;:{}\[\]()<>#%&|$\\]", label), label


def check_weeks(text: str, today: date) -> None:
    (chart,) = [b for b in mermaid_blocks(text) if b.startswith("xychart-beta")]
    x = re.search(r"x-axis \[(.*)\]", chart)
    y = re.search(r'y-axis "interactions" 0 --> (\d+)\n', chart)
    bars = re.search(r"bar \[(.*)\]", chart)
    assert x and y and bars, chart
    labels = json.loads(f"[{x.group(1)}]")
    values = [int(v) for v in bars.group(1).split(", ")]
    assert len(labels) == len(set(labels)) == len(values) == 12
    assert int(y.group(1)) >= max(values) and int(y.group(1)) >= 8  # d3's ticks: whole
    weeks = weeks_ending(today)
    years = [w.label[:4] for w in weeks]
    for k, label in enumerate(labels):  # the year where the weeks cross one
        with_year = len(set(years)) > 1 and (k == 0 or years[k] != years[k - 1])
        assert label == (weeks[k].label if with_year else weeks[k].label[-3:]), labels


def run_fixture(tmp_path: Path, scenario: str) -> tuple[Path, dict[str, Any]]:
    vault = tmp_path / "vault"
    if scenario == "starter":
        shutil.copytree(TEMPLATE, vault)
        return vault, {"today": "2026-11-23"}
    expected = load_expected(scenario)
    shutil.copytree(VAULTS / scenario / "vault", vault, symlinks=True)
    (vault / ".obsidian").mkdir(exist_ok=True)
    apply_make(vault, tmp_path / "outside", expected.get("make", []))
    return vault, expected


@pytest.mark.usefixtures("instant_settle")
@pytest.mark.parametrize("scenario", [*SCENARIOS, "starter"])
def test_every_fixture_vaults_charts_keep_every_slice(
    tmp_path: Path, scenario: str, capsys: pytest.CaptureFixture[str]
) -> None:
    vault, expected = run_fixture(tmp_path, scenario)
    today = expected["today"]
    if main(["run", str(vault), "--today", today]) != 0:
        pytest.skip("this vault's settings are invalid: no review is written")
    capsys.readouterr()
    assert main(["status", str(vault), "--json", "--today", today]) == 0
    status = json.loads(capsys.readouterr().out)
    day = date.fromisoformat(today)
    week = vault / "Entraide" / "Reviews" / f"{period_of(day, 'week').label}.md"
    text = week.read_text("utf-8")
    found = pies(text)
    assert len(found) == sum(1 for d in status["diversity"].values() if d["counts"] or d["unknown"])
    for dim, d in status["diversity"].items():
        if d["counts"] or d["unknown"]:
            check_pie(found[mermaid(dim)], d["counts"], d["unknown"])
    check_weeks(text, day)
    for review in (vault / "Entraide" / "Reviews").glob("*.md"):
        body = review.read_text("utf-8")
        assert body.count("```") % 2 == 0  # every block closed
        assert "> [!info]- What these numbers mean" in body


def test_hostile_labels_stay_apart_and_sum_to_the_data() -> None:
    long = "x" * 50
    values = {
        long + "a": 5, long + "b": 5, long + "c": 5,  # equal once cut
        'say "hi"': 4, "it's": 4, "%% comment %%": 4, "a --> b": 3, "key: value": 3,
        "key; value": 3, "key# value": 3,  # equal once escaped
        "🚀": 2, "🚀 ": 2, "other": 2, "unknown": 1, "?": 1, "": 1,
    }  # fmt: skip
    counts = {k: v for k, v in values.items() if k != "unknown"}
    d = Diversity(counts, 7, 0.5, 0.5, 1.0, 2.0)
    rows = pie_lines("sector", pie_slices(d))
    assert rows[0] == "```mermaid" and rows[1] == "pie title sector" and rows[-1] == "```"
    slices = [(m.group(1), int(m.group(2))) for m in map(_SLICE.match, rows[2:-1]) if m]
    assert len(slices) == len(rows) - 3
    check_pie(slices, counts, 7)
    for n in range(0, 12):  # any number of values, the labels all equal once escaped
        same = {f"a{':;#%&|'[k % 6]}b{' ' * (k // 6)}": k + 1 for k in range(n)}
        rows = pie_lines("t", pie_slices(Diversity(same, 0, 0, 0, 0, 0)))
        slices = [(m.group(1), int(m.group(2))) for m in map(_SLICE.match, rows[2:-1]) if m]
        check_pie(slices, same, 0)


def test_week_labels_carry_the_year_when_the_weeks_cross_one() -> None:
    assert week_labels(weeks_ending(date(2026, 11, 23)))[-2:] == ["W47", "W48"]
    crossing = week_labels(weeks_ending(date(2027, 1, 6)))
    assert crossing[0] == "2026-W43" and crossing[-3:] == ["W52", "W53", "2027-W01"]
    assert len(set(crossing)) == 12


@pytest.mark.parametrize("top", range(0, 40))
def test_count_axes_tick_on_whole_numbers(top: int) -> None:
    """d3's `ticks()` (Mermaid's xychart) over 0..N falls on whole numbers from N = 8 on: the
    step is 1, 2 or 5 times a power of ten of at least 1 once N / 10 is over 0.707."""
    n = count_axis_max([top])
    assert n >= max(top, 8)
    raw = n / 10
    power = 10 ** math.floor(math.log10(raw))
    error = raw / power
    factor = 10 if error >= 50**0.5 else 5 if error >= 10**0.5 else 2 if error >= 2**0.5 else 1
    step = power * factor
    assert step >= 1 and float(step).is_integer()

"""A property of the check-in list (DESIGN 5.1): whatever gestures a user makes in it with
Tasks (ticks with or without `✅`, cancels, postpones by `📅`, `⏳` or `🛫`, priorities) and
whatever passes run in between, over days and weeks, a user's priority or postponed date is
never lost while the line is there, and no check-in is ever logged twice."""

from __future__ import annotations

import re
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entraide.ticks import parse_fields
from test_checkins_gestures import MONDAY, NOTES, edit, make_vault, open_names, run, task

NAMES = [Path(rel).stem for rel in NOTES]
SIGNS = ["🔺", "⏫", "🔼", "🔽", "⏬"]

gesture = st.one_of(
    st.tuples(st.just("tick"), st.sampled_from(NAMES), st.booleans()),
    st.tuples(st.just("cancel"), st.sampled_from(NAMES), st.booleans()),
    st.tuples(
        st.just("postpone"),
        st.sampled_from(NAMES),
        st.sampled_from(["due", "⏳", "🛫"]),
        st.integers(1, 9),
    ),  # fmt: skip
    st.tuples(st.just("priority"), st.sampled_from(NAMES), st.sampled_from(SIGNS)),
    st.tuples(st.just("pass"), st.integers(0, 4)),
)


def logged(vault: Path, name: str) -> list[str]:
    text = (vault / "People" / f"{name}.md").read_text("utf-8")
    return re.findall(r"^- (\d{4}-\d{2}-\d{2}) check-in$", text, re.MULTILINE)


@pytest.mark.usefixtures("instant_settle")
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(gesture, min_size=1, max_size=12), crlf=st.booleans())
def test_gestures_and_passes_never_lose_a_priority_or_date_nor_log_twice(
    steps: list[tuple[object, ...]], crlf: bool
) -> None:
    eol = "\r\n" if crlf else "\n"
    with tempfile.TemporaryDirectory() as tmp:
        vault = make_vault(Path(tmp) / "vault")
        today = MONDAY
        run(vault, today)
        expected: dict[str, set[str]] = {n: set() for n in NAMES}
        priority: dict[str, str] = {}
        postponed: dict[str, tuple[str, date]] = {}
        for step in [*steps, ("pass", 0)]:
            kind, name = step[0], step[1]
            if kind == "pass":
                assert isinstance(name, int)
                run(vault, today)
                for n in NAMES:
                    days = logged(vault, n)
                    assert len(days) == len(set(days)), (n, days)  # never twice
                    assert set(days) == expected[n], (n, days, expected[n])
                    open_lines = task(vault, n)
                    if open_lines and n in priority:
                        for line in open_lines:
                            assert parse_fields(line[6:])[1].priority == priority[n], line
                    elif n in priority:
                        del priority[n]  # the line is gone: so is what it carried
                    if n in postponed:
                        sign, until = postponed[n]
                        if today < until:
                            wanted = f"{sign} {until.isoformat()}"
                            assert any(wanted in line for line in open_lines), (n, open_lines)
                        else:
                            del postponed[n]
                today += timedelta(days=name)
                continue
            assert isinstance(name, str)
            if name not in open_names(vault) or name in postponed:
                continue  # no open line for this contact now: nothing to do to it
            if kind == "tick":
                edit(vault, name, f"tick:{today.isoformat() if step[2] else ''}", eol)
                expected[name].add(today.isoformat())
                priority.pop(name, None)
            elif kind == "cancel":
                edit(vault, name, f"cancel:{today.isoformat() if step[2] else ''}", eol)
                priority.pop(name, None)
            elif kind == "postpone":
                how, days = step[2], step[3]
                assert isinstance(how, str) and isinstance(days, int)
                (line,) = task(vault, name)
                due = parse_fields(line[6:])[1].due
                assert due is not None
                until = (max(due, today) if how == "due" else today) + timedelta(days=days)
                edit(vault, name, f"{how}:{until.isoformat()}", eol)
                postponed[name] = ("📅" if how == "due" else how, until)
            elif kind == "priority":
                sign = step[2]
                assert isinstance(sign, str)
                edit(vault, name, f"priority:{sign}", eol)
                priority[name] = sign

"""DESIGN 5.1: what the user does in the check-in list with Obsidian Tasks' own gestures is read
back and kept — a tick (with or without `✅ date`), a cancel (`[-]`, with or without `❌ date`),
a postpone (`📅` moved later, `⏳` or `🛫` added) and a priority — on LF and CRLF notes: what is
logged, what is kept, and what comes back when. Real files, the CLI in-process."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from entraide.cli import main
from entraide.ticks import parse_fields

MONDAY = date(2026, 11, 23)
CHECKINS = "Entraide/Check-ins.md"
_LINK = re.compile(r"\[\[([^\]|#]+)(?:[|#][^\]]*)?\]\]")

NOTES = {
    # overdue on its cadence, with something to ask
    "People/Ana Lima.md": (
        "---\ntags: [person]\ncircle: close\ninteractions:\n"
        "  - {date: 2026-09-01, kind: lunch, note: talked about her move to Lyon}\n---\n"
    ),
    "People/Ben Okoro.md": "---\ntags: [person]\nbirthday: 1980-11-27\n---\n",
    "People/Cleo Park.md": "---\ntags: [person]\nfollow_up: 2026-11-25\n---\n",
    "People/Dan Roy.md": (
        "---\ntags: [person]\ncircle: acquaintance\ninteractions:\n"
        "  - {date: 2026-10-01, kind: call, asked: a referral, news: true}\n---\n"
    ),
    "People/Eve Sato.md": "---\ntags: [person]\ncircle: inner\n---\n",
}


def run(vault: Path, day: date) -> None:
    assert main(["run", str(vault), "--today", day.isoformat()]) == 0


def make_vault(root: Path) -> Path:
    (root / ".obsidian").mkdir(parents=True)
    for rel, text in NOTES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "Entraide").mkdir()
    (root / "Entraide" / "Settings.md").write_text(
        "---\nmax_checkins: 10\nweekly_minutes: 1000\n---\n", "utf-8"
    )
    return root


def target(line: str) -> str | None:
    m = _LINK.search(line)
    return m.group(1) if m else None


def lines(vault: Path) -> list[str]:
    return (vault / CHECKINS).read_bytes().decode("utf-8").replace("\r\n", "\n").split("\n")


def task(vault: Path, name: str, box: str = " ") -> list[str]:
    return [x for x in lines(vault) if x.startswith(f"- [{box}] ") and target(x) == name]


def open_names(vault: Path) -> list[str]:
    """The open lines' names above the "Later" heading, in order."""
    found = []
    for line in lines(vault):
        if line == "### Later":
            break
        if line.startswith("- [ ] "):
            found.append(target(line) or "")
    return found


def later_names(vault: Path) -> list[str]:
    text = lines(vault)
    if "### Later" not in text:
        return []
    rest = text[text.index("### Later") :]
    return [target(x) or "" for x in rest if x.startswith("- [ ] ")]


def logged(vault: Path, name: str) -> list[str]:
    text = (vault / "People" / f"{name}.md").read_text("utf-8")
    return re.findall(r"^- (\d{4}-\d{2}-\d{2}) check-in$", text, re.MULTILINE)


def edit(vault: Path, name: str, change: str, eol: str) -> str:
    """Change the open line of `name` as Tasks would; the note keeps its line endings."""
    path = vault / CHECKINS
    text = path.read_bytes().decode("utf-8")
    if eol == "\r\n":  # (entraide writes LF: the user's editor or sync turned it to CRLF)
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    rows = text.split("\n")
    for i, row in enumerate(rows):
        end = "\r" if row.endswith("\r") else ""
        row = row.removesuffix("\r")
        if row.startswith("- [ ] ") and target(row) == name:
            changed = apply(row, change)
            rows[i] = changed + end
            path.write_bytes("\n".join(rows).encode("utf-8"))
            return changed
    raise AssertionError(f"no open line for {name} in:\n{text}")


def apply(row: str, change: str) -> str:
    """Tasks' serialisation: priority before the dates, `✅`/`❌` appended at the end."""
    desc, fields = parse_fields(row[len("- [ ] ") :])
    due = fields.due
    assert due is not None, row
    if fields.priority is not None:
        desc += f" {fields.priority}"
    kind, _, arg = change.partition(":")
    if kind == "tick":
        return "- [x] " + row[6:] + (f" ✅ {arg}" if arg else "")
    if kind == "cancel":
        return "- [-] " + row[6:] + (f" ❌ {arg}" if arg else "")
    if kind == "due":
        return f"- [ ] {desc} 📅 {arg}"
    if kind in ("⏳", "🛫"):
        return f"- [ ] {desc} {kind} {arg} 📅 {due.isoformat()}"
    if kind == "priority":
        return f"- [ ] {desc} {arg} 📅 {due.isoformat()}"
    raise AssertionError(change)


@pytest.fixture(params=["\n", "\r\n"], ids=["LF", "CRLF"])
def eol(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def listed(tmp_path: Path, eol: str) -> Path:
    """The vault after a first pass, its check-in list saved with `eol` line endings."""
    vault = make_vault(tmp_path / "vault")
    run(vault, MONDAY)
    path = vault / CHECKINS
    path.write_bytes(path.read_bytes().replace(b"\n", eol.encode()))
    return vault


pytestmark = pytest.mark.usefixtures("instant_settle")


def test_the_first_list(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    run(vault, MONDAY)
    assert open_names(vault) == ["Ben Okoro", "Cleo Park", "Ana Lima", "Dan Roy", "Eve Sato"]
    (ana,) = task(vault, "Ana Lima")
    assert ana == (
        "- [ ] [[Ana Lima]] — 83 days since you last talked (every 30 d); last time "
        "(2026-09-01, lunch): talked about her move to Lyon; ask about their news 📅 2026-11-23"
    )
    (dan,) = task(vault, "Dan Roy")  # asked about news last time: nothing to remind
    assert dan == "- [ ] [[Dan Roy]] — you asked once and never gave: offer help 📅 2026-11-23"
    for line in task(vault, "Ben Okoro") + task(vault, "Cleo Park"):
        assert line.endswith(("📅 2026-11-27", "📅 2026-11-25")), line


@pytest.mark.parametrize("done", ["", "2026-11-24"], ids=["no-date", "done-date"])
def test_a_tick_logs_once_stays_ticked_this_week_and_satisfies_the_line(
    listed: Path, eol: str, done: str
) -> None:
    tuesday = MONDAY + timedelta(days=1)
    ticked = edit(listed, "Ben Okoro", f"tick:{done}", eol)
    run(listed, tuesday)
    assert logged(listed, "Ben Okoro") == ["2026-11-24"]
    kept = ticked if done else f"{ticked} ✅ 2026-11-24"
    assert task(listed, "Ben Okoro", "x") == [kept]  # stays, ticked, with its day
    assert task(listed, "Ben Okoro") == []
    for day in range(2, 7):  # the rest of the week: nothing logged twice, the line stays
        run(listed, MONDAY + timedelta(days=day))
        assert logged(listed, "Ben Okoro") == ["2026-11-24"]
        assert task(listed, "Ben Okoro", "x") == [kept]
        assert task(listed, "Ben Okoro") == []  # the birthday (Friday) was done by the tick
    run(listed, MONDAY + timedelta(days=7))  # a new week: the ticked line is gone
    assert task(listed, "Ben Okoro", "x") == [] and task(listed, "Ben Okoro") == []
    assert logged(listed, "Ben Okoro") == ["2026-11-24"]


def test_a_follow_up_ticked_before_its_day_is_done_for_that_day(listed: Path, eol: str) -> None:
    """Ticked on Sunday for a follow-up due the next Wednesday: it never comes back."""
    sunday = MONDAY + timedelta(days=6)
    path = listed / "People" / "Cleo Park.md"
    path.write_text("---\ntags: [person]\nfollow_up: 2026-12-02\n---\n", "utf-8")
    run(listed, sunday)
    edit(listed, "Cleo Park", "tick:", eol)
    run(listed, sunday)
    assert logged(listed, "Cleo Park") == ["2026-11-29"]
    for day in range(7, 16):
        run(listed, MONDAY + timedelta(days=day))
        assert task(listed, "Cleo Park") == [], day
    path.write_text("---\ntags: [person]\nfollow_up: 2026-12-15\n---\n", "utf-8")
    run(listed, MONDAY + timedelta(days=16))  # a new follow-up is a new reason
    assert len(task(listed, "Cleo Park")) == 1


@pytest.mark.parametrize("cancelled", ["", "2026-11-23"], ids=["no-date", "cancel-date"])
def test_a_cancel_dismisses_until_the_week_ends_and_logs_nothing(
    listed: Path, eol: str, cancelled: str
) -> None:
    line = edit(listed, "Eve Sato", f"cancel:{cancelled}", eol)
    for day in range(0, 7):
        run(listed, MONDAY + timedelta(days=day))
        kept = line if cancelled else f"{line} ✅ 2026-11-23".replace("✅", "❌")
        assert task(listed, "Eve Sato", "-") == [kept], day
        assert task(listed, "Eve Sato") == []
    assert logged(listed, "Eve Sato") == []
    run(listed, MONDAY + timedelta(days=7))
    assert task(listed, "Eve Sato", "-") == []
    assert len(task(listed, "Eve Sato")) == 1  # back the next week


@pytest.mark.parametrize("how", ["due", "⏳", "🛫"])
def test_a_postpone_waits_under_later_and_comes_back_on_that_day(
    listed: Path, eol: str, how: str
) -> None:
    until = MONDAY + timedelta(days=3)
    line = edit(listed, "Ana Lima", f"{how}:{until.isoformat()}", eol)
    for day in range(0, 3):
        run(listed, MONDAY + timedelta(days=day))
        assert "Ana Lima" not in open_names(listed), day
        assert later_names(listed) == ["Ana Lima"]
        assert task(listed, "Ana Lima") == [line]  # with the user's date, as Tasks wrote it
    assert logged(listed, "Ana Lima") == []
    run(listed, until)
    assert "Ana Lima" in open_names(listed) and later_names(listed) == []
    (back,) = task(listed, "Ana Lima")
    assert back.endswith(f"📅 {until.isoformat()}")


def test_a_date_moved_earlier_or_to_today_is_no_postpone(listed: Path, eol: str) -> None:
    edit(listed, "Ben Okoro", "due:2026-11-23", eol)
    run(listed, MONDAY)
    (line,) = task(listed, "Ben Okoro")
    assert line.endswith("📅 2026-11-27") and later_names(listed) == []


@pytest.mark.parametrize("sign", ["🔺", "⏫", "🔼", "🔽", "⏬"])
def test_a_priority_is_kept_and_ranks_first(listed: Path, eol: str, sign: str) -> None:
    assert open_names(listed)[-1] == "Eve Sato"
    edit(listed, "Eve Sato", f"priority:{sign}", eol)
    for day in range(0, 3):
        run(listed, MONDAY + timedelta(days=day))
        assert open_names(listed)[0] == "Eve Sato"
        (line,) = task(listed, "Eve Sato")
        desc, fields = parse_fields(line[6:])
        assert fields.priority == sign and fields.due is not None, line
        assert line.endswith(f"{sign} 📅 {fields.due.isoformat()}")  # 📅 ends the line


def test_priorities_rank_among_themselves(listed: Path, eol: str) -> None:
    edit(listed, "Eve Sato", "priority:🔽", eol)
    edit(listed, "Dan Roy", "priority:⏫", eol)
    run(listed, MONDAY)
    assert open_names(listed)[:3] == ["Dan Roy", "Eve Sato", "Ben Okoro"]


def test_a_postponed_line_keeps_its_priority_when_it_comes_back(listed: Path, eol: str) -> None:
    edit(listed, "Ana Lima", "priority:⏫", eol)
    run(listed, MONDAY)
    edit(listed, "Ana Lima", "⏳:2026-11-25", "\n")
    run(listed, MONDAY)
    assert later_names(listed) == ["Ana Lima"]
    run(listed, date(2026, 11, 25))
    assert open_names(listed)[0] == "Ana Lima"
    (line,) = task(listed, "Ana Lima")
    assert "⏫ 📅 2026-11-25" in line


def test_cut_lines_are_named_under_the_list(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    (vault / "Entraide" / "Settings.md").write_text(
        "---\nmax_checkins: 2\nweekly_minutes: 1000\n---\n", "utf-8"
    )
    run(vault, MONDAY)
    assert open_names(vault) == ["Ben Okoro", "Cleo Park"]
    assert "3 more due: [[Ana Lima]], [[Dan Roy]], [[Eve Sato]]" in lines(vault)


def test_the_budget_cut_is_said_and_named(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    (vault / "Entraide" / "Settings.md").write_text(
        "---\nweekly_minutes: 15\ncheckin_minutes: 15\n---\n", "utf-8"
    )
    run(vault, MONDAY)
    assert open_names(vault) == ["Ben Okoro", "Cleo Park", "Ana Lima"]  # birthdays, follow-ups
    text = lines(vault)
    assert "2 more due: [[Dan Roy]], [[Eve Sato]]" in text
    assert any(x.startswith("The weekly budget is spent: 2 more contacts") for x in text)


def test_only_reasons_that_hold_and_one_rule_for_the_date(tmp_path: Path) -> None:
    """A follow-up past due says its own date and is listed for today; a cadence that is not
    due is not named beside it."""
    vault = make_vault(tmp_path / "vault")
    (vault / "People" / "Cleo Park.md").write_text(
        "---\ntags: [person]\ncircle: active\nfollow_up: 2026-11-20\ninteractions:\n"
        "  - {date: 2026-11-01, kind: call}\n---\n",
        "utf-8",
    )
    run(vault, MONDAY)
    (line,) = task(vault, "Cleo Park")
    assert "follow-up was due 2026-11-20" in line and "every" not in line
    assert line.endswith("📅 2026-11-23")


def test_the_global_filter_follows_the_date(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    (vault / "Entraide" / "Settings.md").write_text(
        "---\ntasks_global_filter: '#task'\n---\n", "utf-8"
    )
    run(vault, MONDAY)
    (line,) = task(vault, "Ben Okoro")
    assert line.endswith("📅 2026-11-27 #task")
    _, fields = parse_fields(line[6:])
    assert fields.due == date(2026, 11, 27)


def test_links_open_the_contact_when_another_note_has_its_name(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    (vault / "Eve Sato.md").write_text("not a person\n", "utf-8")  # shorter path: it wins
    run(vault, MONDAY)
    (line,) = task(vault, "People/Eve Sato")
    assert line.startswith("- [ ] [[People/Eve Sato|Eve Sato]] — ")
    assert task(vault, "Ana Lima")  # the others keep their bare name


def test_something_to_ask_is_cut_on_a_word_and_escaped(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    long = "[[Zed]] <b>moved</b> " + "word " * 30 + "📅 2020-01-01 ⏫"
    (vault / "People" / "Ana Lima.md").write_text(
        "---\ntags: [person]\ncircle: close\ninteractions:\n"
        f"  - {{date: 2026-09-01, note: '{long}'}}\n---\n",
        "utf-8",
    )
    run(vault, MONDAY)
    (line,) = task(vault, "Ana Lima")
    said = line.split("last time (2026-09-01): ")[1].split("; ask about their news")[0]
    assert said.endswith("…") and "[[" not in said and "<b>" not in said
    assert "📅" not in said and "⏫" not in said
    _, fields = parse_fields(line[6:])
    assert fields.due == MONDAY and fields.priority is None


def test_link_targets_follow_obsidians_resolution() -> None:
    from entraide.analytics.report import link_targets

    contacts = ["People/Sam.md", "Work/Clients/Ana.md", "Zoe.md", "A/Lee.md", "B/C/Lee.md"]
    notes = [*contacts, "Sam.md", "Arc/Clients/Ana.md", "Notes/zoe.md", "X/People/Sam.md"]
    assert link_targets(contacts, notes) == {
        "People/Sam.md": "People/Sam",  # Sam.md (shorter) wins the bare name
        "Work/Clients/Ana.md": "Work/Clients/Ana",  # Clients/Ana would be ambiguous, then shorter
        "Zoe.md": None,  # the shortest of the two, any case
        "A/Lee.md": "A/Lee",  # two contacts share the name: each by path
        "B/C/Lee.md": "C/Lee",
    }


def test_an_old_line_whose_reason_went_is_no_postpone(listed: Path, eol: str) -> None:
    """Cleo's line said `follow-up due 2026-11-25 📅 2026-11-25`; the follow-up is gone and
    her cadence makes her due today: the old date was entraide's, not the user's."""
    (listed / "People" / "Cleo Park.md").write_text(
        "---\ntags: [person]\ncircle: active\ninteractions:\n  - {date: 2026-06-01}\n---\n",
        "utf-8",
    )
    run(listed, MONDAY)
    assert later_names(listed) == []
    (line,) = task(listed, "Cleo Park")
    assert line.endswith("📅 2026-11-23") and "follow-up" not in line


def test_a_clock_set_ahead_then_back_postpones_nothing(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    run(vault, MONDAY)
    fresh = (vault / CHECKINS).read_bytes()
    run(vault, MONDAY + timedelta(days=2))  # the dates entraide wrote that day are its own
    run(vault, MONDAY)
    assert later_names(vault) == []
    assert (vault / CHECKINS).read_bytes() == fresh

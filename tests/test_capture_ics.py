"""`entraide import ics` and the `calendars` setting: calendar files in
tests/fixtures/capture/ (as Google, Apple, Outlook and vdirsyncer write them, and hostile
ones) → meeting notes in Meetings/ (DESIGN §10)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import mark_vault
from entraide.capture import ics
from entraide.cli import main
from entraide.model import Contact

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "capture"
PARIS = ZoneInfo("Europe/Paris")
TODAY = "2026-12-01"

PEOPLE = {
    "Ana Lima": "---\nemail: ana@example.org\n---\n# Ana\n",
    "Ben Okafor": "---\nemail: [ben@example.com, B.Okafor@Work.example]\n---\n",
    "Chloé Martin": "---\nemail: chloe@example.fr\ncircle: close\n---\n",
    "Dan Roe": "---\ncircle: active\n---\n",  # no address: never matched
}


@pytest.fixture(autouse=True)
def paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The user's clock is in Paris: dates are local start dates there."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    (root / "People").mkdir(parents=True)
    for name, text in PEOPLE.items():
        (root / "People" / f"{name}.md").write_text(text, "utf-8")
    return mark_vault(root)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def imports(capsys: pytest.CaptureFixture[str], source: Path, root: Path, *more: str) -> dict:  # type: ignore[type-arg]
    code, out, err = run(
        capsys,
        "import",
        "ics",
        str(source),
        "--vault",
        str(root),
        "--today",
        TODAY,
        "--json",
        *more,
    )
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def files(root: Path) -> dict[str, bytes]:
    found = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".entraide"]
        for name in names:
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def meetings(root: Path) -> dict[str, str]:
    return {
        k.removeprefix("Meetings/"): v.decode()
        for k, v in files(root).items()
        if k.startswith("Meetings/")
    }


def note(day: str, names: list[str], minutes: int | None, uid: str, rid: str | None = None) -> str:
    lines = ["---", f"date: {day}", "attendees:", *[f'  - "[[{n}]]"' for n in names]]
    if minutes is not None:
        lines.append(f"minutes: {minutes}")
    lines += ["source: calendar", f'uid: "{uid}"']
    if rid:
        lines.append(f'recurrence_id: "{rid}"')
    return "\n".join([*lines, "---"]) + "\n"


GOOGLE = {
    "2026-11-03 Coffee with Ana.md": note(
        "2026-11-03", ["Ana Lima"], 45, "0a1b2c3d4e5f@google.com"
    ),
    # weekly, EXDATE on the 12th, the 19th moved to the 20th: one note per occurrence
    "2026-11-05 1 1 Ben.md": note(
        "2026-11-05", ["Ben Okafor"], 30, "weekly-ben@google.com", "2026-11-05T13:00:00Z"
    ),
    "2026-11-20 1 1 Ben (moved).md": note(
        "2026-11-20", ["Ben Okafor"], 60, "weekly-ben@google.com", "2026-11-19T13:00:00Z"
    ),
    "2026-11-26 1 1 Ben.md": note(
        "2026-11-26", ["Ben Okafor"], 30, "weekly-ben@google.com", "2026-11-26T13:00:00Z"
    ),
    # 23:30 UTC on the 10th is 00:30 on the 11th in Paris
    "2026-11-11 Late call.md": note("2026-11-11", ["Chloé Martin"], 60, "late-utc@google.com"),
}


def test_google_export(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Declined (by the calendar's owner), cancelled, future and contact-less events are
    left out; the rest become notes exactly so."""
    before = files(vault)
    result = imports(capsys, FIXTURES / "google.ics", vault)
    assert meetings(vault) == GOOGLE
    assert {k: v for k, v in files(vault).items() if not k.startswith("Meetings/")} == before
    assert len(result["created"]) == 5
    assert result["skipped"] == 3  # declined, cancelled, the dentist
    assert result["problems"] == []
    again = imports(capsys, FIXTURES / "google.ics", vault)
    assert again["created"] == [] and again["already_imported"] == 5
    assert meetings(vault) == GOOGLE


def test_apple_outlook_vdirsyncer(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    imports(capsys, FIXTURES / "google.ics", vault)
    imports(capsys, FIXTURES / "apple.ics", vault)
    imports(capsys, FIXTURES / "outlook.ics", vault)
    synced = imports(capsys, FIXTURES / "vdirsyncer", vault)
    got = meetings(vault)
    # an all-day event: its date, no minutes; EMAIL= parameter on a urn:uuid attendee
    assert got["2026-11-14 Conference day.md"] == note(
        "2026-11-14", ["Chloé Martin"], None, "6B29FC40-CA47-1067-B31D-00DD010662DA"
    )
    # 19:30 in New York is 01:30 the next day in Paris
    assert got["2026-11-18 Dinner in New York.md"] == note(
        "2026-11-18", ["Ana Lima"], 90, "7C39FC40-CA47-1067-B31D-00DD010662DB"
    )
    assert not any("declined" in name for name in got)  # the user's alias declined it
    # a Windows zone name, MAILTO: in capitals, the organizer a contact, a room left out
    assert got["2026-11-24 Q4 review.md"].startswith(
        '---\ndate: 2026-11-24\nattendees:\n  - "[[Ben Okafor]]"\nminutes: 60\n'
    )
    # DURATION; a tentative attendee counts, a declined one does not
    assert got["2026-11-27 Lunch.md"] == note(
        "2026-11-27", ["Ana Lima", "Ben Okafor"], 90, "lunch-0001"
    )
    # the synced copy of the Google event (same UID) is not written twice; hidden and
    # metadata files are not read
    assert synced["already_imported"] == 1 and len(synced["created"]) == 1
    assert len(got) == len(GOOGLE) + 4


def test_hostile_calendar(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files(vault)
    result = imports(capsys, FIXTURES / "hostile.ics", vault)
    after = files(vault)
    assert {k: v for k, v in after.items() if not k.startswith("Meetings/")} == before
    names = sorted(meetings(vault))
    assert names == [
        "2026-11-04 . . . outside . . etc passwd.md",
        "2026-11-05 Ben Okafor %%hidden%% script alert(1) script tag block.md",
        "2026-11-06 Meeting.md",  # a title of nothing a file name can hold; a broken line
        "2026-11-07 .hidden.md",
    ]
    text = meetings(vault)["2026-11-05 Ben Okafor %%hidden%% script alert(1) script tag block.md"]
    assert 'uid: "inject-\\"quoted\\"\\n---\\nuid: x"' in text  # one line, read back whole
    assert text.count("\n---\n") == 1
    assert any("more often than daily" in p for p in result["problems"])
    again = imports(capsys, FIXTURES / "hostile.ics", vault)
    assert again["created"] == [] and files(vault) == after


def test_large_description(vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 10 MB description is read past (folded lines, as a calendar writes them)."""
    text = "x" * 10_000_000
    folded = "\r\n ".join(text[i : i + 74] for i in range(0, len(text), 74))
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//big//EN\r\nBEGIN:VEVENT\r\nUID:big-1\r\n"
        "DTSTART:20261102T100000Z\r\nDTEND:20261102T110000Z\r\nSUMMARY:Big\r\n"
        f"DESCRIPTION:{folded}\r\nATTENDEE:mailto:ana@example.org\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    big = tmp_path / "big.ics"
    big.write_text(body, "ascii")
    imports(capsys, big, vault)
    assert meetings(vault) == {"2026-11-02 Big.md": note("2026-11-02", ["Ana Lima"], 60, "big-1")}


def test_a_renamed_note_is_not_written_again(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imports(capsys, FIXTURES / "google.ics", vault)
    folder = vault / "Meetings"
    (folder / "2026-11-05 1 1 Ben.md").rename(folder / "Weekly with Ben, first.md")
    (vault / "Archive").mkdir()
    (folder / "2026-11-03 Coffee with Ana.md").rename(vault / "Archive" / "Coffee.md")
    again = imports(capsys, FIXTURES / "google.ics", vault)
    assert again["created"] == [] and again["already_imported"] == 5


def test_a_note_of_the_same_name_is_never_overwritten(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "Meetings").mkdir()
    mine = vault / "Meetings" / "2026-11-03 Coffee with Ana.md"
    mine.write_text("my own notes\n", "utf-8")
    result = imports(capsys, FIXTURES / "google.ics", vault)
    assert mine.read_text("utf-8") == "my own notes\n"
    paths = [c["path"] for c in result["created"]]
    assert "Meetings/2026-11-03 Coffee with Ana (2).md" in paths
    assert (vault / "Meetings" / "2026-11-03 Coffee with Ana (2).md").exists()


def test_dry_run_writes_nothing(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files(vault)
    result = imports(capsys, FIXTURES / "google.ics", vault, "--dry-run")
    assert result["dry_run"] is True and len(result["created"]) == 5
    assert files(vault) == before
    code, out, _ = run(
        capsys, "import", "ics", str(FIXTURES / "google.ics"), "--vault", str(vault),
        "--today", TODAY, "--dry-run",
    )  # fmt: skip
    assert code == 0 and "would create Meetings/2026-11-03 Coffee with Ana.md" in out
    assert files(vault) == before


def test_meeting_notes_count_as_interactions(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imports(capsys, FIXTURES / "google.ics", vault)
    code, out, _ = run(capsys, "status", str(vault), "--today", TODAY, "--json")
    by_name = {c["name"]: c for c in json.loads(out)["contacts"]}
    assert by_name["Ben Okafor"]["interactions"] == 3
    assert by_name["Ben Okafor"]["last_contact"] == "2026-11-26"
    assert by_name["Dan Roe"]["interactions"] == 0


def test_unreadable_calendar_is_one_sentence(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ics"
    bad.write_bytes(b"\x00\xffnot a calendar at all\r\n")
    code, _, err = run(capsys, "import", "ics", str(bad), "--vault", str(vault))
    assert code == 2 and "No calendar could be read" in err and "Traceback" not in err
    code, _, err = run(capsys, "import", "ics", str(tmp_path / "nope.ics"), "--vault", str(vault))
    assert code == 2 and "There is no calendar" in err
    assert not (vault / "Meetings").exists()


def test_run_imports_from_the_calendars_setting(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "Entraide").mkdir()
    (vault / "Entraide" / "Settings.md").write_text(
        f"---\ncalendars:\n  - {FIXTURES / 'google.ics'}\n  - {FIXTURES / 'vdirsyncer'}\n---\n",
        "utf-8",
    )
    code, _, err = run(capsys, "run", str(vault), "--today", TODAY)
    assert code in (0, 1), err
    got = meetings(vault)
    assert set(GOOGLE) <= set(got) and "2026-11-27 Lunch.md" in got
    code, out, _ = run(capsys, "status", str(vault), "--today", TODAY, "--json")
    by_name = {c["name"]: c for c in json.loads(out)["contacts"]}
    assert by_name["Ana Lima"]["last_contact"] == "2026-11-27"
    before = files(vault)
    run(capsys, "run", str(vault), "--today", TODAY)
    assert meetings(vault) == got
    assert {k for k in files(vault)} == set(before)


# -- the pure parts, on values ---------------------------------------------------------------


def contact(name: str, *email: str) -> Contact:
    return Contact(name=name, path=f"People/{name}.md", email=email)


def occurrence(**fields: object) -> ics.Occurrence:
    base = {
        "uid": "u1",
        "recurrence_id": None,
        "title": "Sync",
        "day": date(2026, 11, 2),
        "minutes": 30,
        "attendees": (),
        "organizer": None,
        "owners": frozenset(),
    }
    return ics.Occurrence(**{**base, **fields})  # type: ignore[arg-type]


def test_attending_rules() -> None:
    ana, ben = contact("Ana", "ANA@x.org"), contact("Ben", "ben@y.org")
    book = {"ana@x.org": (ana,), "ben@y.org": (ben,)}
    me = frozenset({"me@z.org"})
    both = (("ana@x.org", "ACCEPTED"), ("ben@y.org", "DECLINED"), ("me@z.org", "ACCEPTED"))
    assert ics.attending(occurrence(attendees=both), book, me) == (ana,)
    declined = (("ana@x.org", "ACCEPTED"), ("me@z.org", "DECLINED"))
    assert ics.attending(occurrence(attendees=declined), book, me) is None
    # without the user's address: every attendee who is not a contact declined
    assert ics.attending(occurrence(attendees=declined), book, frozenset()) is None
    assert ics.attending(occurrence(organizer="ben@y.org"), book, me) == (ben,)


def test_names_and_quoting() -> None:
    assert ics.note_name(date(2026, 1, 2), "a/b: c") == "2026-01-02 a b c"
    assert ics.note_name(date(2026, 1, 2), "[[]]") == "2026-01-02 Meeting"
    assert ics.note_name(date(2026, 1, 2), "x", {"2026-01-02 x"}) == "2026-01-02 x (2)"
    long = ics.note_name(date(2026, 1, 2), "é" * 500, {ics.note_name(date(2026, 1, 2), "é" * 500)})
    assert long.endswith(" (2)") and len(long.encode()) <= 200
    assert ics._quoted('a"\u2028b') == '"a\\"\\u2028b"'


def test_read_calendar_on_text() -> None:
    data = (FIXTURES / "google.ics").read_bytes()
    until = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
    found, problems, cancelled = ics.read_calendar(data, until, PARIS)
    assert problems == [] and cancelled == 1
    assert {o.uid for o in found} >= {"late-utc@google.com", "weekly-ben@google.com"}
    assert all(o.day <= date(2026, 12, 1) for o in found)
    owners = {o.owners for o in found}
    assert owners == {frozenset({"me@example.net"})}


@pytest.mark.parametrize(
    ("name", "old", "new", "count", "problem"),
    [
        ("cut short", None, None, 2, "cut short"),
        ("no start", b"DTSTART;TZID=Europe/Paris:20261103T090000\r\n", b"", 6, "no start"),
        ("bad start", b"Paris:20261103T090000", b"Paris:2026XX03T090000", 6, "cannot be read"),
        ("bad rule", b"FREQ=WEEKLY;WKST=MO;COUNT=4;BYDAY=TH", b"FREQ=OFTEN", 5, "cannot be read"),
        ("bad address", b"mailto:ana@example.org", b";;:::", 7, None),
    ],
)
def test_broken_calendars(
    name: str, old: bytes | None, new: bytes | None, count: int, problem: str | None
) -> None:
    """A broken event is left out (reported); the calendar's other events are still read."""
    data = (FIXTURES / "google.ics").read_bytes()
    if old is None:
        data = data[: len(data) // 2]
    else:
        assert new is not None and old in data
        data = data.replace(old, new)
    found, problems, _ = ics.read_calendar(data, datetime(2026, 12, 1, 23, tzinfo=UTC), PARIS)
    assert len(found) == count, name
    assert (problem is None and problems == []) or any(problem in p for p in problems if problem)


def test_a_relative_calendar_path_is_from_the_vault(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "Calendars").mkdir()
    (vault / "Calendars" / "work.ics").write_bytes((FIXTURES / "outlook.ics").read_bytes())
    (vault / "Entraide").mkdir()
    (vault / "Entraide" / "Settings.md").write_text("---\ncalendars: [Calendars]\n---\n", "utf-8")
    cwd = os.getcwd()
    os.chdir(vault.parent)
    try:
        code, _, err = run(capsys, "run", str(vault), "--today", TODAY)
    finally:
        os.chdir(cwd)
    assert code in (0, 1), err
    assert list(meetings(vault)) == ["2026-11-24 Q4 review.md"]


def test_a_pass_reads_calendars_again_only_when_something_changed(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The daemon passes at every save: an unchanged calendar is not parsed each time."""
    from entraide.settings import Settings

    calls = []
    real = ics.read_calendar

    def counted(*args: object) -> object:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(ics, "read_calendar", counted)
    settings = Settings(calendars=(str(FIXTURES / "outlook.ics"),))
    ben = contact("Ben Okafor", "b.okafor@work.example")._replace(path="People/Ben Okafor.md")
    messages: list[str] = []
    today = date(2026, 12, 1)
    assert ics.import_from_settings(vault, settings, [ben], today, messages) == [
        "Meetings/2026-11-24 Q4 review.md"
    ]
    assert ics.import_from_settings(vault, settings, [ben], today, messages) == []
    assert len(calls) == 1
    ana = contact("Ana Lima", "ana@example.org")
    ics.import_from_settings(vault, settings, [ben, ana], today, messages)  # a new address
    assert len(calls) == 2 and messages == []


def test_a_calendar_named_from_the_current_folder(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`entraide import ics FILE`: FILE is read from where the command is typed, as every
    command-line tool reads a path (only the `calendars` setting is read from the vault)."""
    here = tmp_path / "downloads"
    here.mkdir()
    (here / "export.ics").write_bytes((FIXTURES / "google.ics").read_bytes())
    monkeypatch.chdir(here)
    result = imports(capsys, Path("export.ics"), vault)
    assert len(result["created"]) == 5 and result["problems"] == []

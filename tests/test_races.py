"""Races between entraide's writes and everything else that writes a note: editors saving in
place, other entraide processes, the daemon's ticks. Hundreds of rounds with random delays;
the number of rounds that lose a byte or a line must be zero.

Each round is bounded in time, and the outcomes are counted in the assertion messages
(`pytest -q tests/test_races.py -rA` shows them)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from entraide import vault_io
from entraide.render.append import append_log
from entraide.writeback import append_line

pytestmark = pytest.mark.slow
SEED = 20261207
# Rounds per race between processes in `make test` (the in-process race runs 30 times as
# many); a soak sets more: ENTRAIDE_RACE_ROUNDS=200 pytest tests/test_races.py
ROUNDS = int(os.environ.get("ENTRAIDE_RACE_ROUNDS", "8"))
TODAY = "2026-11-20"


def entraide(vault: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "entraide", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=vault.parent,
    )


def day_of(k: int) -> str:
    """The date of round `k`'s line (a day of its own, before TODAY)."""
    return (date(2025, 1, 1) + timedelta(days=k)).isoformat()


def settled(paths: list[Path], window_ns: int) -> None:
    """Wait (a poll with a deadline) until none of `paths` changed within `window_ns`."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        newest = max(max(p.stat().st_mtime_ns, p.stat().st_ctime_ns) for p in paths)
        if time.time_ns() - newest > window_ns:
            return
        time.sleep(0.05)
    raise AssertionError("the notes never settled")


def people(vault: Path, count: int, body: bytes = b"") -> list[Path]:
    notes = []
    for k in range(count):
        note = vault / "People" / f"Racer {k:03}.md"
        note.write_bytes(b"---\ncircle: close\n---\n# Racer\n\nWhat I know of them.\n" + body)
        notes.append(note)
    return notes


def in_place_save(path: Path, data: bytes, chunk: int, pause: float) -> None:
    """An editor saving in place: open with O_TRUNC, then write (in chunks, slowly)."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view[:chunk]) :]
            if pause:
                time.sleep(pause)
    finally:
        os.close(fd)


def node_save(path: Path, data: bytes) -> None:
    """Obsidian's own way: Node's fs.writeFile (open 'w', write)."""
    subprocess.run(
        ["node", "-e", "require('fs').writeFileSync(process.argv[1], process.argv[2])", path, data],
        check=True,
        timeout=30,
    )


@pytest.mark.parametrize("how", ["one write", "slow chunks", "node"])
def test_in_place_saves_racing_log_lose_no_byte(vault: Path, how: str) -> None:
    """`entraide log` (a real process) appends while an editor saves the same note in place
    at a random moment: the editor's bytes are always whole in the note; the log line is
    there, or `log` said it did not log, or the editor's save (opened after the append)
    replaced it, as any save of an editor's buffer does."""
    if how == "node" and shutil.which("node") is None:
        pytest.skip("node is not installed: Obsidian's fs.writeFile not tried")
    rounds = ROUNDS
    rnd = random.Random(f"{SEED}-{how}")
    padding = b"".join(b"A line the user is writing in this note, %06d.\n" % i for i in range(8000))
    notes = people(vault, rounds + 1, padding if how == "slow chunks" else b"")
    settled(notes, vault_io.SETTLE_NS)
    # Aim: how long `log` takes to reach its write (its parse cache warm, as in the rounds),
    # so that the saves land around it.
    for day in ("2026-11-18", "2026-11-19"):
        started = time.monotonic()
        proc = entraide(vault, "log", str(vault), notes[-1].stem, "--date", day, "--today", TODAY)
        assert proc.wait(timeout=60) == 0
        aim = time.monotonic() - started
    notes = notes[:-1]
    outcomes: Counter[str] = Counter()
    for k, note in enumerate(notes):
        line = f"- {day_of(k)} check-in"
        user = note.read_bytes() + f"The user's new paragraph {k}.\n".encode()
        # (the slow save lasts half a second: it starts earlier to be under way at the write)
        # (node takes a tenth of a second to start: its save is started earlier too)
        early = 0.6 if how == "slow chunks" else aim if how == "node" else 0.5 * aim
        delay = rnd.uniform(max(aim - early, 0.0), (0.7 if how == "node" else 1.1) * aim)
        if how == "one write":
            save = threading.Timer(delay, in_place_save, (note, user, len(user), 0.0))
        elif how == "slow chunks":  # ~100 writes of 4 KB, 5 ms apart (half a second)
            save = threading.Timer(delay, in_place_save, (note, user, 4096, 0.005))
        else:
            save = threading.Timer(delay, node_save, (note, user))
        proc = entraide(vault, "log", str(vault), note.stem, "--date", line[2:12], "--today", TODAY)
        save.start()
        out, err = proc.communicate(timeout=60)
        save.join()
        final = note.read_bytes()
        context = f"{how}, round {k} (delay {delay:.3f}, aim {aim:.3f}): {out!r} {err!r} {outcomes}"
        assert final in (user, append_log(user, line)), context  # the user's bytes, whole
        if proc.returncode == 0:
            outcomes["logged" if final != user else "the editor's save came after"] += 1
        else:
            assert proc.returncode == 2 and "kept changing" in err, context
            outcomes["refused: being edited"] += 1
    assert outcomes["logged"] + outcomes["refused: being edited"] > 0, outcomes  # (aimed well)


def test_two_log_processes_never_lose_a_line(vault: Path) -> None:
    """Two `entraide log` at once on one note: both lines end up in it when both say so."""
    rounds = ROUNDS
    notes = people(vault, rounds)
    settled(notes, vault_io.SETTLE_NS)
    outcomes: Counter[str] = Counter()
    for k, note in enumerate(notes):
        lines = [f"- {day_of(k)} call", f"- {day_of(k + 200)} lunch"]
        procs = [
            entraide(vault, "log", str(vault), note.stem, "--date", ln[2:12], "--kind", ln[13:])
            for ln in lines
        ]
        results = [p.communicate(timeout=60) for p in procs]
        final = note.read_bytes()
        for proc, line, (out, err) in zip(procs, lines, results, strict=True):
            context = f"round {k}: {out!r} {err!r}"
            assert proc.returncode == 0 and out.startswith("Logged"), context
            assert final.count(line.encode() + b"\n") == 1, context
            outcomes["logged"] += 1
    assert outcomes["logged"] == 2 * rounds


def test_appends_and_in_place_saves_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same race as above without process start-ups, so it runs hundreds of rounds: the
    settle window scaled down to 80 ms (the editor's pauses between chunks are far shorter;
    a window near the scheduler's time slices would make the test measure the machine's
    load, not entraide). One note per round, all settled once before the first."""
    window = 80_000_000
    monkeypatch.setattr(vault_io, "SETTLE_NS", window)
    monkeypatch.setattr(vault_io, "SETTLE_WAIT_S", 1.0)
    rnd = random.Random(SEED)
    (tmp_path / "People").mkdir()
    rounds = ROUNDS * 30
    originals = []
    for k in range(rounds):
        body = b"x" * rnd.choice([10, 5000, 60_000])
        originals.append(b"---\ncircle: close\n---\n# Jane\n" + body)
        (tmp_path / "People" / f"Jane {k}.md").write_bytes(originals[-1])
    settled([tmp_path / "People" / f"Jane {k}.md" for k in range(rounds)], window)
    outcomes: Counter[str] = Counter()
    for k in range(rounds):
        note = tmp_path / "People" / f"Jane {k}.md"
        user = originals[k] + f"\nEdit {k}.\n".encode()
        chunk = rnd.choice([len(user), 4096, 512])
        save = threading.Timer(rnd.uniform(0, 0.004), in_place_save, (note, user, chunk, 0.0002))
        save.start()
        line = f"- 2026-11-20 call {k}"
        time.sleep(rnd.uniform(0, 0.004))  # (the append starts before, during or after the save)
        done = append_line(tmp_path, f"People/Jane {k}.md", line, settle_wait=1.0)
        save.join()
        final = note.read_bytes()
        context = f"round {k}: {done} {outcomes}"
        assert final in (user, append_log(user, line)), context
        outcomes[
            "logged" if final != user else "not logged" if not done.done else "saved over"
        ] += 1
    assert outcomes["logged"] > 0, outcomes


def poll(condition: Callable[[], bool], timeout: float = 45) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met before the deadline"
        time.sleep(0.02)


def test_daemon_ticks_racing_log_lose_no_line(vault: Path, tmp_path: Path) -> None:
    """The user ticks a contact in the check-in list (saved in place, as Obsidian saves)
    while `entraide log` appends to the same contact: the daemon's check-in line and the
    logged line both end up in the note, each once."""
    rounds = max(ROUNDS // 2, 1)
    notes = people(vault, rounds)
    settings = vault / "Entraide" / "Settings.md"
    settings.write_text("---\nmax_checkins: 40\nweekly_minutes: 6000\n---\n", "utf-8")
    settled(notes, vault_io.SETTLE_NS)
    rnd = random.Random(SEED)
    log_file = tmp_path / "daemon.log"
    with log_file.open("w") as err:
        daemon = subprocess.Popen(
            [sys.executable, "-m", "entraide", "watch", str(vault), "--today", TODAY],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    checkins = vault / "Entraide" / "Check-ins.md"
    try:
        poll(lambda: "watching" in log_file.read_text())
        for k, note in enumerate(notes):
            link = f"- [ ] [[{note.stem}]]"
            poll(lambda link=link: link in checkins.read_text("utf-8"))
            settled([checkins, note], vault_io.SETTLE_NS)
            line = f"- {day_of(k)} call"
            ticked = link.replace("[ ]", "[x]").encode()
            proc = entraide(
                vault, "log", str(vault), note.stem, "--date", line[2:12], "--kind", "call"
            )
            tick = threading.Timer(
                rnd.uniform(0, 0.5),
                lambda link=link, ticked=ticked: in_place_save(
                    checkins, checkins.read_bytes().replace(link.encode(), ticked), 1 << 20, 0.0
                ),
            )
            tick.start()
            out, err_text = proc.communicate(timeout=60)
            tick.join()
            context = f"round {k}: {out!r} {err_text!r}\n{log_file.read_text()}"
            assert proc.returncode == 0 and out.startswith("Logged"), context
            poll(lambda note=note: f"- {TODAY} check-in" in note.read_text("utf-8"), 60)
            final = note.read_text("utf-8")
            assert final.count(f"- {TODAY} check-in\n") == 1, context
            assert final.count(line + "\n") == 1, context
    finally:
        daemon.terminate()
        assert daemon.wait(timeout=20) == 0

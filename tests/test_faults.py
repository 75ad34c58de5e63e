"""Fault injection with real processes: kill -9 at random points of many passes, a disk that
refuses writes, a user's edits racing an append, the vault folder deleted under the daemon.

Kill times and races are drawn from a seeded generator (ENTRAIDE_FAULT_SEED to replay one)."""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from entraide.render.append import append_log
from test_daemon import Daemon, poll

pytestmark = pytest.mark.slow
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "gen_vault.py"
SEED = int(os.environ.get("ENTRAIDE_FAULT_SEED", "20261122"))
# Two days of the same ISO week and month: a pass writes the same notes on both, with other
# bytes, so after any kill every generated note must be exactly one of two versions.
DAYS = ("2026-11-18", "2026-11-20")
OUTPUTS = ("Check-ins.md", "Problems.md", "Reviews/2026-W47.md", "Reviews/2026-11.md")


def entraide(vault: Path, *args: str, **kw: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "entraide", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=vault.parent,
        **kw,  # type: ignore[call-overload]
    )


def run(vault: Path, today: str, *extra: str, **kw: object) -> subprocess.CompletedProcess[str]:
    proc = entraide(vault, "run", str(vault), "--today", today, *extra, **kw)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def outputs(vault: Path) -> dict[str, bytes]:
    found = {}
    for name in OUTPUTS:
        path = vault / "Entraide" / name
        if path.exists():
            found[name] = path.read_bytes()
    return found


def inputs(vault: Path) -> dict[str, bytes]:
    return {
        p.relative_to(vault).as_posix(): p.read_bytes()
        for p in vault.rglob("*.md")
        if "Entraide" not in p.parts
    }


def litter(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture
def big_vault(tmp_path: Path) -> Path:
    """About 600 notes: enough for a parse on both cores, and a few hundred contacts."""
    vault = tmp_path / "vault"
    subprocess.run(
        [sys.executable, str(SCRIPT), str(vault), "--contacts", "300", "--years", "1"],
        check=True,
        capture_output=True,
    )
    return vault


def versions(vault: Path, tmp_path: Path) -> dict[str, dict[str, bytes]]:
    """What a complete pass writes on each of DAYS, computed in copies of the vault."""
    found = {}
    for day in DAYS:
        copy = tmp_path / f"copy-{day}" / "vault"
        shutil.copytree(vault, copy)
        assert run(copy, day, "--no-cache").returncode == 0
        found[day] = outputs(copy)
        assert set(found[day]) == set(OUTPUTS)
    assert found[DAYS[0]] != found[DAYS[1]]
    return found


def kill_when_writing(
    proc: subprocess.Popen[str], folders: list[Path], nth: int, limit: float = 10
) -> None:
    """Kill -9 once the `nth` temp file of this process shows it is in the middle of its
    writes (a killed pass's temp file stays until a later pass clears it: not a sign)."""
    mine = f".entraide-{proc.pid}.tmp"
    seen: set[str] = set()
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        for folder in folders:
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            seen.update(name for name in names if name.endswith(mine))
        if len(seen) >= nth:
            break
    proc.send_signal(signal.SIGKILL)


def test_kill_9_never_leaves_a_torn_note(big_vault: Path, tmp_path: Path) -> None:
    expected = versions(big_vault, tmp_path)
    notes = inputs(big_vault)
    rnd = random.Random(SEED)
    assert run(big_vault, DAYS[0]).returncode == 0
    assert outputs(big_vault) == expected[DAYS[0]]
    watched = [big_vault / "Entraide", big_vault / "Entraide" / "Reviews"]
    for k in range(20):
        day = DAYS[(k + 1) % 2]
        extra = ("--no-cache",) if k % 3 == 0 else ()  # a cold parse on both cores too
        proc = entraide(big_vault, "run", str(big_vault), "--today", day, *extra)
        how = ("timer", "late timer", "writing")[k % 3]
        if how == "writing":
            kill_when_writing(proc, watched, nth=rnd.randint(1, 3))
        else:
            # Event-driven kills aside, the point here is a kill at a random moment.
            delay = rnd.uniform(0, 0.3) if how == "timer" else rnd.uniform(0.3, 1.2)
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        context = f"seed {SEED}, kill {k} ({how}), code {proc.returncode}"
        for name, data in outputs(big_vault).items():
            assert data in (expected[DAYS[0]][name], expected[DAYS[1]][name]), (name, context)
            data.decode("utf-8")
        assert set(outputs(big_vault)) == set(OUTPUTS), context
        assert inputs(big_vault) == notes, context
        if k % 5 == 4:  # a later pass succeeds and clears what the killed one left
            assert run(big_vault, day).returncode == 0, context
            assert outputs(big_vault) == expected[day], context
            assert litter(big_vault) == [], context
    assert run(big_vault, DAYS[1]).returncode == 0
    assert outputs(big_vault) == expected[DAYS[1]]
    assert litter(big_vault) == []
    assert inputs(big_vault) == notes

    def no_orphan_worker() -> bool:
        found = subprocess.run(["pgrep", "-f", str(big_vault)], capture_output=True, text=True)
        return found.stdout.strip() == ""

    poll(no_orphan_worker)  # parse workers of a killed pass exit on their own


def small_files(limit: int) -> object:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes then fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_disk_that_refuses_writes_leaves_the_old_notes(vault: Path) -> None:
    assert run(vault, "2026-11-18").returncode == 0
    before = outputs(vault)
    notes = inputs(vault)
    result = run(vault, "2026-11-20", "--no-cache", preexec_fn=small_files(200))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    assert result.stderr.startswith("entraide: cannot write '") and "too large" in result.stderr
    assert result.stderr.count("\n") == 1  # one clear sentence
    assert outputs(vault) == before and inputs(vault) == notes
    assert litter(vault) == []
    assert run(vault, "2026-11-20").returncode == 0  # and once there is room again
    assert outputs(vault) != before


def test_a_full_disk_creates_no_partial_note(vault: Path) -> None:
    for child in (vault / "Entraide").iterdir():
        if child.name != "Settings.md":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    result = run(vault, "2026-11-20", preexec_fn=small_files(200))
    assert result.returncode == 2 and "cannot write" in result.stderr, result.stderr
    assert outputs(vault) == {} and litter(vault) == []


def test_a_log_on_a_full_disk_changes_nothing(vault: Path) -> None:
    note = vault / "People" / "Bruno Silva.md"
    before = note.read_bytes(), note.stat().st_mtime_ns
    size = len(before[0])
    proc = entraide(
        vault,
        "log",
        str(vault),
        "Bruno Silva",
        "--today",
        "2026-11-20",
        preexec_fn=small_files(size),
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, (out, err)
    assert err.startswith("entraide: Nothing was logged: cannot write") and "Traceback" not in err
    assert (note.read_bytes(), note.stat().st_mtime_ns) == before
    assert litter(vault) == []


def test_a_full_disk_leaves_no_litter_in_the_cache_folder(big_vault: Path) -> None:
    result = run(big_vault, "2026-11-20", preexec_fn=small_files(20_000))
    assert result.returncode == 0, result.stderr  # the notes fit; the cache does not
    cache = Path(os.environ["XDG_CACHE_HOME"])
    assert litter(cache) == []


def user_edits(
    note: Path,
    label: str,
    start: float,
    pauses: list[float],
    saved: list[bytes],
    stop: threading.Event,
) -> None:
    """A user's editor: read the note, add a line, save atomically (temp file and rename)."""
    stop.wait(start)
    for j, pause in enumerate(pauses):
        if stop.is_set():
            return
        new = note.read_bytes() + f"{label}.{j}\n".encode()
        tmp = note.with_name(f".{note.name}.swp")
        tmp.write_bytes(new)
        os.replace(tmp, note)
        saved.append(new)
        time.sleep(pause)


def test_user_edits_racing_an_append_are_never_lost(vault: Path) -> None:
    """`entraide log` (a real process) appends while the user saves edits to the same note,
    each an editor's read, change and atomic save. The append re-reads just before replacing
    (compare-and-swap), swaps the files in one step and puts back a save that landed in
    between, and never replaces a note changed within the last moments: no user edit is
    ever lost, the note is never a mix, and the log line is there unless the CLI said it did
    not log — or a save made from a buffer read before the append replaced it afterwards,
    as any editor's save would."""
    note = vault / "People" / "Bruno Silva.md"
    rnd = random.Random(SEED)
    outcomes = {"logged": 0, "refused": 0, "editor won": 0}
    for k in range(5):  # (a round lasts until the edits have settled: 2 to 3 s)
        line = f"- 2026-01-{k + 1:02} check-in"
        saved: list[bytes] = [note.read_bytes()]  # saved[j + 1] holds edits 0..j
        stop = threading.Event()
        pauses = [rnd.uniform(0, 0.008) for _ in range(400)]
        user = threading.Thread(
            target=user_edits,
            args=(note, f"User edit {k}", rnd.uniform(0, 0.4), pauses, saved, stop),
        )
        user.start()
        proc = entraide(
            vault, "log", str(vault), "Bruno Silva", "--date", line[2:12], "--today", "2026-11-20"
        )
        out, err = proc.communicate(timeout=60)
        stop.set()
        user.join()
        final = note.read_bytes()
        last = saved[-1]
        context = f"seed {SEED}, round {k}: {out!r} {err!r}"
        lost = [j for j in range(len(saved) - 1) if f"User edit {k}.{j}\n".encode() not in final]
        assert lost == [], context
        assert final in (last, append_log(last, line)), context  # never a mix
        if proc.returncode == 0:
            assert out.startswith("Logged in People/Bruno Silva.md"), context
            outcomes["logged" if line.encode() in final else "editor won"] += 1
        else:
            assert proc.returncode == 2 and "kept changing" in err, context
            assert line.encode() not in final, context
            outcomes["refused"] += 1
    assert outcomes["logged"] > 0, outcomes


def test_the_daemon_survives_its_vault_being_deleted_and_recreated(vault: Path) -> None:
    backup = vault.parent / "backup"
    shutil.copytree(vault, backup)
    shutil.rmtree(backup / "Entraide" / "Reviews", ignore_errors=True)
    for name in ("Check-ins.md", "Problems.md"):
        (backup / "Entraide" / name).unlink(missing_ok=True)
    d = Daemon(vault)
    try:
        d.wait_line(r"watching ")
        checkins = vault / "Entraide" / "Check-ins.md"
        assert checkins.is_file()
        shutil.rmtree(vault)
        d.wait_line(r"vault folder is gone")
        assert not vault.exists()  # nothing written into a vault that is not there
        shutil.copytree(backup, vault)
        poll(checkins.is_file)  # the outputs come back with the folder
        (vault / "People" / "Broken.md").write_text("---\ncircle: [\n---\n")
        problems = vault / "Entraide" / "Problems.md"
        poll(lambda: problems.is_file() and "Broken" in problems.read_text("utf-8"))
        shutil.rmtree(vault)  # gone and back at once, between two checks
        shutil.copytree(backup, vault)
        poll(checkins.is_file)
    finally:
        code = d.stop()
    assert code == 0, d.seen
    assert "Traceback" not in "\n".join(d.seen)

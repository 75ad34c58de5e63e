"""The vault's locks, with real processes: one writer at a time, one daemon per vault whatever
path or state folder leads to it, and a daemon that stops on SIGTERM while git is busy."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from entraide.locks import (
    AlreadyRunning,
    LockError,
    WaitStopped,
    daemon_lock,
    writer_lock,
)

TODAY = "2026-11-23"

HOLDER = """
import sys
from pathlib import Path
from entraide.locks import writer_lock
vault, marker = Path(sys.argv[1]), Path(sys.argv[2])
with writer_lock(vault):
    print("held", flush=True)
    sys.stdin.readline()
    marker.touch()  # made before the release: whoever gets the lock next must see it
print("released", flush=True)
"""

CONTENDER = """
import sys, time
from pathlib import Path
from entraide.errors import UserError
from entraide.locks import writer_lock
vault, marker, timeout = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
print("trying", flush=True)
started = time.monotonic()
try:
    with writer_lock(vault, timeout=timeout):
        print("got", "after release" if marker.exists() else "before release", flush=True)
except UserError as exc:
    print(f"refused after {time.monotonic() - started:.2f}s: {exc.message}", flush=True)
"""


def poll(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("condition not met before the deadline")


class Proc:
    """A subprocess whose output lines are read as they come."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_line(self, pattern: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            self.seen.append(line)
            if regex.search(line):
                return line
        raise AssertionError(f"no line matching {pattern!r}; got:\n" + "\n".join(self.seen))

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text)
        self.proc.stdin.flush()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=20)
        finally:
            if self.proc.stdin is not None:
                self.proc.stdin.close()


def python(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def entraide_watch(vault: Path) -> list[str]:
    """The real command line: the installed `entraide` script beside this Python."""
    script = Path(sys.executable).with_name("entraide")
    head = [str(script)] if script.is_file() else [sys.executable, "-m", "entraide"]
    return [*head, "watch", str(vault), "--today", TODAY, "--debounce-ms", "100"]


@pytest.fixture
def procs() -> Iterator[list[Proc]]:
    started: list[Proc] = []
    yield started
    for proc in started:
        if proc.proc.poll() is None:
            proc.proc.kill()
            proc.proc.wait(timeout=20)


def init_repo(vault: Path) -> Path:
    """The vault as a git repository; a minimal one when git is not installed."""
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(vault)], check=True, timeout=60)
    else:
        (vault / ".git").mkdir()
        (vault / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return vault / ".git"


# In-process: the files, their safety, and the two locks being distinct.


def test_lock_files_live_in_the_vault_and_never_change(vault: Path) -> None:
    with writer_lock(vault) as handle:
        assert handle.unlocked is None
    folder = vault / ".entraide"
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    lock = folder / "writer.lock"
    before = lock.stat()
    for _ in range(3):
        with writer_lock(vault):
            pass
    after = lock.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        0,
        before.st_mtime_ns,
    )


def test_the_daemon_lock_does_not_stop_a_writer(vault: Path) -> None:
    with daemon_lock(vault):
        with pytest.raises(AlreadyRunning, match="already watching this vault"):
            daemon_lock(vault)
        with writer_lock(vault, timeout=1):
            pass
    daemon_lock(vault).release()  # released: it can be taken again


def test_writer_lock_is_not_reentrant(vault: Path) -> None:
    with (
        writer_lock(vault),
        pytest.raises(RuntimeError, match="not re-entrant"),
        writer_lock(vault, timeout=60),
    ):
        pass
    with writer_lock(vault, timeout=1):
        pass  # the failed attempt left nothing held


def test_another_thread_waits_and_stops_when_asked(vault: Path) -> None:
    stop = threading.Event()
    errors: list[BaseException] = []

    def other() -> None:
        try:
            with writer_lock(vault, timeout=60, should_stop=stop.is_set):
                pass
        except BaseException as exc:
            errors.append(exc)

    with writer_lock(vault):
        worker = threading.Thread(target=other)
        worker.start()
        stop.set()
        worker.join(timeout=10)
        assert not worker.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], WaitStopped)


def test_a_symbolic_link_is_never_followed(vault: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (vault / ".entraide").symlink_to(elsewhere)
    with pytest.raises(LockError, match="symbolic link"):
        daemon_lock(vault)
    with pytest.raises(LockError, match="symbolic link"), writer_lock(vault):
        pass
    assert list(elsewhere.iterdir()) == []


def test_a_linked_lock_file_is_refused_and_its_target_untouched(vault: Path) -> None:
    (vault / ".entraide").mkdir()
    note = vault / "People" / "Amara Okafor.md"
    before = note.read_bytes()
    (vault / ".entraide" / "writer.lock").symlink_to(note)
    with pytest.raises(LockError, match="symbolic link"), writer_lock(vault):
        pass
    assert note.read_bytes() == before


def test_a_file_named_like_the_folder_is_refused(vault: Path) -> None:
    (vault / ".entraide").write_text("mine\n")
    with pytest.raises(LockError, match="not a folder"):
        daemon_lock(vault)
    assert (vault / ".entraide").read_text() == "mine\n"


def test_a_read_only_vault_gets_a_clear_sentence(vault: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes in a read-only folder: run as a user to test this")
    vault.chmod(0o555)
    try:
        with pytest.raises(LockError, match="is the vault writable"):
            daemon_lock(vault)
    finally:
        vault.chmod(0o755)


# Real processes.


@pytest.mark.slow
def test_a_second_writer_waits_then_gets_the_lock(
    vault: Path, tmp_path: Path, procs: list[Proc]
) -> None:
    marker = tmp_path / "released"
    holder = Proc(python(HOLDER, str(vault), str(marker)))
    procs.append(holder)
    holder.wait_line("^held$")
    contender = Proc(python(CONTENDER, str(vault), str(marker), "30"))
    procs.append(contender)
    contender.wait_line("^trying$")
    time.sleep(0.5)  # a quiet window: the contender must still be waiting in it
    assert contender.lines.empty() and contender.proc.poll() is None
    holder.send("\n")
    holder.wait_line("^released$")
    assert contender.wait_line("^got") == "got after release"
    assert contender.proc.wait(timeout=20) == 0


@pytest.mark.slow
def test_a_second_writer_gives_up_with_a_sentence(
    vault: Path, tmp_path: Path, procs: list[Proc]
) -> None:
    marker = tmp_path / "released"
    holder = Proc(python(HOLDER, str(vault), str(marker)))
    procs.append(holder)
    holder.wait_line("^held$")
    contender = Proc(python(CONTENDER, str(vault), str(marker), "0.5"))
    procs.append(contender)
    line = contender.wait_line("^refused")
    assert "another entraide process is writing to this vault; try again" in line
    waited = float(re.search(r"after ([\d.]+)s", line).group(1))  # type: ignore[union-attr]
    assert 0.5 <= waited < 10
    holder.send("\n")
    holder.wait_line("^released$")


@pytest.mark.slow
def test_a_killed_holder_leaves_no_stale_lock(
    vault: Path, tmp_path: Path, procs: list[Proc]
) -> None:
    holder = Proc(python(HOLDER, str(vault), str(tmp_path / "released")))
    procs.append(holder)
    holder.wait_line("^held$")
    holder.proc.kill()
    holder.proc.wait(timeout=20)
    with writer_lock(vault, timeout=10):
        pass


@pytest.mark.slow
def test_a_second_daemon_with_other_state_dirs_is_refused(
    vault: Path, tmp_path: Path, procs: list[Proc]
) -> None:
    first = Proc(entraide_watch(vault))
    procs.append(first)
    first.wait_line("watching ")
    env = dict(os.environ)
    for name in ("XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "HOME"):
        other = tmp_path / "other" / name.lower()
        other.mkdir(parents=True)
        env[name] = str(other)
    second = subprocess.run(
        entraide_watch(vault), capture_output=True, text=True, timeout=60, env=env
    )
    assert second.returncode == 2, second.stderr
    assert "already watching this vault" in second.stderr
    assert first.stop() == 0


@pytest.mark.slow
def test_a_second_daemon_through_a_bind_mount_is_refused(
    vault: Path, tmp_path: Path, procs: list[Proc]
) -> None:
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("bind mounts need root on Linux")
    bound = tmp_path / "bound"
    bound.mkdir()
    done = subprocess.run(
        ["mount", "--bind", str(vault), str(bound)], capture_output=True, text=True, timeout=30
    )
    if done.returncode != 0:
        pytest.skip(f"mount --bind is not allowed here: {done.stderr.strip()}")
    try:
        assert (bound / "Entraide").is_dir()
        first = Proc(entraide_watch(vault))
        procs.append(first)
        first.wait_line("watching ")
        second = subprocess.run(entraide_watch(bound), capture_output=True, text=True, timeout=60)
        assert second.returncode == 2, second.stderr
        assert "already watching this vault" in second.stderr
        assert first.stop() == 0
    finally:
        subprocess.run(["umount", str(bound)], capture_output=True, timeout=30)


@pytest.mark.slow
def test_sigterm_while_waiting_for_git_exits_zero(vault: Path, procs: list[Proc]) -> None:
    (init_repo(vault) / "index.lock").touch()
    daemon = Proc(entraide_watch(vault))
    procs.append(daemon)
    daemon.wait_line("waiting: a git command is running")
    started = time.monotonic()
    daemon.proc.send_signal(signal.SIGTERM)
    assert daemon.proc.wait(timeout=10) == 0
    assert time.monotonic() - started < 5


@pytest.mark.slow
def test_changes_during_a_git_wait_are_not_lost(vault: Path, procs: list[Proc]) -> None:
    settings = vault / "Entraide" / "Settings.md"
    settings.write_text(settings.read_text().replace("rescan_minutes: 10", "rescan_minutes: 600"))
    lock = init_repo(vault) / "index.lock"
    daemon = Proc(entraide_watch(vault))
    procs.append(daemon)
    daemon.wait_line("watching ")
    problems = vault / "Entraide" / "Problems.md"
    lock.touch()
    (vault / "People" / "Broken One.md").write_text("---\ncircle: [\n---\n")
    daemon.wait_line("waiting: a git command is running")
    # This change comes while the daemon waits: it must not be dropped.
    (vault / "People" / "Broken Two.md").write_text("---\ncircle: [\n---\n")
    time.sleep(0.5)  # not a synchronisation: it makes the event arrive mid-wait, where it was lost
    lock.unlink()
    poll(lambda: "Broken Two" in problems.read_text())
    assert "Broken One" in problems.read_text()
    assert daemon.stop() == 0

"""Benchmark entraide on a generated vault; print a plain table and write JSON. Not a test.

    python scripts/bench.py [--contacts 10000] [--runs 5] [--vault PATH] [--out bench.json]
                            [--quick] [--edits 50] [--burst 1000] [--debounce-ms 300] [--keep]
                            [--hostile-only]

Measured, each a median of several runs, on a private copy of the vault (the bench appends
to notes and writes outputs, so a reused `--vault` stays as generated):

- cold `entraide run` (a fresh process and a fresh, empty XDG_CACHE_HOME; outputs removed);
- warm `entraide run` (the cache of the cold run, nothing changed);
- the analytics step alone, in a fresh interpreter: the vault loader and the analytics entry
  point are looked up by name (see `LOADERS`, `ANALYSES`), a missing one makes the row "n/a";
- the daemon: a real `entraide watch`; each edit appends a body-log line to one contact note
  and the latency runs from the write to the first change of a file under `Entraide/`
  (polled by mtime_ns); the debounce window is reported apart;
- a burst of 1,000 notes written at once while the daemon runs: time to outputs updated;
- peak RSS of the cold run (wait4's ru_maxrss: the largest single process) and, for
  information, the peak proportional set size of its whole process tree (parse workers too);
- a baseline in the same run: python-frontmatter's `load` plus markdown-it-py's `parse` over
  every note, in a fresh process;
- hostile notes (issue 23, "nothing explodes"): each note of `HOSTILE`, just under the 5 MB
  `max_note_bytes`, parsed by `entraide.parse.note.parse_note` in a fresh process: the parse's
  time and the process's peak RSS (wait4's ru_maxrss, imports included). `--hostile-only`
  measures these alone, without a vault.

A command that does not exist yet (or fails) makes its rows "n/a" with the reason; the
benchmark goes on. The page cache is warm for every measure (one cold run, not counted, goes
first): "cold" means entraide's cache.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import inspect
import json
import os
import platform
import queue
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-22"  # the generator's default end date: the vault's "today"
OUTPUT = "Entraide"  # entraide's default output folder
LOADERS = [  # (module, function): a function that reads a Vault from a path
    ("entraide.index", "read_vault"),
    ("entraide.index", "load_vault"),
    ("entraide.vault_io", "load_vault"),
    ("entraide.vault_io", "read_vault"),
]
SETTINGS = [("entraide.index", "load_settings"), ("entraide.settings", "load_settings")]
ANALYSES = [  # a function (vault, settings, today) first, else the memoised Analysis class
    ("entraide.analytics.report", "analyse"),
    ("entraide.analytics.report", "analyze"),
    ("entraide.analytics", "analyse"),
    ("entraide.analytics.report", "Analysis"),
]
RENDERERS = [("entraide.render.outputs", "render_outputs")]
HOSTILE_BYTES = 4_900_000  # just under the default max_note_bytes (5,000,000)


def _nested(lines: list[str], tail: str = "") -> str:
    """Lines repeated up to HOSTILE_BYTES (the tail included)."""
    block = "".join(lines)
    return block * ((HOSTILE_BYTES - len(tail)) // len(block)) + tail


def _deeper_and_deeper() -> str:
    out, size, depth = [], 0, 0
    while size + 2 * depth + 8 <= HOSTILE_BYTES:
        out.append("  " * depth + "- [ ] x\n")
        size += 2 * depth + 8
        depth += 1
    return "".join(out)


def _interactions(count: int, comment: bool) -> str:
    entry = "  - date: 2026-{:02}-{:02}\n    kind: call\n"
    rows = "".join(entry.format(1 + i % 12, 1 + i % 28) for i in range(count))
    # A comment: not the line reader's (the fast path of simple frontmatter declines it).
    remark = "# logged by a script\n" if comment else ""
    return f"---\ncircle: close\n{remark}interactions:\n{rows}---\n"


# name: (what it is, a function writing the note's text). The bodies come after a frontmatter
# that makes the note a contact's (`circle`), whose body is parsed for logs and links.
HOSTILE: dict[str, tuple[str, Callable[[], str]]] = {
    "brackets": ("4.9 MB of `[[`", lambda: "[[" * (HOSTILE_BYTES // 2)),
    "percent": ("4.9 MB of `%`", lambda: "%" * HOSTILE_BYTES),
    "percent_2mb": ("2 MB of `%`", lambda: "%" * 2_000_000),
    "deeper": ("`- [ ] x` indented deeper and deeper", _deeper_and_deeper),
    "nested_tasks": ("tasks nested two deep", lambda: _nested(["- [ ] x\n", "  - [ ] x\n"])),
    "sawtooth": (
        "tasks nested nine deep, again and again",
        lambda: _nested(["  " * k + "- [ ] x\n" for k in range(9)]),
    ),
    "nested_link": (
        "tasks nested two deep, then a link",
        lambda: _nested(["- [ ] x\n", "  - [ ] x\n"], "- [[Somebody]]\n"),
    ),
    "bracket_link": ("4.9 MB of `[`, then a link", lambda: "[" * (HOSTILE_BYTES - 20) + "](x.md)"),
    "interactions": ("100,000 interactions entries", lambda: _interactions(100_000, True)),
    "interactions_plain": (
        "100,000 entries, simple YAML",
        lambda: _interactions(100_000, False),
    ),
}


class NotAvailable(Exception):
    """A measure that cannot be taken (yet): its rows say "n/a" and why."""


@dataclass
class Row:
    key: str
    label: str
    value: float | None
    unit: str
    target: str = ""
    limit: float | None = None
    at_least: bool = False  # the target is a floor, not a ceiling
    runs: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> bool | None:
        if self.value is None or self.limit is None:
            return None
        return self.value >= self.limit if self.at_least else self.value <= self.limit

    def shown(self) -> str:
        if self.value is None:
            return "n/a"
        if self.unit == "ms":
            return f"{self.value:.0f} ms"
        if self.unit == "MB":
            return f"{self.value:.0f} MB"
        if self.unit == "×":
            return f"{self.value:.1f}×"
        return f"{self.value:.2f} {self.unit}"


# -- processes ------------------------------------------------------------------------------


def entraide(*args: str) -> list[str]:
    return [sys.executable, "-m", "entraide", *args]


def short_error(text: str) -> str:
    """The one line of a failed command's stderr that says why (click's `Error: …`)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith("error")]
    found = (errors or lines or ["no message"])[-1]
    return found[:200]


@dataclass
class Finished:
    seconds: float
    max_rss_kb: int
    code: int
    stdout: str
    stderr: str


def run_timed(
    cmd: list[str],
    env: dict[str, str],
    timeout: float = 600,
    on_start: Callable[[int], None] | None = None,
) -> Finished:
    """Wall time and wait4's peak RSS of one fresh process (its largest process or child)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        if on_start is not None:
            on_start(proc.pid)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Finished(
            seconds,
            usage.ru_maxrss,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def tree_pss_kb(pid: int) -> int:
    """Proportional set size of `pid` and its descendants (Linux), in KiB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        with contextlib.suppress(OSError, ValueError), open(f"/proc/{p}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
    return total


class TreeMemory:
    """Samples the peak PSS of a process tree every 20 ms while a process runs."""

    def __init__(self) -> None:
        self.peak = 0
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, pid: int) -> None:
        def sample() -> None:
            while not self.stop.is_set():
                self.peak = max(self.peak, tree_pss_kb(pid))
                self.stop.wait(0.02)

        self.thread = threading.Thread(target=sample, daemon=True)
        self.thread.start()

    def finish(self) -> int:
        self.stop.set()
        if self.thread is not None:
            self.thread.join()
        return self.peak


# -- the vault --------------------------------------------------------------------------------


def output_state(vault: Path) -> dict[str, tuple[int, int]]:
    """(mtime_ns, size) of every generated file: a change here is the daemon's answer."""
    state: dict[str, tuple[int, int]] = {}
    for folder, _, files in os.walk(vault / OUTPUT):
        for name in files:
            with contextlib.suppress(OSError):
                st = os.stat(os.path.join(folder, name))
                state[os.path.join(folder, name)] = (st.st_mtime_ns, st.st_size)
    return state


def clear_outputs(vault: Path) -> None:
    """Remove generated notes (a first run), keeping the settings note if there is one."""
    settings = vault / OUTPUT / "Settings.md"
    kept = settings.read_bytes() if settings.exists() else None
    shutil.rmtree(vault / OUTPUT, ignore_errors=True)
    if kept is not None:
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_bytes(kept)


def vault_size(vault: Path) -> dict[str, Any]:
    files = notes = size = 0
    for folder, dirs, names in os.walk(vault):
        dirs.sort()
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(folder, name))
            notes += name.endswith(".md")
    contacts = sum(1 for _ in (vault / "People").rglob("*.md"))
    return {"files": files, "notes": notes, "contacts": contacts, "mb": round(size / 1e6, 2)}


def read_everything(vault: Path) -> None:
    """Warm the page cache, so that every measure starts from the same state, and let the
    vault just written reach the disk first (its writeback slowed the first runs by ~10%)."""
    if hasattr(os, "sync"):
        os.sync()
    for folder, _, names in os.walk(vault):
        for name in names:
            with contextlib.suppress(OSError):
                Path(folder, name).read_bytes()


def append_line(note: Path, line: str) -> None:
    """Append one line as an editor would: the note's own line ending, on a line of its own."""
    with open(note, "rb+") as f:
        end = f.seek(0, os.SEEK_END)
        f.seek(max(end - 2, 0))
        tail = f.read()
        newline = b"\r\n" if tail.endswith(b"\r\n") else b"\n"
        f.write((b"" if not tail or tail.endswith(b"\n") else newline) + line.encode() + newline)


# -- the daemon ------------------------------------------------------------------------------


class Daemon:
    """A real `entraide watch`, its stderr lines collected with their arrival time."""

    def __init__(self, cmd: list[str], env: dict[str, str]) -> None:
        self.lines: list[tuple[float, str]] = []
        self.new: queue.Queue[None] = queue.Queue()
        self.proc = subprocess.Popen(
            cmd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append((time.perf_counter(), line.rstrip("\n")))
            self.new.put(None)

    def tail(self) -> str:
        return "\n".join(line for _, line in self.lines[-20:])

    def wait_ready(self, vault: Path, timeout: float) -> None:
        """Until it logs "watching", or its outputs exist and nothing moved for 3 s."""
        start = time.perf_counter()
        last_state, last_move = output_state(vault), start
        while time.perf_counter() - start < timeout:
            if self.proc.poll() is not None:
                time.sleep(0.2)  # let the reader catch the last lines
                raise NotAvailable(
                    f"`entraide watch` exited ({self.proc.returncode}): {short_error(self.tail())}"
                )
            if any(re.search(r"\bwatching\b", line, re.I) for _, line in self.lines):
                time.sleep(1.0)  # the observer's watches are being set up
                return
            state = output_state(vault)
            now = time.perf_counter()
            if state != last_state or (self.lines and self.lines[-1][0] > last_move):
                last_state, last_move = state, now
            elif state and now - last_move > 3 and now - start > 5:
                return
            time.sleep(0.05)
        raise NotAvailable(f"`entraide watch` was not idle after {timeout:.0f} s")

    def pass_lines(self, since: int) -> list[tuple[float, str]]:
        return [(t, line) for t, line in self.lines[since:] if re.search(r"\bpass\b", line)]

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def pass_ms(line: str) -> float | None:
    m = re.search(r"(\d+(?:\.\d+)?) ?ms\b", line)
    return float(m.group(1)) if m else None


def wait_for_change(
    vault: Path, before: dict[str, tuple[int, int]], deadline: float, settle: float = 0.0
) -> tuple[float, float] | None:
    """(first, last) times the outputs changed, polled every 2 ms; with `settle`, keep
    watching until they stayed still that long. None when nothing changed by `deadline`."""
    first = last = None
    state = before
    while True:
        now = time.perf_counter()
        current = output_state(vault)
        if current != state:
            state, last = current, now
            first = first or now
            if not settle:
                break
        if first is not None and last is not None and now - last >= settle:
            break
        if now > deadline:
            break
        time.sleep(0.002)
    return None if first is None or last is None else (first, last)


def wait_pass(daemon: Daemon, since: int, timeout: float) -> float | None:
    """Wait for the log line of the pass that followed line `since`; its own ms if it says."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        found = daemon.pass_lines(since)
        if found:
            return pass_ms(found[-1][1])
        with contextlib.suppress(queue.Empty):
            daemon.new.get(timeout=0.05)
    return None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(round(q * (len(ordered) - 1)), len(ordered) - 1)]


# -- measures -------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path, vault: Path) -> None:
        self.args = args
        self.work = work
        self.vault = vault
        self.rows: list[Row] = []
        self.extra: dict[str, Any] = {}
        self.warm_env: dict[str, str] | None = None
        self.rnd = random.Random(2)
        self.minutes = 1000  # each edit logs more minutes than the last: its output changes

    def env(self, name: str) -> dict[str, str]:
        """An environment whose cache, state and runtime folders are fresh and private."""
        env = dict(os.environ)
        for var in ("XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME"):
            folder = self.work / name / var.lower()
            folder.mkdir(parents=True, exist_ok=True)
            if var == "XDG_RUNTIME_DIR":
                folder.chmod(0o700)
            env[var] = str(folder)
        env.pop("COLUMNS", None)
        return env

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def na(self, keys: list[tuple[str, str, str]], reason: str) -> None:
        for key, label, target in keys:
            self.add(Row(key, label, None, "", target, note=f"n/a: {reason}"))

    def section(self, keys: list[tuple[str, str, str]], measure: Callable[[], None]) -> None:
        try:
            measure()
        except NotAvailable as exc:
            self.na(keys, str(exc))
        except Exception as exc:  # a bug of the bench itself: report it and go on
            traceback.print_exc()
            self.na(keys, f"bench error: {exc!r}")

    # cold and warm runs --------------------------------------------------------------------

    def cold(self) -> None:
        cmd = entraide("run", str(self.vault), "--today", TODAY)
        times, rss = [], []
        clear_outputs(self.vault)
        run_timed(cmd, self.env("cold-warm-up"))  # not counted: fills the OS's caches, as above
        for k in range(self.args.runs):
            clear_outputs(self.vault)
            env = self.env(f"cold-{k}")
            done = run_timed(cmd, env)
            if done.code != 0:
                raise NotAvailable(
                    f"`entraide run` failed (exit {done.code}): {short_error(done.stderr)}"
                )
            times.append(done.seconds)
            rss.append(done.max_rss_kb / 1024)
            self.warm_env = env
        self.extra["cold_stdout"] = done.stdout.strip().splitlines()[:1]
        cold = statistics.median(times)
        self.add(Row("cold_s", "cold run (no cache)", cold, "s", "≤ 1.5 s", 1.5, runs=times))
        self.add(
            Row(
                "peak_rss_mb",
                "peak RSS (cold run, largest process)",
                max(rss),
                "MB",
                "≤ 200 MB",
                200,
                runs=rss,
            )
        )
        problems = self.vault / OUTPUT / "Problems.md"
        if problems.exists():
            size = problems.stat().st_size / 1e6
            self.add(Row("problems_mb", "Problems.md written", size, "MB", "< 5 MB", 5))
        if sys.platform.startswith("linux"):
            clear_outputs(self.vault)
            memory = TreeMemory()
            done = run_timed(cmd, self.env("cold-memory"), on_start=memory.start)
            peak = memory.finish() / 1024
            self.add(
                Row(
                    "peak_tree_pss_mb",
                    "  whole process tree (PSS, sampled)",
                    peak,
                    "MB",
                    note="parent and parse workers, shared pages split; information only",
                )
            )

    def warm(self) -> None:
        if self.warm_env is None:
            raise NotAvailable("no cold run to warm the cache")
        cmd = entraide("run", str(self.vault), "--today", TODAY)
        run_timed(cmd, self.warm_env)  # settles anything the first run left to do
        times = []
        for _ in range(self.args.runs):
            done = run_timed(cmd, self.warm_env)
            if done.code != 0:
                raise NotAvailable(
                    f"`entraide run` failed (exit {done.code}): {short_error(done.stderr)}"
                )
            times.append(done.seconds)
        warm = statistics.median(times)
        self.add(
            Row("warm_s", "warm run (cache, no change)", warm, "s", "≤ 0.3 s", 0.3, runs=times)
        )

    # analytics in-process ------------------------------------------------------------------

    def analytics(self) -> None:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--probe-analytics"]
        cmd += [str(self.vault), TODAY, str(self.args.runs)]
        done = run_timed(cmd, self.env("analytics"))
        if done.code != 0:
            raise NotAvailable(f"the analytics probe failed: {short_error(done.stderr)}")
        found = json.loads(done.stdout)
        self.extra["analytics_probe"] = found
        if "na" in found:
            raise NotAvailable(found["na"])
        self.extra["interaction_days"] = found["interactions"]
        where = f"{found['loader']} + {found['analysis']}"
        times = [t * 1000 for t in found["analytics_s"]]
        self.add(
            Row(
                "analytics_ms",
                "analytics step alone",
                statistics.median(times),
                "ms",
                runs=times,
                note=where + found.get("analytics_note", ""),
            )
        )
        if found.get("render_s"):
            times = [t * 1000 for t in found["render_s"]]
            self.add(
                Row(
                    "analytics_render_ms",
                    "  analytics + render of every output",
                    statistics.median(times),
                    "ms",
                    runs=times,
                    note=found["renderer"],
                )
            )
        self.add(
            Row(
                "load_s",
                "  vault load in-process (no cache)",
                found["load_s"],
                "s",
                note=found["loader"],
            )
        )

    # the daemon ----------------------------------------------------------------------------

    def daemon(self) -> None:
        help_text = run_timed(entraide("watch", "--help"), self.env("probe"), timeout=60)
        if help_text.code != 0:
            raise NotAvailable(
                f"`entraide watch` is not there (exit {help_text.code}): "
                f"{short_error(help_text.stderr)}"
            )
        cmd = entraide("watch", str(self.vault), "--today", TODAY)
        debounce = self.args.debounce_ms
        note = ""
        if "--debounce-ms" in help_text.stdout:
            cmd += ["--debounce-ms", str(debounce)]
        else:
            debounce, note = 300, "--debounce-ms not supported: the default, 300 ms, assumed"
        env = self.warm_env or self.env("daemon")
        candidates = sorted((self.vault / "People").rglob("*.md"))
        self.rnd.shuffle(candidates)
        daemon = Daemon(cmd, env)
        try:
            start = time.perf_counter()
            daemon.wait_ready(self.vault, timeout=600)
            self.extra["daemon_ready_s"] = time.perf_counter() - start
            self._edits(daemon, candidates, debounce, note)
            self._bursts(daemon, candidates, debounce)
        finally:
            code = daemon.stop()
            self.extra["daemon_exit_code"] = code
            self.extra["daemon_log_tail"] = daemon.tail().splitlines()[-5:]

    def _edit(self, note: Path, label: str) -> None:
        self.minutes += 1
        append_line(note, f"- {TODAY} call [minutes:: {self.minutes}] [gave:: {label}] #news")

    def _edits(self, daemon: Daemon, candidates: list[Path], debounce: int, note: str) -> None:
        latencies: list[float] = []
        passes: list[float] = []
        missed = 0
        for k in range(self.args.edits):
            target = candidates.pop()
            before = output_state(self.vault)
            mark = len(daemon.lines)
            t0 = time.perf_counter()
            self._edit(target, f"bench edit {k}")
            changed = wait_for_change(self.vault, before, t0 + debounce / 1000 + 15)
            if changed is None:
                missed += 1
            else:
                latencies.append((changed[0] - t0) * 1000)
            own = wait_pass(daemon, mark, timeout=10 if changed else 1)
            if own is not None:
                passes.append(own)
            if daemon.proc.poll() is not None:
                raise NotAvailable(f"`entraide watch` died: {short_error(daemon.tail())}")
            time.sleep(0.2 + self.rnd.random() * 0.1)  # the next edit is a new burst
        if not latencies:
            raise NotAvailable(f"no output changed after any of {self.args.edits} edits")
        if missed:
            note = f"{missed} edits changed no output within the deadline; " + note
        after = [max(x - debounce, 0.0) for x in latencies]
        self.add(
            Row(
                "edit_p50_ms",
                "edit → outputs changed, p50",
                percentile(latencies, 0.5),
                "ms",
                runs=latencies,
                note=note,
            )
        )
        self.add(
            Row("edit_p95_ms", "edit → outputs changed, p95", percentile(latencies, 0.95), "ms")
        )
        self.add(Row("debounce_ms", "  of which the debounce window", float(debounce), "ms"))
        self.add(
            Row("after_debounce_p50_ms", "  after debounce, p50", percentile(after, 0.5), "ms")
        )
        self.add(
            Row(
                "after_debounce_p95_ms",
                "  after debounce, p95",
                percentile(after, 0.95),
                "ms",
                "≤ 100 ms",
                100,
                runs=after,
            )
        )
        if passes:
            self.add(
                Row(
                    "pass_p95_ms",
                    "  the daemon's own pass time, p95",
                    percentile(passes, 0.95),
                    "ms",
                    runs=passes,
                    note="from its log lines",
                )
            )

    def _bursts(self, daemon: Daemon, candidates: list[Path], debounce: int) -> None:
        count = 1 if self.args.quick else min(self.args.runs, 3)
        size = min(self.args.burst, len(candidates) // count)
        if size < 1:
            raise NotAvailable("not enough contact notes left for a burst")
        times, writes, pass_counts = [], [], []
        for k in range(count):
            batch = [candidates.pop() for _ in range(size)]
            time.sleep(debounce / 1000 + 0.5)
            before = output_state(self.vault)
            mark = len(daemon.lines)
            t_first = time.perf_counter()
            for note in batch:
                self._edit(note, f"bench burst {k}")
            t_last = time.perf_counter()
            changed = wait_for_change(self.vault, before, t_last + 60, settle=debounce / 1000 + 3.5)
            if changed is None:
                raise NotAvailable(f"no output changed within 60 s of a {size}-note burst")
            times.append(changed[1] - t_last)
            writes.append(t_last - t_first)
            pass_counts.append(len(daemon.pass_lines(mark)))
        self.add(
            Row(
                "burst_s",
                f"{size:,}-note burst → outputs updated",
                statistics.median(times),
                "s",
                "≤ 1.5 s",
                1.5,
                runs=times,
                note=f"from the last write; writing took {statistics.median(writes):.2f} s; "
                f"passes per burst: {pass_counts}",
            )
        )

    # the baseline --------------------------------------------------------------------------

    def baseline(self) -> None:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--probe-baseline", str(self.vault)]
        times: list[float] = []
        parts: dict[str, list[float]] = {"reading_s": [], "yaml_s": [], "markdown_s": []}
        for _ in range(1 if self.args.quick else min(self.args.runs, 3)):
            done = run_timed(cmd, self.env("baseline"))
            if done.code != 0:
                raise NotAvailable(f"the baseline failed: {short_error(done.stderr)}")
            found = json.loads(done.stdout)
            times.append(found["seconds"])
            for key, values in parts.items():
                values.append(found[key])
            self.extra["baseline_notes"] = found["notes"]
        base = statistics.median(times)
        self.add(
            Row(
                "baseline_s",
                "baseline: frontmatter.load + markdown-it",
                base,
                "s",
                runs=times,
                note="the loop alone, one process (its parts below: one loop each)",
            )
        )
        for key, label, reference in (
            ("reading_s", "  of the vault: reading every file", "0.2"),
            ("yaml_s", "  CSafeLoader on every frontmatter", "2"),
            ("markdown_s", "  markdown-it-py on every body", "6"),
        ):
            self.add(
                Row(
                    key,
                    label,
                    statistics.median(parts[key]),
                    "s",
                    runs=parts[key],
                    note=f"the issue's reference vault: ~{reference} s",
                )
            )
        for key, label in (
            ("body_reference_s", "  entraide's reference (markdown-it-py) on every body"),
            ("body_fast_path_s", "  precheck + hand-written fast path, else the reference"),
            ("body_pyromark_s", "  precheck + pyromark (pulldown-cmark), else the reference"),
            ("body_entraide_s", "  parse_body: precheck, fast path, pyromark, reference"),
        ):
            if key in found:
                self.add(Row(key, label, found[key], "s", note="the last baseline process"))
        floor = statistics.median(parts["reading_s"]) + statistics.median(parts["yaml_s"])
        self.add(
            Row("floor_s", "floor: reading + CSafeLoader", floor, "s", note="the two loops above")
        )
        # Real Markdown (DESIGN §9, issue 21): ≥ 8× the naive loop and within 3× of the floor;
        # generated vaults of every shape: ≥ 5×.
        speedup = 8 if self.args.real else 5
        cold = next((r.value for r in self.rows if r.key == "cold_s"), None)
        if cold is None:
            self.na(
                [("cold_speedup", "cold run's speed-up over baseline", f"≥ {speedup}×")],
                "no cold run",
            )
        else:
            self.add(
                Row(
                    "cold_speedup",
                    "cold run's speed-up over baseline",
                    base / cold,
                    "×",
                    f"≥ {speedup}×",
                    speedup,
                    at_least=True,
                )
            )
            if self.args.real:
                self.add(
                    Row("cold_over_floor", "cold run over the floor", cold / floor, "×", "≤ 3×", 3)
                )

    # hostile notes ------------------------------------------------------------------------

    def hostile(self) -> None:
        found: dict[str, Any] = {}
        for name, (label, _) in HOSTILE.items():
            cmd = [sys.executable, str(Path(__file__).resolve()), "--probe-hostile", name]
            done = run_timed(cmd, self.env("hostile"), timeout=900)
            if done.code != 0:
                note = f"failed (exit {done.code}): {short_error(done.stderr)}"
                self.add(Row(f"hostile_{name}_s", f"hostile: {label}", None, "s", note=note))
                continue
            result = json.loads(done.stdout)
            result["peak_rss_mb"] = done.max_rss_kb / 1024
            found[name] = result
            self.add(
                Row(
                    f"hostile_{name}_s",
                    f"hostile: {label}",
                    result["seconds"],
                    "s",
                    "≤ 2 s",
                    2,
                    note=f"{result['bytes'] / 1e6:.1f} MB; {result['read']}",
                )
            )
            self.add(
                Row(
                    f"hostile_{name}_mb",
                    "  peak RSS (the parsing process)",
                    result["peak_rss_mb"],
                    "MB",
                    "≤ 200 MB",
                    200,
                )
            )
        self.extra["hostile"] = found

    # introductions -------------------------------------------------------------------------

    def introductions(self) -> None:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--probe-introductions"]
        done = run_timed(cmd, self.env("introductions"), timeout=300)
        if done.code != 0:
            raise NotAvailable(f"failed (exit {done.code}): {short_error(done.stderr)}")
        result = json.loads(done.stdout)
        self.extra["introductions"] = result
        self.add(
            Row(
                "introductions_ms",
                "introductions among 10,000 contacts",
                result["ms"],
                "ms",
                note=(
                    f"{result['items']} items each from {result['topics']:,} topics; "
                    f"{result['pairs']:,} pairs share an item (median of {result['runs']})"
                ),
            )
        )


# -- probes run in fresh interpreters --------------------------------------------------------


def probe_introductions(runs: int = 5) -> dict[str, Any]:
    """DESIGN 5.5 on 10,000 active contacts with 2 interests, 1 offer and 1 need each drawn
    from 2,000 topics: the analytics step alone, as the weekly review asks it."""
    from collections import Counter
    from itertools import combinations

    from entraide.analytics.introductions import introductions
    from entraide.model import Contact, Interaction
    from entraide.settings import Settings

    rnd = random.Random(5)
    topics = [f"topic {i}" for i in range(2000)]
    sectors, countries = ["finance", "health", "tech", "arts"], ["FR", "SN", "BR"]
    contacts = [
        Contact(
            name=f"Person {k:05}",
            path=f"People/Person {k:05}.md",
            dimensions={"sector": rnd.choice(sectors), "country": rnd.choice(countries)},
            interests=tuple(rnd.sample(topics, 2)),
            offers=tuple(rnd.sample(topics, 1)),
            needs=tuple(rnd.sample(topics, 1)),
            interactions=(Interaction(date(2026, 11, 1)),),
        )
        for k in range(10_000)
    ]
    holders: dict[str, list[int]] = {}
    for k, c in enumerate(contacts):
        for item in (*c.interests, *c.offers, *c.needs):
            holders.setdefault(item, []).append(k)
    pairs = Counter(p for h in holders.values() for p in combinations(sorted(set(h)), 2))
    settings = Settings()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        introductions(contacts, frozenset(), settings, date(2026, 11, 23), limit=2)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "ms": sorted(times)[runs // 2],
        "runs": runs,
        "items": 4,
        "topics": len(topics),
        "pairs": len(pairs),
    }


def probe_hostile(name: str) -> dict[str, Any]:
    """Parse one hostile note (`HOSTILE`) as a contact note, as a pass would."""
    body = HOSTILE[name][1]()
    text = body if body.startswith("---") else "---\ncircle: close\n---\n" + body
    raw = text.encode("utf-8")
    from entraide.parse.note import parse_note

    parse_note(b"---\ncircle: close\n---\n- 2026-11-20 call [[A]]\n")  # (imports settled)
    start = time.perf_counter()
    note = parse_note(raw)
    seconds = time.perf_counter() - start
    found = getattr(note.body, "problems", ())  # (reported since issue 23)
    problems = [f"{code} at line {line}" for line, code, _ in found]
    if note.error is not None:
        problems.append(f"{note.error.code} at line {note.error.line}")
    read = f"{len(note.body.links)} links, {len(note.props.records)} records" + (
        f"; reported: {', '.join(problems)}" if problems else ""
    )
    return {"seconds": seconds, "bytes": len(raw), "read": read}


def find(candidates: list[tuple[str, str]]) -> tuple[str, Any] | None:
    for module, name in candidates:
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if found is not None:
            return f"{module}.{name}", found
    return None


def call(function: Any, values: dict[str, Any], order: list[str]) -> Any:
    """Call by parameter names when they are all known, else positionally in `order`."""
    params = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    if params and all(p.name in values for p in params):
        return function(**{p.name: values[p.name] for p in params})
    return function(*[values[name] for name in order[: len(params)]])


def probe_analytics(root: Path, today_text: str, runs: int) -> dict[str, Any]:
    import gc
    from datetime import date

    today = date.fromisoformat(today_text)
    loader = find(LOADERS)
    if loader is None:
        return {"na": "no vault loader (" + ", ".join(f"{m}.{n}" for m, n in LOADERS) + ")"}
    analysis = find(ANALYSES)
    if analysis is None:
        return {
            "na": "no analytics entry point (" + ", ".join(f"{m}.{n}" for m, n in ANALYSES) + ")"
        }
    settings: Any = None
    loaded = find(SETTINGS)
    if loaded is not None:
        settings = loaded[1](root)
        settings = getattr(settings, "settings", settings)
    else:
        with contextlib.suppress(ImportError, AttributeError, TypeError):
            settings = importlib.import_module("entraide.settings").Settings()
    start = time.perf_counter()
    vault = call(
        loader[1], {"root": root, "path": root, "settings": settings}, ["root", "settings"]
    )
    load_s = time.perf_counter() - start
    if isinstance(vault, tuple):
        vault = next(v for v in vault if hasattr(v, "contacts"))
    values = {"vault": vault, "settings": settings, "today": today, "as_of": today}
    dimensions = getattr(settings, "dimensions", ())
    gc.collect()
    gc.disable()  # as a pass does (entraide.engine.run_pass)
    times, render_times = [], []
    renderer = find(RENDERERS)
    note = ""
    for _ in range(max(runs, 1)):
        start = time.perf_counter()
        if isinstance(analysis[1], type):  # memoised and lazy: ask what `status` asks
            result = analysis[1](vault, settings)
            result.ties(today)
            for dimension in dimensions:
                result.diversity(today, dimension)
            note = ": ties + diversity per dimension, as `status` asks"
        else:
            result = call(analysis[1], values, ["vault", "settings", "today"])
        times.append(time.perf_counter() - start)
        if renderer is not None and isinstance(analysis[1], type):
            start = time.perf_counter()
            fresh = analysis[1](vault, settings)
            call(renderer[1], {**values, "analysis": fresh}, ["vault", "settings", "today"])
            render_times.append(time.perf_counter() - start)
    gc.enable()
    return {
        "loader": loader[0],
        "analysis": analysis[0],
        "analytics_note": note,
        "renderer": renderer[0] if renderer else None,
        "load_s": load_s,
        "analytics_s": times,
        "render_s": render_times,
        "contacts": len(vault.contacts),
        "interactions": sum(len(c.interactions) for c in vault.contacts),
    }


def _split(handler: Any, text: str) -> tuple[str, str]:
    """python-frontmatter's split, with a never-closed frontmatter read as a body."""
    if not handler.detect(text):
        return "", text
    try:
        fm, body = handler.split(text)
    except ValueError:
        return "", text
    return fm, body


def probe_baseline(root: Path) -> dict[str, Any]:
    """The naive reader DESIGN.md §9 compares with: every note through python-frontmatter
    and markdown-it-py, one after the other."""
    import frontmatter
    import frontmatter.default_handlers
    import yaml
    from markdown_it import MarkdownIt

    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != OUTPUT)
        files += [os.path.join(folder, n) for n in sorted(names) if n.endswith(".md")]
    md = MarkdownIt()
    failed = 0
    start = time.perf_counter()
    for path in files:
        try:
            post = frontmatter.load(path)
        except Exception:  # noqa: BLE001 - real notes hold YAML it cannot load: skipped
            failed += 1
            continue
        md.parse(post.content)
    seconds = time.perf_counter() - start
    # Then its parts, one loop each, to compare the vault with the reference points
    # (reading ~0.2 s, CSafeLoader ~2 s, markdown-it-py ~6 s on a 2-core machine).
    start = time.perf_counter()
    texts = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            texts.append(f.read())
    reading = time.perf_counter() - start
    handler = frontmatter.default_handlers.YAMLHandler()
    parts = [_split(handler, t) for t in texts]
    start = time.perf_counter()
    for fm, _ in parts:
        if fm:
            with contextlib.suppress(yaml.YAMLError, ValueError):
                yaml.load(fm, Loader=yaml.CSafeLoader)  # noqa: S506 - the safe C loader
    loading = time.perf_counter() - start
    start = time.perf_counter()
    for _, body in parts:
        md.parse(body)
    markdown = time.perf_counter() - start
    return {
        "seconds": seconds,
        "notes": len(files),
        **body_parsers([body for _, body in parts]),
        "yaml_failed": failed,
        "reading_s": reading,
        "yaml_s": loading,
        "markdown_s": markdown,
    }


def body_parsers(bodies: list[str]) -> dict[str, float]:
    """entraide's body readers on the same bodies, one loop each (issue 21, item 2): the
    reference (markdown-it-py), the hand-written fast path alone and pyromark alone (each with
    the precheck, the reference where they decline), and `parse_body`, which chains them."""
    from entraide.parse import body as reader
    from entraide.parse.fastbody import read_body

    def with_precheck(quick: Callable[[str, int], Any]) -> Callable[[str], Any]:
        def read(text: str) -> Any:
            plain = reader.strip_comments(text) if "%%" in text else text
            if reader._may_hold_anything(plain):
                return quick(plain, 1) or reader._read_tokens(plain, 1, ())
            return None

        return read

    found: dict[str, float] = {}
    for key, read in (
        ("body_reference_s", reader.parse_body_tokens),
        ("body_fast_path_s", with_precheck(reader._simple)),
        ("body_pyromark_s", with_precheck(read_body)),
        ("body_entraide_s", reader.parse_body),
    ):
        start = time.perf_counter()
        for text in bodies:
            read(text)
        found[key] = time.perf_counter() - start
    return found


# -- main ------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
    }
    with contextlib.suppress(AttributeError):
        info["cpus_usable"] = len(os.sched_getaffinity(0))
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError, IndexError, ValueError):
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        info["memory_mb"] = int(meminfo[0].split()[1]) // 1024
    version = subprocess.run(entraide("--version"), capture_output=True, text=True)
    info["entraide"] = version.stdout.strip() or f"n/a: {short_error(version.stderr)}"
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        info["commit"] = subprocess.run(
            ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    return info


def prepare_vault(args: argparse.Namespace, work: Path) -> tuple[Path, dict[str, Any]]:
    """A private copy of the vault: generated (into `--vault` when given and missing), then
    copied, so that the bench's edits never touch the original."""
    info: dict[str, Any] = {}
    source = args.vault
    if args.real and (source is None or not source.exists()):
        source = source or work / "real"
        sys.path.insert(0, str(HERE))
        real_vault = importlib.import_module("real_vault")
        start = time.perf_counter()
        stats = real_vault.generate(source, args.real, args.contacts, args.years, args.seed)
        info["generation_s"] = round(time.perf_counter() - start, 3)
        info["generated"] = {
            "real_markdown": True,
            "notes": stats.notes,
            "contacts": stats.contacts,
            "daily": stats.daily,
            "other": stats.other,
            "from_real_notes": stats.sources,
        }
    elif source is None or not source.exists():
        source = source or work / "generated"
        sys.path.insert(0, str(HERE))
        gen_vault = importlib.import_module("gen_vault")
        start = time.perf_counter()
        stats = gen_vault.generate(
            source, args.contacts, args.years, args.seed, shared_aliases=args.shared_aliases
        )
        info["generation_s"] = round(time.perf_counter() - start, 3)
        info["records"] = dict(stats.records)
        info["records_total"] = sum(stats.records.values())
        info["generated"] = {
            "contacts": args.contacts,
            "years": args.years,
            "seed": args.seed,
            "shared_aliases": args.shared_aliases,
        }
    else:
        info["reused"] = str(source)
    vault = work / "vault"
    shutil.copytree(source, vault, symlinks=True)
    (vault / ".obsidian").mkdir(exist_ok=True)  # what makes a folder a vault (DESIGN §6)
    info.update(vault_size(vault))
    return vault, info


def hostile_only(args: argparse.Namespace) -> int:
    """The hostile notes alone: no vault is generated."""
    work = Path(tempfile.mkdtemp(prefix="entraide-bench-"))
    try:
        bench = Bench(args, work, work)
        print("measuring: hostile notes …", file=sys.stderr)
        bench.section([("hostile_s", "hostile notes", "≤ 2 s")], bench.hostile)
        info = machine()
        print()
        print_table(
            bench.rows,
            f"entraide hostile notes — {info['cpu_count']} CPUs, Python {info['python']}",
        )
        result = {
            "machine": info,
            "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "results": {row.key: {**asdict(row), "ok": row.ok} for row in bench.rows},
            "details": bench.extra,
        }
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
        print(f"\nwrote {args.out}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def print_table(rows: list[Row], title: str) -> None:
    print(title)
    print(f"  {'measure':<44} {'value':>10}   {'target':<10} verdict")
    for row in rows:
        verdict = {True: "ok", False: "MISSED", None: ""}[row.ok]
        print(f"  {row.label:<44} {row.shown():>10}   {row.target:<10} {verdict}")
        if row.note:
            print(f"  {'':<44} {'':>10}   ({row.note})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--contacts", type=int, help="contacts to generate (10,000)")
    parser.add_argument("--years", type=int, default=3, help="years of daily notes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, help="runs per measure (5)")
    parser.add_argument("--edits", type=int, help="daemon edits (50)")
    parser.add_argument("--burst", type=int, help="notes written at once (1,000)")
    parser.add_argument("--debounce-ms", type=int, default=300)
    parser.add_argument("--vault", type=Path, help="reuse this vault (generated there if missing)")
    parser.add_argument(
        "--shared-aliases",
        type=int,
        default=0,
        metavar="N",
        help="generated contacts share N first-name aliases (Problems.md stays linear)",
    )
    parser.add_argument(
        "--real",
        type=int,
        metavar="NOTES",
        help="a vault of NOTES notes of real Markdown (scripts/real_vault.py; --contacts of them "
        "contacts, 2,000 by default) instead of generated notes",
    )
    parser.add_argument("--out", type=Path, default=Path("bench.json"))
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--probe-analytics", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--probe-baseline", help=argparse.SUPPRESS)
    parser.add_argument("--probe-hostile", help=argparse.SUPPRESS)
    parser.add_argument("--probe-introductions", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--hostile-only", action="store_true", help="only the hostile notes (no vault)"
    )
    args = parser.parse_args(argv)
    if any(v is not None and v < 1 for v in (args.contacts, args.runs, args.edits, args.burst)):
        parser.error("--contacts, --runs, --edits and --burst must be at least 1")
    if args.probe_analytics:
        root, day, runs = args.probe_analytics
        print(json.dumps(probe_analytics(Path(root), day, int(runs))))
        return 0
    if args.probe_baseline:
        print(json.dumps(probe_baseline(Path(args.probe_baseline))))
        return 0
    if args.probe_introductions:
        print(json.dumps(probe_introductions()))
        return 0
    if args.probe_hostile:
        print(json.dumps(probe_hostile(args.probe_hostile)))
        return 0
    if args.hostile_only:
        return hostile_only(args)
    quick = {"contacts": 500, "runs": 2, "edits": 5, "burst": 100}
    full = {"contacts": 2_000 if args.real else 10_000, "runs": 5, "edits": 50, "burst": 1000}
    for name, value in (quick if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)

    work = Path(tempfile.mkdtemp(prefix="entraide-bench-"))
    try:
        print(f"preparing the vault in {work} …", file=sys.stderr)
        vault, vault_info = prepare_vault(args, work)
        read_everything(vault)
        bench = Bench(args, work, vault)
        steps: list[tuple[str, list[tuple[str, str, str]], Callable[[], None]]] = [
            (
                "cold runs",
                [
                    ("cold_s", "cold run (no cache)", "≤ 1.5 s"),
                    ("peak_rss_mb", "peak RSS (cold run, largest process)", "≤ 200 MB"),
                ],
                bench.cold,
            ),
            ("warm runs", [("warm_s", "warm run (cache, no change)", "≤ 0.3 s")], bench.warm),
            ("analytics", [("analytics_ms", "analytics step alone", "")], bench.analytics),
            (
                "daemon",
                [
                    ("edit_p95_ms", "edit → outputs changed, p95", ""),
                    ("after_debounce_p95_ms", "  after debounce, p95", "≤ 100 ms"),
                    ("burst_s", f"{args.burst:,}-note burst → outputs updated", "≤ 1.5 s"),
                ],
                bench.daemon,
            ),
            (
                "baseline",
                [("baseline_s", "baseline: frontmatter.load + markdown-it", "")],
                bench.baseline,
            ),
            ("hostile notes", [("hostile_s", "hostile notes", "≤ 2 s")], bench.hostile),
            (
                "introductions",
                [("introductions_ms", "introductions among 10,000 contacts", "")],
                bench.introductions,
            ),
        ]
        for name, keys, measure in steps:
            print(f"measuring: {name} …", file=sys.stderr)
            bench.section(keys, measure)
        if "interaction_days" in bench.extra:
            vault_info["interaction_days"] = bench.extra["interaction_days"]
        info = machine()
        print()
        records = vault_info.get("records_total")
        print_table(
            bench.rows,
            f"entraide benchmark — {vault_info['contacts']:,} contacts, "
            f"{vault_info['notes']:,} notes, {vault_info['mb']} MB"
            + (f", {records:,} interaction records" if records else "")
            + f"; {info['cpu_count']} CPUs, Python {info['python']}, today {TODAY}",
        )
        result = {
            "machine": info,
            "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "vault": vault_info,
            "results": {row.key: {**asdict(row), "ok": row.ok} for row in bench.rows},
            "details": bench.extra,
        }
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
        print(f"\nwrote {args.out}")
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`entraide watch`: watchdog events → debounce → one pass; plain log lines.

The daemon never trusts an event alone: a pass re-scans the vault (a stat per note) and parses
only what changed, so a missed, doubled or reordered event costs nothing but time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from entraide.errors import UserError
from entraide.gitstate import git_busy
from entraide.index import Index, start_method
from entraide.locks import daemon_lock
from entraide.settings import Settings
from entraide.vault_io import WriteRefused

MAX_DELAY_S = 3.0  # a burst never delays a pass by more than this
ROOT_CHECK_S = 2.0  # how often the daemon checks that its vault folder is still the same
GIT_POLL_S = 0.2
# A pass waits this long for a note being saved (a tick in the check-in list, say), then
# leaves it for a pass this much later.
SETTLE_WAIT_S = 1.5
RETRY_S = 1.0


_JOURNAL_PRIORITY = {logging.ERROR: 3, logging.WARNING: 4, logging.INFO: 6}


class _Lines(logging.Formatter):
    """One plain line per record; under systemd (JOURNAL_STREAM set) without a timestamp of
    its own (journald adds one) and with the journal's priority prefix (`<3>` for errors), so
    that `journalctl -p err` finds failures. What the vault wrote is shown, never obeyed."""

    def __init__(self, journal: bool) -> None:
        super().__init__()
        self.journal = journal

    def format(self, record: logging.LogRecord) -> str:
        from entraide.render.text import terminal

        text = "\n".join(terminal(line) for line in record.getMessage().split("\n"))
        if self.journal:
            priority = _JOURNAL_PRIORITY.get(record.levelno, 6)
            return "\n".join(f"<{priority}>{line}" for line in text.split("\n"))
        stamp = datetime.fromtimestamp(record.created).strftime("%Y-%m-%d %H:%M:%S")
        return f"{stamp} entraide: {text}"


_LOG = logging.getLogger("entraide.daemon")


def _setup_logging() -> None:
    if _LOG.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Lines(journal=bool(os.environ.get("JOURNAL_STREAM"))))
    _LOG.addHandler(handler)
    _LOG.setLevel(logging.INFO)
    _LOG.propagate = False


def log(message: str, level: int = logging.INFO) -> None:
    _setup_logging()
    _LOG.log(level, message)
    for handler in _LOG.handlers:
        handler.flush()


class _Events:
    """Collects the paths of relevant filesystem events; wakes the main loop.

    Whether a path was changed by our own write is decided when the burst is taken, after
    the pass that wrote it has recorded what it wrote: its events often arrive mid-pass.
    """

    def __init__(self, root: Path, is_own: Callable[[str], bool]) -> None:
        self.root = os.path.realpath(root)
        self.is_own = is_own
        self.calendars: tuple[str, ...] = ()  # the `calendars` setting's places, resolved
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.first: float | None = None
        self.last: float = 0.0
        self.pending: set[str] = set()

    def relevant(self, path: str) -> bool:
        if any(path == c or path.startswith(c.rstrip(os.sep) + os.sep) for c in self.calendars):
            return True  # a calendar the passes import from (DESIGN §10)
        rel = os.path.relpath(path, self.root)
        if rel.startswith(".."):
            return False
        parts = rel.split(os.sep)
        if any(p.startswith(".") for p in parts[:-1]):
            # Inside a dot-folder: only Obsidian's config matters (daily notes, templates).
            return parts[0] not in (".git", ".trash") and path.endswith(".json")
        name = parts[-1]
        if name.startswith(".") or name.startswith("~syncthing~"):
            return False
        return name.endswith(".md") or "." not in name  # a note, or maybe a folder

    def dispatch(self, event: Any) -> None:
        kind = getattr(event, "event_type", "")
        if kind in ("opened", "closed_no_write") or (
            kind == "modified" and getattr(event, "is_directory", False)
        ):
            return  # a folder's mtime changes with every write inside it: not a change
        paths = [getattr(event, "src_path", ""), getattr(event, "dest_path", "")]
        hits = {os.fsdecode(p) for p in paths if p}
        hits = {p for p in hits if self.relevant(p)}
        if not hits:
            return
        now = time.monotonic()
        with self.lock:
            if self.first is None:
                self.first = now
            self.last = now
            self.pending |= hits
        self.wake.set()

    def take(self) -> set[str]:
        """The changed paths of the burst, less those we wrote ourselves."""
        with self.lock:  # (cleared with the swap: an event after it wakes the loop again)
            paths, self.pending, self.first = self.pending, set(), None
            self.wake.clear()
        return {p for p in paths if not self.is_own(p)}


def watch(
    root: Path,
    today: date | None = None,
    polling: bool = False,
    debounce_ms: int | None = None,
    use_cache: bool = True,
) -> int:
    """Run until SIGINT/SIGTERM; return the exit code."""
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    from entraide.engine import run_pass

    lock = daemon_lock(root)
    if lock.unlocked:
        log(f"{lock.unlocked}: a second daemon on this vault would not be refused", logging.WARNING)
    stop = threading.Event()
    own: dict[str, tuple[int, int]] = {}

    def is_own(path: str) -> bool:
        expected = own.get(path)
        if expected is None:
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        return (st.st_mtime_ns, st.st_size) == expected

    events = _Events(root, is_own)

    def on_signal(signum: int, _frame: object) -> None:
        log(f"received {signal.Signals(signum).name}: finishing and exiting")
        stop.set()
        events.wake.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    index = Index(root, use_cache=use_cache)
    settings: Settings | None = None
    passes = 0
    last_day: date | None = None

    retry_at: float | None = None  # a pass left something for later (a note being edited)
    notified = _last_notified(root)  # the day of the last desktop notification

    def notify_due(vault: Any, day: date) -> None:
        """`notify: true`: one desktop notification a day for what is due that day."""
        nonlocal notified
        from entraide import notify
        from entraide.i18n import lang

        enabled = bool(getattr(settings, "notify", False))
        if not enabled or settings is None:
            return
        items = notify.due_today(vault.contacts, settings, day)
        session = notify.desktop_session(os.environ, sys.platform)
        say = lang(settings.language)
        checkins = f"{settings.output_folder}/Check-ins.md"
        note = notify.decide(enabled, items, day, notified, session, say, checkins)
        if note is None:
            return
        why = notify.send(note)
        notified = day  # tried once today, shown or not: never a notification per pass
        _save_notified(root, day)
        if why:
            log(why, logging.WARNING)
        else:
            log(f"notified: {note.message}")

    def one_pass(reason: str, changed: set[str] | None = None) -> None:
        nonlocal settings, passes, last_day, retry_at
        waiting = None
        while (busy := git_busy(root)) and not stop.is_set():
            if busy != waiting:
                log(f"waiting: {busy}")
                waiting = busy
            stop.wait(GIT_POLL_S)
        if stop.is_set():
            return
        if waiting:
            # git may have moved many notes: a full pass. The events that came meanwhile are
            # in it (the scan comes after); those that come during the pass stay pending.
            events.take()
            changed = None
        day = today or date.today()
        if not root.is_dir():
            log("the vault folder is missing; waiting for it to come back")
            return
        started = time.monotonic()
        try:
            result = run_pass(
                root,
                day,
                index,
                settings,
                changed=changed,
                wait=SETTLE_WAIT_S,
                should_stop=stop.is_set,
            )
        except (UserError, WriteRefused) as exc:
            log(f"pass skipped: {exc.message}", logging.ERROR)
            return
        except Exception:  # a bug: logged with its traceback, the daemon goes on
            log("pass failed:\n" + traceback.format_exc(), logging.ERROR)
            return
        settings = result.settings
        last_day = day
        retry_at = time.monotonic() + RETRY_S if result.retry else None
        if result.vault is None:
            return  # nothing changed since the last pass
        passes += 1
        for rel in result.written + result.appended:
            path = os.path.join(events.root, rel)
            try:
                st = os.stat(path)
            except OSError:
                continue
            own[path] = (st.st_mtime_ns, st.st_size)
        if reason in ("start", "rescan"):
            index.save()  # not on every pass: the cache only saves time at the next start
        for message in result.messages:
            log(message, logging.WARNING)
        log(
            f"pass {passes} ({reason}): {result.contacts} contacts, "
            f"{result.parsed} notes parsed, {len(result.written)} written, "
            f"{len(result.appended)} logged, {(time.monotonic() - started) * 1000:.0f} ms"
        )
        notify_due(result.vault, day)

    if sys.stderr.isatty():
        with _progress_bar(index):
            one_pass("start")
    else:
        one_pass("start")
    if index.analysis is None and not stop.is_set():
        # The start found nothing to do: still read the vault now, so that the first saved
        # note costs an incremental pass, not a cold one.
        from entraide.engine import warm_up

        warm_up(root, today or date.today(), index, settings)
    observer = PollingObserver(timeout=1) if polling else Observer()
    watch_handle = observer.schedule(_handler(events), events.root, recursive=True)
    _watch_calendars(observer, events, root, settings)
    watched = _identity(events.root)
    observer.start()
    log(
        f"watching {root}"
        + (" (polling)" if polling else "")
        + (" (parse workers are spawned)" if start_method() == "spawn" else "")
    )
    try:
        next_rescan = time.monotonic() + _rescan_s(settings)
        while not stop.is_set():
            timeout = min(next_rescan - time.monotonic(), ROOT_CHECK_S)
            if retry_at is not None:
                timeout = min(timeout, retry_at - time.monotonic())
            events.wake.wait(max(timeout, 0.05))
            if stop.is_set():
                break
            now_root = _identity(events.root)
            if now_root != watched:
                # The vault folder vanished (an unmount, a re-clone) or came back as a new
                # folder: never trust an empty scan; watch the new folder once it is there.
                if now_root is None:
                    if watched is not None:
                        log("the vault folder is gone; waiting for it to come back")
                    watched = None
                    continue
                with contextlib.suppress(KeyError, ValueError):
                    observer.unschedule(watch_handle)
                watch_handle = observer.schedule(_handler(events), events.root, recursive=True)
                watched = now_root
                one_pass("vault folder back", None)
                continue
            quiet = (debounce_ms if debounce_ms is not None else _debounce(settings)) / 1000
            if events.first is not None:
                # Quiet-period debounce, capped: a burst is one pass.
                while not stop.is_set():
                    now = time.monotonic()
                    first = events.first if events.first is not None else now
                    wait = min(events.last + quiet - now, first + MAX_DELAY_S - now)
                    if wait <= 0:
                        break
                    events.wake.clear()
                    events.wake.wait(wait)
                if stop.is_set():
                    break
                changed = events.take()
                if changed:
                    count = len(changed)
                    one_pass(f"{count} change{'s' if count != 1 else ''}", changed)
                continue
            events.wake.clear()
            now_day = today or date.today()
            if last_day is not None and now_day != last_day:
                one_pass("new day")
            elif retry_at is not None and time.monotonic() >= retry_at:
                one_pass("retry", set())
            elif time.monotonic() >= next_rescan:
                one_pass("rescan")
                next_rescan = time.monotonic() + _rescan_s(settings)
    finally:
        observer.stop()
        observer.join(timeout=5)
        index.save()
        lock.release()
    log("stopped")
    return 0


def _notified_file(root: Path) -> Path:
    """Where the day of the vault's last desktop notification is kept (outside the vault:
    two machines syncing it each notify their own desktop)."""
    import hashlib

    import platformdirs

    key = hashlib.sha256(os.path.realpath(root).encode("utf-8", "surrogateescape")).hexdigest()
    return Path(platformdirs.user_state_dir("entraide")) / f"notified-{key[:24]}"


def _last_notified(root: Path) -> date | None:
    try:
        return date.fromisoformat(_notified_file(root).read_text("ascii").strip())
    except (OSError, ValueError):
        return None


def _save_notified(root: Path, day: date) -> None:
    path = _notified_file(root)
    with contextlib.suppress(OSError):  # at worst, a second notification after a restart
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(day.isoformat() + "\n", "ascii")


@contextlib.contextmanager
def _progress_bar(index: Index) -> Iterator[None]:
    """A rich progress bar while the first pass parses notes (on a terminal only)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("indexing the vault", total=None)
        index.progress = lambda done, total: bar.update(task, completed=done, total=total)
        try:
            yield
        finally:
            index.progress = None


def _watch_calendars(observer: Any, events: _Events, root: Path, settings: Settings | None) -> None:
    """Follow the calendars the passes import from, outside the vault too: a changed calendar
    is a change (one more pass). Read at start: a `calendars` setting changed later is
    followed after a restart (until then, through the periodic rescan)."""
    places = []
    for place in settings.calendars if settings else ():
        path = Path(place).expanduser()
        path = path if path.is_absolute() else root / path
        places.append(os.path.realpath(path))
    events.calendars = tuple(places)
    for place in places:
        watched = place if os.path.isdir(place) else os.path.dirname(place)
        if watched == events.root or watched.startswith(events.root + os.sep):
            continue  # (the vault is watched already)
        try:
            observer.schedule(_handler(events), watched, recursive=os.path.isdir(place))
        except OSError as exc:
            log(f"cannot follow the calendar '{place}': {exc.strerror or exc}", logging.WARNING)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _debounce(settings: Settings | None) -> int:
    return settings.debounce_ms if settings else 300


def _rescan_s(settings: Settings | None) -> float:
    return (settings.rescan_minutes if settings else 10) * 60


def _handler(events: _Events) -> Any:
    from watchdog.events import FileSystemEventHandler

    class Handler(FileSystemEventHandler):
        def dispatch(self, event: Any) -> None:
            events.dispatch(event)

    return Handler()

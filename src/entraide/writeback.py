"""Writing into the vault: generated notes and log appends, all through vault_io's one door.

Every write happens under the vault's writer lock (one entraide writer at a time: the
daemon, `log`, `run` and imports), and through `replace_file`'s compare-and-swap, which
never replaces a note that changed under us or within the last moments.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from entraide.gitstate import git_busy
from entraide.model import Problem
from entraide.render import append, managed
from entraide.vault_io import (
    SETTLE_WAIT_S,
    Moved,
    Unsettled,
    WriteRefused,
    read_state,
    replace_file,
)

MAX_TRIES = 5
_POLL_S = 0.05

# Roots whose writer lock this process holds (a pass holds it while it appends and writes).
_HELD: set[str] = set()


@contextlib.contextmanager
def writing(root: Path, should_stop: Callable[[], bool] | None = None) -> Iterator[None]:
    """Hold the vault's writer lock (re-entrant within this process)."""
    key = os.path.realpath(root)
    if key in _HELD:
        yield
        return
    from entraide.locks import writer_lock

    with writer_lock(root, should_stop=should_stop):
        _HELD.add(key)
        store = _writes_file(root)
        _load_writes(store)
        try:
            yield
        finally:
            _HELD.discard(key)
            _save_writes(store)


def _writes_file(root: Path) -> Path:
    """Where the last writes to this vault are remembered between processes (the cache
    folder): a note just written by entraide, untouched since, needs no settling."""
    from entraide.index import cache_file

    return cache_file(root).with_suffix(".written")


def _load_writes(store: Path) -> None:
    import json

    from entraide.vault_io import read_file, remember_writes

    try:
        entries = json.loads(read_file(str(store)))
    except (OSError, ValueError):
        return
    if isinstance(entries, list):
        remember_writes([e for e in entries if isinstance(e, list)])


def _save_writes(store: Path) -> None:
    """Best effort (only a wait is at stake), atomic (a temp file renamed)."""
    import json

    from entraide.vault_io import own_writes

    tmp = store.with_suffix(f".{os.getpid()}.tmp")
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(own_writes()), "utf-8")
        os.replace(tmp, store)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


@dataclass(frozen=True, slots=True)
class Generated:
    """A generated note: entraide's frontmatter keys, the managed content, text for a new note.

    `keep`, if set, adjusts the content to the note as it is just before it is replaced
    (the check-in list keeps the ticks the user made in the meantime)."""

    frontmatter: Mapping[str, str]
    content: str
    tail: str = ""
    keep: Callable[[str | None, str], str] | None = field(default=None, compare=False)


@dataclass(slots=True)
class WriteResult:
    written: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)  # being edited: written at a later pass


def write_generated(
    root: Path,
    outputs: Mapping[str, Generated],
    rebuild: bool = False,
    settle_wait: float = SETTLE_WAIT_S,
) -> WriteResult:
    """Write each generated note whose bytes change; leave the user's notes alone.

    A note being edited (changed within the last moments) is waited for up to `settle_wait`
    seconds, then left for a later pass (`deferred`). Raises WriteRefused, after writing the
    others, when a note may not be written (read-only, behind a symbolic link…)."""
    result = WriteResult()
    refused: list[WriteRefused] = []
    with writing(root):
        for rel in sorted(outputs):
            try:
                if not _write_one(root, rel, outputs[rel], rebuild, settle_wait, result):
                    result.deferred.append(rel)
            except WriteRefused as exc:
                if not exc.note_only:
                    raise  # (a full disk, a folder in the way: the next notes would fail too)
                refused.append(exc)
    if refused:
        raise refused[0]
    return result


def _write_one(
    root: Path,
    rel: str,
    out: Generated,
    rebuild: bool,
    settle_wait: float,
    result: WriteResult,
) -> bool:
    """Write one generated note (or leave it, when it needs nothing or is the user's);
    False when it kept changing and is left for a later pass."""
    deadline = time.monotonic() + settle_wait
    tries = 0
    while tries < MAX_TRIES:
        state = read_state(root, rel)
        old = state.data if state else None
        text = old.decode("utf-8", errors="surrogateescape") if old is not None else None
        content = out.content if out.keep is None else out.keep(text, out.content)
        if text is None:
            new_text = managed.render_new(out.frontmatter, content, out.tail)
        else:
            if (
                not rebuild
                and managed.frontmatter_value(text, "status") == "final"
                and out.frontmatter.get("status") == "final"
            ):
                return True  # final, and its period has ended as of today (DESIGN 5.2)
            try:
                new_text = managed.merge(text, out.frontmatter, content)
            except managed.NotManaged:
                result.problems.append(
                    Problem(
                        rel,
                        None,
                        "output-not-managed",
                        "this note has no entraide markers (%% entraide:begin %% … "
                        "%% entraide:end %%), so it is yours and entraide does not "
                        "overwrite it: rename or delete it to let entraide write here",
                    )
                )
                return True
        data = new_text.encode("utf-8", errors="surrogateescape")
        if data == old:
            return True
        try:
            replace_file(root, rel, data, state)
        except Unsettled:
            if time.monotonic() >= deadline:
                return False
            time.sleep(_POLL_S)
            continue
        except Moved:
            tries += 1
            continue
        result.written.append(rel)
        return True
    return False


class Appended(NamedTuple):
    """What became of an append: made, or why not; `later` when trying again later may
    succeed on its own (the note was being edited, git was busy, another writer held on)."""

    done: bool
    why: str | None = None
    later: bool = False


def append_line(
    root: Path,
    rel: str,
    line: str,
    conflicted: frozenset[str] = frozenset(),
    settle_wait: float = SETTLE_WAIT_S,
    known_size: int | None = None,
) -> Appended:
    """Append `line` to the contact note's `## Log`.

    Refused while git is busy or the note is in conflict; idempotent (a line already there is
    not added twice); compare-and-swap against a concurrent edit. A note that is being saved
    (changed within the last moments, or smaller than the `known_size` it had when the vault
    was read) is waited for up to `settle_wait` seconds, then left for later."""
    busy = git_busy(root)
    if busy:
        return Appended(False, f"{busy}; try again when it is over", later=True)
    if rel in conflicted:
        return Appended(
            False, f"'{rel}' has a sync conflict copy or conflict markers; resolve it first"
        )
    deadline = time.monotonic() + settle_wait
    tries = 0
    with writing(root):
        while tries < MAX_TRIES:
            try:
                state = read_state(root, rel)
            except WriteRefused as exc:
                return Appended(False, exc.message)
            if state is None:
                return Appended(False, f"'{rel}' no longer exists")
            raw = state.data
            if b"\n<<<<<<< " in b"\n" + raw and b"\n=======" in raw:
                return Appended(False, f"'{rel}' has git conflict markers; resolve them first")
            try:
                if append.has_line(raw, line):
                    return Appended(False)
                new = append.append_log(raw, line)
                if known_size is not None and len(raw) < known_size:
                    raise Unsettled(rel)  # cut short: a save in progress
                replace_file(root, rel, new, state)
            except append.NowhereToAppend:
                return Appended(
                    False,
                    f"'{rel}' ends inside a code block or comment that is never closed, "
                    "where a log line would not count; close it",
                )
            except Unsettled:
                if time.monotonic() >= deadline:
                    return Appended(False, f"'{rel}' kept changing: it is being edited", True)
                time.sleep(_POLL_S)
                continue
            except Moved:
                tries += 1
                continue
            except WriteRefused as exc:
                return Appended(False, exc.message)
            return Appended(True)
    return Appended(
        False, f"'{rel}' kept changing while entraide tried to append to it; try again", True
    )

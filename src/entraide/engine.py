"""One pass over a vault: read, take ticks, analyse, render, write. Shared by `run` and `watch`."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from entraide.errors import UserError
from entraide.index import Index, Snapshot, fingerprint, load_settings, read_vault, snapshot
from entraide.model import Contact, Problem, Vault
from entraide.parse.values import fold, nfc
from entraide.settings import Settings
from entraide.ticks import Tick, gestures, read_ticks, resolve
from entraide.vault_io import (
    SETTLE_WAIT_S,
    WriteRefused,
    read_state,
    remove_stale_temps,
    temps_in,
)
from entraide.writeback import Generated, append_line, write_generated, writing

if TYPE_CHECKING:
    from entraide.analytics.report import Analysis


@dataclass(slots=True)
class PassResult:
    vault: Vault | None  # None: nothing changed since the last pass, which was skipped
    settings: Settings
    contacts: int = 0
    problem_count: int = 0
    written: list[str] = field(default_factory=list)
    appended: list[str] = field(default_factory=list)
    ticks_done: list[str] = field(default_factory=list)  # ticked lines now logged
    ticks_seen: list[str] = field(default_factory=list)  # ticked lines this pass read
    ticks_new: list[str] = field(default_factory=list)  # contacts whose tick was just logged
    problems: list[Problem] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    parsed: int = 0
    retry: bool = False  # something was left for later (a note being edited): pass again soon
    pending: bool = False  # a tick is still to be logged: the next pass may not be skipped


def may_write(settings: Settings) -> bool:
    """`write_on_hosts` limits writing to named machines (empty: every machine)."""
    if not settings.write_on_hosts:
        return True
    import socket

    return socket.gethostname() in settings.write_on_hosts


def run_pass(
    root: Path,
    today: date,
    index: Index,
    settings: Settings | None = None,
    rebuild_reviews: bool = False,
    changed: set[str] | None = None,
    wait: float = SETTLE_WAIT_S,
    should_stop: Callable[[], bool] | None = None,
) -> PassResult:
    """A full pass (see `_run_pass`), with the cyclic garbage collector paused: a pass makes
    hundreds of thousands of small acyclic objects, and collections in the middle of it cost
    more than the pass itself; reference counting frees them all the same."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_pass(root, today, index, settings, rebuild_reviews, changed, wait, should_stop)
    finally:
        if enabled:
            gc.enable()


def _run_pass(
    root: Path,
    today: date,
    index: Index,
    settings: Settings | None,
    rebuild_reviews: bool,
    changed: set[str] | None,
    wait: float,
    should_stop: Callable[[], bool] | None,
) -> PassResult:
    """A full pass. `wait`: how long to wait for a note being edited before leaving it for
    a later pass (`retry`). `settings`: the last good ones, used when the settings note is invalid
    (the daemon goes on); without them, invalid settings raise UserError (the CLI stops).

    Outputs are a pure function of the inputs, so when no input, no output and not today has
    changed since the last pass (same key), the pass is skipped: a restart costs a stat per
    note."""
    loaded = load_settings(root)
    if loaded.fatal:
        if settings is None:
            first = loaded.problems[0]
            line = f", line {first.line}" if first.line else ""
            raise UserError(
                f"the settings are invalid ({first.path}{line}): {first.message}",
                loaded.problems,
            )
    else:
        settings = loaded.settings
    writable = may_write(settings)
    previous = index.snapshot if settings == index.settings else None
    snap = snapshot(root, settings, previous, changed)
    index.snapshot, index.settings = snap, settings
    if writable and snap.found.temps:  # what killed writers left, even when nothing changed
        remove_stale_temps(root, snap.found.temps)
    key = _pass_key(root, settings, loaded.problems, snap, today, writable)
    last = index.last_pass()
    if not rebuild_reviews and len(last) == 3 and last[0] == key:
        return PassResult(None, settings, contacts=int(last[1]), problem_count=int(last[2]))
    from entraide.render.outputs import CHECKINS, render_outputs  # not needed for a skip

    # The inodes of the notes as the last pass knew them, before this one reads the vault:
    # a tick for a note renamed since leads to it by its inode.
    messages: list[str] = []
    found = _read_ticks(root, settings, today, messages) if writable else []
    before = index.inodes() if found else {}
    vault = read_vault(root, settings, loaded.problems, index, snap)
    result = PassResult(vault, settings, parsed=index.parsed_last, messages=messages)
    result.messages.extend(unreadable_messages(index))
    with writing(root, should_stop) if writable else contextlib.nullcontext():
        if writable:  # what killed writers left in the output folders (never scanned)
            out = settings.output_folder
            remove_stale_temps(root, [*temps_in(root, out), *temps_in(root, f"{out}/Reviews")])
        if writable and settings.calendars:  # meeting notes from the calendars (DESIGN §10)
            from entraide.capture.ics import import_from_settings

            if import_from_settings(root, settings, vault.contacts, today, result.messages):
                snap = index.snapshot = snapshot(root, settings)
                vault = result.vault = read_vault(root, settings, loaded.problems, index, snap)
        vault = _log_ticks(
            root, index, settings, loaded.problems, vault, result, wait, found, before
        )
        from entraide.analytics.report import Analysis

        existing = _existing_reviews(root, settings, rebuild_reviews)
        analysis = Analysis(vault, settings, previous=index.analysis, notes=_note_paths(index))
        index.analysis = analysis
        outputs = render_outputs(vault, settings, today, existing, analysis=analysis)
        unmanaged = _unmanaged(root, outputs)
        if unmanaged:
            outputs = render_outputs(vault, settings, today, existing, unmanaged, analysis)
        result.contacts = len(vault.contacts)
        result.problem_count = len(vault.problems) + len(unmanaged)
        if writable:
            checkins = f"{settings.output_folder}/{CHECKINS}"
            keep = functools.partial(_keep, analysis=analysis, today=today, result=result)
            outputs[checkins] = dataclasses.replace(outputs[checkins], keep=keep)
            written = write_generated(root, outputs, rebuild_reviews, wait)
            result.written = written.written
            result.problems = written.problems
            if written.deferred:
                result.retry = True
                result.messages.extend(
                    f"{rel} is being edited: it will be written at the next pass"
                    for rel in written.deferred
                )
    # A pass that left something for later is not recorded: the next one must not be skipped.
    key = _pass_key(root, settings, loaded.problems, index.snapshot or snap, today, writable)
    later = result.retry or result.pending
    index.record_pass(["left for later" if later else key, *_counts(result)])
    return result


def _counts(result: PassResult) -> list[str]:
    return [str(result.contacts), str(result.problem_count)]


def _read_ticks(root: Path, settings: Settings, today: date, messages: list[str]) -> list[Tick]:
    """The ticks of the check-in list, read once a pass (before the vault: a tick for a note
    renamed since needs the inodes the last pass knew)."""
    from entraide.render.outputs import CHECKINS

    try:
        state = read_state(root, f"{settings.output_folder}/{CHECKINS}")
    except WriteRefused as exc:
        messages.append(f"the check-in list cannot be read: {exc.message}")
        return []
    return [] if state is None else read_ticks(state.data.decode("utf-8", "replace"), today)


def _log_ticks(
    root: Path,
    index: Index,
    settings: Settings,
    problems: tuple[Problem, ...],
    vault: Vault,
    result: PassResult,
    wait: float,
    found: list[Tick],
    before: Mapping[str, int],
) -> Vault:
    """Log each tick of the check-in list into its contact's note; the vault as it is then.
    A tick that cannot be logged now stays (see `ticks.keep_pending`)."""
    result.ticks_seen.extend(t.line for t in found)
    if not found:
        return vault
    sizes = {n.path: n.size for n in index.snapshot.found.notes} if index.snapshot else {}
    for tick in found:
        contact, why = resolve(tick.target, vault.contacts)
        if contact is None:
            contact = _renamed(tick.target, before, index, vault)
        if contact is None:
            result.messages.append(f"not logged: {why}")
            result.pending = True
            continue
        line = f"- {tick.day.isoformat()} check-in"
        done = append_line(
            root, contact.path, line, vault.conflicted, wait, sizes.get(contact.path)
        )
        if done.done:
            result.appended.append(contact.path)
            result.ticks_new.append(contact.path)
        if done.done or done.why is None:
            result.ticks_done.append(tick.line)
        else:
            result.messages.append(f"not logged for {contact.name}: {done.why}")
            result.retry = result.retry or done.later
            result.pending = True
    if not result.appended:
        return vault
    snap = snapshot(root, settings)
    index.snapshot = snap
    vault = read_vault(root, settings, problems, index, snap)
    result.vault = vault
    return vault


def _renamed(target: str, before: Mapping[str, int], index: Index, vault: Vault) -> Contact | None:
    """The contact whose note was at `target` (a name or a path) when the vault was last read,
    renamed since (outside Obsidian, which would have updated the link): found by its inode."""
    if not before or index.snapshot is None:
        return None
    wanted = fold(nfc(target.removesuffix(".md")))
    inodes = {
        inode
        for path, inode in before.items()
        if fold(path[:-3]) == wanted or fold(path[:-3].rpartition("/")[2]) == wanted
    }
    if len(inodes) != 1:
        return None
    now = {n.path for n in index.snapshot.found.notes if n.inode in inodes}
    found = [c for c in vault.contacts if c.path in now]
    return found[0] if len(found) == 1 else None


def _keep(
    current: str | None, content: str, analysis: Analysis, today: date, result: PassResult
) -> str:
    """The check-in list written anew from the note as it is just before it is replaced:
    the user's gestures in it read back (ticks, cancels, postpones, priorities; DESIGN 5.1).
    A tick not logged yet stays ticked and calls for another pass; one made while this pass
    ran (it did not read it) calls for one soon: the daemon takes the list's change for its
    own write."""
    from entraide.render import checkins

    if current is None:
        return content
    done = frozenset(result.ticks_done)
    found = gestures(current, analysis.vault.contacts, today, done)
    kept = checkins.render(analysis, today, found, frozenset(result.ticks_new))
    ticked = read_ticks(current, date.max)
    if any(t.line not in done for t in ticked):
        result.pending = True
        seen = set(result.ticks_seen)
        if any(t.line not in seen for t in ticked):
            result.retry = True
    return kept


def _note_paths(index: Index) -> list[str] | None:
    """Every note a link may lead to (DESIGN §3's candidates), or None when unknown."""
    snap = index.snapshot
    if snap is None:
        return None
    return [n.path for n in snap.found.notes] + [n.path for n in snap.found.too_large]


def unreadable_messages(index: Index) -> list[str]:
    """One line per note that cannot be read: it is left out (the problem codes of the status
    are DESIGN's, and none says this, so it is told on stderr and in the daemon's log)."""
    return [
        f"cannot read {path} ({why}): it is left out until it can be read"
        for path, why in sorted(index.unreadable.items())
    ]


def warm_up(root: Path, today: date, index: Index, settings: Settings | None) -> None:
    """Read the vault and work out its outputs into `index` without writing anything, so
    that the first saved note costs an incremental pass."""
    if settings is None:
        return
    snap = snapshot(root, settings)
    index.snapshot, index.settings = snap, settings
    from entraide.analytics.report import Analysis
    from entraide.render.outputs import render_outputs

    vault = read_vault(root, settings, load_settings(root).problems, index, snap)
    index.analysis = Analysis(vault, settings, notes=_note_paths(index))
    render_outputs(
        vault, settings, today, _existing_reviews(root, settings, False), analysis=index.analysis
    )


def _pass_key(
    root: Path,
    settings: Settings,
    problems: tuple[Problem, ...],
    snap: Snapshot,
    today: date,
    writable: bool,
) -> str:
    """Everything a pass's outputs depend on: version, today, settings, inputs, outputs."""
    import hashlib

    from entraide import __version__

    h = hashlib.blake2b(digest_size=20)
    h.update(repr((__version__, today, settings, problems, writable)).encode())
    h.update(fingerprint(snap).encode())
    if settings.calendars:  # a calendar that changed is a new input
        from entraide.capture.ics import calendars_stamp

        h.update(calendars_stamp(root, settings.calendars).encode())
    out = root / settings.output_folder
    for folder in (out, out / "Reviews"):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            h.update(
                f"{entry.path}\0{st.st_mtime_ns}\0{st.st_size}\0{st.st_ino}\n".encode(
                    "utf-8", "surrogateescape"
                )
            )
    return h.hexdigest()


def _unmanaged(root: Path, outputs: Mapping[str, Generated]) -> list[Problem]:
    """Generated notes that exist without markers: the user's, reported, never overwritten."""
    from entraide.render.managed import region

    found = []
    for rel in sorted(outputs):
        try:
            state = read_state(root, rel)
        except WriteRefused:
            continue  # (said when it is written)
        if state is not None and region(state.data.decode("utf-8", "replace")) is None:
            found.append(
                Problem(
                    rel,
                    None,
                    "output-not-managed",
                    "this note has no entraide markers (%% entraide:begin %% … "
                    "%% entraide:end %%), so it is yours and entraide does not overwrite it: "
                    "rename or delete it to let entraide write here",
                )
            )
    return found


def _existing_reviews(root: Path, settings: Settings, rebuild: bool) -> dict[str, bool]:
    """Each review note's label and whether it is final (all count as not final to rebuild)."""
    from entraide.render.managed import frontmatter_value

    folder = f"{settings.output_folder}/Reviews"
    found: dict[str, bool] = {}
    try:
        names = sorted(p.name for p in (root / folder).iterdir() if p.name.endswith(".md"))
    except OSError:
        return found
    for name in names:
        try:
            state = read_state(root, f"{folder}/{name}")
        except WriteRefused:
            state = None
        text = state.data.decode("utf-8", "replace") if state else ""
        found[name[:-3]] = not rebuild and frontmatter_value(text, "status") == "final"
    return found

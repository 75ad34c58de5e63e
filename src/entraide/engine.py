"""One pass over a vault: read, take ticks, analyse, render, write. Shared by `run` and `watch`."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from entraide.errors import UserError
from entraide.index import Index, Snapshot, fingerprint, load_settings, read_vault, snapshot
from entraide.model import Problem, Vault
from entraide.parse.values import fold
from entraide.settings import Settings
from entraide.vault_io import WriteRefused, read_state, refuse_links, remove_stale_temps
from entraide.writeback import Generated, append_line, write_generated

_TICK = re.compile(r"^\s*[-*+] \[([xX])\] (.*)$")
_LINK = re.compile(r"\[\[([^\]|#]+)(?:[|#][^\]]*)?\]\]|\]\(([^)\s]+)\.md\)")
_DONE = re.compile(r"✅ (\d{4}-\d{2}-\d{2})")


@dataclass(slots=True)
class PassResult:
    vault: Vault | None  # None: nothing changed since the last pass, which was skipped
    settings: Settings
    contacts: int = 0
    problem_count: int = 0
    written: list[str] = field(default_factory=list)
    appended: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    parsed: int = 0


def may_write(settings: Settings) -> bool:
    """`write_on_hosts` limits writing to named machines (empty: every machine)."""
    if not settings.write_on_hosts:
        return True
    import socket

    return socket.gethostname() in settings.write_on_hosts


def ticks(text: str, today: date) -> list[tuple[str, date]]:
    """(contact name, date) of each ticked line of the check-in list's managed region."""
    from entraide.render.managed import managed_content

    content = managed_content(text) or ""
    found = []
    for line in content.splitlines():
        m = _TICK.match(line)
        if not m:
            continue
        link = _LINK.search(m.group(2))
        if not link:
            continue
        target = link.group(1) or unquote(link.group(2))
        done = _DONE.search(m.group(2))
        day = today
        if done:
            try:
                day = date.fromisoformat(done.group(1))
            except ValueError:
                day = today
        found.append((target.strip(), min(day, today)))
    return found


def run_pass(
    root: Path,
    today: date,
    index: Index,
    settings: Settings | None = None,
    rebuild_reviews: bool = False,
    changed: set[str] | None = None,
) -> PassResult:
    """A full pass (see `_run_pass`), with the cyclic garbage collector paused: a pass makes
    hundreds of thousands of small acyclic objects, and collections in the middle of it cost
    more than the pass itself; reference counting frees them all the same."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_pass(root, today, index, settings, rebuild_reviews, changed)
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
) -> PassResult:
    """A full pass. `settings`: the last good ones, used when the settings note is invalid
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
    key = _pass_key(root, settings, loaded.problems, snap, today, writable)
    last = index.last_pass()
    if not rebuild_reviews and len(last) == 3 and last[0] == key:
        return PassResult(None, settings, contacts=int(last[1]), problem_count=int(last[2]))
    from entraide.render.outputs import CHECKINS, render_outputs  # not needed for a skip

    vault = read_vault(root, settings, loaded.problems, index, snap)
    result = PassResult(vault, settings, parsed=index.parsed_last)
    result.messages.extend(unreadable_messages(index))
    checkins = f"{settings.output_folder}/{CHECKINS}"
    try:
        refuse_links(root, checkins)  # a tick behind a link out of the vault is no instruction
        state = read_state(str(root / checkins))
    except WriteRefused:
        state = None
    ticked = ticks(state[0].decode("utf-8", "replace"), today) if state is not None else []
    if writable and ticked:
        by_name = {fold(c.name): c for c in vault.contacts}
        by_path = {c.path[:-3]: c for c in vault.contacts}
        for name, day in ticked:
            contact = by_path.get(name) or by_name.get(fold(name))
            if contact is None:
                continue
            done, why = append_line(
                root, contact.path, f"- {day.isoformat()} check-in", vault.conflicted
            )
            if done:
                result.appended.append(contact.path)
            elif why:
                result.messages.append(f"not logged for {contact.name}: {why}")
        if result.appended:
            snap = snapshot(root, settings)
            index.snapshot = snap
            vault = read_vault(root, settings, loaded.problems, index, snap)
            result.vault = vault
    if writable:
        for folder in (root / settings.output_folder, root / settings.output_folder / "Reviews"):
            remove_stale_temps(str(folder))
    from entraide.analytics.report import Analysis

    existing = _existing_reviews(root, settings, rebuild_reviews)
    analysis = Analysis(vault, settings, previous=index.analysis)
    index.analysis = analysis
    outputs = render_outputs(vault, settings, today, existing, analysis=analysis)
    unmanaged = _unmanaged(root, outputs)
    if unmanaged:
        outputs = render_outputs(vault, settings, today, existing, unmanaged, analysis)
    result.contacts = len(vault.contacts)
    result.problem_count = len(vault.problems) + len(unmanaged)
    if writable:
        written = write_generated(root, outputs, rebuild=rebuild_reviews)
        result.written = written.written
        result.problems = written.problems
    index.record_pass(
        [
            _pass_key(root, settings, loaded.problems, snap, today, writable),
            str(result.contacts),
            str(result.problem_count),
        ]
    )
    return result


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
    index.analysis = Analysis(vault, settings)
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
        state = read_state(str(root / rel))
        if state is not None and region(state[0].decode("utf-8", "replace")) is None:
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

    folder = root / settings.output_folder / "Reviews"
    found: dict[str, bool] = {}
    try:
        names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".md"))
    except OSError:
        return found
    for name in names:
        state = read_state(str(folder / name))
        text = state[0].decode("utf-8", "replace") if state else ""
        found[name[:-3]] = not rebuild and frontmatter_value(text, "status") == "final"
    return found

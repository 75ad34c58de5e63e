"""Writing into the vault: generated notes and log appends, all through vault_io's one door."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from entraide.model import Problem
from entraide.render import append, managed
from entraide.vault_io import (
    Moved,
    WriteRefused,
    git_busy,
    read_state,
    refuse_links,
    replace_file,
)

MAX_TRIES = 5


@dataclass(frozen=True, slots=True)
class Generated:
    """A generated note: entraide's frontmatter keys, the managed content, text for a new note."""

    frontmatter: Mapping[str, str]
    content: str
    tail: str = ""


@dataclass(slots=True)
class WriteResult:
    written: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def write_generated(
    root: Path, outputs: Mapping[str, Generated], rebuild: bool = False
) -> WriteResult:
    """Write each generated note whose bytes change; leave the user's notes alone.

    Raises WriteRefused when a note cannot be written, or would be written through a symbolic
    link (an output folder linked out of the vault)."""
    result = WriteResult()
    for rel in sorted(outputs):
        out = outputs[rel]
        path = os.path.join(root, rel)
        refuse_links(root, rel)
        for _ in range(MAX_TRIES):
            state = read_state(path)
            old = state[0] if state else None
            if old is None:
                new_text = managed.render_new(out.frontmatter, out.content, out.tail)
            else:
                text = old.decode("utf-8", errors="surrogateescape")
                if not rebuild and managed.frontmatter_value(text, "status") == "final":
                    break
                try:
                    new_text = managed.merge(text, out.frontmatter, out.content)
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
                    break
            data = new_text.encode("utf-8", errors="surrogateescape")
            if data == old:
                break
            try:
                replace_file(path, data, old, state[1].st_mode if state else None)
            except Moved:
                continue
            result.written.append(rel)
            break
    return result


def append_line(
    root: Path, rel: str, line: str, conflicted: frozenset[str] = frozenset()
) -> tuple[bool, str | None]:
    """Append `line` to the contact note's `## Log`: (appended, reason it was not).

    Refused while git is busy or the note is in conflict; idempotent (a line already there is
    not added twice); compare-and-swap against a concurrent edit.
    """
    busy = git_busy(root)
    if busy:
        return False, f"{busy}; try again when it is over"
    if rel in conflicted:
        return False, f"'{rel}' has a sync conflict copy or conflict markers; resolve it first"
    path = os.path.join(root, rel)
    for _ in range(MAX_TRIES):
        try:
            refuse_links(root, rel)  # the note or its folder became a link since the scan
            state = read_state(path)
        except WriteRefused as exc:
            return False, exc.message
        if state is None:
            return False, f"'{rel}' no longer exists"
        raw, st = state
        if b"\n<<<<<<< " in b"\n" + raw and b"\n=======" in raw:
            return False, f"'{rel}' has git conflict markers; resolve them first"
        if append.has_line(raw, line):
            return False, None
        try:
            replace_file(path, append.append_log(raw, line), raw, st.st_mode)
        except Moved:
            continue
        except WriteRefused as exc:
            return False, exc.message
        return True, None
    return False, f"'{rel}' kept changing while entraide tried to append to it; try again"

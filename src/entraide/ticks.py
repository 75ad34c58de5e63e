"""Ticks in the check-in list: read back, resolved to the contact's note, kept until logged.

A tick is the user's instruction ("I reached out"): it is state, not decoration. It is
consumed only once its check-in line is in the contact's note; until then it stays ticked in
the list, through every rewrite of the list, and the first pass that can log it does.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date
from typing import NamedTuple
from urllib.parse import unquote

from entraide.model import Contact
from entraide.parse.values import fold, nfc
from entraide.render.managed import managed_content, region

_TICK = re.compile(r"^\s*[-*+] \[([xX])\] (.*)$")
_TASK = re.compile(r"^\s*[-*+] \[.\] ")
_LINK = re.compile(r"\[\[([^\]|#]+)(?:[|#][^\]]*)?\]\]|\]\(([^)\s]+?)(?:\.md)?\)")
_DONE = re.compile(r"✅ (\d{4}-\d{2}-\d{2})")


class Tick(NamedTuple):
    target: str  # the link's target as written: a name, or a vault path without `.md`
    day: date  # its `✅ date`, else today (never after today)
    line: str  # the ticked line as written (without its line ending)


def read_ticks(text: str, today: date) -> list[Tick]:
    """Each ticked line of the check-in list's managed region that links a note."""
    found = []
    for line in (managed_content(text) or "").splitlines():
        m = _TICK.match(line)
        if not m:
            continue
        link = _LINK.search(m.group(2))
        if not link:
            continue
        target = link.group(1) if link.group(1) is not None else unquote(link.group(2))
        day = today
        done = _DONE.search(m.group(2))
        if done:
            try:
                day = min(date.fromisoformat(done.group(1)), today)
            except ValueError:
                day = today
        found.append(Tick(target.strip(), day, line.rstrip("\r")))
    return found


def resolve(target: str, contacts: Sequence[Contact]) -> tuple[Contact | None, str | None]:
    """The contact a tick's link points to, or None and why. A path points to that note only
    (any Unicode form); a bare name to the one contact of that name, never to one of two."""
    wanted = fold(nfc(target.removesuffix(".md")))
    if "/" in wanted:
        exact = [c for c in contacts if fold(c.path[:-3]) == wanted]
        if not exact:
            exact = [c for c in contacts if fold(c.path[:-3]).endswith("/" + wanted)]
        if len(exact) == 1:
            return exact[0], None
        if exact:
            return None, f"'{target}' matches several contacts: tick the line with a full path"
        return None, f"no contact note is at '{target}' (renamed or deleted?)"
    named = [c for c in contacts if fold(c.name) == wanted]
    if len(named) == 1:
        return named[0], None
    if named:
        paths = ", ".join(c.path for c in named)
        return None, (
            f"several contacts are named '{target}' ({paths}): tick the line that names "
            "the note by its path"
        )
    return None, f"no contact is named '{target}' (renamed or deleted?)"


def keep_pending(current: str | None, content: str, done: Collection[str]) -> str:
    """The new check-in list `content`, with every ticked line of the `current` note that
    was not logged (`done` holds the lines that were) kept ticked: in place of the new line
    for the same note, else at the top of the list. A tick made while the pass ran, or one
    that cannot be logged yet, is never erased."""
    if current is None or region(current) is None:
        return content
    pending = [t for t in read_ticks(current, date.max) if t.line not in done]
    if not pending:
        return content
    lines = content.split("\n")
    extra: list[str] = []
    for tick in pending:
        key = fold(nfc(tick.target))
        for i, line in enumerate(lines):
            if _TASK.match(line) and not _TICK.match(line) and _key(line) == key:
                lines[i] = tick.line
                break
        else:
            extra.append(tick.line)
    if extra:
        tasks = [i for i, line in enumerate(lines) if _TASK.match(line)]
        if tasks:
            at = tasks[0]
        else:  # under the heading and its blank line
            at = next((i + 1 for i, line in enumerate(lines) if not line.strip() and i), 0)
        lines[at:at] = extra
    return "\n".join(lines)


def _key(line: str) -> str | None:
    link = _LINK.search(line)
    if not link:
        return None
    target = link.group(1) if link.group(1) is not None else unquote(link.group(2))
    return fold(nfc(target.strip()))

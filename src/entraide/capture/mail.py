"""`email` log lines from a mailbox's headers: DESIGN §10.

Only the header block of each message is read (From, To, Cc, Date, and List-Id to tell a
mailing list); never a body. One `- YYYY-MM-DD email [source:: mail]` line per contact per
day they exchanged a message with the user, the day as the `Date` header writes it.
`exchanges` takes header bytes and returns values; `read_headers` and `import_mail` do I/O.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from entraide.capture import address, address_book
from entraide.model import Contact

MAX_HEADER_BYTES = 256 * 1024  # a header block larger than this is cut (what is past it is lost)
KINDS = ("email", "courriel")  # a day logged with one of these is not logged again


class _Lines(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


class Headers(NamedTuple):
    """What entraide reads of one message."""

    day: date | None  # None: no Date header, or one that is not a date
    sender: tuple[str, ...]  # From, as compared (see `capture.address`)
    recipients: tuple[str, ...]  # To and Cc
    mailing_list: bool


def line_for(day: date) -> str:
    return f"- {day.isoformat()} email [source:: mail]"


def parse_headers(raw: bytes) -> Headers:
    """A message's header block (bytes up to the first empty line) as values."""
    from email import policy
    from email.parser import BytesHeaderParser

    message = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    return Headers(
        day=_day(message),
        sender=_addresses(message, ("From",)),
        recipients=_addresses(message, ("To", "Cc")),
        mailing_list=any(message.get(k) is not None for k in ("List-Id", "List-Post")),
    )


def _day(message: Any) -> date | None:
    """The calendar date the Date header writes (its own offset kept: no conversion)."""
    from email.utils import parsedate_to_datetime

    try:
        value = message.get("Date")
        if value is None:
            return None
        written = getattr(value, "datetime", None)
        if written is None:
            written = parsedate_to_datetime(str(value))
        return written.date() if written is not None else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _addresses(message: Any, keys: Sequence[str]) -> tuple[str, ...]:
    from email.utils import getaddresses

    found: list[str] = []
    for key in keys:
        for value in message.get_all(key) or ():
            try:
                spec = [a.addr_spec for a in value.addresses]
            except (AttributeError, TypeError, ValueError, IndexError):
                spec = [a for _, a in getaddresses([str(value)])]
            found.extend(address(a) for a in spec if "@" in a)
    return tuple(dict.fromkeys(found))


def exchanges(
    headers: Iterable[Headers],
    contacts: Sequence[Contact],
    me: Iterable[str],
    today: date | None = None,
) -> tuple[dict[tuple[str, date], Contact], int]:
    """The (contact path, day) pairs of exchanges, and how many messages had no usable Date.

    With the user's addresses (`me`): a message the user sent counts for the contacts it
    went to, one sent to the user (To or Cc) for the contact who sent it. Without them, a
    message in the user's mailbox counts for every contact in From, To and Cc, except a
    mailing list's. A message dated after `today` is left out."""
    book = address_book(contacts)
    mine = frozenset(address(a) for a in me if address(a))
    found: dict[tuple[str, date], Contact] = {}
    undated = 0
    for message in headers:
        if message.day is None:
            undated += 1
            continue
        if today is not None and message.day > today:
            continue
        for where in _counterparts(message, mine):
            for contact in book.get(where, ()):
                found.setdefault((contact.path, message.day), contact)
    return found, undated


def _counterparts(message: Headers, mine: frozenset[str]) -> list[str]:
    if not mine:
        return [] if message.mailing_list else [*message.sender, *message.recipients]
    if any(a in mine for a in message.sender):
        return [a for a in message.recipients if a not in mine]
    if any(a in mine for a in message.recipients):
        return [a for a in message.sender if a not in mine]
    return []


# -- the files -------------------------------------------------------------------------------


def read_headers(place: Path) -> Iterator[bytes]:
    """Each message's header block in a Maildir (a folder with `cur` and `new`; its
    Maildir++ sub-folders too) or an mbox file. Raises OSError, ValueError for what is
    neither. Only regular files are opened (never a pipe, nor a link's target)."""
    import mailbox

    st = os.stat(place)
    if stat.S_ISDIR(st.st_mode):
        boxes = [place] if (place / "cur").is_dir() or (place / "new").is_dir() else []
        boxes += sorted(p for p in place.glob(".*") if (p / "cur").is_dir())  # Maildir++
        if not boxes:
            raise ValueError("it is a folder but not a Maildir (it has no 'cur' nor 'new')")
        for box in boxes:
            for sub in ("new", "cur"):
                try:
                    names = sorted(os.listdir(box / sub))
                except OSError:
                    continue
                for name in names:
                    if not name.startswith("."):
                        head = _file_head(box / sub / name)
                        if head is not None:
                            yield head
        return
    if not stat.S_ISREG(st.st_mode):
        raise ValueError("it is neither a Maildir folder nor an mbox file")
    mbox = mailbox.mbox(place, factory=None, create=False)
    try:
        for key in mbox.iterkeys():
            with mbox.get_file(key) as f:
                yield _header_block(f)
    finally:
        mbox.close()


def _file_head(path: Path) -> bytes | None:
    """The header block of a Maildir message, or None when it is not a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return None
        return _header_block(f)


def _header_block(f: _Lines) -> bytes:
    """The bytes up to the first empty line: the body is never read."""
    lines: list[bytes] = []
    size = 0
    while size < MAX_HEADER_BYTES:
        line = f.readline(MAX_HEADER_BYTES)
        if not line or line in (b"\n", b"\r\n"):
            break
        if not lines and line.startswith(b"From "):
            continue  # an mbox separator
        lines.append(line)
        size += len(line)
    return b"".join(lines)


@dataclass(slots=True)
class MailImport:
    """What an import did (or, dry, would do)."""

    appended: list[tuple[str, str]] = field(default_factory=list)  # (contact path, line)
    already: int = 0  # days already logged
    messages: int = 0
    undated: int = 0
    problems: list[str] = field(default_factory=list)
    later: bool = False  # something was left for later (git busy, a note being edited)


def import_mail(
    root: Path,
    contacts: Sequence[Contact],
    conflicted: frozenset[str],
    place: Path,
    me: Iterable[str],
    today: date,
    dry_run: bool = False,
) -> MailImport:
    """Log the days of exchange found in the mailbox at `place` into the contacts' notes
    (through `writeback.append_line`: idempotent, compare-and-swap, never while git is busy
    or into a note in conflict). Raises OSError, ValueError when the mailbox cannot be read."""
    from entraide.render.append import has_line
    from entraide.vault_io import read_file
    from entraide.writeback import append_line

    result = MailImport()
    headers: list[Headers] = []
    for raw in read_headers(place):
        result.messages += 1
        headers.append(parse_headers(raw))
    found, result.undated = exchanges(headers, contacts, me, today)
    logged = _logged_days(contacts)
    for (path, day), _contact in sorted(found.items(), key=lambda item: (item[0][1], item[0][0])):
        line = line_for(day)
        if (path, day) in logged:
            result.already += 1
            continue
        if dry_run:
            try:
                there = has_line(read_file(os.path.join(root, path)), line)
            except OSError:
                there = False
            if there:
                result.already += 1
            else:
                result.appended.append((path, line))
            continue
        done = append_line(root, path, line, conflicted)
        if done.done:
            result.appended.append((path, line))
        elif done.why:
            result.problems.append(f"{path}: {done.why}")
            result.later = result.later or done.later
        else:
            result.already += 1
    return result


def _logged_days(contacts: Iterable[Contact]) -> set[tuple[str, date]]:
    """The days each contact already has an email interaction (from any source)."""
    return {(c.path, i.date) for c in contacts for i in c.interactions if (i.kind or "") in KINDS}


def summary(result: MailImport) -> Mapping[str, object]:
    """The JSON `import mail --json` prints."""
    return {
        "appended": [{"path": p, "line": line} for p, line in result.appended],
        "already_logged": result.already,
        "messages": result.messages,
        "without_date": result.undated,
        "problems": result.problems,
    }

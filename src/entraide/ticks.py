"""What the user did in the check-in list, read back (DESIGN 5.1): Tasks' own gestures.

The check-in list is state, not decoration. Each task line of its managed region is read as
Obsidian Tasks reads it — its fields backwards from the end of the line — and tells what the
user did to that contact's line:

- a tick (`x`/`X`, `✅ date` or today) is logged as a check-in and satisfies the line's
  reasons; the ticked line stays, ticked, until the ISO week of its `✅` date ends;
- a cancel (`[-]`, `❌ date` or today) dismisses the contact until that ISO week ends;
- a postpone (`📅` moved later than entraide wrote it, or a `⏳`/`🛫` date added, after
  today) snoozes the contact until that date, under a "Later" heading (read in every
  language, as is the list's "As of" day: switching language loses no gesture);
- a priority (`🔺⏫🔼🔽⏬`) stays on that contact's line.

Ticked and cancelled lines are kept as written, with the date Tasks would have added when it
is missing (so a kept tick logs on one day, whatever day the next pass runs), and so are
postponed ones: the state lives in the note itself, synced with the vault. A tick is also
remembered as the reasons it satisfied (a birthday or follow-up done before its day, a
give-first reminder), in one comment line per contact that Obsidian does not show, kept as
long as the reason it stands for is there.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple
from urllib.parse import quote, unquote

from entraide.i18n import LANGUAGES, Lang
from entraide.model import Contact
from entraide.parse.values import fold, nfc
from entraide.render.managed import managed_content

_TASK = re.compile(r"^\s*[-*+] \[(.)\] (.*)$")
_LINK = re.compile(r"\[\[([^\]|#]+)(?:[|#][^\]]*)?\]\]|\]\(([^)\s]+?)(?:\.md)?\)")
PRIORITIES = ("🔺", "⏫", "🔼", "🔽", "⏬")  # highest first
# Tasks' date fields, by sign; what follows the sign is the date.
_DATE_SIGNS = {"📅": "due", "⏳": "scheduled", "🛫": "start", "✅": "done", "❌": "cancelled",
               "➕": "created"}  # fmt: skip
_FIELD = re.compile(
    r"\s*(?:(?P<sign>📅|📆|🗓️?|⏳|⌛|🛫|✅|❌|➕)\uFE0F?\s*(?P<date>\d{4}-\d{2}-\d{2})"
    r"|(?P<priority>🔺|⏫|🔼|🔽|⏬)\uFE0F?"
    r"|(?P<tag>#[^\s#]+)|(?P<block>\^[A-Za-z0-9-]+))\s*$"
)
_ALIAS_SIGNS = {"📆": "📅", "🗓": "📅", "🗓️": "📅", "⌛": "⏳"}
MEMO = "%% entraide done "
_MEMO = re.compile(
    r"^%% entraide done (\S+) (birthday|follow-up|give-first) (\d{4}-\d{2}-\d{2}) %%$"
)


def later_heading(say: Lang) -> str:
    """The heading postponed lines wait under, in `say`'s language ("### Later")."""
    return "### " + say.t("Later")


@cache
def _later_headings() -> frozenset[str]:
    """The "Later" heading of every language: a list written in one is read in any other."""
    return frozenset(later_heading(Lang(code)) for code in LANGUAGES)


@cache
def _listed_patterns() -> tuple[tuple[Lang, re.Pattern[str]], ...]:
    """The "As of DATE." line of the check-in list in every language, DATE captured."""
    found = []
    for code in LANGUAGES:
        say = Lang(code)
        template = re.escape(say.t("As of {day}.")).replace(re.escape("{day}"), "(.+?)")
        found.append((say, re.compile(f"^{template}$", re.MULTILINE)))
    return tuple(found)


def listed_day(text: str) -> date | None:
    """The day entraide wrote the check-in list `text` (its "As of" line, in any language:
    an ISO date, or the language's long date "lundi 23 novembre 2026")."""
    content = (managed_content(text) or "").replace("\r\n", "\n")
    for say, pattern in _listed_patterns():
        m = pattern.search(content)
        if m is None:
            continue
        said = m.group(1)
        try:
            return date.fromisoformat(said)
        except ValueError:
            pass
        words = said.split()
        # (the day may carry an ordinal: French writes the first of a month "1er")
        number = re.match(r"\d{1,2}", words[-3]) if len(words) >= 3 else None
        if number is None or not words[-1].isdigit():
            continue
        months = [say.month(k) for k in range(1, 13)]
        if words[-2] not in months:
            continue
        try:
            return date(int(words[-1]), months.index(words[-2]) + 1, int(number.group()))
        except ValueError:
            continue
    return None


def names_day(text: str, day: date) -> bool:
    """Whether `text` names `day`: as an ISO date, or as a long date in any language (a
    check-in reason says "birthday on Friday 2026-11-27" or "anniversaire le vendredi 27
    novembre")."""
    if day.isoformat() in text:
        return True
    return any(Lang(code).long_date(day) in text for code in LANGUAGES if code != "en")


class Fields(NamedTuple):
    """The fields Tasks reads at the end of a task line."""

    due: date | None = None
    scheduled: date | None = None
    start: date | None = None
    done: date | None = None
    cancelled: date | None = None
    priority: str | None = None


class Line(NamedTuple):
    """One task line of the check-in list that links a note."""

    status: str  # the checkbox character: " ", "x", "X", "-"...
    target: str  # the link's target as written: a name, or a vault path without `.md`
    text: str  # the line as written, without its line ending
    fields: Fields
    later: bool  # under the "Later" heading
    description: str = ""  # the text before the fields


class Tick(NamedTuple):
    target: str  # the link's target as written: a name, or a vault path without `.md`
    day: date  # its `✅ date`, else today (never after today)
    line: str  # the ticked line as written (without its line ending)


class Memo(NamedTuple):
    """A reason a tick satisfied: `kind` ("birthday", "follow-up", "give-first") for `day`."""

    path: str
    kind: str
    day: date


def week_end(day: date) -> date:
    """The Sunday that ends `day`'s ISO week."""
    try:
        return day + timedelta(days=6 - day.weekday())
    except OverflowError:
        return date.max


def parse_fields(text: str) -> tuple[str, Fields]:
    """The description and the fields of a task line's text, read from the end as Tasks reads
    them (a field in the middle of the text is text)."""
    found: dict[str, date | str] = {}
    while True:
        m = _FIELD.search(text)
        if not m:
            break
        sign = m.group("sign")
        if sign is not None:
            sign = _ALIAS_SIGNS.get(sign, sign)
            name = _DATE_SIGNS[sign]
            try:
                value = date.fromisoformat(m.group("date"))
            except ValueError:
                break
            found.setdefault(name, value)  # the last one written wins, as in Tasks
        elif m.group("priority") is not None:
            found.setdefault("priority", m.group("priority"))
        text = text[: m.start()]
    return text, Fields(
        _date(found.get("due")),
        _date(found.get("scheduled")),
        _date(found.get("start")),
        _date(found.get("done")),
        _date(found.get("cancelled")),
        _str(found.get("priority")),
    )


def _date(value: date | str | None) -> date | None:
    return value if isinstance(value, date) else None


def _str(value: date | str | None) -> str | None:
    return value if isinstance(value, str) else None


def read_lines(text: str) -> list[Line]:
    """Each task line of the check-in list's managed region that links a note, in order."""
    found = []
    later = False
    for raw in (managed_content(text) or "").split("\n"):
        line = raw.rstrip("\r")
        if line.startswith("#"):
            later = line.strip() in _later_headings()
            continue
        m = _TASK.match(line)
        if not m:
            continue
        link = _LINK.search(m.group(2))
        if not link:
            continue
        target = link.group(1) if link.group(1) is not None else unquote(link.group(2))
        description, fields = parse_fields(m.group(2).rstrip())
        found.append(Line(m.group(1), target.strip(), line, fields, later, description))
    return found


def read_memos(text: str) -> list[Memo]:
    """The reasons earlier ticks satisfied, as entraide wrote them in the region."""
    found = []
    for raw in (managed_content(text) or "").split("\n"):
        m = _MEMO.match(raw.rstrip("\r"))
        if m:
            try:
                found.append(Memo(unquote(m.group(1)), m.group(2), date.fromisoformat(m.group(3))))
            except ValueError:
                continue
    return found


def memo_line(memo: Memo) -> str:
    return f"{MEMO}{quote(memo.path, safe='/')} {memo.kind} {memo.day.isoformat()} %%"


def read_ticks(text: str, today: date) -> list[Tick]:
    """Each ticked line of the check-in list's managed region that links a note."""
    found = []
    for line in read_lines(text):
        if line.status not in ("x", "X"):
            continue
        day = min(line.fields.done, today) if line.fields.done is not None else today
        found.append(Tick(line.target, day, line.text))
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


@dataclass(slots=True)
class Gestures:
    """What the user did in the list, by contact path, as of `today` (see the module)."""

    done: dict[str, list[str]] = field(default_factory=dict)  # ticked lines kept, by path
    cancelled: dict[str, list[str]] = field(default_factory=dict)  # cancelled lines kept
    postponed: dict[str, tuple[date, str]] = field(default_factory=dict)  # (until, line)
    shown: dict[str, date] = field(default_factory=dict)  # the 📅 of an open line
    open_lines: dict[str, str] = field(default_factory=dict)  # an open line as written
    priority: dict[str, str] = field(default_factory=dict)
    memos: list[Memo] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # ticked lines whose note is gone

    def excluded(self) -> set[str]:
        """Contacts not listed as open lines this pass."""
        return {*self.done, *self.cancelled, *self.postponed}


def gestures(
    text: str | None,
    contacts: Sequence[Contact],
    today: date,
    logged: Collection[str] | None = None,
) -> Gestures:
    """The gestures of the check-in list `text` as of `today`. `logged`: the ticked lines
    logged (or found logged) by this pass; a ticked line not among them is kept whatever its
    week, so that no tick is lost before it is logged (None: all count as logged)."""
    found = Gestures()
    if text is None:
        return found
    by_target: dict[str, Contact | None] = {}

    def contact_of(target: str) -> Contact | None:
        key = fold(nfc(target))
        if key not in by_target:
            by_target[key] = resolve(target, contacts)[0]
        return by_target[key]

    # The day entraide last wrote the list: its own 📅 for a reason without a date of its
    # own (an overdue cadence...). A clock set ahead then back moves nothing to "Later".
    listed = listed_day(text)
    for line in read_lines(text):
        contact = contact_of(line.target)
        f = line.fields
        if line.status in ("x", "X"):
            kept = line.text if f.done is not None else _add_field(line.text, "✅", today)
            day = min(f.done, today) if f.done is not None else today
            pending = logged is not None and line.text not in logged
            if contact is None:
                if pending:
                    found.unresolved.append(kept)
                continue
            if week_end(day) >= today or pending:
                found.done.setdefault(contact.path, []).append(kept)
            continue
        if contact is None:
            continue
        if f.priority is not None:
            found.priority.setdefault(contact.path, f.priority)
        if line.status == "-":
            day = f.cancelled if f.cancelled is not None else today
            if week_end(min(day, today)) >= today:
                kept = line.text if f.cancelled is not None else _add_field(line.text, "❌", today)
                found.cancelled.setdefault(contact.path, []).append(kept)
            continue
        if line.status != " ":
            continue
        # A `⏳` or `🛫` date the user added decides (the line comes back on the first of
        # them); else a `📅` later than entraide's (under "Later": later than today).
        added = [d for d in (f.scheduled, f.start) if d is not None]
        until: date | None = None
        if added:
            until = min(added) if min(added) > today else None
        elif f.due is not None and f.due > today:
            if line.later:
                until = f.due
            elif not names_day(line.description, f.due) and f.due != listed:
                # Later than entraide's date (compared when the list is planned): a postpone.
                # entraide's own 📅 is today's or the date of a reason its text names (a
                # birthday, a follow-up): a line whose reasons changed since is no postpone.
                found.shown[contact.path] = f.due
                found.open_lines.setdefault(contact.path, line.text)
        if until is not None and contact.path not in found.postponed:
            found.postponed[contact.path] = (until, line.text)
    found.memos = read_memos(text)
    return found


def _add_field(line: str, sign: str, day: date) -> str:
    """`line` with Tasks' `sign date` added at its end (before a block link), as Tasks does."""
    m = re.search(r"\s\^[A-Za-z0-9-]+\s*$", line)
    at = m.start() if m else len(line.rstrip())
    return f"{line[:at].rstrip()} {sign} {day.isoformat()}{line[at:]}"

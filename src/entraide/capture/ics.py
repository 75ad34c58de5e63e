"""Meeting notes from calendar files (`.ics`): DESIGN §10.

Every past occurrence of an event (not cancelled, not declined by the user) with a contact
among its attendees or organizer becomes `Meetings/YYYY-MM-DD TITLE.md`, written once: an
occurrence (its `uid`, and for a recurring event its `recurrence_id`) that already has a note
anywhere in the vault is the user's from then on, even renamed. Parsing (`read_calendar`) and
planning (`plan_meetings`) take values and return values; `import_calendars` does the I/O.
icalendar and recurring-ical-events are imported where they are used: the CLI starts fast.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any, NamedTuple

from entraide.capture import address, address_book
from entraide.importers import MAX_NAME_BYTES, MAX_NAME_CHARS, clean_name
from entraide.model import Contact
from entraide.parse.values import fold, nfc

MEETINGS_FOLDER = "Meetings"
MAX_OCCURRENCES = 20_000  # per file (a daily meeting for 50 years): a second to expand
MAX_CALENDAR_BYTES = 256 * 1024 * 1024
_NO_TITLE = "Meeting"
_MAX_UID_CHARS = 1000


class Occurrence(NamedTuple):
    """One past occurrence of an event, as the calendar says it."""

    uid: str
    recurrence_id: str | None  # the occurrence's original start, for a recurring event
    title: str
    day: date  # the local start date
    minutes: int | None  # from its duration; None for an all-day event
    attendees: tuple[tuple[str, str], ...]  # (address, PARTSTAT), rooms left out
    organizer: str | None
    owners: frozenset[str]  # the calendar's owner, when the file names them (Google)

    @property
    def key(self) -> tuple[str, str]:
        return (self.uid, self.recurrence_id or "")


@dataclass(frozen=True, slots=True)
class Meeting:
    """A meeting note to create."""

    path: str  # vault-relative; the name may gain " (2)" if it is taken when written
    occurrence: Occurrence
    attendees: tuple[Contact, ...]
    data: bytes


@dataclass(slots=True)
class CalendarImport:
    """What an import did (or, dry, would do)."""

    created: list[Meeting] = field(default_factory=list)
    calendars: int = 0  # files read as calendars
    already: int = 0  # occurrences that already have a note
    skipped: int = 0  # past occurrences left out: cancelled, declined, or no contact in them
    problems: list[str] = field(default_factory=list)
    stopped: str | None = None


# -- reading -------------------------------------------------------------------------------


def read_calendar(
    data: bytes, until: datetime, tz: tzinfo
) -> tuple[list[Occurrence], list[str], int]:
    """The occurrences of `data`'s events that ended by `until` (aware), dated in `tz`; the
    problems found (sentences); and how many past ones were cancelled.

    A file icalendar cannot read is one problem; a recurring event whose rule cannot be
    expanded is left out (recurring-ical-events' `skip_bad_series`), the others still read."""
    import icalendar
    import recurring_ical_events  # type: ignore[import-untyped]

    data = _lean(data)
    problems: list[str] = []
    whole = _whole(data)
    if whole is not data:
        problems.append("it is cut short (no END:VCALENDAR): the events it holds whole were read")
    try:
        calendars = icalendar.Calendar.from_ical(whole, multiple=True)
    except Exception as exc:  # noqa: BLE001 — icalendar raises what its parsers raise
        return [], [f"it is not a calendar entraide can read ({_reason(exc)})"], 0
    if not calendars:
        return [], ["it holds no calendar (no BEGIN:VCALENDAR)"], 0
    found: list[Occurrence] = []
    cancelled = 0
    for calendar in calendars:
        if str(calendar.get("METHOD", "")).upper() == "CANCEL":
            continue  # an invitation's cancellation, not a calendar
        owners = frozenset(
            address(str(calendar.get(key, "")))
            for key in ("X-WR-CALNAME", "X-WR-CALDESC")
            if "@" in str(calendar.get(key, "")) and " " not in str(calendar.get(key, "")).strip()
        )
        recurring = {
            str(c.get("UID", ""))
            for c in calendar.walk("VEVENT")
            if any(k in c for k in ("RRULE", "RDATE", "RECURRENCE-ID"))
        }
        kept: list[Any] = []
        left_out: dict[str, int] = {}
        for component in calendar.subcomponents:
            why = _unusable(component) if component.name == "VEVENT" else None
            if why is None:
                kept.append(component)
            else:
                left_out[why] = left_out.get(why, 0) + 1
        calendar.subcomponents = kept
        problems.extend(
            f"{n} event{'s' if n != 1 else ''} left out: {why}" for why, n in left_out.items()
        )
        count = 0
        try:
            query = recurring_ical_events.of(calendar, skip_bad_series=True)
            for event in query.all():
                count += 1
                if count > MAX_OCCURRENCES:
                    problems.append(
                        f"it holds more than {MAX_OCCURRENCES} occurrences: the rest are left out"
                    )
                    break
                start = _aware(event.get("DTSTART"), tz)
                if start is None:
                    continue
                if start > until:
                    break  # in order of start: the rest is the future
                occurrence = _occurrence(event, tz, until, recurring, owners)
                if occurrence is None:
                    continue
                if str(event.get("STATUS", "")).strip().upper() == "CANCELLED":
                    cancelled += 1
                    continue
                found.append(occurrence)
        except Exception as exc:  # noqa: BLE001 — a broken rule is the file's, not ours
            problems.append(f"an event could not be expanded ({_reason(exc)})")
    return found, problems, cancelled


# Long text entraide never reads (descriptions, HTML copies, inline attachments), with its
# folded continuation lines: dropped before parsing, which costs seconds for megabytes of it.
_UNREAD = re.compile(
    rb"^(?:DESCRIPTION|X-ALT-DESC|ATTACH|COMMENT|X-[A-Z0-9-]*-DESC)[;:][^\r\n]*"
    rb"(?:\r?\n[ \t][^\r\n]*)*(?:\r?\n|$)",
    re.IGNORECASE | re.MULTILINE,
)


def _lean(data: bytes) -> bytes:
    return _UNREAD.sub(b"", data)


def _whole(data: bytes) -> bytes:
    """A calendar cut short (a copy or a sync interrupted) up to its last whole event and
    closed; `data` itself when it is closed or holds no calendar."""
    if re.search(rb"(?im)^END:VCALENDAR", data) or not re.search(rb"(?im)^BEGIN:VCALENDAR", data):
        return data
    ends = list(re.finditer(rb"(?im)^END:VEVENT[ \t]*\r?$", data))
    first = re.search(rb"(?im)^BEGIN:VEVENT", data)
    cut = ends[-1].end() if ends else first.start() if first else len(data)
    return data[:cut].rstrip(b"\r\n") + b"\r\nEND:VCALENDAR\r\n"


def _unusable(event: Any) -> str | None:
    """Why an event cannot be read as meetings, or None: no start, a rule that cannot be
    read, or one repeating more often than daily (which would take hours to expand)."""
    try:
        start = event["DTSTART"].dt
        if not isinstance(start, date):
            return "they have no valid start (DTSTART)"
        rules = _list(event.get("RRULE"))
        for rule in rules:
            freq = [str(f).upper() for f in _list(rule.get("FREQ"))]
            if any(f in ("SECONDLY", "MINUTELY", "HOURLY") for f in freq):
                return "they repeat more often than daily (every hour, minute or second)"
            if any(len(_list(rule.get(part))) > 4 for part in ("BYHOUR", "BYMINUTE", "BYSECOND")):
                return "they repeat more often than daily (every hour, minute or second)"
    except KeyError:
        return "they have no start (DTSTART)"
    except Exception:  # noqa: BLE001 — icalendar's errors for a property it cannot read
        return "a property of theirs cannot be read (a start or a repetition rule)"
    return None


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return text or type(exc).__name__


def _occurrence(
    event: Any, tz: tzinfo, until: datetime, recurring: set[str], owners: frozenset[str]
) -> Occurrence | None:
    """The occurrence `event` is, if it is over by `until`."""
    raw_start = event.get("DTSTART").dt
    try:
        raw_end = event.end
    except Exception:  # noqa: BLE001 — no DTEND and no DURATION: a moment
        raw_end = raw_start
    if isinstance(raw_end, timedelta):
        raw_end = raw_start + raw_end
    end = _aware_value(raw_end, tz)
    start = _aware_value(raw_start, tz)
    if end is None or start is None or end > until:
        return None
    minutes: int | None = None
    if isinstance(raw_start, datetime):
        length = round((end - start).total_seconds() / 60)
        minutes = length if length > 0 else None
    written_uid = _text(event.get("UID", ""))[:_MAX_UID_CHARS]
    uid = written_uid or _made_uid(raw_start, _text(event.get("SUMMARY", "")))
    recurrence_id = None
    if written_uid in recurring:
        rid = event.get("RECURRENCE-ID")
        recurrence_id = _stamp(rid.dt if rid is not None else raw_start)
    attendees = []
    for attendee in _list(event.get("ATTENDEE")):
        params = getattr(attendee, "params", {})
        if str(params.get("CUTYPE", "INDIVIDUAL")).upper() in ("ROOM", "RESOURCE"):
            continue
        where = address(str(params.get("EMAIL") or attendee))
        if where:
            attendees.append((where, str(params.get("PARTSTAT", "NEEDS-ACTION")).upper()))
    organizer = event.get("ORGANIZER")
    if organizer is not None:
        organizer = address(str(getattr(organizer, "params", {}).get("EMAIL") or organizer))
    return Occurrence(
        uid=uid,
        recurrence_id=recurrence_id,
        title=" ".join(_text(event.get("SUMMARY", "")).split()),
        day=_local_day(raw_start, tz),
        minutes=minutes,
        attendees=tuple(attendees),
        organizer=organizer or None,
        owners=owners,
    )


def _text(value: object) -> str:
    """Text for the note: no surrogates (a broken encoding), no NUL."""
    text = str(value)
    return "".join(c for c in text if c != "\0" and not 0xD800 <= ord(c) <= 0xDFFF)


def _made_uid(start: object, title: str) -> str:
    """A stable stand-in for a missing UID (which no well-formed calendar omits)."""
    import hashlib

    digest = hashlib.blake2b(f"{_stamp(start)}\0{title}".encode(), digest_size=10).hexdigest()
    return f"entraide-{digest}"


def _list(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _aware(prop: Any, tz: tzinfo) -> datetime | None:
    return None if prop is None else _aware_value(prop.dt, tz)


def _aware_value(value: object, tz: tzinfo) -> datetime | None:
    """A start or end as an aware moment: a date at midnight and a floating time in `tz`."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value
    if isinstance(value, date):
        return datetime.combine(value, time(), tz)
    return None


def _local_day(value: object, tz: tzinfo) -> date:
    """The start's date on the user's clock; an all-day or floating start's date as written."""
    if isinstance(value, datetime):
        return value.astimezone(tz).date() if value.tzinfo is not None else value.date()
    assert isinstance(value, date)
    return value


def _stamp(value: object) -> str:
    """An occurrence's start as text that does not depend on the reader's time zone."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat(timespec="seconds")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# -- deciding --------------------------------------------------------------------------------


def attending(
    occurrence: Occurrence, book: Mapping[str, tuple[Contact, ...]], me: frozenset[str]
) -> tuple[Contact, ...] | None:
    """The contacts who met the user at this occurrence, or None when the user declined it.

    The user is `me` (and the calendar's owner when the file names them); when neither is
    among the attendees, a meeting whose every attendee who is not a contact (the user is
    one of them) declined counts as declined. A contact who declined did not come."""
    me = me | occurrence.owners
    status = dict(occurrence.attendees)
    if any(status.get(mine) == "DECLINED" for mine in me):
        return None
    if not any(mine in status or mine == occurrence.organizer for mine in me):
        others = [s for a, s in occurrence.attendees if a not in book]
        if occurrence.organizer and occurrence.organizer not in book:
            others.append(status.get(occurrence.organizer, "ACCEPTED"))
        if others and all(s == "DECLINED" for s in others):
            return None
    people = [a for a, s in occurrence.attendees if s != "DECLINED"]
    if occurrence.organizer and status.get(occurrence.organizer) != "DECLINED":
        people.append(occurrence.organizer)
    found: list[Contact] = []
    for where in people:
        if where in me:
            continue
        for contact in book.get(where, ()):
            if contact not in found:
                found.append(contact)
    return tuple(sorted(found, key=lambda c: (fold(c.name), c.name, c.path)))


def plan_meetings(
    occurrences: Iterable[Occurrence],
    contacts: Sequence[Contact],
    me: Iterable[str],
    existing: set[tuple[str, str]],
    folder: str = MEETINGS_FOLDER,
) -> tuple[list[Meeting], int, int]:
    """The meeting notes to create (in date order), how many occurrences already have one,
    and how many were left out (declined, or no contact among their people)."""
    book = address_book(contacts)
    mine = frozenset(address(a) for a in me if address(a))
    names = _link_names(contacts)
    seen = set(existing)
    meetings: list[Meeting] = []
    taken: set[str] = set()
    already = skipped = 0
    for occurrence in sorted(occurrences, key=lambda o: (o.day, o.title, o.key)):
        if occurrence.key in seen:
            already += occurrence.key in existing
            continue
        people = attending(occurrence, book, mine)
        if not people:
            skipped += 1
            continue
        seen.add(occurrence.key)
        name = note_name(occurrence.day, occurrence.title, taken)
        taken.add(fold(name))
        data = render_meeting(occurrence, [names[c.path] for c in people])
        meetings.append(Meeting(f"{folder}/{name}.md", occurrence, people, data))
    return meetings, already, skipped


def note_name(day: date, title: str, taken: Collection[str] = ()) -> str:
    """`YYYY-MM-DD TITLE` as a safe file name, not one of `taken` (folded names)."""
    base = clean_name(f"{day.isoformat()} {title}")
    if base == day.isoformat():
        base = f"{base} {_NO_TITLE}"
    name = base
    number = 1
    while fold(name) in taken:
        number += 1
        suffix = f" ({number})"
        cut = base[: MAX_NAME_CHARS - len(suffix)]
        while len((cut + suffix).encode()) > MAX_NAME_BYTES:
            cut = cut[:-1]
        name = cut.rstrip(" .") + suffix
    return name


def _link_names(contacts: Sequence[Contact]) -> dict[str, str]:
    """The text of each contact's attendee link: its name, or its path when the name is
    shared (so the link leads to that contact)."""
    count: dict[str, int] = {}
    for contact in contacts:
        count[fold(contact.name)] = count.get(fold(contact.name), 0) + 1
    return {
        c.path: c.name if count[fold(c.name)] == 1 else c.path.removesuffix(".md") for c in contacts
    }


def render_meeting(occurrence: Occurrence, attendees: Sequence[str]) -> bytes:
    """A new meeting note's bytes: frontmatter only, deterministic, LF, one final newline."""
    lines = ["---", f"date: {occurrence.day.isoformat()}", "attendees:"]
    lines.extend(f"  - {_quoted(f'[[{name}]]')}" for name in attendees)
    if occurrence.minutes is not None:
        lines.append(f"minutes: {occurrence.minutes}")
    lines.append("source: calendar")
    lines.append(f"uid: {_quoted(occurrence.uid)}")
    if occurrence.recurrence_id is not None:
        lines.append(f"recurrence_id: {_quoted(occurrence.recurrence_id)}")
    lines.append("---")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar that reads back as `text` under YAML 1.1 and 1.2."""
    return (
        json.dumps(nfc(text), ensure_ascii=False)
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
        .replace("\x85", "\\u0085")
    )


# -- the files -------------------------------------------------------------------------------


def calendar_files(places: Iterable[str], root: Path | None = None) -> tuple[list[Path], list[str]]:
    """The `.ics` files named, or found in the folders named (recursively, no link followed,
    no hidden file); relative places are from `root` when given. And what could not be read."""
    files: list[Path] = []
    problems: list[str] = []
    for place in places:
        path = Path(place).expanduser()
        if root is not None and not path.is_absolute():
            path = root / path
        try:
            st = os.lstat(path)
        except OSError as exc:
            problems.append(f"cannot read the calendar '{place}': {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(st.st_mode):
            for top, folders, names in os.walk(path):
                folders[:] = sorted(f for f in folders if not f.startswith("."))
                files.extend(
                    Path(top, n)
                    for n in sorted(names)
                    if n.lower().endswith(".ics") and not n.startswith(".")
                )
        elif stat.S_ISREG(st.st_mode):
            files.append(path)
        else:
            problems.append(f"'{place}' is neither a calendar file nor a folder of them")
    return files, problems


def calendars_stamp(root: Path, places: Iterable[str]) -> str:
    """What changes when a calendar file named by `places` changes (a stat of each)."""
    files, problems = calendar_files(places, root)
    parts = [*problems]
    for path in files:
        try:
            st = os.lstat(path)
        except OSError:
            continue
        parts.append(f"{path}\0{st.st_mtime_ns}\0{st.st_size}\0{st.st_ino}")
    return "\n".join(parts)


def existing_occurrences(root: Path, settings: Any) -> set[tuple[str, str]]:
    """The (uid, recurrence_id) of every note in the vault that has a `uid` property."""
    from entraide.parse.frontmatter import parse
    from entraide.parse.note import decode
    from entraide.vault_io import read_file, scan

    found: set[tuple[str, str]] = set()
    notes = scan(root, (), settings.ignore, settings.max_note_bytes).notes
    for note in notes:
        try:
            raw = read_file(str(note.fs_path))
        except OSError:
            continue
        if b"uid:" not in raw[:65536]:
            continue
        text = decode(raw)
        data = parse(text).data if text is not None else None
        if not isinstance(data, dict) or data.get("uid") in (None, ""):
            continue
        rid = data.get("recurrence_id")
        found.add((_prop_text(data["uid"]), "" if rid in (None, "") else _prop_text(rid)))
    return found


def _prop_text(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def meetings_folder(root: Path) -> str:
    """The vault's meetings folder: `Meetings`, or the top folder that is so named in any
    case."""
    try:
        with os.scandir(root) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.casefold() == MEETINGS_FOLDER.casefold() and entry.is_dir(
                    follow_symlinks=False
                ):
                    return nfc(entry.name)
    except OSError:
        pass
    return MEETINGS_FOLDER


def import_calendars(
    root: Path,
    settings: Any,
    contacts: Sequence[Contact],
    places: Iterable[str],
    until: datetime,
    tz: tzinfo,
    me: Iterable[str] = (),
    dry_run: bool = False,
) -> CalendarImport:
    """Read the calendars named and create the meeting notes they call for (the caller holds
    the vault's writer lock and has checked that git is not busy)."""
    from entraide.vault_io import Moved, WriteRefused, read_file, replace_file

    result = CalendarImport()
    files, result.problems = calendar_files(places, root)
    occurrences: list[Occurrence] = []
    for path in files:
        try:
            if os.lstat(path).st_size > MAX_CALENDAR_BYTES:
                result.problems.append(f"'{path}' is too large to be a calendar: left out")
                continue
            data = read_file(str(path))
        except OSError as exc:
            result.problems.append(f"cannot read the calendar '{path}': {exc.strerror or exc}")
            continue
        found, problems, cancelled = read_calendar(data, until, tz)
        result.calendars += not problems or bool(found)
        occurrences.extend(found)
        result.skipped += cancelled
        result.problems.extend(f"'{path}': {p}" for p in problems)
    if not any(c.email for c in contacts):
        return result
    folder = meetings_folder(root)
    meetings, result.already, skipped = plan_meetings(
        occurrences, contacts, me, existing_occurrences(root, settings), folder
    )
    result.skipped += skipped
    if dry_run:
        result.created = meetings
        return result
    taken: set[str] = set()
    for meeting in meetings:
        name = meeting.path[len(folder) + 1 : -3]
        for _ in range(100):
            rel = f"{folder}/{name}.md"
            try:
                replace_file(root, rel, meeting.data, None)
            except Moved:  # a note of that name is there: the next name
                taken.add(fold(name))
                name = note_name(meeting.occurrence.day, meeting.occurrence.title, taken)
                continue
            except WriteRefused as exc:
                result.stopped = exc.message
                return result
            taken.add(fold(name))
            result.created.append(Meeting(rel, meeting.occurrence, meeting.attendees, meeting.data))
            break
    return result


def local_until(today: date) -> tuple[datetime, tzinfo]:
    """The moment up to which events are past, and the user's time zone: now, or the end of
    `today` when it is pinned before now (tests, `--today`)."""
    now = datetime.now().astimezone()
    tz = now.tzinfo
    assert tz is not None
    if today < now.date():
        now = datetime.combine(today + timedelta(days=1), time(), tz)
    return now, tz


def import_from_settings(
    root: Path, settings: Any, contacts: Sequence[Contact], today: date, messages: list[str]
) -> list[str]:
    """The `calendars` setting's pass for `run` and the daemon: the notes created (vault
    paths); what went wrong goes to `messages`."""
    from entraide.gitstate import git_busy

    if git_busy(root):
        return []
    until, tz = local_until(today)
    # A daemon passes at every save: the calendars are read again only when they, the
    # contacts' addresses or the hour changed since this process last imported them.
    addresses = sorted((c.path, c.email) for c in contacts if c.email)
    key = repr(
        (
            calendars_stamp(root, settings.calendars),
            until.replace(minute=0, second=0, microsecond=0),
            addresses,
            settings.ignore,
        )
    )
    if _LAST_IMPORT.get(str(root)) == key:
        return []
    result = import_calendars(root, settings, contacts, settings.calendars, until, tz)
    messages.extend(f"calendars: {p}" for p in result.problems)
    if result.stopped:
        messages.append(f"calendars: the import stopped: {result.stopped}")
        _LAST_IMPORT.pop(str(root), None)
    else:
        _LAST_IMPORT[str(root)] = key
    return [m.path for m in result.created]


_LAST_IMPORT: dict[str, str] = {}  # vault root → what its last import read (see above)


def summary(result: CalendarImport) -> dict[str, object]:
    """The JSON `import ics --json` prints."""
    return {
        "created": [
            {
                "path": m.path,
                "date": m.occurrence.day.isoformat(),
                "attendees": [c.name for c in m.attendees],
                "minutes": m.occurrence.minutes,
                "uid": m.occurrence.uid,
                "recurrence_id": m.occurrence.recurrence_id,
            }
            for m in result.created
        ],
        "already_imported": result.already,
        "skipped": result.skipped,
        "problems": result.problems,
    }

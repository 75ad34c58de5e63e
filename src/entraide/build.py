"""Parsed notes + settings → the Vault: which notes are contacts, what links resolve to, and
every interaction, merged one per contact per day (DESIGN §1–§3)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from entraide import schemas
from entraide.model import (
    BODY_LOG,
    MENTION,
    PROPERTY,
    Birthday,
    Contact,
    Interaction,
    Problem,
    Vault,
)
from entraide.parse.body import Marks
from entraide.parse.daily import matcher
from entraide.parse.frontmatter import BadDate
from entraide.parse.note import ParsedNote
from entraide.parse.values import (
    ImpossibleDate,
    date_text,
    diversity_value,
    flag_text,
    fold,
    is_flag,
    link_target,
    strip_target,
    to_date,
)
from entraide.settings import Settings, parse_cadence
from entraide.vault_io import ObsidianConfig

_PERSON_TAG = re.compile(r"^#?person(?:/.*)?$", re.IGNORECASE)
_ICLOUD_COPY = re.compile(r"^(.*) ([2-9]|[1-9]\d+)$")
_DATE_PROPS = ("since", "follow_up", "snooze_until")
_ATTENDEE_KEYS = ("attendees", "people", "with")


@dataclass(slots=True)
class _Record:
    day: date
    source: int
    kind: str | None = None
    minutes: float | None = None
    gave: bool = False
    asked: bool = False
    news: bool = False
    gave_text: str | None = None
    asked_text: str | None = None
    note: str | None = None


@dataclass(slots=True)
class _Builder:
    settings: Settings
    config: ObsidianConfig
    notes: Mapping[str, ParsedNote]
    problems: list[Problem] = field(default_factory=list)
    by_name: dict[str, list[str]] = field(default_factory=dict)
    alias_of: dict[str, list[str]] = field(default_factory=dict)
    contact_paths: set[str] = field(default_factory=set)
    records: dict[str, list[_Record]] = field(default_factory=lambda: defaultdict(list))
    edges: set[tuple[str, str]] = field(default_factory=set)

    def report(self, path: str, line: int | None, code: str, message: str) -> None:
        self.problems.append(Problem(path, line, code, message))


def stem(path: str) -> str:
    return path.rpartition("/")[2][:-3]


def folder_of(path: str) -> str:
    return path.rpartition("/")[0]


def is_person(data: Mapping[str, Any] | None) -> bool:
    if not data:
        return False
    kind = data.get("type")
    if isinstance(kind, str) and kind.strip().lower() == "person":
        return True
    tags = data.get("tags")
    if isinstance(tags, str):
        tags = re.split(r"[,\s]+", tags)
    if isinstance(tags, list):
        return any(isinstance(t, str) and _PERSON_TAG.match(t.strip()) for t in tags)
    return False


def build_vault(
    notes: Mapping[str, ParsedNote],
    settings: Settings,
    config: ObsidianConfig,
    conflict_copies: Iterable[tuple[str, str]] = (),
    problems: Iterable[Problem] = (),
) -> Vault:
    """Assemble the vault from every parsed note (keyed by vault path)."""
    b = _Builder(settings, config, notes, list(problems))
    conflicted: set[str] = set()
    for copy, original in conflict_copies:
        conflicted.add(original)
        b.report(
            copy,
            None,
            "conflict-copy",
            f"this is a sync conflict copy of '{original}': merge what you need into that note, "
            "then delete this copy (entraide does not read it)",
        )
    people = tuple(f for f in settings.people_folders if f)
    for path, note in notes.items():
        b.by_name.setdefault(fold(stem(path)), []).append(path)
        if note.error is not None:
            e = note.error
            b.report(path, e.line, e.code, e.message)
        if note.readable and (
            any(path.startswith(f + "/") for f in people) or is_person(note.data)
        ):
            b.contact_paths.add(path)
        if note.body.conflict_lines:
            conflicted.add(path)
            for line in note.body.conflict_lines:
                b.report(
                    path,
                    line,
                    "conflict-markers",
                    "git conflict markers (<<<<<<< ======= >>>>>>>): keep the right version "
                    "and delete the markers",
                )
        if note.data:
            for key in ("tag", "alias"):
                if key in note.data:
                    b.report(
                        path,
                        note.lines.get((key,)),
                        "deprecated-key",
                        f"'{key}' is deprecated in Obsidian and ignored: rename it to '{key}s'",
                    )
    for paths in b.by_name.values():
        paths.sort()

    contacts = [_contact(b, path) for path in sorted(b.contact_paths)]
    _check_names(b, contacts)
    daily = matcher(config.daily_format, settings.daily_notes_locale)
    daily_folder = config.daily_folder
    possible_duplicates(b)
    for path, note in notes.items():
        day = None
        if not daily_folder or path.startswith(daily_folder + "/"):
            day = daily(stem(path))
        if day is not None:
            _mentions(b, path, note, day, "mention")
        else:
            meeting = _meeting_date(note.data)
            if meeting is not None:
                _mentions(b, path, note, meeting, "meeting")
        if path in b.contact_paths:
            _contact_links(b, path, note)
    final = tuple(_with_interactions(c, b.records.get(c.path, ())) for c in contacts)
    return Vault(
        contacts=final,
        edges=frozenset(b.edges),
        problems=tuple(sorted(b.problems, key=Problem.sort_key)),
        conflicted=frozenset(conflicted),
    )


# -- contacts -------------------------------------------------------------------------------


def _contact(b: _Builder, path: str) -> Contact:
    note = b.notes[path]
    data = dict(note.data or {})
    lines = note.lines
    values: dict[str, Any] = {}

    def line(*key: str | int) -> int | None:
        while key:
            if key in lines:
                return lines[key]
            key = key[:-1]
        return None

    # Impossible dates first: a problem on that property (or interactions entry) only.
    for key in (*_DATE_PROPS, "birthday"):
        if key in data and _impossible(data[key]):
            b.report(
                path,
                line(key),
                "bad-date",
                f"'{key}: {data[key]}' is not a date of the calendar: correct it (YYYY-MM-DD)",
            )
            data.pop(key)
    entries = data.get("interactions")
    if isinstance(entries, list):
        kept = []
        for i, entry in enumerate(entries):
            if isinstance(entry, dict) and "date" in entry:
                value = entry["date"]
                if _impossible(value):
                    b.report(
                        path,
                        line("interactions", i, "date"),
                        "bad-date",
                        f"interaction {i + 1} is dated '{value}', not a date of the "
                        "calendar: it is ignored until you correct it",
                    )
                    continue
            kept.append(entry)
        data["interactions"] = kept
    json_data = {k: _jsonable(v) for k, v in data.items()}
    dropped: set[int] = set()
    ignored: set[str] = set()
    for error_path, message in schemas.errors("contact", json_data):
        if not error_path:
            continue
        key = str(error_path[0])
        if key in ignored:
            continue
        if key == "interactions" and len(error_path) >= 2 and isinstance(error_path[1], int):
            index = error_path[1]
            if index in dropped:
                continue
            field_name = error_path[2] if len(error_path) >= 3 else None
            entry = data["interactions"][index]
            if field_name is None or field_name == "date":
                dropped.add(index)
                what = (
                    "has no date"
                    if isinstance(entry, dict) and "date" not in entry
                    else (f"is invalid ({message})")
                )
                b.report(
                    path,
                    line("interactions", index, *([field_name] if field_name else [])),
                    "invalid-property",
                    f"interaction {index + 1} {what}: it is ignored until you fix it "
                    "(each entry needs a 'date: YYYY-MM-DD')",
                )
            else:
                b.report(
                    path,
                    line("interactions", index, str(field_name)),
                    "invalid-property",
                    f"interaction {index + 1}: '{field_name}' {message}; it is ignored",
                )
                if isinstance(entry, dict):
                    entry = dict(entry)
                    entry.pop(str(field_name), None)
                    data["interactions"][index] = entry
            continue
        ignored.add(key)
        shown = _shown(data.get(key))
        b.report(
            path,
            line(key),
            "invalid-property",
            f"'{key}: {shown}' has the wrong type ({message}): it is ignored until you fix it",
        )
    for key in ignored:
        data.pop(key, None)
    if "interactions" in data and isinstance(data["interactions"], list):
        data["interactions"] = [e for i, e in enumerate(data["interactions"]) if i not in dropped]

    circle_name = None
    raw_circle = data.get("circle")
    if isinstance(raw_circle, str) and raw_circle.strip():
        circle = b.settings.circle(raw_circle)
        if circle is None:
            names = ", ".join(c.name for c in b.settings.circles)
            b.report(
                path,
                line("circle"),
                "unknown-circle",
                f"circle '{raw_circle}' is not one of the configured circles ({names}): "
                "the contact is treated as having no circle",
            )
        else:
            circle_name = circle.name
    cadence = parse_cadence(data.get("cadence"))
    if cadence is None and circle_name is not None:
        found = b.settings.circle(circle_name)
        cadence = found.cadence if found else None
    dims: dict[str, str] = {}
    for dim in b.settings.dimensions:
        value = diversity_value(data.get(dim))
        if value is not None:
            dims[dim] = value
    aliases = _strings(data.get("aliases"))
    birthday = _birthday(data.get("birthday"))
    for key in _DATE_PROPS:
        values[key] = _date_or_none(data.get(key))
    paused = data.get("paused") is True
    for entry in data.get("interactions") or ():
        if not isinstance(entry, dict):
            continue
        day = _date_or_none(entry.get("date"))
        if day is None:
            continue
        kind = entry.get("kind")
        minutes = entry.get("minutes")
        b.records[path].append(
            _Record(
                day,
                PROPERTY,
                kind=kind.strip().lower() or None if isinstance(kind, str) else None,
                minutes=float(minutes)
                if isinstance(minutes, int | float) and not isinstance(minutes, bool)
                else None,
                gave=is_flag(entry.get("gave")),
                asked=is_flag(entry.get("asked")),
                news=is_flag(entry.get("news")),
                gave_text=flag_text(entry.get("gave")),
                asked_text=flag_text(entry.get("asked")),
                note=entry.get("note") if isinstance(entry.get("note"), str) else None,
            )
        )
    for item in note.body.logs:
        if item.date is None:
            b.report(
                path,
                item.line,
                "bad-date",
                "this log line's date is not a date of the calendar: correct it (YYYY-MM-DD)",
            )
            continue
        b.records[path].append(_from_marks(item.date, BODY_LOG, item.marks))
    return Contact(
        name=stem(path),
        path=path,
        circle=circle_name,
        cadence=cadence,
        dimensions=dims,
        aliases=aliases,
        since=values["since"],
        birthday=birthday,
        follow_up=values["follow_up"],
        snooze_until=values["snooze_until"],
        paused=paused,
    )


def _impossible(value: Any) -> bool:
    """A value written as a date that names no day of the calendar (2026-02-30, --02-30)."""
    if isinstance(value, BadDate):
        return True
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"--\d{2}-\d{2}", text):
            try:
                date(2000, int(text[2:4]), int(text[5:7]))
            except ValueError:
                return True
            return False
        try:
            to_date(text)
        except ImpossibleDate:
            return True
    return False


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return date_text(value)


def _shown(value: Any) -> str:
    if value is False:
        return "false (YAML reads NO, no, off as false: quote the value)"
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        return ()
    return tuple(s.strip() for s in items if isinstance(s, str) and s.strip())


def _date_or_none(value: Any) -> date | None:
    try:
        return to_date(value)
    except ImpossibleDate:
        return None


def _birthday(value: Any) -> Birthday | None:
    if isinstance(value, str) and re.fullmatch(r"--\d{2}-\d{2}", value.strip()):
        month, day = int(value.strip()[2:4]), int(value.strip()[5:7])
        try:
            date(2000, month, day)  # a leap year: 29 February is a birthday
        except ValueError:
            return None
        return Birthday(month, day)
    found = _date_or_none(value)
    return Birthday(found.month, found.day, found.year) if found else None


def _from_marks(day: date, source: int, marks: Marks, kind: str | None = None) -> _Record:
    return _Record(
        day,
        source,
        kind=marks.kind or kind,
        minutes=marks.minutes,
        gave=marks.gave,
        asked=marks.asked,
        news=marks.news,
        gave_text=marks.gave_text,
        asked_text=marks.asked_text,
    )


def _with_interactions(contact: Contact, records: Iterable[_Record]) -> Contact:
    """One interaction per day: minutes the largest, flags OR-ed, kind from the most explicit."""
    days: dict[date, list[_Record]] = defaultdict(list)
    for record in records:
        days[record.day].append(record)
    merged = []
    for day in sorted(days):
        group = sorted(days[day], key=lambda r: r.source)
        minutes = [r.minutes for r in group if r.minutes is not None]
        merged.append(
            Interaction(
                date=day,
                kind=next((r.kind for r in group if r.kind), None),
                minutes=max(minutes) if minutes else None,
                gave=any(r.gave for r in group),
                asked=any(r.asked for r in group),
                news=any(r.news for r in group),
                source=group[0].source,
                gave_text=next((r.gave_text for r in group if r.gave_text), None),
                asked_text=next((r.asked_text for r in group if r.asked_text), None),
                note=next((r.note for r in group if r.note), None),
            )
        )
    return Contact(
        name=contact.name,
        path=contact.path,
        circle=contact.circle,
        cadence=contact.cadence,
        dimensions=contact.dimensions,
        aliases=contact.aliases,
        since=contact.since,
        birthday=contact.birthday,
        follow_up=contact.follow_up,
        snooze_until=contact.snooze_until,
        paused=contact.paused,
        interactions=tuple(merged),
    )


def _check_names(b: _Builder, contacts: list[Contact]) -> None:
    """Contacts sharing a name, aliases shared by two contacts, and notes shadowing an alias."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for c in contacts:
        by_name[fold(c.name)].append(c.path)
    for paths in by_name.values():
        if len(paths) > 1:
            for path in paths:
                others = ", ".join(p for p in paths if p != path)
                b.report(
                    path,
                    None,
                    "duplicate-name",
                    f"another contact has the same name ({others}): links to this name "
                    "reach only one of them; rename one note",
                )
    holders: dict[str, list[Contact]] = defaultdict(list)
    for c in contacts:
        for alias in {fold(a) for a in c.aliases} - {fold(c.name)}:
            holders[alias].append(c)
    for alias, owners in holders.items():
        if len(owners) > 1:
            for c in owners:
                note = b.notes[c.path]
                others = ", ".join(o.path for o in owners if o is not c)
                b.report(
                    c.path,
                    _alias_line(note, alias),
                    "alias-shared",
                    f"the alias '{alias}' is also an alias of {others}: links to it reach "
                    "neither; keep it on one contact",
                )
        else:
            b.alias_of[alias] = [owners[0].path]
        for path in b.by_name.get(alias, ()):
            if path not in b.contact_paths:
                names = ", ".join(o.name for o in owners)
                b.report(
                    path,
                    None,
                    "alias-shadowed",
                    f"this note's name is an alias of {names}: links [[{stem(path)}]] lead "
                    "here, not to the contact; rename this note or the alias",
                )


def _alias_line(note: ParsedNote, alias: str) -> int | None:
    value = (note.data or {}).get("aliases")
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str) and fold(item.strip()) == alias:
                return note.lines.get(("aliases", i))
    return note.lines.get(("aliases",))


# -- links ----------------------------------------------------------------------------------


def resolve(b: _Builder, target: str, source: str, markdown: bool = False) -> str | None:
    """The note a link leads to, as Obsidian resolves it, plus contacts' aliases."""
    name = strip_target(target)
    if markdown and (name.startswith("./") or name.startswith("../")):
        parts: list[str] = folder_of(source).split("/") if folder_of(source) else []
        for part in name.split("/"):
            if part == "..":
                if not parts:
                    return None  # outside the vault
                parts.pop()
            elif part not in (".", ""):
                parts.append(part)
        name = "/".join(parts)
    name = fold(name.strip("/"))
    if not name:
        return None
    if "/" in name:
        leaf = name.rpartition("/")[2]
        matches = [
            p
            for p in b.by_name.get(leaf, ())
            if fold(p[:-3]) == name or fold(p[:-3]).endswith("/" + name)
        ]
    else:
        matches = b.by_name.get(name, [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        here = folder_of(source)
        local = [p for p in matches if folder_of(p) == here]
        return min(local or matches, key=lambda p: (len(p), p))
    if "/" not in name:
        owners = b.alias_of.get(name)
        if owners and len(owners) == 1:
            return owners[0]
    return None


def _meeting_date(data: Mapping[str, Any] | None) -> date | None:
    if not data or not any(_attendee_values(data.get(k)) for k in _ATTENDEE_KEYS):
        return None
    return _date_or_none(data.get("date"))


def _attendee_values(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [v for v in value if v is not None and v != ""]
    return []


def _mentions(b: _Builder, path: str, note: ParsedNote, day: date, kind: str) -> None:
    seen_marks: dict[str, list[Marks]] = defaultdict(list)
    for link in note.body.links:
        if not link.counts:
            continue
        target = resolve(b, link.target, path, link.markdown)
        if target is None or target == path or target not in b.contact_paths:
            continue
        seen_marks[target].append(link.marks)
    data = note.data or {}
    for key in _ATTENDEE_KEYS:
        value = data.get(key)
        items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        for i, item in enumerate(items):
            where = note.lines.get((key, i)) if isinstance(value, list) else note.lines.get((key,))
            if isinstance(item, list):
                item = _unquoted(item)
                if item is not None:
                    b.report(
                        path,
                        where,
                        "unquoted-link",
                        f"'{key}' holds [[{item}]] without quotes, which YAML reads as a "
                        f'list: write "[[{item}]]"',
                    )
            if not isinstance(item, str):
                continue
            name = link_target(item)
            if not name:
                continue
            target = resolve(b, name, path)
            if target is not None and target not in b.contact_paths:
                if not b.notes[target].readable:
                    continue  # an unreadable note: reported once, on its own
                target = None
            if target is None:
                b.report(
                    path,
                    where,
                    "attendee-unknown",
                    f"'{name}' in '{key}' matches no contact: create a note for them in "
                    "People/ or fix the name",
                )
                continue
            if target != path:
                seen_marks[target].append(Marks())
    for target, marks_list in seen_marks.items():
        for marks in marks_list:
            b.records[target].append(_from_marks(day, MENTION, marks, kind))


def _unquoted(value: list[Any]) -> str | None:
    """The name in an unquoted `[[Name]]`, which YAML reads as nested one-element lists."""
    item: Any = value
    while isinstance(item, list) and len(item) == 1:
        item = item[0]
    return item if isinstance(item, str) else None


def _contact_links(b: _Builder, path: str, note: ParsedNote) -> None:
    """Links from one contact's note to another (body or `knows`): undirected `knows` edges."""
    targets = [(link.target, link.markdown) for link in note.body.links]
    knows = (note.data or {}).get("knows")
    items = knows if isinstance(knows, list) else [knows] if isinstance(knows, str) else []
    for i, item in enumerate(items):
        if isinstance(item, list):
            item = _unquoted(item)
            if item is not None:
                b.report(
                    path,
                    note.lines.get(("knows", i)),
                    "unquoted-link",
                    f"'knows' holds [[{item}]] without quotes, which YAML reads as a list: "
                    f'write "[[{item}]]"',
                )
        if isinstance(item, str) and (name := link_target(item)):
            targets.append((name, False))
    for target, markdown in targets:
        other = resolve(b, target, path, markdown)
        if other is not None and other != path and other in b.contact_paths:
            b.edges.add((min(path, other), max(path, other)))


def possible_duplicates(b: _Builder) -> None:
    for path in b.contact_paths:
        m = _ICLOUD_COPY.match(stem(path))
        if not m:
            continue
        original = f"{folder_of(path)}/{m.group(1)}.md" if folder_of(path) else f"{m.group(1)}.md"
        if original in b.notes:
            b.report(
                path,
                None,
                "possible-duplicate",
                f"this may be a copy of '{original}' (iCloud adds ' 2' to copies): merge "
                "them if they are the same person",
            )

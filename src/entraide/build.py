"""Parsed notes + settings → the Vault: which notes are contacts, what links resolve to, and
every interaction, merged one per contact per day (DESIGN §1–§3)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from types import MappingProxyType
from typing import Any

from entraide.model import (
    MENTION,
    NO_DATED_EDGES,
    PROPERTY,
    Contact,
    Interaction,
    Problem,
    Vault,
)
from entraide.parse.body import Marks
from entraide.parse.daily import DailyMatcher, daily_matcher, format_problems
from entraide.parse.note import ParsedNote
from entraide.parse.props import from_marks
from entraide.parse.values import (
    fold,
    link_target,
    strip_target,
)
from entraide.roles import PeopleFolders
from entraide.settings import Settings
from entraide.vault_io import ObsidianConfig

_ICLOUD_COPY = re.compile(r"^(.*) ([2-9]|[1-9]\d+)$")


@dataclass(slots=True)
class _Builder:
    settings: Settings
    config: ObsidianConfig
    notes: Mapping[str, ParsedNote]
    problems: list[Problem] = field(default_factory=list)
    by_name: dict[str, list[str]] = field(default_factory=dict)
    alias_of: dict[str, list[str]] = field(default_factory=dict)
    contact_paths: set[str] = field(default_factory=set)
    records: dict[str, list[Interaction]] = field(default_factory=lambda: defaultdict(list))
    edges: set[tuple[str, str]] = field(default_factory=set)
    daily: DailyMatcher | None = None

    def report(self, path: str, line: int | None, code: str, message: str) -> None:
        self.problems.append(Problem(path, line, code, message))


def stem(path: str) -> str:
    return path.rpartition("/")[2][:-3]


def folder_of(path: str) -> str:
    return path.rpartition("/")[0]


# A note's links, worked out: (note, problems, (target, record) of each mention, edges).
_Links = tuple[ParsedNote, tuple[Problem, ...], tuple[tuple[str, Interaction], ...], frozenset[Any]]
_DELTA_MAX = 256  # changed notes up to which a build updates the last one instead of redoing it


@dataclass(slots=True)
class _Last:
    """The last build's result, with what a build after a few changed notes needs of it."""

    keys: list[str]  # the notes' paths, in the mapping's order
    notes: Mapping[str, ParsedNote]
    contact_paths: set[str]
    by_name: dict[str, list[str]]
    alias_of: dict[str, list[str]]
    names_problems: tuple[Problem, ...]
    note_order: dict[str, int]  # path → position in `keys`
    position: dict[str, int]  # contact path → position in `contacts`
    contacts: list[Contact]  # merged, in the vault's order
    sources: dict[str, set[str]]  # contact path → notes whose links give it records
    edge_count: Counter[tuple[str, str]]
    edges: frozenset[tuple[str, str]]
    with_problems: set[str]  # notes with problems of their own, of their contact or links
    conflicted: set[str]  # notes with conflict markers


# A contact note's note, contact, property problems, own records and `gave` links (`_gifts`).
_ContactEntry = tuple[
    ParsedNote,
    Contact,
    tuple[Problem, ...],
    tuple[Interaction, ...],
    tuple[tuple[str, date], ...],
]


@dataclass(slots=True)
class BuildMemo:
    """What a build can reuse from the last one, by note identity (a daemon keeps it).

    Everything here is derived; a memo that does not match (other settings, other notes)
    is simply refilled, so it can never make a result differ from a fresh build.
    """

    base: tuple[Settings, ObsidianConfig] | None = None
    static: dict[str, tuple[ParsedNote, tuple[Problem, ...]]] = field(default_factory=dict)
    contacts: dict[str, _ContactEntry] = field(default_factory=dict)
    names_key: Any = None
    names: tuple[tuple[Problem, ...], dict[str, list[str]]] = ((), {})
    links_key: Any = None
    links: dict[str, _Links] = field(default_factory=dict)
    merged: dict[str, tuple[Contact, tuple[Interaction, ...], Contact]] = field(
        default_factory=dict
    )
    last: _Last | None = None


def build_vault(
    notes: Mapping[str, ParsedNote],
    settings: Settings,
    config: ObsidianConfig,
    conflict_copies: Iterable[tuple[str, str]] = (),
    problems: Iterable[Problem] = (),
    memo: BuildMemo | None = None,
) -> Vault:
    """Assemble the vault from every parsed note (keyed by vault path).

    With a `memo` from the last build, the work of every note that did not change (same
    parsed object) is reused, and so is every merged contact whose records did not change —
    the very same object, so memoised analytics of it are reused by identity too. When only
    a few notes changed and no name, alias or contact set with them, the last build is
    updated in place of a new one (`_update`), with the same result.
    """
    memo = memo if memo is not None else BuildMemo()
    if memo.base != (settings, config):
        memo.__init__()  # type: ignore[misc]
        memo.base = (settings, config)
    found: list[Problem] = list(problems)
    found.extend(format_problems(config.daily_source, config.daily_format))  # DESIGN §1
    conflicted: set[str] = set()
    for copy, original in conflict_copies:
        conflicted.add(original)
        found.append(
            Problem(
                copy,
                None,
                "conflict-copy",
                f"this is a sync conflict copy of '{original}': merge what you need into that "
                "note, then delete this copy (entraide does not read it)",
            )
        )
    if memo.last is not None:
        vault = _update(memo, memo.last, notes, found, conflicted)
        if vault is not None:
            return vault
    memo.last = None
    b = _Builder(settings, config, notes)
    people = PeopleFolders(settings.people_folders)
    with_problems: set[str] = set()
    conflicted_notes: set[str] = set()
    for path, note in notes.items():
        b.by_name.setdefault(fold(stem(path)), []).append(path)
        if _is_contact(path, note, people):
            b.contact_paths.add(path)
        static = memo.static.get(path)
        if static is None or static[0] is not note:
            static = (note, _note_problems(path, note))
            memo.static[path] = static
        if static[1]:
            with_problems.add(path)
        if note.body.conflict_lines:
            conflicted_notes.add(path)
    for paths in b.by_name.values():
        paths.sort()

    contacts: list[Contact] = []
    own: dict[str, tuple[Interaction, ...]] = {}
    for path in sorted(b.contact_paths):
        note = notes[path]
        entry = memo.contacts.get(path)
        if entry is None or entry[0] is not note:
            entry = memo.contacts[path] = _contact_entry(settings, path, note)
        contacts.append(entry[1])
        if entry[2]:
            with_problems.add(path)
        own[path] = entry[3]

    names_key = (tuple(notes), tuple((c.path, _names_of(notes[c.path])) for c in contacts))
    if memo.names_key != names_key:
        b.problems, b.alias_of = [], {}
        _check_names(b, contacts)
        possible_duplicates(b)
        memo.names_key, memo.names = names_key, (tuple(b.problems), b.alias_of)
    b.alias_of = memo.names[1]

    unreadable = tuple(path for path, note in notes.items() if not note.readable)
    links_key = (names_key, unreadable)
    if memo.links_key != links_key:
        memo.links_key = links_key
        memo.links.clear()
    records: dict[str, list[Interaction]] = {path: list(rs) for path, rs in own.items()}
    sources: dict[str, set[str]] = defaultdict(set)
    edge_count: Counter[tuple[str, str]] = Counter()
    for path, note in notes.items():
        links = memo.links.get(path)
        if links is None or links[0] is not note:
            links = _links(b, path, note)
            memo.links[path] = links
        if links[1]:
            with_problems.add(path)
        for target, record in links[2]:
            records[target].append(record)
            sources[target].add(path)
        if links[3]:
            edge_count.update(links[3])

    final = [_merged(memo, contact, tuple(records[contact.path])) for contact in contacts]
    if len(memo.static) > len(notes) + 64:  # forget notes that are gone
        for table in (memo.static, memo.contacts, memo.links, memo.merged):
            for path in [p for p in table if p not in notes]:
                del table[path]
    keys = list(notes)
    memo.last = _Last(
        keys=keys,
        notes=notes,
        contact_paths=b.contact_paths,
        by_name=b.by_name,
        alias_of=b.alias_of,
        names_problems=memo.names[0],
        note_order={path: i for i, path in enumerate(keys)},
        position={c.path: i for i, c in enumerate(final)},
        contacts=final,
        sources=dict(sources),
        edge_count=edge_count,
        edges=frozenset(edge_count),
        with_problems=with_problems,
        conflicted=conflicted_notes,
    )
    return _vault(memo, memo.last, found, conflicted)


def _vault(memo: BuildMemo, last: _Last, found: list[Problem], conflicted: set[str]) -> Vault:
    for path in sorted(last.with_problems):
        found.extend(memo.static[path][1])
        if path in last.contact_paths:
            found.extend(memo.contacts[path][2])
        found.extend(memo.links[path][1])
    found.extend(last.names_problems)
    return Vault(
        contacts=tuple(last.contacts),
        edges=last.edges,
        dated_edges=_dated_edges(memo, last),
        problems=tuple(sorted(found, key=Problem.sort_key)),
        conflicted=frozenset(conflicted | last.conflicted),
    )


def is_folder_note(path: str) -> bool:
    """Whether the note is its folder's index note: its name, leading emoji, punctuation and
    spaces aside, is its folder's name in any case (`People/People.md`, `People/🗂️ People.md`)."""
    folder, _, name = path[:-3].rpartition("/")
    if not folder:
        return False
    return _bare(name) == _bare(folder.rpartition("/")[2])


def _bare(name: str) -> str:
    """A name without what leads it but a letter or a digit, case-folded."""
    i = 0
    while i < len(name) and unicodedata.category(name[i])[0] not in "LN":
        i += 1
    return name[i:].strip().casefold()


def _is_contact(path: str, note: ParsedNote, people: PeopleFolders) -> bool:
    """A readable note in a people folder, unless it is that folder's index note, or a
    readable note marked as a person."""
    if not note.readable:
        return False
    if people.holds(path):
        return not is_folder_note(path)
    return note.person


def _contact_entry(settings: Settings, path: str, note: ParsedNote) -> _ContactEntry:
    """What the memo keeps of a contact note: the note, its contact, its property problems,
    its own records and the links in their `gave` text."""
    return (note, *_contact(settings, path, note), _own_records(settings, note), _gifts(note))


def _own_records(settings: Settings, note: ParsedNote) -> tuple[Interaction, ...]:
    """The note's records, less its body logs standing in a plan callout (a plan)."""
    records = note.props.records
    if not note.callout_records:
        return records
    plans = {i for i, callouts in note.callout_records if settings.is_plan(callouts)}
    if not plans:
        return records
    return tuple(r for i, r in enumerate(records) if i not in plans)


_GIFT_LINK = re.compile(r"\[\[([^\[\]\n]+)\]\]")


def _gifts(note: ParsedNote) -> tuple[tuple[str, date], ...]:
    """(link target, date) of each link in the `gave` text of an `interactions` entry
    (`gave: "intro to [[Ben]]"`): an introduction made that day (DESIGN 5.5). A body log's
    links are the note's own links, `knows` edges already."""
    found: list[tuple[str, date]] = []
    for record in note.props.records:
        text = record.gave_text
        if record.source == PROPERTY and text is not None and "[[" in text:
            found.extend((target, record.date) for target in _GIFT_LINK.findall(text))
    return tuple(found)


def _dated_edges(memo: BuildMemo, last: _Last) -> Mapping[tuple[str, str], date]:
    """The `knows` edges that exist from a date on, by pair (a, b), a < b: an introduction
    logged in an `interactions` entry's `gave` text links the two from that day on (the
    earliest such day; a pair `edges` links anyway is left out)."""
    found: dict[tuple[str, str], date] = {}
    b: _Builder | None = None
    for path in last.contact_paths:
        gifts = memo.contacts[path][4]
        if not gifts:
            continue
        if b is None:
            assert memo.base is not None
            b = _Builder(memo.base[0], memo.base[1], last.notes)
            b.by_name, b.alias_of, b.contact_paths = (
                last.by_name,
                last.alias_of,
                last.contact_paths,
            )
        for target, day in gifts:
            other = resolve(b, target, path)
            if other is None or other == path or other not in last.contact_paths:
                continue
            pair = (min(path, other), max(path, other))
            if pair not in last.edges and (pair not in found or day < found[pair]):
                found[pair] = day
    return MappingProxyType(dict(sorted(found.items()))) if found else NO_DATED_EDGES


def _names_of(note: ParsedNote) -> tuple[tuple[str, ...], tuple[int | None, ...]]:
    """What the name checks read of a contact's note: its aliases and their lines."""
    return note.props.aliases, note.props.alias_lines


_NO_EDGES: frozenset[Any] = frozenset()


def _links(b: _Builder, path: str, note: ParsedNote) -> _Links:
    if not note.body.links and not note.attendees and not note.knows:
        return (note, (), (), _NO_EDGES)  # most contacts: nothing to resolve
    b.problems, b.records, b.edges = [], defaultdict(list), set()
    if b.daily is None:
        b.daily = daily_matcher(
            b.config.daily_folder, b.config.daily_format, b.settings.daily_notes_locale
        )
    day = b.daily(path)
    if day is not None:
        _mentions(b, path, note, day, "mention")
    elif note.meeting_date is not None:
        _mentions(b, path, note, note.meeting_date, "meeting")
    if path in b.contact_paths:
        _contact_links(b, path, note)
    return (
        note,
        tuple(b.problems),
        tuple((t, r) for t, rs in b.records.items() for r in rs),
        frozenset(b.edges),
    )


def _merged(memo: BuildMemo, contact: Contact, mine: tuple[Interaction, ...]) -> Contact:
    merged = memo.merged.get(contact.path)
    if merged is None or merged[0] is not contact or merged[1] != mine:
        merged = (contact, mine, _with_interactions(contact, list(mine)))
        memo.merged[contact.path] = merged
    return merged[2]


def _update(
    memo: BuildMemo,
    last: _Last,
    notes: Mapping[str, ParsedNote],
    found: list[Problem],
    conflicted: set[str],
) -> Vault | None:
    """The last build with the notes that changed since worked in; None when that cannot be
    done exactly (notes came or went, or a change moves a name, an alias or a contact)."""
    if len(notes) != len(last.keys) or list(notes) != last.keys:
        return None
    old = last.notes
    changed = [path for path, note in notes.items() if old[path] is not note]
    if len(changed) > _DELTA_MAX:
        return None
    assert memo.base is not None
    settings, config = memo.base
    people = PeopleFolders(settings.people_folders)
    for path in changed:
        note, before = notes[path], old[path]
        is_contact = _is_contact(path, note, people)
        if is_contact != (path in last.contact_paths) or note.readable != before.readable:
            return None
        if is_contact and _names_of(note) != _names_of(before):
            return None
    b = _Builder(settings, config, notes)
    b.by_name, b.alias_of, b.contact_paths = last.by_name, last.alias_of, last.contact_paths
    affected: set[str] = set()
    edges_moved = False
    for path in changed:
        note = notes[path]
        problems = _note_problems(path, note)
        memo.static[path] = (note, problems)
        if path in last.contact_paths:
            entry = memo.contacts[path] = _contact_entry(settings, path, note)
            problems += entry[2]
            affected.add(path)
        was, links = memo.links[path], _links(b, path, note)
        memo.links[path] = links
        problems += links[1]
        for target, _ in was[2]:
            affected.add(target)
            last.sources[target].discard(path)
        for target, _ in links[2]:
            affected.add(target)
            last.sources.setdefault(target, set()).add(path)
        if was[3] != links[3]:
            edges_moved = True
            last.edge_count.subtract(was[3])
            last.edge_count.update(links[3])
        (last.with_problems.add if problems else last.with_problems.discard)(path)
        (last.conflicted.add if note.body.conflict_lines else last.conflicted.discard)(path)
    for target in affected:
        mine = list(memo.contacts[target][3])
        for source in sorted(last.sources.get(target, ()), key=last.note_order.__getitem__):
            mine.extend(r for t, r in memo.links[source][2] if t == target)
        i = last.position[target]
        last.contacts[i] = _merged(memo, memo.contacts[target][1], tuple(mine))
    if edges_moved:
        last.edge_count = +last.edge_count
        last.edges = frozenset(last.edge_count)
    last.notes = notes
    return _vault(memo, last, found, conflicted)


def _note_problems(path: str, note: ParsedNote) -> tuple[Problem, ...]:
    """What is wrong with a note on its own: unreadable frontmatter, conflict markers,
    deprecated keys, a body too hostile to be read to its end."""
    found = []
    if note.error is not None:
        found.append(Problem(path, note.error.line, note.error.code, note.error.message))
    for error in note.placeholders:
        found.append(Problem(path, error.line, error.code, error.message))
    for where, code, message in note.body.problems:
        found.append(Problem(path, where, code, message))
    for marker in note.body.conflict_lines:
        found.append(
            Problem(
                path,
                marker,
                "conflict-markers",
                "git conflict markers (<<<<<<< ======= >>>>>>>): keep the right version and "
                "delete the markers",
            )
        )
    for key, line, comment in note.deprecated:
        plural = {"tag": "tags", "alias": "aliases"}[key]
        message = f"'{key}' is deprecated in Obsidian and ignored: rename it to '{plural}'"
        if comment is not None:
            words = ", ".join(re.findall(r"#([^\s#,]+)", comment)) or "…"
            message = (
                f"'{key}: {comment}' holds nothing: in YAML '#' starts a comment, so the "
                f"value is empty (and '{key}' is deprecated in Obsidian): write "
                f"'{plural}: [{words}]', without '#'"
            )
        found.append(Problem(path, line, "deprecated-key", message))
    return tuple(found)


# -- contacts -------------------------------------------------------------------------------


def _contact(
    settings: Settings, path: str, note: ParsedNote
) -> tuple[Contact, tuple[Problem, ...]]:
    """A contact note's contact (its interactions come later) and its property problems."""
    props = note.props
    problems = [Problem(path, line, code, message) for line, code, message in props.problems]
    circle_name = None
    if props.circle is not None:
        circle = settings.circle(props.circle)
        if circle is None:
            names = ", ".join(c.name for c in settings.circles)
            problems.append(
                Problem(
                    path,
                    props.circle_line,
                    "unknown-circle",
                    f"circle '{props.circle}' is not one of the configured circles ({names}): "
                    "the contact is treated as having no circle",
                )
            )
        else:
            circle_name = circle.name
    cadence = props.cadence
    if cadence is None and circle_name is not None:
        found = settings.circle(circle_name)
        cadence = found.cadence if found else None
    dims: dict[str, str] = {}
    values = props.dims or {}
    for dim in settings.dimensions:
        value = values.get(dim)
        if value is not None:
            dims[dim] = value
    contact = Contact(
        name=stem(path),
        path=path,
        circle=circle_name,
        cadence=cadence,
        dimensions=dims,
        aliases=props.aliases,
        since=props.since,
        birthday=props.birthday,
        follow_up=props.follow_up,
        snooze_until=props.snooze_until,
        paused=props.paused,
        email=props.email,
        interests=props.interests,
        offers=props.offers,
        needs=props.needs,
    )
    return contact, tuple(problems)


_BY_DAY = attrgetter("date", "source")


def _with_interactions(contact: Contact, records: list[Interaction]) -> Contact:
    """One interaction per day: minutes the largest, flags OR-ed, kind from the most explicit
    source (property > body log > mention)."""
    records.sort(key=_BY_DAY)
    merged: list[Interaction] = []
    i = 0
    while i < len(records):
        first = records[i]
        j = i + 1
        while j < len(records) and records[j].date == first.date:
            j += 1
        if j == i + 1:
            merged.append(first)
        else:
            group = records[i:j]
            minutes = [r.minutes for r in group if r.minutes is not None]
            merged.append(
                Interaction(
                    date=first.date,
                    kind=next((r.kind for r in group if r.kind), None),
                    minutes=max(minutes) if minutes else None,
                    gave=any(r.gave for r in group),
                    asked=any(r.asked for r in group),
                    news=any(r.news for r in group),
                    source=first.source,
                    gave_text=next((r.gave_text for r in group if r.gave_text), None),
                    asked_text=next((r.asked_text for r in group if r.asked_text), None),
                    note=next((r.note for r in group if r.note), None),
                )
            )
        i = j
    return contact._replace(interactions=tuple(merged))


def _named(paths: list[str], skip: str, total: int = 0, limit: int = 5) -> str:
    """At most `limit` of `paths` other than `skip` (one of them), and how many more: a
    message stays short however many notes share a name (DESIGN 5.4: output linear in the
    vault). `total`: how many paths there are, when `paths` holds only the first ones."""
    shown = [p for p in paths[: limit + 1] if p != skip][:limit]
    more = max(total, len(paths)) - 1 - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _check_names(b: _Builder, contacts: list[Contact]) -> None:
    """Contacts sharing a name, aliases shared by two contacts, and notes shadowing an alias."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for c in contacts:
        by_name[fold(c.name)].append(c.path)
    for paths in by_name.values():
        if len(paths) > 1:
            for path in paths:
                others = _named(paths, path)
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
                others = _named([o.path for o in owners[:6]], c.path, len(owners))
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
    for name, line in zip(note.props.aliases, note.props.alias_lines, strict=False):
        if fold(name) == alias:
            return line
    return None


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


def _mentions(b: _Builder, path: str, note: ParsedNote, day: date, kind: str) -> None:
    seen_marks: dict[str, list[Marks]] = defaultdict(list)
    for link in note.body.links:
        if not link.counts or (link.callouts and b.settings.is_plan(link.callouts)):
            continue  # not a contact: a plan callout holds plans
        target = resolve(b, link.target, path, link.markdown)
        if target is None or target == path or target not in b.contact_paths:
            continue
        seen_marks[target].append(link.marks)
    for key, item, where in note.attendees:
        item = _quoted(b, path, key, item, where)
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
            b.records[target].append(from_marks(day, MENTION, marks, kind))


def _unquoted(value: list[Any]) -> str | None:
    """The name in an unquoted `[[Name]]`, which YAML reads as nested one-element lists."""
    item: Any = value
    while isinstance(item, list) and len(item) == 1:
        item = item[0]
    return item if isinstance(item, str) else None


def _quoted(b: _Builder, path: str, key: str, item: Any, where: int | None) -> Any:
    """A property's link as text; the unquoted `[[X]]` YAML form is read and reported."""
    if not isinstance(item, list):
        return item
    name = _unquoted(item)
    if name is not None:
        b.report(
            path,
            where,
            "unquoted-link",
            f"'{key}' holds [[{name}]] without quotes, which YAML reads as a list: "
            f'write "[[{name}]]"',
        )
    return name


def _contact_links(b: _Builder, path: str, note: ParsedNote) -> None:
    """Links from one contact's note to another (body or `knows`): undirected `knows` edges."""
    targets = [(link.target, link.markdown) for link in note.body.links]
    for key, item, where in note.knows:
        item = _quoted(b, path, key, item, where)
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

"""A vault to start from: contacts imported from LinkedIn or vCard files, and the starter vault.

Parsers take the file's text and return values (`ImportedContact`) with the problems found;
`plan_import` decides, without touching the disk, which notes to create and how existing notes
differ; `apply_plan` and `copy_starter` write through `vault_io.replace_file` with
`expected=None`, so a note that exists (or appears meanwhile) is never overwritten.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from entraide.errors import UserError
from entraide.parse.values import fold, nfc
from entraide.vault_io import Moved, WriteRefused, read_bytes, replace_file, scan

Value = str | date | tuple[str, ...]
"""An imported property: text, a date (written unquoted so Obsidian sees a date), or a list."""

# The order properties are written in, whatever the source.
PROPERTY_ORDER = (
    "aliases",
    "profession",
    "company",
    "department",
    "country",
    "interests",
    "since",
    "birthday",
    "email",
    "phone",
    "url",
    "linkedin",
)
MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 200  # UTF-8 bytes: file systems allow 255, replace_file's temp name adds ~30
_FORBIDDEN = frozenset('/\\[]#^|:*?"<>')
_INVISIBLE = frozenset(
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)  # bidi overrides and the BOM: they make a file name lie about itself
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


class NotAnExport(UserError):
    """The file is not the export it was said to be: nothing can be imported from it."""


@dataclass(frozen=True, slots=True)
class ImportedContact:
    """One person read from an export; `origin` says where ("line 7", "card 2 (line 12)")."""

    name: str
    properties: Mapping[str, Value] = field(default_factory=dict)
    body: str = ""
    origin: str = ""


@dataclass(frozen=True, slots=True)
class Parsed:
    contacts: tuple[ImportedContact, ...]
    problems: tuple[str, ...]  # one line each: what was skipped or left out, and where
    skipped: int = 0  # entries of the file that gave no contact


# -- LinkedIn ------------------------------------------------------------------------------

_LINKEDIN_COLUMNS = {
    "first name": "first",
    "last name": "last",
    "url": "linkedin",
    "email address": "email",
    "company": "company",
    "position": "profession",
    "connected on": "since",
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,})\.?[ -,]*(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,})\.? (\d{1,2}),? (\d{4})")


def linkedin_date(text: str) -> date | None:
    """`20 Nov 2026` (LinkedIn's export, English month names whatever the locale), `Nov 20,
    2026` or `2026-11-20`; None when it is none of these or names no day."""
    text = " ".join(text.split())
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DAY_MONTH_YEAR.fullmatch(text):
            day, month, year = m[1], m[2], m[3]
        elif m := _MONTH_DAY_YEAR.fullmatch(text):
            month, day, year = m[1], m[2], m[3]
        else:
            return None
        number = _MONTHS.get(month[:3].lower())
        return date(int(year), number, int(day)) if number else None
    except ValueError:
        return None


def parse_linkedin(text: str) -> Parsed:
    """LinkedIn's `Connections.csv`: preamble lines, then the header, then one row per person.

    Columns are found by their header name, so missing or reordered columns are tolerated.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    columns: dict[str, int] | None = None
    contacts: list[ImportedContact] = []
    problems: list[str] = []
    skipped = 0
    try:
        for row in reader:
            where = f"line {reader.line_num}"
            if columns is None:
                columns = _linkedin_header(row)
                continue
            if not any(cell.strip() for cell in row):
                continue
            cells = {
                key: " ".join(row[i].split()) if i < len(row) else "" for key, i in columns.items()
            }
            shown = " ".join(f"{cells.get('first', '')} {cells.get('last', '')}".split())
            name = plain_name(shown)
            if not name:
                problems.append(f"{where}: skipped, the row has no first or last name")
                skipped += 1
                continue
            properties: dict[str, Value] = {}
            if nfc(shown) != nfc(name):
                properties["aliases"] = (nfc(shown),)  # links to the shown name still resolve
            for key in ("profession", "company", "linkedin", "email"):
                if cells.get(key):
                    properties[key] = nfc(cells[key])
            if cells.get("since"):
                since = linkedin_date(cells["since"])
                if since is None:
                    problems.append(
                        f"{where}: '{cells['since']}' in Connected On is not a date "
                        f"(like 20 Nov 2026); {name} is imported without 'since'"
                    )
                else:
                    properties["since"] = since
            contacts.append(ImportedContact(nfc(name), _ordered(properties), "", where))
    except csv.Error as exc:
        raise NotAnExport(
            f"The CSV file cannot be read at line {reader.line_num}: {exc}."
        ) from None
    if columns is None:
        raise NotAnExport(
            "No header line with 'First Name' and 'Last Name' was found: is this the "
            "Connections.csv of LinkedIn's data export?"
        )
    return Parsed(tuple(contacts), tuple(problems), skipped)


# What people add to their name on LinkedIn: credentials after a comma (`, PhD`), pronouns
# in brackets, emoji and pictographs. The file gets the plain name; the decorated one is kept
# as an alias.
_CREDENTIAL = (
    r"(?:[A-Z]{2,}[A-Za-z.]*|[A-Z][a-z]?[A-Z][A-Za-z.]*|(?:[A-Z][a-z]{0,2}\.)+|Jr\.?|Sr\.?)"
)
_CREDENTIALS = re.compile(rf"\s*,\s*{_CREDENTIAL}(?:[\s,]+{_CREDENTIAL})*\s*$")
_BRACKETED = re.compile(r"\s*\([^()]*\)")


def plain_name(name: str) -> str:
    """`Laura Smith, PhD` → `Laura Smith`; `Kwabena Owusu 🌱` → `Kwabena Owusu`; `Ana Lima
    (she/her)` → `Ana Lima`. A name that would be left empty stays as it is."""
    text = "".join(
        c
        for c in nfc(name)
        if unicodedata.category(c) not in ("So", "Sk", "Cs", "Co", "Mn") or unicodedata.combining(c)
    )
    text = text.replace("\u200d", "").replace("\ufe0f", "")
    text = _BRACKETED.sub("", text)
    text = _CREDENTIALS.sub("", text)
    text = " ".join(text.split()).strip(" ,-|·•")
    return text or " ".join(name.split())


def _linkedin_header(row: Sequence[str]) -> dict[str, int] | None:
    """The column of each known field, when `row` is the header line (preamble lines are not)."""
    cells = [cell.strip().removeprefix("\ufeff").casefold() for cell in row]
    found = {
        _LINKEDIN_COLUMNS[c]: i
        for i, c in reversed(list(enumerate(cells)))
        if c in _LINKEDIN_COLUMNS
    }
    if len(found) >= 2 and ("first" in found or "last" in found):
        return found
    return None


# -- vCard ---------------------------------------------------------------------------------

_BEGIN = re.compile(r"^BEGIN:VCARD[ \t]*$", re.IGNORECASE)
_END = re.compile(r"^END:VCARD[ \t]*$", re.IGNORECASE)
_FULL_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})")


def split_cards(text: str) -> list[tuple[int, str, bool]]:
    """Each `BEGIN:VCARD … END:VCARD` block: (first line, text, closed), so that one broken
    card cannot stop the others from being read."""
    cards: list[tuple[int, str, bool]] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), 1):
        if _BEGIN.match(line):
            if current is not None:
                cards.append((start, "\r\n".join(current) + "\r\n", False))
            current, start = [line], number
        elif current is not None:
            current.append(line)
            if _END.match(line):
                cards.append((start, "\r\n".join(current) + "\r\n", True))
                current = None
    if current is not None:
        cards.append((start, "\r\n".join(current) + "\r\n", False))
    return cards


def vcard_birthday(value: object, omit_year: str | None = None) -> date | str | None:
    """BDAY as a date, or `--MM-DD` when the year is unknown (vCard 4 `--1127`, or Apple's
    `X-APPLE-OMIT-YEAR`); None when it is not a day of the calendar."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if m := _FULL_DATE.fullmatch(text):
            month, day = int(m[2]), int(m[3])
            if omit_year is not None and omit_year.strip() == m[1]:
                date(2000, month, day)  # a leap year: 29 February is a birthday
                return f"--{month:02d}-{day:02d}"
            return date(int(m[1]), month, day)
        if m := _NO_YEAR.fullmatch(text):
            month, day = int(m[1]), int(m[2])
            date(2000, month, day)
            return f"--{month:02d}-{day:02d}"
    except ValueError:
        return None
    return None


def parse_vcards(text: str) -> Parsed:
    """Every card of a vCard 3 or 4 file; a card that cannot be read is reported and skipped."""
    cards = split_cards(text)
    if not cards:
        raise NotAnExport("No vCard was found in the file (no BEGIN:VCARD line).")
    import vobject

    contacts: list[ImportedContact] = []
    problems: list[str] = []
    for number, (line, block, closed) in enumerate(cards, 1):
        where = f"card {number} (line {line})"
        if not closed:
            problems.append(f"{where}: skipped, it has no END:VCARD line")
            continue
        try:
            card = vobject.readOne(block)
            contact, notes = _card_contact(card.contents, where)
        except (vobject.base.VObjectError, ValueError, TypeError, LookupError) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            problems.append(f"{where}: skipped, the card cannot be read: {reason}")
            continue
        problems.extend(notes)
        if contact is None:
            if not notes:
                problems.append(f"{where}: skipped, the card has no name (FN or N)")
        else:
            contacts.append(contact)
    return Parsed(tuple(contacts), tuple(problems), len(cards) - len(contacts))


def _card_contact(
    contents: Mapping[str, list[Any]], where: str
) -> tuple[ImportedContact | None, list[str]]:
    name = next(iter(_texts(contents, "fn")), "")
    if not name:
        for line in contents.get("n", []):
            parts = [getattr(line.value, key, "") for key in ("given", "additional", "family")]
            name = " ".join(" ".join(_flatten(parts)).split())
            if name:
                break
    org = _units(contents)
    shown_as = next(iter(_texts(contents, "x-abshowas")), "")
    has_person = any(
        " ".join(_flatten([getattr(line.value, key, "") for key in ("given", "family")])).strip()
        for line in contents.get("n", [])
    )
    if org and (shown_as.upper() == "COMPANY" or (not has_person and (not name or name == org[0]))):
        label = f"'{name}'" if name else f"ORG '{org[0]}'"
        return None, [
            f"{where}: skipped {label}: a company's card, not a person's (no given or family "
            "name in N); add a note by hand if it is one"
        ]
    if not name:
        return None, []
    problems: list[str] = []
    properties: dict[str, Value] = {}
    if org:
        properties["company"] = org[0]
        if len(org) > 1:
            properties["department"] = ", ".join(org[1:])
    values = _texts(contents, "title")
    if values:
        properties["profession"] = values[0]
    countries = [
        nfc(" ".join(_unescape(" ".join(_flatten([getattr(line.value, "country", "")]))).split()))
        for line in contents.get("adr", [])
    ]
    countries = [c for c in countries if c]
    if countries:
        properties["country"] = countries[0]
    categories: list[str] = []
    for line in contents.get("categories", []):
        for item in _flatten([line.value]):
            for part in item.split(","):
                text = nfc(" ".join(part.split()))
                if text and text not in categories:
                    categories.append(text)
    if categories:
        properties["interests"] = tuple(categories)
    for key, vkey, scheme in (
        ("email", "email", "mailto:"),
        ("phone", "tel", "tel:"),
        ("url", "url", ""),
    ):
        values = _texts(contents, vkey, scheme)
        if values:
            properties[key] = values[0] if len(values) == 1 else tuple(values)
    for line in contents.get("bday", [])[:1]:
        omit = line.params.get("X-APPLE-OMIT-YEAR", [None])[0]
        birthday = vcard_birthday(line.value, omit)
        if birthday is None:
            problems.append(
                f"{where}: BDAY '{line.value}' is not a date; {name} is imported without 'birthday'"
            )
        else:
            properties["birthday"] = birthday
    notes = [_body_text(line.value) for line in contents.get("note", [])]
    body = "\n\n".join(n for n in notes if n)
    return ImportedContact(nfc(name), _ordered(properties), body, where), problems


def _flatten(values: Iterable[object]) -> list[str]:
    out: list[str] = []
    for value in values:
        if isinstance(value, list | tuple):
            out.extend(_flatten(value))
        elif isinstance(value, str):
            out.append(value)
    return out


def _units(contents: Mapping[str, list[Any]]) -> list[str]:
    """ORG's name and units, in order (`ORG:Acme;Labs` → `Acme`, `Labs`): the company, then
    the department."""
    for line in contents.get("org", []):
        units = [nfc(" ".join(_unescape(p).split())) for p in _flatten([line.value])]
        units = [u for u in units if u]
        if units:
            return units
    return []


_ESCAPED = re.compile(r"\\([\\,;:nN])")


def _unescape(text: str) -> str:
    r"""vCard's backslash escapes, which some exporters leave in values vobject reads as
    they are (`URL:https\://…`, `\,`): each stands for its character (`\n`: a new line)."""
    return _ESCAPED.sub(lambda m: "\n" if m[1] in "nN" else m[1], text)


def _texts(contents: Mapping[str, list[Any]], key: str, scheme: str = "") -> list[str]:
    """The non-empty values of a property, trimmed, unescaped and NFC, without duplicates;
    a URI scheme such as `tel:` removed."""
    out: list[str] = []
    for line in contents.get(key, []):
        parts = [p for p in _flatten([line.value]) if p.strip()]
        if not parts:
            continue
        text = nfc(" ".join(_unescape(parts[0]).split()))
        if scheme and text.lower().startswith(scheme):
            text = text[len(scheme) :].strip()
        if text and text not in out:
            out.append(text)
    return out


def _body_text(value: object) -> str:
    """A NOTE as body text: LF line ends, no control characters, no trailing spaces."""
    if not isinstance(value, str):
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    return nfc("\n".join(line.rstrip() for line in text.split("\n")).strip("\n"))


def _ordered(properties: Mapping[str, Value]) -> dict[str, Value]:
    return {key: properties[key] for key in PROPERTY_ORDER if key in properties}


# -- safe file names -----------------------------------------------------------------------


def clean_name(name: str) -> str:
    """`name` as a file name Obsidian and every OS accept, or "" when nothing usable is left.

    NFC; no path separators, `..`, control or bidi characters, nor `[]#^|:*?"<>`; spaces
    collapsed; no leading dot, no trailing dot or space (Windows drops them); at most
    MAX_NAME_CHARS characters and MAX_NAME_BYTES bytes.
    """
    chars = []
    for c in nfc(name):
        category = unicodedata.category(c)
        if c in _FORBIDDEN or category in ("Cc", "Zl", "Zp"):
            chars.append(" ")
        elif c not in _INVISIBLE and category not in ("Cs", "Co", "Cn"):
            chars.append(c)
    text = re.sub(r"\.{2,}", ".", " ".join("".join(chars).split()))
    text = text.strip(" .")[:MAX_NAME_CHARS]
    while len(text.encode("utf-8")) > MAX_NAME_BYTES:
        text = text[:-1]
    return text.rstrip(" .")


def windows_reserved(name: str) -> bool:
    """CON, NUL, COM1… cannot be file names on Windows, with any extension."""
    return name.split(".", 1)[0].strip().upper() in _WINDOWS_RESERVED


def safe_file_name(name: str) -> str | None:
    """The file name (without `.md`) for a contact, or None when the name cannot be one."""
    text = clean_name(name)
    return text if text and not windows_reserved(text) else None


# -- planning and writing ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonNote:
    """A note already in a people folder: its frontmatter (None if unreadable) and its text."""

    path: str  # vault-relative, `/`-separated, NFC
    data: Mapping[str, Any] | None
    text: str


@dataclass(frozen=True, slots=True)
class Difference:
    key: str
    imported: Value
    existing: object  # None when the note does not have the property


@dataclass(frozen=True, slots=True)
class Existing:
    contact: ImportedContact
    path: str
    differences: tuple[Difference, ...]
    readable: bool = True


@dataclass(frozen=True, slots=True)
class NewNote:
    contact: ImportedContact
    path: str  # vault-relative
    data: bytes


@dataclass(frozen=True, slots=True)
class Plan:
    create: tuple[NewNote, ...]
    existing: tuple[Existing, ...]
    skipped: tuple[str, ...]


def read_people(root: Path, folders: Sequence[str], max_note_bytes: int) -> dict[str, PersonNote]:
    """Every note under the people folders, keyed by its folded file name (first path wins)."""
    from entraide.parse.frontmatter import parse as parse_frontmatter
    from entraide.parse.note import decode

    notes: dict[str, PersonNote] = {}
    for folder in folders:
        if not folder:
            continue
        found = scan(root / folder, (), (), max_note_bytes)
        for note in sorted(found.notes + found.too_large, key=lambda n: n.path):
            key = fold(note.path.rpartition("/")[2][:-3])
            if key in notes:
                continue
            path = f"{folder}/{note.path}"
            try:
                text = None if note.size > max_note_bytes else decode(read_bytes(note.fs_path))
            except OSError:
                text = None
            if text is None:
                notes[key] = PersonNote(path, None, "")
                continue
            fm = parse_frontmatter(text)
            readable = fm.error is None or fm.error.code == "frontmatter-unclosed"
            notes[key] = PersonNote(path, (fm.data or {}) if readable else None, text)
    return notes


def render_note(title: str, contact: ImportedContact) -> bytes:
    """A new contact note: deterministic bytes, LF, one trailing newline."""
    front: dict[str, Any] = {"tags": ["person"]}
    for key, value in contact.properties.items():
        front[key] = list(value) if isinstance(value, tuple) else value
    header = yaml.safe_dump(
        front, allow_unicode=True, sort_keys=False, default_flow_style=None, width=4096
    )
    body = f"# {title}\n\n" + (f"{contact.body}\n\n" if contact.body else "") + "## Log\n"
    return f"---\n{header}---\n{body}".encode()


def plan_import(
    contacts: Iterable[ImportedContact], folder: str, people: Mapping[str, PersonNote]
) -> Plan:
    """Which notes to create in `folder` and how the notes already there differ (pure)."""
    create: list[NewNote] = []
    existing: list[Existing] = []
    skipped: list[str] = []
    seen: dict[str, ImportedContact] = {}
    for contact in contacts:
        title = safe_file_name(contact.name)
        if title is None:
            why = (
                "is reserved by Windows"
                if clean_name(contact.name)
                else "leaves nothing usable as a file name"
            )
            skipped.append(
                f"{contact.origin}: skipped '{contact.name}': the name {why}; add the note by hand"
            )
            continue
        key = fold(title)
        if key in seen:
            skipped.append(
                f"{contact.origin}: skipped '{contact.name}': {seen[key].origin} has the same "
                "name; only the first is imported"
            )
            continue
        seen[key] = contact
        note = people.get(key)
        if note is None:
            create.append(NewNote(contact, f"{folder}/{title}.md", render_note(title, contact)))
        elif note.data is None:
            existing.append(Existing(contact, note.path, (), readable=False))
        else:
            existing.append(Existing(contact, note.path, differences(contact, note)))
    return Plan(tuple(create), tuple(existing), tuple(skipped))


def differences(contact: ImportedContact, note: PersonNote) -> tuple[Difference, ...]:
    """Each imported property the note lacks or holds another value for (order ignored in
    lists), and the imported NOTE text when the note's text does not contain it."""
    data = note.data or {}
    out = []
    for key, value in contact.properties.items():
        theirs = _comparable(data.get(key))
        if theirs != _comparable(value):
            out.append(Difference(key, value, data.get(key) if theirs else None))
    if contact.body and " ".join(contact.body.split()) not in " ".join(nfc(note.text).split()):
        out.append(Difference("text", contact.body, None))
    return tuple(out)


def _comparable(value: object) -> frozenset[str]:
    items = value if isinstance(value, list | tuple) else [value]
    out = set()
    for item in items:
        if isinstance(item, datetime):
            item = item.date()
        if isinstance(item, date):
            out.add(item.isoformat())
        elif isinstance(item, str):
            text = " ".join(nfc(item).split())
            if text:
                out.add(text)
        elif item is not None:
            out.add(str(item))
    return frozenset(out)


def plain(v: object) -> object:
    """A property value as JSON holds it: dates as ISO text, anything else unknown as text."""
    if isinstance(v, date | datetime):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return [plain(x) for x in v]
    return v if isinstance(v, str | int | float | bool) or v is None else str(v)


def show(value: object, limit: int = 60) -> str:
    """A value for the merge report, on one line."""

    text = json.dumps(plain(value), ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def existing_json(found: Existing) -> dict[str, object]:
    """An existing note in `import --json`: how the import differs from it."""

    return {
        "path": found.path,
        "readable": found.readable,
        "differences": [
            {"key": d.key, "imported": plain(d.imported), "existing": plain(d.existing)}
            for d in found.differences
        ],
    }


def inside(folder: Path, target: Path) -> bool:
    """Whether `target`, symlinks resolved, lies inside `folder` (an already resolved path:
    a symlinked folder inside it is not followed, as the vault reader does not follow it)."""
    return target.resolve().is_relative_to(folder)


@dataclass(frozen=True, slots=True)
class Applied:
    created: tuple[str, ...]
    problems: tuple[str, ...]
    stopped: str | None = None  # why writing stopped (disk full, read-only vault)


def apply_plan(root: Path, folder: str, plan: Plan) -> Applied:
    """Create the planned notes; one that exists by now (or leads outside the people folder)
    is left alone and reported. WriteRefused (disk full, read-only) stops the import there."""
    created: list[str] = []
    problems: list[str] = []
    base = root.resolve() / folder
    for note in plan.create:
        target = root / note.path
        if not inside(base, target):
            problems.append(
                f"{note.path}: not written, the path leads outside '{folder}/' (a symbolic link?)"
            )
            continue
        try:
            replace_file(root, note.path, note.data, None)
        except Moved:
            problems.append(f"{note.path} appeared while importing: left alone")
            continue
        except WriteRefused as exc:
            return Applied(tuple(created), tuple(problems), str(exc))
        except OSError as exc:  # a file stands where the folder should be
            problems.append(f"{note.path}: not written: {exc.strerror or exc}")
            continue
        created.append(note.path)
    return Applied(tuple(created), tuple(problems))


# -- the starter vault ---------------------------------------------------------------------

_JUNK = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", "__pycache__"})


def starter_files(folder: str = "starter") -> dict[str, bytes]:
    """The starter vault shipped in the package (`entraide/starter/`, or `starter_fr/` in
    French): path → bytes."""
    from importlib.resources import files
    from importlib.resources.abc import Traversable

    out: dict[str, bytes] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name in _JUNK:
                continue
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            else:
                out[nfc(f"{prefix}{child.name}")] = child.read_bytes()

    walk(files("entraide").joinpath(folder), "")
    return dict(sorted(out.items()))


def is_empty_folder(root: Path) -> bool:
    """True when `root` holds nothing but OS litter (.DS_Store, Thumbs.db)."""
    return all(entry.name in _JUNK for entry in os.scandir(root))


@dataclass(frozen=True, slots=True)
class Copied:
    created: tuple[str, ...]
    kept: tuple[str, ...]  # already there: left alone
    problems: tuple[str, ...]  # not written, and why
    stopped: str | None = None  # why writing stopped (disk full, read-only folder)


def copy_starter(root: Path, files: Mapping[str, bytes]) -> Copied:
    """Write every starter file that does not exist yet; existing files are never touched."""
    created: list[str] = []
    kept: list[str] = []
    problems: list[str] = []
    base = root.resolve()
    for rel, data in files.items():
        target = root / rel
        if os.path.lexists(target):
            kept.append(rel)
            continue
        if not inside(base, target):
            problems.append(f"{rel}: a symbolic link leads outside the vault; not written")
            continue
        try:
            replace_file(root, rel, data, None)
        except Moved:
            kept.append(rel)
            continue
        except WriteRefused as exc:
            return Copied(tuple(created), tuple(kept), tuple(problems), str(exc))
        except OSError as exc:  # a file stands where a folder should be
            problems.append(f"{rel}: not written: {exc.strerror or exc}")
            continue
        created.append(rel)
    return Copied(tuple(created), tuple(kept), tuple(problems))

"""One note's bytes → everything entraide reads from it, independent of settings (cacheable)."""

from __future__ import annotations

import codecs
import re
from datetime import date
from typing import Any, NamedTuple

from entraide.parse.body import Body, LogItem, conflict_marker_lines, parse_body, strip_comments
from entraide.parse.frontmatter import Frontmatter, YamlError
from entraide.parse.frontmatter import parse as parse_frontmatter
from entraide.parse.props import Props, contact_props
from entraide.parse.values import ImpossibleDate, strip_target, to_date

# A tag that marks a person: `person`, `people` or `contact`, or one nested under them.
_PERSON_TAG = re.compile(r"^#?(?:person|people|contact)(?:/.*)?$", re.IGNORECASE)
_person_tags: dict[str, bool] = {}  # tag → whether it is a person tag
_PERSON_TYPES = frozenset({"person", "people", "contact"})  # `type` values that mark a person
_PERSON_CATEGORIES = frozenset({"people", "person"})  # `categories` values (kepano's)
_LINK = re.compile(r"^\[\[([^\[\]]*)\]\]$")
ATTENDEE_KEYS = ("attendees", "participants", "people", "with")
_MEETING_KEYS = frozenset({"date", *ATTENDEE_KEYS})
# `tag: #person`: YAML reads what follows `#` as a comment, so the key holds nothing.
_COMMENT_ONLY = re.compile(r"^\s*[^:#\s]+\s*:\s+(#.*?)\s*$")

Ref = tuple[str, Any, int | None]  # (property, item as loaded, line)
# (`tag` or `alias`, line, the comment it holds when it holds nothing else: `#people #person`)
Deprecated = tuple[str, int | None, str | None]


class ParsedNote(NamedTuple):
    """What entraide keeps of a note: small, so the cache loads fast.

    `error` says why the frontmatter could not be loaded, if so; `props` holds the note's
    properties validated as a contact's (used when the note is one).
    """

    error: YamlError | None
    body: Body = Body()
    props: Props = Props()
    person: bool = False  # marked as a person (`is_person`)
    deprecated: tuple[Deprecated, ...] = ()
    meeting_date: date | None = None  # a valid `date`, when attendees are named
    # Items of `attendees`, `participants`, `people`, `with` (or of the same Dataview inline
    # fields, when the frontmatter names no one and has no date).
    attendees: tuple[Ref, ...] = ()
    knows: tuple[Ref, ...] = ()
    # (index in `props.records`, its callouts) of each record from a body log that stands in
    # a callout: whether it counts depends on the setting `plan_callouts`.
    callout_records: tuple[tuple[int, tuple[str, ...]], ...] = ()
    # `template-placeholder` problems: properties holding `{{date}}` or `<% … %>`, set aside.
    placeholders: tuple[YamlError, ...] = ()
    whole: bool = True  # False: read without its body (no role needed it; `parse_note`)

    @property
    def readable(self) -> bool:
        """False when the frontmatter cannot be loaded: the note is then no contact.

        A never-closed frontmatter is no frontmatter for Obsidian: the note stays readable.
        """
        return self.error is None or self.error.code == "frontmatter-unclosed"


def decode(raw: bytes) -> str | None:
    """UTF-8 text without its BOM, or None when the bytes are not UTF-8."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def parse_note(raw: bytes, whole: bool = True) -> ParsedNote:
    """Everything entraide reads from a note. `whole=False`: the note's place gives it no role
    (`roles.Roles.needs_body`), so its body is read only if its frontmatter marks it as a
    person or a meeting, or its Dataview fields make it a meeting; otherwise the body is only
    scanned for conflict markers (DESIGN §9: no Markdown parse where no role needs one)."""
    text = decode(raw)
    if text is None:
        error = YamlError(
            "not-utf8",
            None,
            "the note is not UTF-8 text: re-save it as UTF-8 (Obsidian cannot read it either)",
        )
        return ParsedNote(error)
    fm = parse_frontmatter(text)
    data, lines = fm.data or {}, fm.lines
    if not whole and (fm.error is None or fm.error.code == "frontmatter-unclosed"):
        # (a note whose frontmatter cannot be loaded is no contact and no meeting)
        whole = is_person(data) or _meeting_date(data) is not None or _inline_meeting(fm, data)
    if whole:
        body = parse_body(fm.body, fm.body_line + 1)
    else:
        body = Body(conflict_lines=conflict_marker_lines(fm.body, fm.body_line + 1))
    end = len(text) - len(fm.body)  # where the frontmatter ends
    # (one character is found much quicker: look for the marker only where there is a "<")
    if fm.body_line and text.find("<", 0, end) >= 0 and text.find("<<<<<<< ", 0, end) >= 0:
        # Conflict markers may straddle the frontmatter: look for them in the whole note.
        body = body._replace(conflict_lines=conflict_marker_lines(text))
    logs = body.logs
    if logs:
        body = body._replace(logs=())  # logs live on in `props`
    if fm.error is not None and fm.error.code != "frontmatter-unclosed":
        return ParsedNote(fm.error, body, whole=whole)
    # Most notes name no one, know no one and use no deprecated key: ask the mapping first.
    named: list[str] = []
    if not data.keys().isdisjoint(ATTENDEE_KEYS):
        named = [key for key in ATTENDEE_KEYS if key in data]
    deprecated: tuple[Deprecated, ...] = ()
    if "tag" in data or "alias" in data:
        deprecated = tuple(_deprecated(text, data, lines, k) for k in ("tag", "alias") if k in data)
    meeting_date = _meeting_date(data) if named else None
    attendees = tuple(r for key in named for r in _refs(data, lines, key)) if named else ()
    if "::" in fm.body and not _names_anyone(data) and not _valid_date(data.get("date")):
        meeting_date, attendees = inline_meeting(fm.body, fm.body_line + 1)
    props = contact_props(fm.data, lines, logs)
    return ParsedNote(
        error=fm.error,
        body=body,
        props=props,
        person=is_person(data),
        deprecated=deprecated,
        meeting_date=meeting_date,
        attendees=attendees,
        knows=_refs(data, lines, "knows") if "knows" in data else (),
        callout_records=_callout_records(props, logs) if logs else (),
        placeholders=fm.placeholders,
        whole=whole,
    )


def _inline_meeting(fm: Frontmatter, data: dict[str, Any]) -> bool:
    """Whether Dataview inline fields of the body make the note a meeting (as `parse_note`
    reads them: only when the frontmatter names no one and has no valid date)."""
    if "::" not in fm.body or _names_anyone(data) or _valid_date(data.get("date")):
        return False
    return inline_meeting(fm.body, fm.body_line + 1)[0] is not None


def _callout_records(
    props: Props, logs: tuple[LogItem, ...]
) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Where the records of logs standing in callouts are in `props.records`: after the
    `interactions` entries, one record per dated log, in the body's order."""
    dated = [log for log in logs if log.date is not None]
    first = len(props.records) - len(dated)
    return tuple((first + i, log.callouts) for i, log in enumerate(dated) if log.callouts)


def _deprecated(
    text: str, data: dict[str, Any], lines: dict[tuple[str | int, ...], int], key: str
) -> Deprecated:
    """A deprecated key, its line, and the YAML comment it holds when it holds nothing else
    (`tag: #person`)."""
    line = lines.get((key,))
    if data.get(key) is None and line is not None and line >= 1:
        m = _COMMENT_ONLY.match(text.split("\n", line)[line - 1])
        if m:
            return (key, line, m.group(1))
    return (key, line, None)


def is_person(data: dict[str, Any]) -> bool:
    """Whether a note's properties mark it as a person, the ways real vaults do (DESIGN §1):
    `type` holding person, people or contact; `categories` holding People or Person (kepano's
    convention); either bare or as a link, any case, text or list; or a `tags` entry person,
    people or contact, or nested under one. The deprecated `tag` key does not count."""
    kind = data.get("type")
    if kind is not None and _holds(kind, _PERSON_TYPES):
        return True
    categories = data.get("categories")
    if categories is not None and _holds(categories, _PERSON_CATEGORIES):
        return True
    tags = data.get("tags")
    if isinstance(tags, str):
        tags = re.split(r"[,\s]+", tags)
    if isinstance(tags, list):
        for tag in tags:
            if isinstance(tag, str) and _person_tag(tag):
                return True
    return False


def _holds(value: Any, words: frozenset[str]) -> bool:
    """Whether text, or a list, holds one of `words` (lowercase), bare or as a link (to a
    note of that name, in any folder), any case."""
    for item in value if isinstance(value, list) else [value]:
        while isinstance(item, list) and len(item) == 1:
            item = item[0]  # an unquoted [[People]], which YAML reads as nested lists
        if not isinstance(item, str):
            continue
        text = item.strip()
        m = _LINK.match(text)
        if m:
            text = strip_target(m.group(1)).rpartition("/")[2]
        if text.strip().lower() in words:
            return True
    return False


def _person_tag(tag: str) -> bool:
    """Whether a tag is `person` or `person/…`; memoised, as a vault has few distinct tags."""
    found = _person_tags.get(tag)
    if found is None:
        found = _PERSON_TAG.match(tag.strip()) is not None
        if len(_person_tags) >= 1 << 12:
            _person_tags.clear()
        _person_tags[tag] = found
    return found


def _refs(
    data: dict[str, Any], lines: dict[tuple[str | int, ...], int], key: str
) -> tuple[Ref, ...]:
    value = data.get(key)
    if isinstance(value, str):
        return ((key, value, lines.get((key,))),)
    if isinstance(value, list):
        return tuple((key, item, lines.get((key, i))) for i, item in enumerate(value))
    return ()


def _names_anyone(data: dict[str, Any]) -> bool:
    """Whether `attendees`, `participants`, `people` or `with` is non-empty."""
    for key in ATTENDEE_KEYS:
        value = data.get(key)
        if isinstance(value, str):
            if value.strip():
                return True
        elif isinstance(value, list) and any(v is not None and v != "" for v in value):
            return True
    return False


def _valid_date(value: Any) -> date | None:
    try:
        return to_date(value)
    except ImpossibleDate:
        return None


def _meeting_date(data: dict[str, Any]) -> date | None:
    """A meeting note's date: a valid `date` with a non-empty `attendees`, `participants`,
    `people` or `with`."""
    return _valid_date(data.get("date")) if _names_anyone(data) else None


# -- Dataview inline fields ------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A field on a line of its own, maybe a list item or task at the left margin: `date:: …`.
_OWN_LINE = re.compile(
    r"^ {0,3}(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+)?(?:\[.\][ \t]+)?([^\[\]()`:]+?)::(.*)$"
)
# Where a bracketed field may start: `[key::` or `(key::`.
_BRACKET_START = re.compile(r"[\[(]([^\[\]()`:]+?)::")
_INLINE_KEY_JUNK = re.compile(r"[*_`]")


def _field_key(raw: str) -> str:
    """A field's key as Dataview compares it: formatting and case aside."""
    return _INLINE_KEY_JUNK.sub("", raw).strip().lower()


def inline_meeting(body: str, first_line: int = 1) -> tuple[date | None, tuple[Ref, ...]]:
    """A meeting's date and attendees from Dataview inline fields (`date:: 2026-11-20`,
    `participants:: [[Ana]], [[Ben]]`, `[date:: …]` inside a line) on lines at the top level
    of the body: not in code, a comment, a quote or an indented block. The date is None
    unless valid and someone is named; each attendee carries its line."""
    day: date | None = None
    seen_date = False
    found: list[Ref] = []
    fence: str | None = None
    text = strip_comments(body) if "%%" in body else body
    for number, line in enumerate(text.split("\n"), first_line):
        m = _FENCE.match(line)
        if fence is not None:
            closes = m is not None and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)
            if closes and m is not None and not line[m.end() :].strip():
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        if "::" not in line or line.startswith(("    ", "\t")) or line.lstrip(" ").startswith(">"):
            continue
        for key, value in _line_fields(line):
            if key == "date":
                if not seen_date:
                    seen_date = True
                    day = _valid_date(value.strip())
            elif key in ATTENDEE_KEYS:
                found.extend((key, item, number) for item in _split_items(value))
    return (day if found else None), tuple(found)


def _line_fields(line: str) -> list[tuple[str, str]]:
    """(key, value) of the meeting fields on one line: its own field, or bracketed ones."""
    own = _OWN_LINE.match(line)
    if own and _field_key(own.group(1)) in _MEETING_KEYS:
        return [(_field_key(own.group(1)), own.group(2))]
    found: list[tuple[str, str]] = []
    pos = 0
    while True:
        m = _BRACKET_START.search(line, pos)
        if m is None:
            return found
        close = "]" if line[m.start()] == "[" else ")"
        end = _closing(line, m.end(), line[m.start()], close)
        if end < 0:
            return found
        key = _field_key(m.group(1))
        if key in _MEETING_KEYS:
            found.append((key, line[m.end() : end]))
        pos = end + 1


def _closing(line: str, start: int, opening: str, close: str) -> int:
    """Where the bracket opened before `start` closes (brackets of its kind nest: a value
    may hold `[[links]]`), or -1."""
    depth = 0
    for i in range(start, len(line)):
        ch = line[i]
        if ch == opening:
            depth += 1
        elif ch == close:
            if depth == 0:
                return i
            depth -= 1
    return -1


def _split_items(value: str) -> list[str]:
    """`[[Ana]], [[Ben|B]], Chloé` → its items: commas outside links separate them."""
    items: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(value):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            items.append(value[start:i])
            start = i + 1
    items.append(value[start:])
    return [item.strip() for item in items if item.strip()]

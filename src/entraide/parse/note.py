"""One note's bytes → everything entraide reads from it, independent of settings (cacheable)."""

from __future__ import annotations

import codecs
import re
from datetime import date
from typing import Any, NamedTuple

from entraide.parse.body import Body, conflict_marker_lines, parse_body
from entraide.parse.frontmatter import YamlError
from entraide.parse.frontmatter import parse as parse_frontmatter
from entraide.parse.props import Props, contact_props
from entraide.parse.values import ImpossibleDate, to_date

_PERSON_TAG = re.compile(r"^#?person(?:/.*)?$", re.IGNORECASE)
_person_tags: dict[str, bool] = {}  # tag → whether it is a person tag
ATTENDEE_KEYS = ("attendees", "people", "with")

Ref = tuple[str, Any, int | None]  # (property, item as loaded, line)


class ParsedNote(NamedTuple):
    """What entraide keeps of a note: small, so the cache loads fast.

    `error` says why the frontmatter could not be loaded, if so; `props` holds the note's
    properties validated as a contact's (used when the note is one).
    """

    error: YamlError | None
    body: Body = Body()
    props: Props = Props()
    person: bool = False  # `type: person` or a `person` tag
    deprecated: tuple[tuple[str, int | None], ...] = ()  # (`tag` or `alias`, line)
    meeting_date: date | None = None  # a valid `date`, when attendees are named
    attendees: tuple[Ref, ...] = ()  # items of `attendees`, `people`, `with`
    knows: tuple[Ref, ...] = ()

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


def parse_note(raw: bytes) -> ParsedNote:
    text = decode(raw)
    if text is None:
        error = YamlError(
            "not-utf8",
            None,
            "the note is not UTF-8 text: re-save it as UTF-8 (Obsidian cannot read it either)",
        )
        return ParsedNote(error)
    fm = parse_frontmatter(text)
    body = parse_body(fm.body, fm.body_line + 1)
    end = len(text) - len(fm.body)  # where the frontmatter ends
    # (one character is found much quicker: look for the marker only where there is a "<")
    if fm.body_line and text.find("<", 0, end) >= 0 and text.find("<<<<<<< ", 0, end) >= 0:
        # Conflict markers may straddle the frontmatter: look for them in the whole note.
        body = Body(body.links, body.logs, conflict_marker_lines(text), body.problems)
    logs = body.logs
    if logs:
        body = Body(body.links, (), body.conflict_lines, body.problems)  # logs live on in `props`
    if fm.error is not None and fm.error.code != "frontmatter-unclosed":
        return ParsedNote(fm.error, body)
    data, lines = fm.data or {}, fm.lines
    # Most notes name no one, know no one and use no deprecated key: ask the mapping first.
    named: list[str] = []
    if not data.keys().isdisjoint(ATTENDEE_KEYS):
        named = [key for key in ATTENDEE_KEYS if key in data]
    deprecated: tuple[tuple[str, int | None], ...] = ()
    if "tag" in data or "alias" in data:
        deprecated = tuple((k, lines.get((k,))) for k in ("tag", "alias") if k in data)
    return ParsedNote(
        error=fm.error,
        body=body,
        props=contact_props(fm.data, lines, logs),
        person=is_person(data),
        deprecated=deprecated,
        meeting_date=_meeting_date(data) if named else None,
        attendees=tuple(r for key in named for r in _refs(data, lines, key)) if named else (),
        knows=_refs(data, lines, "knows") if "knows" in data else (),
    )


def is_person(data: dict[str, Any]) -> bool:
    kind = data.get("type")
    if isinstance(kind, str) and kind.strip().lower() == "person":
        return True
    tags = data.get("tags")
    if isinstance(tags, str):
        tags = re.split(r"[,\s]+", tags)
    if isinstance(tags, list):
        for tag in tags:
            if isinstance(tag, str) and _person_tag(tag):
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


def _meeting_date(data: dict[str, Any]) -> date | None:
    """A meeting note's date: a valid `date` with a non-empty `attendees`, `people` or `with`."""
    named = False
    for key in ATTENDEE_KEYS:
        value = data.get(key)
        if isinstance(value, str):
            named = named or bool(value.strip())
        elif isinstance(value, list):
            named = named or any(v is not None and v != "" for v in value)
    if not named:
        return None
    try:
        return to_date(data.get("date"))
    except ImpossibleDate:
        return None

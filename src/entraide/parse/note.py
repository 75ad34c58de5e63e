"""One note's bytes → everything entraide reads from it, independent of settings (cacheable)."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Any

from entraide.parse.body import Body, parse_body
from entraide.parse.frontmatter import YamlError
from entraide.parse.frontmatter import parse as parse_frontmatter
from entraide.parse.props import Props, contact_props


@dataclass(frozen=True, slots=True)
class ParsedNote:
    """A note as read: `data` is None when it has no readable frontmatter (see `error`)."""

    data: dict[str, Any] | None
    error: YamlError | None
    lines: dict[tuple[str | int, ...], int]
    body: Body
    has_frontmatter: bool
    props: Props = Props()  # validated as a contact (used when the note is one)

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            ParsedNote,
            (self.data, self.error, self.lines, self.body, self.has_frontmatter, self.props),
        )

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
        return ParsedNote(None, error, {}, Body(), False)
    fm = parse_frontmatter(text)
    body = parse_body(fm.body, fm.body_line + 1)
    readable = fm.error is None or fm.error.code == "frontmatter-unclosed"
    props = contact_props(fm.data, fm.lines, body.logs) if readable else Props()
    return ParsedNote(fm.data, fm.error, fm.lines, body, fm.present, props)

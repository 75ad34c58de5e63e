"""The catalogue of problem codes (DESIGN §6): what each means, and how serious it is.

Codes never change with the language; they are the stable part of a problem that scripts,
`status --json` and the pre-commit hook rely on. A *warning* leaves every note readable
(DESIGN 5.4): `check --severity error`, and so the pre-commit hook, ignores it, so that one old
warning does not block every later commit.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Code(NamedTuple):
    severity: Severity
    summary: str  # what it means, for the README's table and `entraide check --help`


CODES: dict[str, Code] = {
    "not-utf8": Code("error", "the note is not UTF-8 text"),
    "too-large": Code("error", "the note is over `max_note_bytes` and is skipped"),
    "frontmatter-unclosed": Code("error", "the frontmatter's closing `---` is missing"),
    "yaml-syntax": Code("error", "the frontmatter is not valid YAML"),
    "yaml-anchor": Code("error", "the frontmatter uses a YAML anchor or alias"),
    "yaml-repeated-key": Code("error", "a property is written twice"),
    "yaml-not-mapping": Code("error", "the frontmatter is not a list of properties"),
    "yaml-too-deep": Code("error", "the frontmatter is nested too deep"),
    "template-placeholder": Code("error", "the note was made from a template not filled in"),
    "invalid-property": Code("error", "a property has a value entraide cannot use"),
    "bad-date": Code("error", "a date that does not exist"),
    "unknown-circle": Code("warning", "a `circle` the settings do not name"),
    "deprecated-key": Code("warning", "`tag` or `alias` instead of `tags` or `aliases`"),
    "conflict-copy": Code("error", "a sync conflict copy, not read"),
    "conflict-markers": Code("error", "git conflict markers in the note"),
    "possible-duplicate": Code("warning", "`NAME 2.md` beside `NAME.md`: maybe a copy"),
    "symlink-outside": Code("error", "a symbolic link that leads outside the vault"),
    "duplicate-name": Code("error", "two contacts share a name"),
    "alias-shared": Code("warning", "two contacts share an alias"),
    "alias-shadowed": Code("error", "a note that is not a contact is named like a contact's alias"),
    "attendee-unknown": Code("warning", "a meeting attendee who is not a contact"),
    "unquoted-link": Code("error", "a `[[link]]` in the frontmatter without quotes"),
    "settings": Code("error", "a setting entraide cannot use"),
    "daily-format": Code("error", "a daily-note format entraide cannot read dates from"),
    "output-not-managed": Code("error", "a note where entraide would write is the user's"),
}

WARNINGS = frozenset(name for name, code in CODES.items() if code.severity == "warning")

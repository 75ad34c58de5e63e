"""One person as `entraide show` tells of them: where each interaction was written, and what
to ask them next time.

The model keeps one merged interaction per day and not where it came from: the sources are
found again here, from the parsed notes the index holds, by the rules of DESIGN §3 (a body
log of the contact's own note, an `interactions` entry, a link or an attendee in a daily or
meeting note). Link resolution is Obsidian's for the common cases (a file name, a path, an
alias); a name shared by several notes may point at a neighbour the build would not pick,
which only changes the source shown, never a figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import NamedTuple

from entraide.i18n import ENGLISH, Lang
from entraide.model import BODY_LOG, MENTION, PROPERTY, Contact, Interaction
from entraide.parse.daily import daily_matcher
from entraide.parse.note import ParsedNote
from entraide.parse.values import fold, link_target, strip_target
from entraide.settings import Settings
from entraide.vault_io import ObsidianConfig

ORIGINS = {PROPERTY: "property", BODY_LOG: "log", MENTION: "mention"}
ASK_CHARS = 80


class Source(NamedTuple):
    """A place an interaction was written: a note and its 1-based line (None: unknown)."""

    path: str
    line: int | None
    origin: str  # "property", "log", "mention" or "attendee"
    text: str = ""  # a body log's text after its kind


def _names(contact: Contact) -> tuple[str, str, frozenset[str]]:
    stem = fold(contact.path.rpartition("/")[2][:-3])
    return stem, fold(contact.path[:-3]), frozenset(fold(a) for a in contact.aliases)


def _leads_to(target: str, contact: Contact) -> bool:
    stem, path, aliases = _names(contact)
    name = fold(strip_target(target).strip("/"))
    if not name:
        return False
    if "/" in name:
        return path == name or path.endswith("/" + name)
    return name == stem or name in aliases


def sources(
    contact: Contact,
    notes: Mapping[str, ParsedNote],
    config: ObsidianConfig,
    settings: Settings,
    text_of: Callable[[str], str | None],
) -> dict[date, list[Source]]:
    """Every place that records a day of contact with `contact`, by day, in path and line
    order. `text_of(path)` gives a note's text (for the lines of `interactions` entries,
    which the parsed note does not keep)."""
    found: dict[date, list[Source]] = {}

    def add(day: date | None, source: Source) -> None:
        if day is not None and source not in found.setdefault(day, []):
            found[day].append(source)

    own = notes.get(contact.path)
    if own is not None and own.props.records:
        text = text_of(contact.path) or ""
        property_lines = _frontmatter_lines(text)
        logs = body_logs(text)
        for record in own.props.records:
            iso = record.date.isoformat()
            if record.source == PROPERTY:
                line = next((n for n, t in property_lines if iso in t), None)
                add(record.date, Source(contact.path, line, "property"))
            else:
                for number, said in logs.get(record.date, [(None, "")]):
                    add(record.date, Source(contact.path, number, "log", said))
    is_daily = daily_matcher(config.daily_folder, config.daily_format, settings.daily_notes_locale)
    for path, note in notes.items():
        if path == contact.path or note is None:
            continue
        day = is_daily(path)
        if day is None:
            day = note.meeting_date
        if day is None:
            continue
        for link in note.body.links:
            if link.counts and _leads_to(link.target, contact):
                add(day, Source(path, link.line, "mention"))
        for _key, item, where in note.attendees:
            name = link_target(item) if isinstance(item, str) else None
            if name and _leads_to(name, contact):
                add(day, Source(path, where, "attendee"))
    for listed in found.values():
        listed.sort(key=lambda s: (s.path != contact.path, s.path, s.line or 0))
    return found


_LOG_ITEM = re.compile(
    r"^[ \t>]*(?:[-*+]|\d+[.)])[ \t]+(?:\[[xX]\][ \t]+)?"
    r"(?:\[\[)?(\d{4}-\d{2}-\d{2})(?:\]\])?(?:[ \t]+\d{1,2}:\d{2})?(?:[ \t]+(.*))?$"
)
_FIELD = re.compile(r"[\[(]\w+::[^\])]*[\])]")
# The flag tags, French ones too (DESIGN §11; accents optional, composed or not).
_FLAG = re.compile(
    r"(?<!\S)#(?:gave|asked|news|donn(?:e\u0301?|é)|demand(?:e\u0301?|é)|nouvelles)(?![\w/-])",
    re.IGNORECASE,
)


def body_logs(text: str) -> dict[date, list[tuple[int, str]]]:
    """The body's dated list items by day: (1-based line, the text after the kind), the
    way a user reads them back (fields and flag tags left out)."""
    lines = text.lstrip("\ufeff").split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((k + 1 for k in range(1, len(lines)) if lines[k].strip() in ("---", "...")), 0)
    out: dict[date, list[tuple[int, str]]] = {}
    for number in range(start, len(lines)):
        m = _LOG_ITEM.match(lines[number])
        if not m:
            continue
        try:
            day = date.fromisoformat(m[1])
        except ValueError:
            continue
        rest = _FLAG.sub("", _FIELD.sub("", m[2] or ""))
        kind, colon, after = rest.strip().partition(":")
        said = after if colon and " " not in kind.strip() else ""
        out.setdefault(day, []).append((number + 1, " ".join(said.split())))
    return out


def _frontmatter_lines(text: str) -> list[tuple[int, str]]:
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        return []
    out = []
    for number, line in enumerate(lines[1:], 2):
        if line.strip() in ("---", "..."):
            break
        out.append((number, line))
    return out


def said(interaction: Interaction, found: Mapping[date, list[Source]]) -> str | None:
    """What the user wrote about that day: the entry's `note`, else a body log's text."""
    if interaction.note and interaction.note.strip():
        return interaction.note.strip()
    return next((s.text for s in found.get(interaction.date, ()) if s.text), None)


def to_ask(
    interactions: tuple[Interaction, ...],
    today: date,
    found: Mapping[date, list[Source]],
    say: Lang = ENGLISH,
) -> list[str]:
    """What to ask next time (DESIGN 5.1): what was last written about them, and their news
    when none of the last three interactions asked about it."""
    past = [i for i in interactions if i.date <= today]
    out = []
    for i in reversed(past):
        text = said(i, found)
        if text:
            when = f"{i.date.isoformat()}, {i.kind}" if i.kind else i.date.isoformat()
            out.append(say.t("last time ({when}): {said}", when=when, said=cut(text)))
            break
    if not any(i.news for i in past[-3:]):
        out.append(say.t("ask about their news"))
    return out


def cut(text: str, limit: int = ASK_CHARS) -> str:
    """`text` on one line, at most `limit` characters, cut on a word (with `…`)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:") + "…"

"""A whole note parses to exactly what the plain composition of its parts gives with every
shortcut turned off: the C loader for the frontmatter, the validators for the properties."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from entraide.parse import frontmatter, note, props
from entraide.parse.body import Body, conflict_marker_lines, parse_body
from entraide.parse.note import ATTENDEE_KEYS, ParsedNote, decode, parse_note
from test_parse_speedups import deep

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "scripts" / "gen_vault.py"
HAND_MADE = [
    b"---\ntag: person\nalias: [Bru]\ntags: people, Person/work\n---\nText.\n",
    b"---\ndate: 2026-11-02\nattendees: [Ana, '[[Bo]]']\npeople: Cy\nwith:\n---\n",
    b"---\ndate: 2026-02-30\nwith: [Ana]\nknows: x\n---\n",
    b"---\ntype: ' Person '\nknows:\n  - '[[Ana]]'\n  - [x]\n---\n",
    b"---\na: 1\n<<<<<<< ours\nb: 2\n=======\nb: 3\n>>>>>>> theirs\n---\nbody\n",
    b"---\na: 1\n---\n<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n",
    b"---\na: &x 1\nb: *x\n---\n",
    b"---\na: 1\na: 2\n---\n",
    b"---\na: [1\n---\n",
    b"---\n- a\n---\n",
    b"---\na: 1\n",
    b"\xef\xbb\xbf---\ncircle: close\n---\n",
    b"---\ncircle: Close\ncadence: 0\nsince: 2026-13-01\ncountry: NO\n---\n- 2026-02-30 call\n",
    b"---\ninteractions:\n  - date: 2026-11-02\n    minutes: .nan\n  - kind: call\n---\n",
    b"\xff\xfe",
    b"",
    b"no frontmatter\n",
]


def fixture_notes() -> Iterator[bytes]:
    for folder in (ROOT / "tests" / "fixtures", ROOT / "src" / "entraide" / "starter"):
        for path in sorted(folder.rglob("*.md")):
            yield path.read_bytes()


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    out = tmp_path_factory.mktemp("gen") / "vault"
    subprocess.run(
        [sys.executable, str(GENERATOR), str(out), "--contacts", "120", "--years", "1"],
        check=True,
        capture_output=True,
    )
    found = [*HAND_MADE, *fixture_notes(), *(p.read_bytes() for p in sorted(out.rglob("*.md")))]
    # The same notes with Windows line ends (read on the fast path too), and with a BOM.
    return [*found, *(raw.replace(b"\n", b"\r\n") for raw in found), b"\xef\xbb\xbf" + found[0]]


def _named_long_way(value: Any, words: set[str]) -> bool:
    """Text or a list holding one of `words`, bare or as a link to a note of that name."""
    for item in value if isinstance(value, list) else [value]:
        while isinstance(item, list) and len(item) == 1:
            item = item[0]
        if isinstance(item, str):
            m = re.fullmatch(r"\[\[([^\[\]]*)\]\]", item.strip())
            name = m.group(1).split("|")[0].split("#")[0].strip() if m else item
            name = re.sub(r"(?i)\.md$", "", name.strip()).split("/")[-1]
            if name.strip().lower() in words:
                return True
    return False


def is_person_long_way(data: dict[str, Any]) -> bool:
    if "type" in data and _named_long_way(data["type"], {"person", "people", "contact"}):
        return True
    if "categories" in data and _named_long_way(data["categories"], {"people", "person"}):
        return True
    tags = data.get("tags")
    if isinstance(tags, str):
        tags = re.split(r"[,\s]+", tags)
    if isinstance(tags, list):
        return any(
            isinstance(t, str)
            and re.match(r"^#?(?:person|people|contact)(?:/.*)?$", t.strip(), re.I)
            for t in tags
        )
    return False


def deprecated_long_way(text: str, data: dict[str, Any], lines: Any) -> tuple[Any, ...]:
    found = []
    for key in ("tag", "alias"):
        if key in data:
            line = lines.get((key,))
            comment = None
            if data[key] is None and line is not None:
                m = re.match(r"^\s*[^:#\s]+\s*:\s+(#.*?)\s*$", text.split("\n")[line - 1])
                comment = m.group(1) if m else None
            found.append((key, line, comment))
    return tuple(found)


def parse_note_long_way(raw: bytes) -> ParsedNote:
    """parse_note as first written: each part once, nothing skipped."""
    text = decode(raw)
    if text is None:
        return parse_note(raw)
    fm = frontmatter.parse(text)
    body = parse_body(fm.body, fm.body_line + 1)
    if fm.body_line and text.find("<<<<<<< ", 0, len(text) - len(fm.body)) >= 0:
        body = Body(body.links, body.logs, conflict_marker_lines(text))
    if fm.error is not None and fm.error.code != "frontmatter-unclosed":
        return ParsedNote(fm.error, Body(body.links, (), body.conflict_lines))
    data, lines = fm.data or {}, fm.lines
    named = [key for key in ATTENDEE_KEYS if key in data]
    meeting_date = note._meeting_date(data) if named else None
    attendees = tuple(r for key in named for r in note._refs(data, lines, key))
    if not note._names_anyone(data) and not note._valid_date(data.get("date")):
        meeting_date, attendees = note.inline_meeting(fm.body, fm.body_line + 1)
    contact = props.contact_props(fm.data, lines, body.logs, shortcuts=False)
    dated = [log for log in body.logs if log.date is not None]
    first = len(contact.records) - len(dated)
    return ParsedNote(
        error=fm.error,
        body=Body(body.links, (), body.conflict_lines),
        props=contact,
        person=is_person_long_way(data),
        deprecated=deprecated_long_way(text, data, lines),
        meeting_date=meeting_date,
        attendees=attendees,
        knows=note._refs(data, lines, "knows"),
        callout_records=tuple(
            (first + i, log.callouts) for i, log in enumerate(dated) if log.callouts
        ),
        placeholders=fm.placeholders,
    )


def test_notes_parse_as_the_long_way_parses_them(
    notes: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = [parse_note(raw) for raw in notes]
    again = [parse_note(raw) for raw in notes]  # with everything remembered
    monkeypatch.setattr(frontmatter, "fast_load", lambda *args: None)  # (not compiled)
    slow = [parse_note_long_way(raw) for raw in notes]
    assert len(notes) > 1000
    for raw, a, b, c in zip(notes, fast, again, slow, strict=True):
        assert deep(a) == deep(c), raw
        assert deep(b) == deep(c), raw
    # Not only trivial notes: contacts with properties, problems, records and links.
    assert sum(1 for p in fast if p.props.records and p.person) > 100
    assert sum(1 for p in fast if p.props.problems) >= 5
    assert sum(1 for p in fast if p.error is not None) >= 5
    assert sum(1 for p in fast if p.attendees) > 10

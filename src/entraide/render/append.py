"""Appending one line to a contact note's `## Log` section, changing nothing else.

Works on bytes: the BOM, the frontmatter bytes and the line endings (CRLF stays CRLF) are
kept exactly; only the new line (and the heading, when the section is missing) is added.
The line must land where it counts: never inside a code block or a comment the note leaves
open. Whether it counts is asked of the note parser itself, on the note as it would be.
"""

from __future__ import annotations

import codecs
import re

_HEADING = re.compile(rb"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(rb"^ {0,3}(`{3,}|~{3,})")


class NowhereToAppend(Exception):
    """No place in the note where a log line would count (an unclosed block or comment
    that cannot be closed without changing what the note shows)."""


def has_line(raw: bytes, line: str) -> bool:
    """Whether the note already holds this exact log line where it counts (idempotent
    appends; the same text inside a code block or a comment is not a log)."""
    target = line.encode("utf-8")
    lines = raw.removeprefix(codecs.BOM_UTF8).split(b"\n")
    found = [i + 1 for i, existing in enumerate(lines) if existing.rstrip(b"\r") == target]
    return any(counts(raw, n) for n in found)


def append_log(raw: bytes, line: str) -> bytes:
    """`raw` with `line` added at the end of its `## Log` section (created at the end if
    absent), where the note parser reads it as a log item.

    When the section's end, or the note's end, lies inside a code block or a `%%`/`<!--`
    comment left open, the open block is closed on a line of its own at the end of the note
    (what the user wrote shows as before) and the line goes under a `## Log` heading after
    it. Raises NowhereToAppend when even that would not count."""
    lines = _split(raw)[1].split(b"\n")
    starts: list[int | None] = [*_log_headings(lines)] or [None]
    for start in starts:
        first = _append_in_section(raw, line, start)
        if counts(*first):
            return first[0]
    second = _append_at_end(raw, line)
    if counts(*second):
        return second[0]
    raise NowhereToAppend


def counts(data: bytes, line_number: int) -> bool:
    """Whether line `line_number` (1-based, after any BOM) of the note is read as a log item."""
    from entraide.parse.body import parse_body
    from entraide.parse.frontmatter import parse as parse_frontmatter

    text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8", "replace")
    fm = parse_frontmatter(text)
    return any(item.line == line_number for item in parse_body(fm.body, fm.body_line + 1).logs)


def _split(raw: bytes) -> tuple[bytes, bytes, bytes]:
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    body = raw[len(bom) :]
    crlf = body.count(b"\r\n")
    eol = b"\r\n" if crlf and crlf * 2 >= body.count(b"\n") else b"\n"
    return bom, body, eol


def _append_in_section(raw: bytes, line: str, start: int | None) -> tuple[bytes, int]:
    """The note with `line` after the last line of the `## Log` section at line index
    `start` (None: a new section at the end), and the new line's number."""
    bom, body, eol = _split(raw)
    new = line.encode("utf-8")
    lines = body.split(b"\n")
    if start is None:
        prefix = body
        if prefix and not prefix.endswith(b"\n"):
            prefix += eol
        gap = eol if prefix.strip() else b""
        out = prefix + gap + b"## Log" + eol
        return bom + out + new + eol, out.count(b"\n") + 1
    end = len(lines)
    for i in range(start + 1, len(lines)):
        m = _HEADING.match(lines[i].rstrip(b"\r"))
        if m and len(m.group(1)) <= 2:
            end = i
            break
    # Insert after the last non-blank line of the section, with the note's own line ending.
    last = start
    for i in range(start + 1, end):
        if lines[i].strip():
            last = i
    if last == len(lines) - 1:  # the file ends on that line, without a final newline
        return bom + body + eol + new + eol, last + 2
    before = b"\n".join(lines[: last + 1])
    after = b"\n".join(lines[last + 1 :])
    return bom + before + b"\n" + new + eol + after, last + 2


def _append_at_end(raw: bytes, line: str) -> tuple[bytes, int]:
    """The note with whatever it leaves open closed at its end, then `## Log` and `line`."""
    bom, body, eol = _split(raw)
    out = body
    if out and not out.endswith(b"\n"):
        out += eol
    for closer in _closers(body):
        out += closer + eol
    if out.strip():
        out += eol
    out += b"## Log" + eol
    return bom + out + line.encode("utf-8") + eol, out.count(b"\n") + 1


def _closers(body: bytes) -> list[bytes]:
    """The lines that close what `body` leaves open at its end: a fenced code block, an
    Obsidian `%%` comment, an HTML `<!--` comment."""
    fence: bytes | None = None
    comment = False
    html = False
    in_frontmatter = body.split(b"\n", 1)[0].rstrip(b"\r").rstrip() == b"---"
    for i, text in enumerate(body.split(b"\n")):
        text = text.rstrip(b"\r")
        if in_frontmatter:
            if i > 0 and text.rstrip() == b"---":
                in_frontmatter = False
            continue
        if not comment and not html:
            m = _FENCE.match(text)
            if fence is not None:
                closes = m and m.group(1)[:1] == fence[:1] and len(m.group(1)) >= len(fence)
                if m and closes and not text[m.end() :].strip():
                    fence = None
                continue
            if m:
                fence = m.group(1)
                continue
        pos = 0
        while pos < len(text):
            if comment:
                j = text.find(b"%%", pos)
                if j < 0:
                    break
                comment, pos = False, j + 2
            elif html:
                j = text.find(b"-->", pos)
                if j < 0:
                    break
                html, pos = False, j + 3
            else:
                a, b = text.find(b"%%", pos), text.find(b"<!--", pos)
                if a < 0 and b < 0:
                    break
                if b < 0 or 0 <= a < b:
                    comment, pos = True, a + 2
                else:
                    html, pos = True, b + 4
    if fence is not None:
        return [fence]
    return [b"%%"] if comment else [b"-->"] if html else []


def _log_headings(lines: list[bytes]) -> list[int]:
    """Indexes of the `## Log` heading lines outside code blocks, first to last."""
    found = []
    in_fence = False
    in_frontmatter = bool(lines) and lines[0].rstrip(b"\r").rstrip() == b"---"
    for i, line in enumerate(lines):
        text = line.rstrip(b"\r")
        if in_frontmatter:
            if i > 0 and text.rstrip() == b"---":
                in_frontmatter = False
            continue
        if text.lstrip().startswith((b"```", b"~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = _HEADING.match(text)
        if m and len(m.group(1)) == 2 and m.group(2).strip().lower() == b"log":
            found.append(i)
    return found

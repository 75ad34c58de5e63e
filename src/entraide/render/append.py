"""Appending one line to a contact note's `## Log` section, changing nothing else.

Works on bytes: the BOM, the frontmatter bytes and the line endings (CRLF stays CRLF) are
kept exactly; only the new line (and the heading, when the section is missing) is added.
"""

from __future__ import annotations

import codecs
import re

_HEADING = re.compile(rb"^(#{1,6})[ \t]+(.*?)[ \t#]*$")


def has_line(raw: bytes, line: str) -> bool:
    """Whether the note already holds this exact log line (idempotent appends)."""
    target = line.encode("utf-8")
    return any(existing.rstrip(b"\r") == target for existing in raw.split(b"\n"))


def append_log(raw: bytes, line: str) -> bytes:
    """`raw` with `line` added at the end of its `## Log` section (created at the end if absent)."""
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    body = raw[len(bom) :]
    crlf = body.count(b"\r\n")
    eol = b"\r\n" if crlf and crlf * 2 >= body.count(b"\n") else b"\n"
    new = line.encode("utf-8")
    lines = body.split(b"\n")
    start = _log_heading(lines)
    if start is None:
        prefix = body
        if prefix and not prefix.endswith(b"\n"):
            prefix += eol
        gap = eol if prefix.strip() else b""
        return bom + prefix + gap + b"## Log" + eol + new + eol
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
        return bom + body + eol + new + eol
    before = b"\n".join(lines[: last + 1])
    after = b"\n".join(lines[last + 1 :])
    return bom + before + b"\n" + new + eol + after


def _log_heading(lines: list[bytes]) -> int | None:
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
            return i
    return None

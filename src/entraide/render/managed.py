"""Generated notes: a managed region between markers, user text around it kept byte for byte.

In a generated note's frontmatter entraide owns the keys it writes and keeps every other
line as it was. A note without the markers is the user's and is never overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

BEGIN = "%% entraide:begin %%"
END = "%% entraide:end %%"
_FENCE = re.compile(r"^---[ \t]*$")
_KEY = re.compile(r"^([^\s#:-][^:]*?)\s*:(?:\s|$)")


class NotManaged(Exception):
    """The note exists but has no managed region: it is the user's."""


def region(text: str) -> tuple[int, int] | None:
    """Start and end offsets of the managed content (between the marker lines), if any."""
    begin = _line_index(text, BEGIN)
    if begin is None:
        return None
    start = text.find("\n", begin)
    if start < 0:
        return None
    end = _line_index(text, END, start + 1)
    if end is None:
        return None
    return start + 1, end


def _line_index(text: str, marker: str, start: int = 0) -> int | None:
    pos = start
    while True:
        i = text.find(marker, pos)
        if i < 0:
            return None
        if (i == 0 or text[i - 1] == "\n") and text[i + len(marker) : i + len(marker) + 1] in (
            "\n",
            "\r",
            "",
        ):
            return i
        pos = i + 1


def managed_content(text: str) -> str | None:
    span = region(text)
    return None if span is None else text[span[0] : span[1]]


def frontmatter_value(text: str, key: str) -> str | None:
    """A top-level scalar of the note's frontmatter, as written (for `status: final`)."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0].rstrip("\r")):
        return None
    for line in lines[1:]:
        line = line.rstrip("\r")
        if _FENCE.match(line):
            return None
        m = _KEY.match(line)
        if m and m.group(1) == key:
            return line[m.end() :].strip().strip("'\"") or None
    return None


def render_new(frontmatter: Mapping[str, str], content: str, tail: str = "") -> str:
    """A new generated note. `frontmatter` maps keys to their YAML value text."""
    if not content.endswith("\n"):
        content += "\n"
    head = ""
    if frontmatter:
        head = "---\n" + "".join(f"{k}: {v}\n" for k, v in frontmatter.items()) + "---\n"
    return f"{head}{BEGIN}\n{content}{END}\n{tail}"


def merge(existing: str, frontmatter: Mapping[str, str], content: str) -> str:
    """`existing` with its managed region replaced by `content` and entraide's keys updated.

    Everything else — user text above and below, other frontmatter lines — is kept.
    Raises NotManaged when `existing` has no managed region.
    """
    span = region(existing)
    if span is None:
        raise NotManaged
    if not content.endswith("\n"):
        content += "\n"  # the end marker must stay on a line of its own
    text = existing[: span[0]] + content + existing[span[1] :]
    return _set_keys(text, frontmatter) if frontmatter else text


def _set_keys(text: str, values: Mapping[str, str]) -> str:
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        block = "".join(f"{k}: {v}\n" for k, v in values.items())
        return f"---\n{block}---\n{text}"
    close = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if close is None:
        return text  # an unclosed frontmatter is left as the user wrote it
    kept: list[str] = []
    written: set[str] = set()
    skipping = False
    for line in lines[1:close]:
        m = _KEY.match(line) if line and not line[0].isspace() else None
        if m:
            skipping = m.group(1) in values
            if skipping and m.group(1) not in written:
                kept.append(f"{m.group(1)}: {values[m.group(1)]}")  # rewritten in place
                written.add(m.group(1))
        elif line and not line[0].isspace() and not line.startswith("-"):
            skipping = False
        if not skipping:
            kept.append(line)
    ours = [f"{k}: {v}" for k, v in values.items() if k not in written]
    return "\n".join([lines[0], *kept, *ours, *lines[close:]])

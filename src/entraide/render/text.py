"""Escaping text copied from notes, the one place it is done for everything entraide writes.

Copied text (names, paths, aliases, property values, messages quoting them) must not inject
links, HTML, comments, math or Mermaid syntax into a generated note, nor control sequences
into a terminal. The rules:

- **Unsafe characters** are shown as U+FFFD (`�`) everywhere: C0 and C1 controls and DEL
  (ESC starts terminal sequences), the bidirectional embeddings, overrides, isolates and marks
  (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069: they reorder what is shown), the line
  and paragraph separators U+2028/U+2029 and lone surrogates (a file name that is not UTF-8).
  Shown, not dropped: the reader sees that a name holds something odd, and two names that
  differ only by such a character still read differently. In Markdown and Mermaid text a
  run of whitespace (tabs and newlines included) first becomes one space.
- **Markdown text** (`md`): `& < >` as HTML entities, so no tag or `<!--` comment; the
  punctuation of Markdown and Obsidian backslash-escaped (links, embeds, tags, block ids,
  code, emphasis, highlights, math, table cells, and every `%`, so no `%%` comment opens);
  `://` and `www.` written so no bare URL becomes a link.
- **Links** (`link`, `path_link`): `[[target]]` only when the target is plain text that
  Obsidian reads back as written; otherwise (brackets, `|#^`, a backslash — `[[Bac\\]]` would
  escape its own closing bracket —, `< > &`, a backtick, `$`, `%`, an unsafe character, a
  leading dot or edge space) the Markdown link `[escaped name](percent-encoded path)`, which
  Obsidian opens by its URL-decoded vault path and which shows the escaped text.
- **Mermaid labels** (`mermaid`): every character that could close the quoted label or start
  a directive, comment, entity or tag becomes a space; `distinct` numbers labels that read
  the same after that, so no slice is lost.
- **Terminal** (`terminal`): unsafe characters as `�`, nothing else changed; callers give
  the result to rich as `Text`, never as markup. `json_text` writes JSON whose characters a
  terminal could act on are `\\u` escapes: the values parse back exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import quote

REPLACEMENT = "\ufffd"
# Bidirectional formatting characters, then the line and paragraph separators.
_LAYOUT_CLASS = r"\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE_CLASS = rf"\x00-\x1f\x7f-\x9f{_LAYOUT_CLASS}\ud800-\udfff"
_UNSAFE = re.compile(f"[{_UNSAFE_CLASS}]")
_MD_SPECIAL = re.compile(r"([\\`*\[\]|#!$~=^%])")
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)", re.IGNORECASE)
_LINK_TEXT = re.compile(r"([()])")
_WIKILINK_UNSAFE = re.compile(rf"[\[\]|#^\\<>&`$%{_UNSAFE_CLASS}]|[^\S ]")
_MERMAID_UNSAFE = re.compile(r"[\"'`;:{}\[\]()<>#%&|$\\\n\r]")
MERMAID_MAX = 60


def visible(text: str) -> str:
    """`text` with every unsafe character (see the module's docstring) shown as `�`."""
    return _UNSAFE.sub(REPLACEMENT, text)


def md(text: str) -> str:
    """Plain text for a Markdown line: no link, embed, tag, HTML, comment, math or table cell."""
    text = visible(" ".join(text.split()))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if "://" in text or "www." in text.lower():
        text = _AUTOLINK.sub(r"\\", text)
    return text


def wikilink_safe(target: str) -> bool:
    """Whether `[[target]]` is a link to exactly `target` that shows only `target`."""
    return (
        bool(target)
        and not _WIKILINK_UNSAFE.search(target)
        and not target.startswith(".")
        and target == target.strip()
    )


def link(path: str, name: str, by_path: bool = False, target: str | None = None) -> str:
    """A link to the note at vault path `path` showing `name`: `[[name]]` when the name is
    plain, else a Markdown link to the URL-quoted path (see the module's docstring).
    `by_path`: the name alone would not lead to this note (another note has it), so the
    wikilink names its path: `[[People/Work/Sam Lee|Sam Lee]]`; `target`: the shorter path
    that does (`[[Work/Sam Lee|Sam Lee]]`)."""
    if wikilink_safe(name):
        if target is None and by_path:
            target = path[:-3] if path.endswith(".md") else path
        if target is None:
            return f"[[{name}]]"
        if wikilink_safe(target):
            return f"[[{target}|{name}]]"
    text = _LINK_TEXT.sub(r"\\\1", md(name))  # no `](` inside the text: one link per line
    return f"[{text}]({quote(path, safe='/', errors='surrogateescape')})"


def path_link(path: str) -> str:
    """A link to a note by its full vault path (unambiguous when names repeat)."""
    target = path[:-3] if path.endswith(".md") else path
    return f"[[{target}]]" if wikilink_safe(target) else link(path, target)


def mermaid(text: str) -> str:
    """A label inside a quoted Mermaid string: no quote, bracket, directive or comment."""
    cleaned = _MERMAID_UNSAFE.sub(" ", visible(" ".join(text.split())))
    return " ".join(cleaned.split())[:MERMAID_MAX] or "?"


def distinct(
    labels: Iterable[str], taken: Iterable[str] = (), limit: int = MERMAID_MAX
) -> list[str]:
    """`labels` (already escaped), each one not in `taken` nor equal to an earlier one: a
    label that would repeat gets a number (`A 2`, `A 3`…), cut to stay within `limit`."""
    seen = set(taken)
    out = []
    for label in labels:
        candidate, n = label, 1
        while candidate in seen:
            n += 1
            suffix = f" {n}"
            candidate = label[: limit - len(suffix)].rstrip() + suffix
        seen.add(candidate)
        out.append(candidate)
    return out


# Obsidian Tasks reads these signs at the end of a task line as its fields (dates, priority,
# recurrence, dependencies): in copied text they would turn the user's words into fields.
_TASK_SIGNS = re.compile("(?:📅|📆|🗓|⏳|⌛|🛫|✅|❌|➕|🔁|🔺|⏫|🔼|🔽|⏬|🆔|⛔|🏁)\ufe0f?")


def task_text(text: str) -> str:
    """Copied text for a task line: `md`, with Tasks' field signs left out."""
    return " ".join(_TASK_SIGNS.sub(" ", md(text)).split())


def terminal(text: str) -> str:
    """Text for a terminal: unsafe characters (ESC, C1, bidi, newlines…) shown as `�`.

    It does not escape rich markup: pass the result as `rich.text.Text`, not as a string."""
    return visible(text)


_JSON_UNSAFE = re.compile(rf"[\x7f-\x9f{_LAYOUT_CLASS}]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(value: object) -> str:
    """`value` as JSON on one line, UTF-8 text kept, the characters a terminal could act on
    (DEL, C1, bidi, U+2028/9, lone surrogates) as `\\u` escapes: every value parses back as
    it was (the encoder already escapes C0 controls)."""
    text = json.dumps(value, ensure_ascii=False)
    if _JSON_UNSAFE.search(text):
        text = _JSON_UNSAFE.sub(_json_escape, text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub(_json_escape, text)
    return text

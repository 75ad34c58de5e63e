"""Escaping text copied from notes so it cannot inject links, HTML, comments or Mermaid syntax."""

from __future__ import annotations

import re
from urllib.parse import quote

_MD_SPECIAL = re.compile(r"([\\`*\[\]|#!$~=^])")
_LINK_UNSAFE = re.compile(r"[\[\]|#^\n\r]")
_MERMAID_UNSAFE = re.compile(r"[\"'`;:{}\[\]()<>#%&|\\\n\r]")


def md(text: str) -> str:
    """Plain text for a Markdown line: no link, embed, tag, HTML, comment, math or table cell."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("%%", "%\\%")


def link(path: str, name: str) -> str:
    """A wikilink to a vault note by name, or a safe Markdown link when the name cannot be one."""
    if not _LINK_UNSAFE.search(name) and not name.startswith(".") and "%%" not in name:
        return f"[[{name}]]"
    return f"[{md(name)}]({quote(path, safe='/')})"


def path_link(path: str) -> str:
    """A link to a note by its full vault path (unambiguous when names repeat)."""
    target = path[:-3] if path.endswith(".md") else path
    if not _LINK_UNSAFE.search(target) and "%%" not in target:
        return f"[[{target}]]"
    return link(path, target)


def mermaid(text: str) -> str:
    """A label inside a quoted Mermaid string: no quote, bracket, directive or comment."""
    cleaned = _MERMAID_UNSAFE.sub(" ", text)
    return " ".join(cleaned.split())[:60] or "?"

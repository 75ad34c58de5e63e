"""`Entraide/Problems.md`: every problem with a link to its note, its line and how to fix it."""

from __future__ import annotations

from collections.abc import Iterable

from entraide.model import Problem
from entraide.render.text import md, path_link


def render(problems: Iterable[Problem]) -> str:
    items = sorted(problems, key=Problem.sort_key)
    if not items:
        return "No problems: every note was read. 🎉\n"
    out = [
        f"{len(items)} problem{'s' if len(items) != 1 else ''} found. Fix them in the notes "
        "named here; this list updates by itself.",
        "",
    ]
    for p in items:
        where = path_link(p.path) if p.path.endswith(".md") else f"`{md(p.path)}`"
        line = f" line {p.line}" if p.line is not None else ""
        out.append(f"- {where}{line} — {md(p.message)} `{p.code}`")
    return "\n".join(out) + "\n"

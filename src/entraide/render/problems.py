"""`Entraide/Problems.md`: every problem with a link to its note, its line and how to fix it.

Paths and messages quote the user's text (file names, values): they go through `text`'s
escaping, like everything copied into a generated note."""

from __future__ import annotations

from collections.abc import Iterable

from entraide.i18n import ENGLISH, Lang
from entraide.model import Problem
from entraide.render.text import md, path_link


def render(problems: Iterable[Problem], lang: Lang = ENGLISH) -> str:
    items = sorted(problems, key=Problem.sort_key)
    if not items:
        return lang.t("No problems: every note was read. 🎉") + "\n"
    out = [
        lang.n(
            "{n} problem found. Fix it in the note named here; this list updates by itself.",
            "{n} problems found. Fix them in the notes named here; this list updates by itself.",
            len(items),
        )
    ]
    by_code: dict[str, list[Problem]] = {}
    for p in items:
        by_code.setdefault(p.code, []).append(p)
    for code in sorted(by_code):  # grouped by code, each with its count (DESIGN 5.4)
        found = by_code[code]
        out += ["", f"## `{code}` ({len(found)})", ""]
        for p in found:
            # Not a code span for other paths: a backtick in the name would close it.
            where = path_link(p.path) if p.path.endswith(".md") else md(p.path)
            line = " " + lang.t("line {line}", line=p.line) if p.line is not None else ""
            out.append(f"- {where}{line} — {md(lang.problem(p.message))}")
    return "\n".join(out) + "\n"

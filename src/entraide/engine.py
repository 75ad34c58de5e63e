"""One pass over a vault: read, take ticks, analyse, render, write. Shared by `run` and `watch`."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from entraide.errors import UserError
from entraide.index import Index, load_settings, read_vault
from entraide.model import Problem, Vault
from entraide.parse.values import fold
from entraide.settings import Settings
from entraide.vault_io import read_state
from entraide.writeback import append_line, write_generated

_TICK = re.compile(r"^\s*[-*+] \[([xX])\] (.*)$")
_LINK = re.compile(r"\[\[([^\]|#]+)(?:[|#][^\]]*)?\]\]")
_DONE = re.compile(r"✅ (\d{4}-\d{2}-\d{2})")


@dataclass(slots=True)
class PassResult:
    vault: Vault
    settings: Settings
    written: list[str] = field(default_factory=list)
    appended: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    parsed: int = 0


def may_write(settings: Settings) -> bool:
    """`write_on_hosts` limits writing to named machines (empty: every machine)."""
    return not settings.write_on_hosts or socket.gethostname() in settings.write_on_hosts


def ticks(text: str, today: date) -> list[tuple[str, date]]:
    """(contact name, date) of each ticked line of the check-in list's managed region."""
    from entraide.render.managed import managed_content

    content = managed_content(text) or ""
    found = []
    for line in content.splitlines():
        m = _TICK.match(line)
        if not m:
            continue
        link = _LINK.search(m.group(2))
        if not link:
            continue
        done = _DONE.search(m.group(2))
        day = today
        if done:
            try:
                day = date.fromisoformat(done.group(1))
            except ValueError:
                day = today
        found.append((link.group(1).strip(), min(day, today)))
    return found


def run_pass(
    root: Path,
    today: date,
    index: Index,
    settings: Settings | None = None,
    rebuild_reviews: bool = False,
) -> PassResult:
    """A full pass. `settings`: the last good ones, used when the settings note is invalid
    (the daemon goes on); without them, invalid settings raise UserError (the CLI stops)."""
    from entraide.render.outputs import CHECKINS, render_outputs

    loaded = load_settings(root)
    if loaded.fatal:
        if settings is None:
            first = loaded.problems[0]
            line = f", line {first.line}" if first.line else ""
            raise UserError(
                f"the settings are invalid ({first.path}{line}): {first.message}",
                loaded.problems,
            )
    else:
        settings = loaded.settings
    vault = read_vault(root, settings, loaded.problems, index)
    result = PassResult(vault, settings, parsed=index.parsed_last)
    writable = may_write(settings)
    checkins = f"{settings.output_folder}/{CHECKINS}"
    state = read_state(str(root / checkins))
    if writable and state is not None:
        by_name = {fold(c.name): c for c in vault.contacts}
        for name, day in ticks(state[0].decode("utf-8", "replace"), today):
            contact = by_name.get(fold(name))
            if contact is None:
                continue
            done, why = append_line(
                root, contact.path, f"- {day.isoformat()} check-in", vault.conflicted
            )
            if done:
                result.appended.append(contact.path)
            elif why:
                result.messages.append(f"not logged for {contact.name}: {why}")
        if result.appended:
            vault = read_vault(root, settings, loaded.problems, index)
            result.vault = vault
    existing = _existing_reviews(root, settings, rebuild_reviews)
    outputs = render_outputs(vault, settings, today, existing)
    if writable:
        written = write_generated(root, outputs, rebuild=rebuild_reviews)
        result.written = written.written
        result.problems = written.problems
    return result


def _existing_reviews(root: Path, settings: Settings, rebuild: bool) -> dict[str, bool]:
    """Each review note's label and whether it is final (all count as not final to rebuild)."""
    from entraide.render.managed import frontmatter_value

    folder = root / settings.output_folder / "Reviews"
    found: dict[str, bool] = {}
    try:
        names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".md"))
    except OSError:
        return found
    for name in names:
        state = read_state(str(folder / name))
        text = state[0].decode("utf-8", "replace") if state else ""
        found[name[:-3]] = not rebuild and frontmatter_value(text, "status") == "final"
    return found

"""The `status --json` object (DESIGN §6, schemas/status.schema.json) and its terminal view.

The object holds names and paths exactly as in the vault (NFC); the terminal view shows them
through `text.terminal` as rich `Text`, so neither a control sequence, a bidi override nor
rich markup (`[bold]`) in a file name reaches the terminal as anything but visible text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from entraide.model import Problem, Vault
from entraide.parse.values import nfc, sort_key_name
from entraide.render.text import terminal
from entraide.settings import Settings

if TYPE_CHECKING:
    from rich.console import RenderableType

COLUMNS = (
    "name",
    "circle",
    "interactions",
    "last contact",
    "due",
    "strength",
    "tie",
    "gave",
    "asked",
    "news",
)
_RIGHT = frozenset({"interactions", "strength", "gave", "asked", "news"})


def _r(value: float) -> float:
    return round(value, 4)


def status(
    vault: Vault, settings: Settings, today: date, problems: tuple[Problem, ...]
) -> dict[str, Any]:
    from entraide.analytics.diversity import network_diversity
    from entraide.analytics.introductions import introductions
    from entraide.analytics.ties import summarizer

    contacts = []
    tie_summary = summarizer(settings, today)
    for contact in sorted(vault.contacts, key=lambda c: (sort_key_name(c.name), c.name, c.path)):
        tie = tie_summary(contact)
        contacts.append(
            {
                "name": nfc(contact.name),
                "path": nfc(contact.path),
                "circle": contact.circle,
                "interactions": tie.interactions,
                "last_contact": tie.last_contact.isoformat() if tie.last_contact else None,
                "due": tie.due.isoformat() if tie.due else None,
                "strength": _r(tie.strength),
                "tie": tie.tie,
                "gave": tie.gave,
                "asked": tie.asked,
                "news": tie.news,
            }
        )
    diversity = {}
    for dim, d in network_diversity(vault, settings, today).items():
        diversity[dim] = {
            "counts": dict(sorted(d.counts.items())),
            "unknown": d.unknown,
            "blau": _r(d.blau),
            "iqv": _r(d.iqv),
            "shannon_bits": _r(d.shannon_bits),
            "effective": _r(d.effective),
        }
    found = introductions(
        vault.contacts,
        vault.edges_as_of(today),
        settings,
        today,
        limit=settings.introductions_per_week,
    )
    return {
        "today": today.isoformat(),
        "contacts": contacts,
        "diversity": diversity,
        "introductions": [_nfc_names(intro.as_json()) for intro in found],
        "problems": [p.as_json() for p in sorted(problems, key=Problem.sort_key)],
    }


def _nfc_names(entry: dict[str, Any]) -> dict[str, Any]:
    """Names and paths NFC, as everywhere in the object."""
    for key in ("a", "b", "a_path", "b_path"):
        entry[key] = nfc(entry[key])
    return entry


def view(data: Mapping[str, Any]) -> list[RenderableType]:
    """What `status` prints in a terminal for the `status` object: the table, one line per
    dimension, then the problem count. Give each to `Console.print`."""
    from rich.highlighter import ReprHighlighter
    from rich.table import Table
    from rich.text import Text

    def cell(value: object) -> Text:
        return Text(terminal("" if value is None else str(value)))

    title = f"entraide — {len(data['contacts'])} contacts as of {terminal(str(data['today']))}"
    table = Table(title=Text(title))
    for column in COLUMNS:
        table.add_column(column, justify="right" if column in _RIGHT else "left")
    for c in data["contacts"]:
        table.add_row(
            cell(c["name"]),
            cell(c["circle"]),
            cell(c["interactions"]),
            cell(c["last_contact"]),
            cell(c["due"]),
            cell(f"{c['strength']:.2f}"),
            cell(c["tie"]),
            cell(c["gave"]),
            cell(c["asked"]),
            cell(c["news"]),
        )
    out: list[RenderableType] = [table]
    highlight = ReprHighlighter()
    for dim, d in data["diversity"].items():
        figures = highlight(
            f": Blau {d['blau']:.2f}, effective number {d['effective']:.2f}, "
            f"{len(d['counts'])} values, {d['unknown']} unknown"
        )
        out.append(Text.assemble(Text(terminal(dim), style="bold"), figures))
    for intro in data.get("introductions", ()):
        out.append(
            Text(
                terminal(
                    f"Worth introducing: {intro['a']} and {intro['b']} (score {intro['score']:g})"
                )
            )
        )
    if data["problems"]:
        out.append(
            highlight(f"{len(data['problems'])} problems: run 'entraide check' to see them.")
        )
    return out

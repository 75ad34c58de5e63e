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
from entraide.render.show import birthday_text
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
                "cadence": tie.cadence,
                "birthday": birthday_text(contact.birthday),
                "follow_up": contact.follow_up.isoformat() if contact.follow_up else None,
                "snooze_until": (
                    contact.snooze_until.isoformat() if contact.snooze_until else None
                ),
                "paused": contact.paused,
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


def select(
    data: dict[str, Any], due: bool = False, circle: str | None = None, order: str = "name"
) -> dict[str, Any]:
    """The `status` object with only the contacts asked for (`--due`: due today or earlier;
    `--circle`: of that circle, compared case-folded), in the order asked for (`due`: soonest
    first, never due last; `strength`: strongest first; ties by the name order)."""
    from entraide.parse.values import fold

    today = data["today"]
    contacts = data["contacts"]
    if due:
        contacts = [c for c in contacts if c["due"] is not None and c["due"] <= today]
    if circle is not None:
        wanted = fold(circle)
        contacts = [c for c in contacts if c["circle"] is not None and fold(c["circle"]) == wanted]
    if order == "due":
        contacts = sorted(contacts, key=lambda c: (c["due"] is None, c["due"] or ""))
    elif order == "strength":
        contacts = sorted(contacts, key=lambda c: -(c["strength"] or 0))
    return {**data, "contacts": list(contacts)}


# Columns in the order they give way when the terminal is narrow: the last first. The name
# never goes and is never cut.
_KEEP_ORDER = (
    "name",
    "due",
    "last contact",
    "circle",
    "strength",
    "tie",
    "interactions",
    "gave",
    "asked",
    "news",
)


def _cells(c: Mapping[str, Any]) -> dict[str, str]:
    def text(value: object) -> str:
        return terminal("" if value is None else str(value))

    return {
        "name": text(c["name"]),
        "circle": text(c["circle"]),
        "interactions": text(c["interactions"]),
        "last contact": text(c["last_contact"]),
        "due": text(c["due"]),
        "strength": text(f"{c['strength']:.2f}"),
        "tie": text(c["tie"]),
        "gave": text(c["gave"]),
        "asked": text(c["asked"]),
        "news": text(c["news"]),
    }


def _widths(rows: list[dict[str, str]]) -> dict[str, int]:
    from rich.cells import cell_len

    return {
        column: max([cell_len(column), *(cell_len(row[column]) for row in rows)])
        for column in COLUMNS
    }


def _table_width(widths: Mapping[str, int], columns: tuple[str, ...]) -> int:
    return sum(widths[c] + 3 for c in columns) + 1  # `│ cell ` per column, then `│`


def natural_width(data: Mapping[str, Any]) -> int:
    """How wide the table is with every column whole (what a pipe gets)."""
    widths = _widths([_cells(c) for c in data["contacts"]])
    return max(80, _table_width(widths, COLUMNS))


def shown_columns(data: Mapping[str, Any], width: int) -> tuple[str, ...]:
    """The columns that fit in `width` with every cell whole: the least useful go first."""
    widths = _widths([_cells(c) for c in data["contacts"]])
    keep = list(_KEEP_ORDER)
    while len(keep) > 1 and _table_width(widths, tuple(keep)) > width:
        keep.pop()
    return tuple(c for c in COLUMNS if c in keep)


def view(data: Mapping[str, Any], width: int | None = None) -> list[RenderableType]:
    """What `status` prints in a terminal for the `status` object: the table, one line per
    dimension, then the problem count. Give each to `Console.print`. With a `width`, the
    columns that do not fit whole are left out (names are never cut nor wrapped)."""
    from rich.highlighter import ReprHighlighter
    from rich.table import Table
    from rich.text import Text

    columns = COLUMNS if width is None else shown_columns(data, width)
    title = f"entraide — {len(data['contacts'])} contacts as of {terminal(str(data['today']))}"
    table = Table(title=Text(title))
    for column in columns:
        table.add_column(
            column,
            justify="right" if column in _RIGHT else "left",
            no_wrap=True,
            overflow="ignore" if column == "name" else "ellipsis",
        )
    for c in data["contacts"]:
        cells = _cells(c)
        table.add_row(*(Text(cells[column]) for column in columns))
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

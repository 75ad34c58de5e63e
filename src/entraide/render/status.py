"""The `status --json` object (DESIGN §6, schemas/status.schema.json) and its terminal view.

The object holds names and paths exactly as in the vault (NFC); the terminal view shows them
through `text.terminal` as rich `Text`, so neither a control sequence, a bidi override nor
rich markup (`[bold]`) in a file name reaches the terminal as anything but visible text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from entraide.i18n import ENGLISH, Lang, lang
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


def _headings(say: Lang) -> dict[str, str]:
    return {
        "name": say.t("name"),
        "circle": say.t("circle"),
        "interactions": say.t("interactions"),
        "last contact": say.t("last contact"),
        "due": say.t("due"),
        "strength": say.t("strength"),
        "tie": say.t("tie"),
        "gave": say.t("gave"),
        "asked": say.t("asked"),
        "news": say.t("news"),
    }


def tie_word(tie: str, say: Lang) -> str:
    """`strong`, `weak` or `dormant` in the user's language."""
    if tie == "strong":
        return say.t("strong")
    if tie == "weak":
        return say.t("weak")
    if tie == "dormant":
        return say.t("dormant")
    return tie


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
    say = lang(settings.language)
    return {
        "today": today.isoformat(),
        "contacts": contacts,
        "diversity": diversity,
        "introductions": [_nfc_names(intro.as_json()) for intro in found],
        # Keys and codes never change with the language; the message is said in it (§11).
        "problems": [
            {**p.as_json(), "message": say.problem(p.message)}
            for p in sorted(problems, key=Problem.sort_key)
        ],
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


def _cells(c: Mapping[str, Any], say: Lang = ENGLISH) -> dict[str, str]:
    def text(value: object) -> str:
        return terminal("" if value is None else str(value))

    return {
        "name": text(c["name"]),
        "circle": text(c["circle"]),
        "interactions": text(c["interactions"]),
        "last contact": text(c["last_contact"]),
        "due": text(c["due"]),
        "strength": text(say.number(c["strength"])),
        "tie": text(tie_word(c["tie"], say)),
        "gave": text(c["gave"]),
        "asked": text(c["asked"]),
        "news": text(c["news"]),
    }


def _widths(rows: list[dict[str, str]], say: Lang = ENGLISH) -> dict[str, int]:
    from rich.cells import cell_len

    headings = _headings(say)
    return {
        column: max([cell_len(headings[column]), *(cell_len(row[column]) for row in rows)])
        for column in COLUMNS
    }


def _table_width(widths: Mapping[str, int], columns: tuple[str, ...]) -> int:
    return sum(widths[c] + 3 for c in columns) + 1  # `│ cell ` per column, then `│`


def natural_width(data: Mapping[str, Any], say: Lang = ENGLISH) -> int:
    """How wide the table is with every column whole (what a pipe gets)."""
    widths = _widths([_cells(c, say) for c in data["contacts"]], say)
    return max(80, _table_width(widths, COLUMNS))


def shown_columns(data: Mapping[str, Any], width: int, say: Lang = ENGLISH) -> tuple[str, ...]:
    """The columns that fit in `width` with every cell whole: the least useful go first."""
    widths = _widths([_cells(c, say) for c in data["contacts"]], say)
    keep = list(_KEEP_ORDER)
    while len(keep) > 1 and _table_width(widths, tuple(keep)) > width:
        keep.pop()
    return tuple(c for c in COLUMNS if c in keep)


def view(
    data: Mapping[str, Any], width: int | None = None, say: Lang = ENGLISH
) -> list[RenderableType]:
    """What `status` prints in a terminal for the `status` object: the table, one line per
    dimension, then the problem count. Give each to `Console.print`. With a `width`, the
    columns that do not fit whole are left out (names are never cut nor wrapped)."""
    from rich.highlighter import ReprHighlighter
    from rich.table import Table
    from rich.text import Text

    columns = COLUMNS if width is None else shown_columns(data, width, say)
    title = "entraide — " + say.n(
        "{n} contact as of {today}",
        "{n} contacts as of {today}",
        len(data["contacts"]),
        today=terminal(str(data["today"])),
    )
    table = Table(title=Text(title))
    headings = _headings(say)
    for column in columns:
        table.add_column(
            headings[column],
            justify="right" if column in _RIGHT else "left",
            no_wrap=True,
            overflow="ignore" if column == "name" else "ellipsis",
        )
    for c in data["contacts"]:
        cells = _cells(c, say)
        table.add_row(*(Text(cells[column]) for column in columns))
    out: list[RenderableType] = [table]
    highlight = ReprHighlighter()
    for dim, d in data["diversity"].items():
        figures = highlight(
            say.t(
                ": Blau {blau}, effective number {effective}, {values}, {unknown} unknown",
                blau=say.number(d["blau"]),
                effective=say.number(d["effective"]),
                values=say.n("{n} value", "{n} values", len(d["counts"])),
                unknown=d["unknown"],
            )
        )
        out.append(Text.assemble(Text(terminal(dim), style="bold"), figures))
    for intro in data.get("introductions", ()):
        said = say.t(
            "Worth introducing: {a} and {b} (score {score})",
            a=intro["a"],
            b=intro["b"],
            score=say.number(intro["score"], "g"),
        )
        out.append(Text(terminal(said)))
    if data["problems"]:
        count = len(data["problems"])
        out.append(
            highlight(
                say.n(
                    "{n} problem: run 'entraide check' to see it.",
                    "{n} problems: run 'entraide check' to see them.",
                    count,
                )
            )
        )
    return out

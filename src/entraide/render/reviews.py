"""Weekly and monthly reviews (DESIGN §5.2): `Reviews/2026-W47.md` and `Reviews/2026-11.md`.

A review is a pure function of the vault and its period, computed as of the earlier of today
and the period's last day, so machines agree. The current week's and month's reviews are kept
up to date; an ended period gets one last pass and `status: final`, after which it is never
rewritten unless asked. Reviews start with the first pass: periods before the earliest
existing review are never created; missed ones after it are filled in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from entraide.model import Contact, Interaction, Vault
from entraide.parse.values import sort_key_name
from entraide.render.text import link, mermaid
from entraide.settings import Settings
from entraide.writeback import Generated

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
REFLECTION = "\n## Reflection\n\n_What went well? Whom did you help? Who would you like to meet?_\n"


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    start: date
    end: date
    kind: str  # "week" or "month"

    def previous(self) -> Period:
        return period_of(self.start - timedelta(days=1), self.kind)

    def next(self) -> Period:
        return period_of(self.end + timedelta(days=1), self.kind)

    def days(self) -> int:
        return (self.end - self.start).days + 1


def period_of(day: date, kind: str) -> Period:
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return Period(day.strftime("%G-W%V"), start, start + timedelta(days=6), "week")
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return Period(day.strftime("%Y-%m"), start, following - timedelta(days=1), "month")


def parse_label(label: str) -> Period | None:
    m = _WEEK.match(label)
    if m:
        try:
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return None
        return period_of(monday, "week")
    m = _MONTH.match(label)
    if m and 1 <= int(m.group(2)) <= 12:
        return period_of(date(int(m.group(1)), int(m.group(2)), 1), "month")
    return None


def due_periods(today: date, existing: Iterable[str]) -> list[tuple[Period, bool]]:
    """(period, final) to write: the current week and month, and every ended period from the
    earliest existing review of its kind on (ended ones are final)."""
    out: list[tuple[Period, bool]] = []
    known = [p for p in (parse_label(label) for label in existing) if p is not None]
    for kind in ("week", "month"):
        current = period_of(today, kind)
        starts = [p.start for p in known if p.kind == kind and p.start < current.start]
        if starts:
            period = period_of(min(starts), kind)
            while period.start < current.start:
                out.append((period, True))
                period = period.next()
        out.append((current, False))
    return out


def render_due(
    vault: Vault, settings: Settings, today: date, existing: Mapping[str, bool]
) -> dict[str, Generated]:
    """The reviews to write now; `existing` maps each review's label to whether it is final."""
    out = {}
    for period, final in due_periods(today, existing):
        if final and existing.get(period.label):
            continue  # already final: never rewritten (rebuilding reads the files again)
        out[period.label] = render_review(vault, settings, period, today, final)
    return out


def _interactions_in(vault: Vault, start: date, end: date) -> list[tuple[Contact, Interaction]]:
    found = []
    for contact in vault.contacts:
        for i in contact.interactions:
            if start <= i.date <= end:
                found.append((contact, i))
    return found


def _minutes(i: Interaction, settings: Settings) -> float:
    return i.minutes if i.minutes is not None else settings.minutes_for(i.kind)


def render_review(
    vault: Vault, settings: Settings, period: Period, today: date, final: bool
) -> Generated:
    from entraide.analytics.diversity import diversity
    from entraide.analytics.ties import tie_summary

    as_of = min(today, period.end)
    prev = period.previous()
    now_items = _interactions_in(vault, period.start, as_of)
    prev_items = _interactions_in(vault, prev.start, prev.end)
    budget = settings.weekly_minutes * period.days() / 7
    spent = sum(_minutes(i, settings) for _, i in now_items)
    prev_spent = sum(_minutes(i, settings) for _, i in prev_items)
    people = {c.path for c, _ in now_items}
    prev_people = {c.path for c, _ in prev_items}

    ties_now = {c.path: tie_summary(c, settings, as_of) for c in vault.contacts}
    ties_before = {c.path: tie_summary(c, settings, prev.end) for c in vault.contacts}
    by_path = {c.path: c for c in vault.contacts}

    def names(paths: Iterable[str]) -> str:
        ordered = sorted(paths, key=lambda p: (sort_key_name(by_path[p].name), p))
        return ", ".join(link(p, by_path[p].name) for p in ordered) or "—"

    firsts = {c.path: _first(c, as_of) for c in vault.contacts}
    new = [p for p, d in firsts.items() if d is not None and period.start <= d <= as_of]
    stronger = [
        p
        for p, t in ties_now.items()
        if t.strength - ties_before[p].strength >= 0.05 and p not in new
    ]
    drifting = [
        p
        for p, t in ties_now.items()
        if ties_before[p].strength - t.strength >= 0.05 and t.tie != "dormant"
    ]
    dormant = [
        p
        for p, t in ties_now.items()
        if t.tie == "dormant" and ties_before[p].tie != "dormant" and t.interactions
    ]
    gave = sum(i.gave for _, i in now_items)
    asked = sum(i.asked for _, i in now_items)
    news = sum(i.news for _, i in now_items)
    balance = (gave - asked) / (gave + asked) if gave + asked else 0.0
    blue = _out_of_the_blue(now_items, settings)
    seen = Counter(c.path for c, _ in now_items)
    top5 = sum(n for _, n in seen.most_common(5))
    clan = top5 / len(now_items) if now_items else 0.0

    kind = "Week" if period.kind == "week" else "Month"
    lines = [
        f"# {kind} {period.label} ({period.start.isoformat()} – {period.end.isoformat()})",
        "",
        f"As of {as_of.isoformat()}." + (" Final." if final else " Updated as you go."),
        "",
        "## Headlines",
        "",
        "| | this period | previous |",
        "|---|---:|---:|",
        f"| interactions | {len(now_items)} | {len(prev_items)} |",
        f"| people | {len(people)} | {len(prev_people)} |",
        f"| new ties | {len(new)} | |",
        f"| minutes | {spent:g} of {budget:g} | {prev_spent:g} |",
        f"| share with the 5 most-seen | {clan:.0%} | |",
        "",
        "## Give, ask, news",
        "",
        f"Gave {gave}, asked {asked}, asked about news {news}; balance {balance:+.2f} "
        "(+1: you only gave, −1: you only asked).",
    ]
    if blue:
        lines += [
            "",
            "Asked out of the blue (no contact for over "
            f"{settings.urgency_days} days before): {names(blue)}.",
        ]
    lines += ["", "## Diversity of the active network", ""]
    lines += ["| dimension | Blau | effective number | change |", "|---|---:|---:|---:|"]
    pies: list[str] = []
    for dim in settings.dimensions:
        now_values = [by_path[p].dimension(dim) for p, t in ties_now.items() if t.tie != "dormant"]
        before_values = [
            by_path[p].dimension(dim) for p, t in ties_before.items() if t.tie != "dormant"
        ]
        d_now, d_before = diversity(now_values), diversity(before_values)
        lines.append(
            f"| {mermaid(dim)} | {d_now.blau:.2f} | {d_now.effective:.2f} | "
            f"{d_now.blau - d_before.blau:+.2f} |"
        )
        if d_now.counts:
            pie = [f"```mermaid\npie title {mermaid(dim)}"]
            for value, count in sorted(d_now.counts.items(), key=lambda kv: (-kv[1], kv[0])):
                pie.append(f'    "{mermaid(value)}" : {count}')
            if d_now.unknown:
                pie.append(f'    "unknown" : {d_now.unknown}')
            pies.append("\n".join(pie) + "\n```")
    lines += ["", *("\n\n".join(pies).split("\n") if pies else [])]
    weeks = [period_of(as_of - timedelta(weeks=k), "week") for k in range(11, -1, -1)]
    counts = [len(_interactions_in(vault, w.start, min(w.end, as_of))) for w in weeks]
    lines += [
        "",
        "## Interactions per week",
        "",
        "```mermaid",
        "xychart-beta",
        '    title "Interactions per week"',
        "    x-axis [" + ", ".join(f'"{w.label[-3:]}"' for w in weeks) + "]",
        f'    y-axis "interactions" 0 --> {max(max(counts), 1)}',
        "    bar [" + ", ".join(str(n) for n in counts) + "]",
        "```",
        "",
        "## Ties",
        "",
        f"- New: {names(new)}",
        f"- Strengthened: {names(stronger)}",
        f"- Drifting: {names(drifting)}",
        f"- Gone dormant: {names(dormant)}",
        "",
        "## Layers",
        "",
    ]
    lines += _layers(vault, settings)
    content = "\n".join(lines) + "\n"
    frontmatter = {
        "type": "entraide-review",
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "status": "final" if final else "current",
    }
    return Generated(frontmatter, content, REFLECTION, final)


def _first(contact: Contact, as_of: date) -> date | None:
    for i in contact.interactions:
        if i.date <= as_of:
            return i.date
    return None


def _out_of_the_blue(items: list[tuple[Contact, Interaction]], settings: Settings) -> list[str]:
    found = []
    for contact, i in items:
        if not i.asked:
            continue
        before = [x.date for x in contact.interactions if x.date < i.date]
        if not before or (i.date - before[-1]).days > settings.urgency_days:
            found.append(contact.path)
    return sorted(set(found))


def _layers(vault: Vault, settings: Settings) -> list[str]:
    counts = Counter(c.circle for c in vault.contacts if c.circle)
    lines = ["| circle | contacts | cumulative | size |", "|---|---:|---:|---:|"]
    total = 0
    for circle in settings.circles:
        total += counts.get(circle.name, 0)
        size = circle.size
        over = " ⚠ over" if size is not None and total > size else ""
        lines.append(
            f"| {mermaid(circle.name)} | {counts.get(circle.name, 0)} | {total} | "
            f"{size if size is not None else '–'}{over} |"
        )
    return lines

"""Weekly and monthly reviews (DESIGN §5.2): `Reviews/2026-W47.md` and `Reviews/2026-11.md`.

A review is a pure function of the vault and its period, computed as of the earlier of today
and the period's last day, so machines agree. The current week's and month's reviews are kept
up to date; an ended period gets one last pass and `status: final`, after which it is never
rewritten unless asked. Reviews start with the first pass: periods before the earliest
existing review are never created; missed ones after it are filled in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date

from entraide.analytics.budget import budget_for, minutes
from entraide.analytics.diversity import period_diversity
from entraide.analytics.holes import ego_holes
from entraide.analytics.periods import Period, parse_label, period_of, weeks_ending
from entraide.analytics.reciprocity import out_of_the_blue
from entraide.analytics.report import Analysis
from entraide.model import Vault
from entraide.parse.values import sort_key_name
from entraide.render.text import link, mermaid
from entraide.settings import Settings
from entraide.writeback import Generated

REFLECTION = "\n## Reflection\n\n_What went well? Whom did you help? Who would you like to meet?_\n"


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
    analysis: Analysis, today: date, existing: Mapping[str, bool]
) -> dict[str, Generated]:
    """The reviews to write now; `existing` maps each review's label to whether it is final."""
    out = {}
    for period, final in due_periods(today, existing):
        if final and existing.get(period.label):
            continue  # already final: never rewritten (rebuilding reads the files again)
        out[period.label] = render_review(analysis, period, today, final)
    return out


def render_review(analysis: Analysis, period: Period, today: date, final: bool) -> Generated:
    vault, settings = analysis.vault, analysis.settings
    as_of = min(today, period.end)
    prev = period.previous()
    now_items = analysis.between(period.start, as_of)
    prev_items = analysis.between(prev.start, prev.end)
    budget = budget_for(settings, period.days())
    spent = sum(minutes(i, settings) for _, i in now_items)
    prev_spent = sum(minutes(i, settings) for _, i in prev_items)
    people = {c.path for c, _ in now_items}
    prev_people = {c.path for c, _ in prev_items}

    ties_now = analysis.ties(as_of)
    ties_before = analysis.ties(prev.end)
    by_path = {c.path: c for c in vault.contacts}

    def names(paths: Iterable[str]) -> str:
        ordered = sorted(paths, key=lambda p: (sort_key_name(by_path[p].name), p))
        return ", ".join(link(p, by_path[p].name) for p in ordered) or "—"

    new = [
        p
        for p, t in ties_now.items()
        if t.first_contact is not None and period.start <= t.first_contact <= as_of
    ]
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
    blue = sorted({c.path for c, i in now_items if out_of_the_blue(c, i, settings)})
    clan = analysis.most_seen_share(period.start, as_of)

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
        f"| minutes | {spent:g} of {budget:.0f} | {prev_spent:g} |",
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
    never_gave = list(analysis.asked_never_gave(as_of))
    if never_gave:
        lines += ["", f"Asked but never gave in the last year: {names(never_gave)}."]
    lines += ["", "## Diversity of the active network", ""]
    lines += [
        "| dimension | Blau | effective number | change | this period's interactions (Blau) |",
        "|---|---:|---:|---:|---:|",
    ]
    in_period = period_diversity(now_items, settings.dimensions)
    pies: list[str] = []
    for dim in settings.dimensions:
        d_now, d_before = analysis.diversity(as_of, dim), analysis.diversity(prev.end, dim)
        lines.append(
            f"| {mermaid(dim)} | {d_now.blau:.2f} | {d_now.effective:.2f} | "
            f"{d_now.blau - d_before.blau:+.2f} | {in_period[dim].blau:.2f} |"
        )
        if d_now.counts:
            pie = [f"```mermaid\npie title {mermaid(dim)}"]
            for value, count in sorted(d_now.counts.items(), key=lambda kv: (-kv[1], kv[0])):
                pie.append(f'    "{mermaid(value)}" : {count}')
            if d_now.unknown:
                pie.append(f'    "unknown" : {d_now.unknown}')
            pies.append("\n".join(pie) + "\n```")
    lines += ["", *("\n\n".join(pies).split("\n") if pies else [])]
    weeks = weeks_ending(as_of)
    counts = [analysis.count_between(w.start, min(w.end, as_of)) for w in weeks]
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
    holes = ego_holes(vault, settings, as_of)
    if holes is not None:
        lines += [
            "",
            "## Structure",
            "",
            f"Among your {holes.alters} active ties, {holes.edges} "
            f"{'pair knows' if holes.edges == 1 else 'pairs know'} each other: "
            f"effective size {holes.effective_size:.1f} (efficiency {holes.efficiency:.2f}), "
            f"constraint {holes.constraint:.3f}. The lower the constraint, the more you bridge "
            "groups that do not otherwise meet (Burt's structural holes).",
        ]
    content = "\n".join(lines) + "\n"
    frontmatter = {
        "type": "entraide-review",
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "status": "final" if final else "current",
    }
    return Generated(frontmatter, content, REFLECTION)


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

"""Weekly and monthly reviews (DESIGN §5.2): `Reviews/2026-W47.md` and `Reviews/2026-11.md`.

A review is a pure function of the vault and its period, computed as of the earlier of today
and the period's last day, so machines agree. The current week's and month's reviews are kept
up to date; an ended period gets one last pass and `status: final`, after which it is never
rewritten unless asked. Reviews start with the first pass: periods before the earliest
existing review are never created; missed ones after it are filled in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date

from entraide.analytics.budget import budget_for
from entraide.analytics.diversity import Slices, from_counts, pie_slices
from entraide.analytics.introductions import Introduction
from entraide.analytics.periods import (
    Period,
    count_axis_max,
    parse_label,
    period_of,
    week_labels,
    weeks_ending,
)
from entraide.analytics.report import DORMANT, DRIFTING, NEW, STRONGER, Analysis
from entraide.model import Contact
from entraide.render.text import distinct, link, md, mermaid
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


PIE_LABEL_MAX = 24  # a legend line Mermaid 10 draws in full beside the pie (32 runs out)

EXPLAINED = [
    "> [!info]- What these numbers mean",
    "> - **Blau index**: the chance that two of your active contacts picked at random differ "
    "on this dimension (0: all alike; near 1: all different).",
    "> - **IQV**: the Blau index divided by the highest it can reach with the values you "
    "have (1: spread as evenly as they can be).",
    "> - **Entropy** (bits): how hard it is to guess one contact's value; one more bit is "
    "twice as many equally common values.",
    "> - **Effective number**: how many equally common values would give the same entropy.",
    "> - **Effective size** (Burt): your active contacts, less what they duplicate by knowing "
    "one another: the number of separate groups you reach.",
    "> - **Constraint** (Burt): how much your contacts are tied to one another (0 to 1): the "
    "lower it is, the more you bridge groups that do not otherwise meet.",
]


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def opening(
    kind: str,
    people: int,
    new: int,
    count: int,
    clan: float,
    gave: int,
    asked: int,
    news: int,
    ongoing: bool = False,
) -> list[str]:
    """Three plain sentences a person acts on (DESIGN 5.2). `ongoing`: the period is not
    over yet."""
    span = "this week" if kind == "week" else "this month"
    if people:
        who = "1 person" if people == 1 else f"{people} people"
        first = f"You talked with {who} {span}, {new} of them new."
    elif ongoing:
        first = f"You have talked with nobody yet {span}: a good time to reach out."
    else:
        first = f"You talked with nobody {span}."
    if people > 5:
        second = f"{clan:.0%} of your interactions went to the 5 people you see most."
    elif people:
        second = "Every interaction went to a handful of people: who else could you call?"
    else:
        second = "Your check-in list names who is due."
    gift = f"gave {_times(gave)}" if gave else "gave nothing"
    ask = f"asked {_times(asked)}" if asked else "asked for nothing"
    about = f"asked about news {_times(news)}" if news else "asked nobody about their news"
    third = f"You {gift}, {ask} and {about}."
    return [first, second, third]


def render_review(analysis: Analysis, period: Period, today: date, final: bool) -> Generated:
    settings = analysis.settings
    as_of = min(today, period.end)
    prev = period.previous()
    now = analysis.period(period.start, as_of)
    before = analysis.period(prev.start, prev.end)
    budget = budget_for(settings, period.days())
    spent = analysis.spent(period.start, as_of)
    prev_spent = analysis.spent(prev.start, prev.end)
    seen = now.people

    order = analysis.per_contact("name order", _name_order(analysis.name_keys()))
    links = _linker(analysis)

    def names(paths: Iterable[str]) -> str:
        """Links to these contacts, by name then path."""
        return ", ".join(map(links, sorted(paths, key=order.__getitem__))) or "—"

    changes = analysis.tie_changes(period.start, as_of, prev.end)
    new = [p for p, f in changes.items() if f & NEW]
    stronger = [p for p, f in changes.items() if f & STRONGER]
    drifting = [p for p, f in changes.items() if f & DRIFTING]
    dormant = [p for p, f in changes.items() if f & DORMANT]
    gave, asked, news = now.gave, now.asked, now.news
    balance = (gave - asked) / (gave + asked) if gave + asked else 0.0
    blue = now.blue
    clan = sum(n for _, n in seen.most_common(5)) / now.count if now.count else 0.0

    kind = "Week" if period.kind == "week" else "Month"
    lines = [
        f"# {kind} {period.label} ({period.start.isoformat()} – {period.end.isoformat()})",
        "",
        " ".join(
            opening(
                period.kind,
                len(seen),
                len(new),
                now.count,
                clan,
                gave,
                asked,
                news,
                ongoing=as_of < period.end,
            )  # fmt: skip
        ),
        "",
        f"As of {as_of.isoformat()}." + (" Final." if final else " Updated as you go."),
        "",
        "## Headlines",
        "",
        "| | this period | previous |",
        "|---|---:|---:|",
        f"| interactions | {now.count} | {before.count} |",
        f"| people | {len(seen)} | {len(before.people)} |",
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
    lines += ["", "## Diversity of the active network", "", *EXPLAINED, ""]
    lines += [
        "| dimension | Blau | IQV | entropy (bits) | effective number | change (Blau) "
        "| this period's interactions (Blau) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    in_period = {dim: from_counts(now.dimensions[dim]) for dim in settings.dimensions}
    pies: list[str] = []
    for dim in settings.dimensions:
        d_now, d_before = analysis.diversity(as_of, dim), analysis.diversity(prev.end, dim)
        lines.append(
            f"| {md(dim)} | {d_now.blau:.2f} | {d_now.iqv:.2f} | {d_now.shannon_bits:.2f} | "
            f"{d_now.effective:.2f} | {d_now.blau - d_before.blau:+.2f} | "
            f"{in_period[dim].blau:.2f} |"
        )
        pie = pie_lines(mermaid(dim), pie_slices(d_now))
        if pie:
            pies.append("\n".join(pie))
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
        "    x-axis [" + ", ".join(f'"{label}"' for label in week_labels(weeks)) + "]",
        f'    y-axis "interactions" 0 --> {count_axis_max(counts)}',
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
    lines += _layers(analysis.circle_counts(), settings)
    holes = analysis.holes(as_of)
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
    if period.kind == "week":
        lines += _introductions(analysis, as_of, links)
    content = "\n".join(lines) + "\n"
    frontmatter = {
        "type": "entraide-review",
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "status": "final" if final else "current",
    }
    return Generated(frontmatter, content, REFLECTION)


def pie_lines(title: str, slices: Slices) -> list[str]:
    """A Mermaid pie of these slices: every label distinct once cut and escaped (a number is
    added when two would read the same), "other" for the rest; nothing when there is no
    slice."""
    if not slices.values:
        return []
    reserved = ["unknown", "other"]
    shown = [v for v, _, unknown in slices.values if not unknown]
    cut = (mermaid(v)[:PIE_LABEL_MAX].rstrip() or "?" for v in shown)
    labels = iter(distinct(cut, reserved, PIE_LABEL_MAX))
    out = ["```mermaid", f"pie title {title}"]
    for _, count, unknown in slices.values:
        out.append(f'    "{"unknown" if unknown else next(labels)}" : {count}')
    if slices.other:
        out.append(f'    "other" : {slices.other}')
    out.append("```")
    return out


def _name_order(name_keys: Mapping[str, str]) -> Callable[[Contact], tuple[str, str]]:
    def order(contact: Contact) -> tuple[str, str]:
        return (name_keys[contact.path], contact.path)

    return order


def _linker(analysis: Analysis) -> Callable[[str], str]:
    """The link to a contact by path, written so that Obsidian opens that note (§3)."""
    targets = analysis.link_targets()
    by_path = analysis.by_path()

    def link_to(path: str) -> str:
        return link(path, by_path[path].name, target=targets.get(path))

    return link_to


def _introductions(analysis: Analysis, as_of: date, links: Callable[[str], str]) -> list[str]:
    """The weekly review's introductions worth making (DESIGN 5.5), each with its why; no
    section while no contact says what they care about, offer or need."""
    if analysis.settings.introductions_per_week <= 0:
        return []
    found = analysis.introductions(as_of)
    if not found and not analysis.select("has items", _has_items):
        return []
    lines = ["", "## Introductions worth making", ""]
    if not found:
        lines.append(
            "None this week: no two active contacts who do not know each other have a need "
            "the other offers, or an interest in common across a difference."
        )
    for intro in found:
        lines.append(f"- {links(intro.a)} and {links(intro.b)}: {_why(intro)}")
    lines += [
        "",
        "Introducing two people is a gift to both. Made one? Log it with "
        '`entraide log VAULT A --gave "intro to [[B]]"`: that pair is then not suggested again.',
    ]
    return lines


def _has_items(contact: Contact) -> bool:
    return bool(contact.interests or contact.offers or contact.needs)


def _why(intro: Introduction) -> str:
    """One plain line: who needs what the other offers, what both care about, how they
    differ ("Ana needs hiring, Ben offers hiring; both care about climate; Finance and
    Architecture (sector)")."""
    a, b = md(intro.a_name), md(intro.b_name)
    parts = []
    if intro.a_needs:
        wanted = _and(intro.a_needs)
        parts.append(f"{a} needs {wanted}, {b} offers {wanted}")
    if intro.b_needs:
        wanted = _and(intro.b_needs)
        parts.append(f"{b} needs {wanted}, {a} offers {wanted}")
    if intro.shared_interests:
        parts.append(f"both care about {_and(intro.shared_interests)}")
    if intro.differences:
        parts.append(
            ", ".join(f"{md(x)} and {md(y)} ({md(dim)})" for dim, x, y in intro.differences)
        )
    return "; ".join(parts)


def _and(items: Iterable[str]) -> str:
    """`a`, `a and b`, `a, b and c`: each item escaped."""
    shown = [md(item) for item in items]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _layers(counts: Counter[str], settings: Settings) -> list[str]:
    lines = ["| circle | contacts | cumulative | size |", "|---|---:|---:|---:|"]
    total = 0
    for circle in settings.circles:
        total += counts.get(circle.name, 0)
        size = circle.size
        over = " ⚠ over" if size is not None and total > size else ""
        lines.append(
            f"| {md(circle.name)} | {counts.get(circle.name, 0)} | {total} | "
            f"{size if size is not None else '–'}{over} |"
        )
    return lines

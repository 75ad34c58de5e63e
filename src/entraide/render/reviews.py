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
from entraide.i18n import ENGLISH, Lang, lang
from entraide.model import Contact
from entraide.render.text import distinct, link, md, mermaid
from entraide.settings import Settings
from entraide.writeback import Generated


def reflection(say: Lang = ENGLISH) -> str:
    """What is written below the managed region, for the user (once, when the note is new)."""
    heading = say.t("Reflection")
    question = say.t("What went well? Whom did you help? Who would you like to meet?")
    return f"\n## {heading}\n\n_{question}_\n"


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


def explained(say: Lang = ENGLISH) -> list[str]:
    """The folded callout that explains the indices, one line each."""
    return [
        "> [!info]- " + say.t("What these numbers mean"),
        "> - "
        + say.t(
            "**Blau index**: the chance that two of your active contacts picked at random "
            "differ on this dimension (0: all alike; near 1: all different)."
        ),
        "> - "
        + say.t(
            "**IQV**: the Blau index divided by the highest it can reach with the values you "
            "have (1: spread as evenly as they can be)."
        ),
        "> - "
        + say.t(
            "**Entropy** (bits): how hard it is to guess one contact's value; one more bit is "
            "twice as many equally common values."
        ),
        "> - "
        + say.t(
            "**Effective number**: how many equally common values would give the same entropy."
        ),
        "> - "
        + say.t(
            "**Effective size** (Burt): your active contacts, less what they duplicate by "
            "knowing one another: the number of separate groups you reach."
        ),
        "> - "
        + say.t(
            "**Constraint** (Burt): how much your contacts are tied to one another (0 to 1): "
            "the lower it is, the more you bridge groups that do not otherwise meet."
        ),
    ]


def _times(say: Lang, n: int) -> str:
    if n == 1:
        return say.t("once")
    if n == 2:
        return say.t("twice")
    return say.t("{n} times", n=n)


def _percent(say: Lang, share: float) -> str:
    """`share` as a whole percentage ("67%"; "67 %" in French)."""
    return say.t("{number}%", number=say.number(share * 100, ".0f"))


def _day(say: Lang, day: date) -> str:
    """A date in the review's prose: ISO in English (as it always was), else the language's
    long date with its year ("lundi 23 novembre 2026")."""
    return day.isoformat() if say.code == "en" else say.long_date(day, year=True)


def _row(*cells: str) -> str:
    """A table row: `| a | b | |` (an empty cell is one space, as it always was)."""
    return "|" + "".join(f" {cell} |" if cell else " |" for cell in cells)


def week_label(say: Lang, label: str) -> str:
    """An axis label of `week_labels` (`W47`, `2027-W01`) in this language (`S47`)."""
    year, _, week = label.rpartition("W")
    return year + say.t("W{week}", week=week)


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
    say: Lang = ENGLISH,
) -> list[str]:
    """Three plain sentences a person acts on (DESIGN 5.2). `ongoing`: the period is not
    over yet."""
    week = kind == "week"
    if people and week:
        first = say.n(
            "You talked with {n} person this week, {new} of them new.",
            "You talked with {n} people this week, {new} of them new.",
            people,
            new=new,
        )
    elif people:
        first = say.n(
            "You talked with {n} person this month, {new} of them new.",
            "You talked with {n} people this month, {new} of them new.",
            people,
            new=new,
        )
    elif ongoing and week:
        first = say.t("You have talked with nobody yet this week: a good time to reach out.")
    elif ongoing:
        first = say.t("You have talked with nobody yet this month: a good time to reach out.")
    elif week:
        first = say.t("You talked with nobody this week.")
    else:
        first = say.t("You talked with nobody this month.")
    if people > 5:
        second = say.t(
            "{share} of your interactions went to the 5 people you see most.",
            share=_percent(say, clan),
        )
    elif people:
        second = say.t("Every interaction went to a handful of people: who else could you call?")
    else:
        second = say.t("Your check-in list names who is due.")
    gift = say.t("gave {times}", times=_times(say, gave)) if gave else say.t("gave nothing")
    ask = say.t("asked {times}", times=_times(say, asked)) if asked else say.t("asked for nothing")
    about = (
        say.t("asked about news {times}", times=_times(say, news))
        if news
        else say.t("asked nobody about their news")
    )
    third = say.t("You {gift}, {ask} and {about}.", gift=gift, ask=ask, about=about)
    return [first, second, third]


def render_review(analysis: Analysis, period: Period, today: date, final: bool) -> Generated:
    settings = analysis.settings
    say = lang(settings.language)
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
    num = say.number

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

    start, end = _day(say, period.start), _day(say, period.end)
    if period.kind == "week":
        title = say.t("# Week {label} ({start} – {end})", label=period.label, start=start, end=end)
    else:
        title = say.t("# Month {label} ({start} – {end})", label=period.label, start=start, end=end)
    if final:
        stamp = say.t("As of {day}. Final.", day=_day(say, as_of))
    else:
        stamp = say.t("As of {day}. Updated as you go.", day=_day(say, as_of))
    lines = [
        title,
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
                say=say,
            )  # fmt: skip
        ),
        "",
        stamp,
        "",
        "## " + say.t("Headlines"),
        "",
        say.t("| | this period | previous |"),
        "|---|---:|---:|",
        _row(say.t("interactions"), str(now.count), str(before.count)),
        _row(say.t("people"), str(len(seen)), str(len(before.people))),
        _row(say.t("new ties"), str(len(new)), ""),
        _row(
            say.t("minutes"),
            say.t("{spent} of {budget}", spent=num(spent, "g"), budget=num(budget, ".0f")),
            num(prev_spent, "g"),
        ),
        _row(say.t("share with the 5 most-seen"), _percent(say, clan), ""),
        "",
        "## " + say.t("Give, ask, news"),
        "",
        say.t(
            "Gave {gave}, asked {asked}, asked about news {news}; balance {balance} "
            "(+1: you only gave, −1: you only asked).",
            gave=gave,
            asked=asked,
            news=news,
            balance=num(balance, "+.2f"),
        ),
    ]
    if blue:
        lines += [
            "",
            say.t(
                "Asked out of the blue (no contact for over {days} days before): {names}.",
                days=settings.urgency_days,
                names=names(blue),
            ),
        ]
    never_gave = list(analysis.asked_never_gave(as_of))
    if never_gave:
        lines += [
            "",
            say.t("Asked but never gave in the last year: {names}.", names=names(never_gave)),
        ]
    lines += ["", "## " + say.t("Diversity of the active network"), "", *explained(say), ""]
    lines += [
        say.t(
            "| dimension | Blau | IQV | entropy (bits) | effective number | change (Blau) "
            "| this period's interactions (Blau) |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    in_period = {dim: from_counts(now.dimensions[dim]) for dim in settings.dimensions}
    pies: list[str] = []
    for dim in settings.dimensions:
        d_now, d_before = analysis.diversity(as_of, dim), analysis.diversity(prev.end, dim)
        lines.append(
            f"| {md(dim)} | {num(d_now.blau)} | {num(d_now.iqv)} | {num(d_now.shannon_bits)} | "
            f"{num(d_now.effective)} | {num(d_now.blau - d_before.blau, '+.2f')} | "
            f"{num(in_period[dim].blau)} |"
        )
        pie = pie_lines(mermaid(dim), pie_slices(d_now), say)
        if pie:
            pies.append("\n".join(pie))
    lines += ["", *("\n\n".join(pies).split("\n") if pies else [])]
    weeks = weeks_ending(as_of)
    counts = [analysis.count_between(w.start, min(w.end, as_of)) for w in weeks]
    per_week = say.t("Interactions per week")
    y_axis = mermaid(say.t("interactions"))
    labels = (mermaid(week_label(say, label)) for label in week_labels(weeks))
    lines += [
        "",
        "## " + per_week,
        "",
        "```mermaid",
        "xychart-beta",
        f'    title "{mermaid(per_week)}"',
        "    x-axis [" + ", ".join(f'"{label}"' for label in labels) + "]",
        f'    y-axis "{y_axis}" 0 --> {count_axis_max(counts)}',
        "    bar [" + ", ".join(str(n) for n in counts) + "]",
        "```",
        "",
        "## " + say.t("Ties"),
        "",
        "- " + say.t("New: {names}", names=names(new)),
        "- " + say.t("Strengthened: {names}", names=names(stronger)),
        "- " + say.t("Drifting: {names}", names=names(drifting)),
        "- " + say.t("Gone dormant: {names}", names=names(dormant)),
        "",
        "## " + say.t("Layers"),
        "",
    ]
    lines += _layers(analysis.circle_counts(), settings, say)
    holes = analysis.holes(as_of)
    if holes is not None:
        lines += [
            "",
            "## " + say.t("Structure"),
            "",
            say.n(
                "Among your {alters} active ties, {n} pair knows each other: effective size "
                "{size} (efficiency {efficiency}), constraint {constraint}. The lower the "
                "constraint, the more you bridge groups that do not otherwise meet (Burt's "
                "structural holes).",
                "Among your {alters} active ties, {n} pairs know each other: effective size "
                "{size} (efficiency {efficiency}), constraint {constraint}. The lower the "
                "constraint, the more you bridge groups that do not otherwise meet (Burt's "
                "structural holes).",
                holes.edges,
                alters=holes.alters,
                size=num(holes.effective_size, ".1f"),
                efficiency=num(holes.efficiency),
                constraint=num(holes.constraint, ".3f"),
            ),
        ]
    if period.kind == "week":
        lines += _introductions(analysis, as_of, links, say)
    content = "\n".join(lines) + "\n"
    frontmatter = {
        "type": "entraide-review",
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "status": "final" if final else "current",
    }
    return Generated(frontmatter, content, reflection(say))


def pie_lines(title: str, slices: Slices, say: Lang = ENGLISH) -> list[str]:
    """A Mermaid pie of these slices: every label distinct once cut and escaped (a number is
    added when two would read the same), "other" for the rest; nothing when there is no
    slice."""
    if not slices.values:
        return []
    unknown_label = mermaid(say.t("unknown"))[:PIE_LABEL_MAX]
    other_label = mermaid(say.t("other"))[:PIE_LABEL_MAX]
    reserved = [unknown_label, other_label]
    shown = [v for v, _, unknown in slices.values if not unknown]
    cut = (mermaid(v)[:PIE_LABEL_MAX].rstrip() or "?" for v in shown)
    labels = iter(distinct(cut, reserved, PIE_LABEL_MAX))
    out = ["```mermaid", f"pie title {title}"]
    for _, count, unknown in slices.values:
        out.append(f'    "{unknown_label if unknown else next(labels)}" : {count}')
    if slices.other:
        out.append(f'    "{other_label}" : {slices.other}')
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


def _introductions(
    analysis: Analysis, as_of: date, links: Callable[[str], str], say: Lang = ENGLISH
) -> list[str]:
    """The weekly review's introductions worth making (DESIGN 5.5), each with its why; no
    section while no contact says what they care about, offer or need."""
    if analysis.settings.introductions_per_week <= 0:
        return []
    found = analysis.introductions(as_of)
    if not found and not analysis.select("has items", _has_items):
        return []
    lines = ["", "## " + say.t("Introductions worth making"), ""]
    if not found:
        lines.append(
            say.t(
                "None this week: no two active contacts who do not know each other have a "
                "need the other offers, or an interest in common across a difference."
            )
        )
    for intro in found:
        lines.append(
            "- "
            + say.t("{a} and {b}: {why}", a=links(intro.a), b=links(intro.b), why=_why(intro, say))
        )
    lines += [
        "",
        say.t(
            "Introducing two people is a gift to both. Made one? Log it with "
            '`entraide log VAULT A --gave "intro to [[B]]"`: that pair is then not suggested '
            "again."
        ),
    ]
    return lines


def _has_items(contact: Contact) -> bool:
    return bool(contact.interests or contact.offers or contact.needs)


def _why(intro: Introduction, say: Lang = ENGLISH) -> str:
    """One plain line: who needs what the other offers, what both care about, how they
    differ ("Ana needs hiring, Ben offers hiring; both care about climate; Finance and
    Architecture (sector)")."""
    a, b = md(intro.a_name), md(intro.b_name)
    parts = []
    if intro.a_needs:
        wanted = _and(intro.a_needs, say)
        parts.append(say.t("{a} needs {wanted}, {b} offers {wanted}", a=a, b=b, wanted=wanted))
    if intro.b_needs:
        wanted = _and(intro.b_needs, say)
        parts.append(say.t("{a} needs {wanted}, {b} offers {wanted}", a=b, b=a, wanted=wanted))
    if intro.shared_interests:
        parts.append(say.t("both care about {items}", items=_and(intro.shared_interests, say)))
    if intro.differences:
        parts.append(
            ", ".join(
                say.t("{x} and {y} ({dimension})", x=md(x), y=md(y), dimension=md(dim))
                for dim, x, y in intro.differences
            )
        )
    return say.t("; ").join(parts)


def _and(items: Iterable[str], say: Lang = ENGLISH) -> str:
    """`a`, `a and b`, `a, b and c`: each item escaped."""
    shown = [md(item) for item in items]
    if len(shown) == 1:
        return shown[0]
    return say.t("{items} and {last}", items=", ".join(shown[:-1]), last=shown[-1])


def _layers(counts: Counter[str], settings: Settings, say: Lang = ENGLISH) -> list[str]:
    lines = [say.t("| circle | contacts | cumulative | size |"), "|---|---:|---:|---:|"]
    total = 0
    over_word = " " + say.t("⚠ over")
    for circle in settings.circles:
        total += counts.get(circle.name, 0)
        size = circle.size
        over = over_word if size is not None and total > size else ""
        lines.append(
            f"| {md(circle.name)} | {counts.get(circle.name, 0)} | {total} | "
            f"{size if size is not None else '–'}{over} |"
        )
    return lines

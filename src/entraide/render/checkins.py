"""`Entraide/Check-ins.md`: this week's short list, in Obsidian Tasks format (DESIGN §5.1).

`analytics/checkins.py` decides who, why, when and what is cut; this module words it:

    - [ ] [[Jane Doe]] — 94 days since you last talked (every 30 d); last time (2026-10-20,
      lunch): talked about her move to Lyon; ask about their news ⏫ 📅 2026-11-22

The `📅` date ends the line (Tasks reads fields backwards from the end): only the user's
priority comes before it, in the place Tasks writes one, and only the Tasks global filter
(a tag) after it. Lines the user ticked or cancelled this week stay as they left them; lines
they postponed wait under "Later"; the reasons ticks satisfied are kept in comments.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from entraide.analytics import checkins as decide
from entraide.analytics.budget import minutes_between
from entraide.analytics.report import Analysis
from entraide.model import Vault
from entraide.render.text import link, task_text
from entraide.settings import Settings
from entraide.ticks import LATER, Gestures, memo_line

_WORDS = {1: "once", 2: "twice"}


def week_minutes(vault: Vault, settings: Settings, today: date) -> float:
    """Minutes spent on interactions in today's ISO week, up to today."""
    monday = today - timedelta(days=today.weekday())
    return minutes_between(vault.contacts, settings, monday, today)


def _week_minutes(analysis: Analysis, today: date) -> float:
    return decide.week_minutes(analysis, today)


def _times(n: int) -> str:
    return _WORDS.get(n, f"{n} times")


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def reason_text(r: decide.Reason, today: date) -> str:
    if r.kind == decide.FOLLOW_UP and r.day is not None:
        if r.day == today:
            return "follow-up due today"
        return f"follow-up {'was due' if r.day < today else 'due'} {r.day.isoformat()}"
    if r.kind == decide.BIRTHDAY and r.day is not None:
        return "birthday today" if r.day == today else f"birthday on {r.day:%A} {r.day.isoformat()}"
    if r.kind == decide.OVERDUE:
        if r.day is None:
            return f"never talked yet (every {r.cadence} d)"
        return f"{r.number} day{_s(r.number)} since you last talked (every {r.cadence} d)"
    if r.kind == decide.GIVE_FIRST:
        return f"you asked {_times(r.number)} and never gave: offer help"
    if r.kind == decide.REVIVE and r.day is not None:
        return f"a dormant tie worth reviving (last talked {r.day.isoformat()})"
    return r.kind


def prompt_text(p: decide.Prompt) -> list[str]:
    """Something to ask: what the user last wrote, escaped, and the news reminder."""
    out = []
    if p.text is not None and p.day is not None:
        when = p.day.isoformat() + (f", {task_text(p.kind)}" if p.kind else "")
        out.append(f"last time ({when}): {task_text(p.text)}")
    if p.ask_news:
        out.append("ask about their news")
    return out


def _link(analysis: Analysis, path: str, name: str) -> str:
    return link(path, name, target=analysis.link_targets().get(path))


def line_text(analysis: Analysis, line: decide.Line, today: date) -> str:
    c = line.candidate
    settings = analysis.settings
    words = [reason_text(r, today) for r in c.reasons] + prompt_text(c.prompt)
    text = f"- [ ] {_link(analysis, c.path, c.name)} — {'; '.join(words)}"
    flt = settings.tasks_global_filter.strip()
    if flt and not flt.startswith("#"):
        text = f"- [ ] {flt} {text[6:]}"  # not a tag: it may not follow the fields
    if line.priority is not None:
        text += f" {line.priority}"
    text += f" 📅 {c.due.isoformat()}"
    if flt.startswith("#"):
        text += f" {flt}"
    return text


def render(
    analysis: Analysis,
    today: date,
    gestures: Gestures | None = None,
    fresh: Collection[str] = (),
) -> str:
    """The managed content of the check-in list (see `analytics.checkins.plan`)."""
    settings = analysis.settings
    plan = decide.plan(analysis, today, gestures, fresh)
    # "As of": the day of this list, entraide's own 📅 for reasons without a date of their
    # own (read back: such a date is no postpone).
    out = [f"## Check-ins for the week of {plan.monday.isoformat()}", ""]
    out += [f"As of {today.isoformat()}.", ""]
    lines = [line_text(analysis, line, today) for line in plan.lines]
    out.extend(lines)
    out.extend(plan.kept)
    if not lines and not plan.kept:
        out.append("Nobody to reach out to this week. Enjoy the quiet, or give first.")
    out.append("")
    if plan.cut:
        names = ", ".join(_link(analysis, c.path, c.name) for c in plan.cut)
        out += [f"{len(plan.cut)} more due: {names}", ""]
    n = len(lines)
    out.append(
        f"Time this week: {plan.spent:g} of {settings.weekly_minutes:g} minutes spent "
        f"({n} check-in{_s(n)} listed, {settings.checkin_minutes:g} minutes each)."
    )
    if plan.budget_cut:
        out.append(
            f"The weekly budget is spent: {plan.budget_cut} more contact{_s(plan.budget_cut)} "
            "left for next week (birthdays and follow-ups are always listed)."
        )
    if plan.later:
        out += ["", LATER, ""]
        out.extend(line for _, line in plan.later)
    if plan.memos:
        out.append("")
        out.extend(memo_line(m) for m in plan.memos)
    return "\n".join(out) + "\n"

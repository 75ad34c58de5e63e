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
from entraide.i18n import ENGLISH, Lang, lang
from entraide.model import Vault
from entraide.render.text import link, task_text
from entraide.settings import Settings
from entraide.ticks import Gestures, later_heading, memo_line


def week_minutes(vault: Vault, settings: Settings, today: date) -> float:
    """Minutes spent on interactions in today's ISO week, up to today."""
    monday = today - timedelta(days=today.weekday())
    return minutes_between(vault.contacts, settings, monday, today)


def _week_minutes(analysis: Analysis, today: date) -> float:
    return decide.week_minutes(analysis, today)


def times(say: Lang, n: int) -> str:
    """ "once", "twice", "3 times"."""
    if n == 1:
        return say.t("once")
    if n == 2:
        return say.t("twice")
    return say.t("{n} times", n=n)


def day_text(say: Lang, day: date, today: date) -> str:
    """A date in a sentence: ISO in English (as it always was), else the language's long
    date ("vendredi 27 novembre"), with the year when it is not today's."""
    if say.code == "en":
        return day.isoformat()
    return say.long_date(day, year=day.year != today.year)


def _weekday_day(say: Lang, day: date, today: date) -> str:
    """ "Friday 2026-11-27" in English, "vendredi 27 novembre" otherwise."""
    if say.code == "en":
        return f"{say.weekday(day)} {day.isoformat()}"
    return day_text(say, day, today)


def reason_text(r: decide.Reason, today: date, say: Lang = ENGLISH) -> str:
    if r.kind == decide.FOLLOW_UP and r.day is not None:
        if r.day == today:
            return say.t("follow-up due today")
        day = day_text(say, r.day, today)
        if r.day < today:
            return say.t("follow-up was due {day}", day=day)
        return say.t("follow-up due {day}", day=day)
    if r.kind == decide.BIRTHDAY and r.day is not None:
        if r.day == today:
            return say.t("birthday today")
        return say.t("birthday on {day}", day=_weekday_day(say, r.day, today))
    if r.kind == decide.OVERDUE:
        if r.day is None:
            return say.t("never talked yet (every {cadence} d)", cadence=r.cadence)
        return say.n(
            "{n} day since you last talked (every {cadence} d)",
            "{n} days since you last talked (every {cadence} d)",
            r.number,
            cadence=r.cadence,
        )
    if r.kind == decide.GIVE_FIRST:
        return say.t("you asked {times} and never gave: offer help", times=times(say, r.number))
    if r.kind == decide.REVIVE and r.day is not None:
        return say.t(
            "a dormant tie worth reviving (last talked {day})", day=day_text(say, r.day, today)
        )
    return r.kind


def prompt_text(p: decide.Prompt, today: date, say: Lang = ENGLISH) -> list[str]:
    """Something to ask: what the user last wrote, escaped, and the news reminder."""
    out = []
    if p.text is not None and p.day is not None:
        when = day_text(say, p.day, today) + (f", {task_text(p.kind)}" if p.kind else "")
        out.append(say.t("last time ({when}): {said}", when=when, said=task_text(p.text)))
    if p.ask_news:
        out.append(say.t("ask about their news"))
    return out


def _link(analysis: Analysis, path: str, name: str) -> str:
    return link(path, name, target=analysis.link_targets().get(path))


def line_text(analysis: Analysis, line: decide.Line, today: date, say: Lang = ENGLISH) -> str:
    c = line.candidate
    settings = analysis.settings
    words = [reason_text(r, today, say) for r in c.reasons] + prompt_text(c.prompt, today, say)
    joined = say.t("; ").join(words)
    text = f"- [ ] {_link(analysis, c.path, c.name)} — {joined}"
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
    """The managed content of the check-in list (see `analytics.checkins.plan`), in the
    language of the settings."""
    settings = analysis.settings
    say = lang(settings.language)
    plan = decide.plan(analysis, today, gestures, fresh)
    monday = plan.monday.isoformat() if say.code == "en" else say.long_date(plan.monday, True)
    listed = today.isoformat() if say.code == "en" else say.long_date(today, True)
    # "As of": the day of this list, entraide's own 📅 for reasons without a date of their
    # own (read back, in any language: such a date is no postpone).
    out = [say.t("## Check-ins for the week of {monday}", monday=monday), ""]
    out += [say.t("As of {day}.", day=listed), ""]
    lines = [line_text(analysis, line, today, say) for line in plan.lines]
    out.extend(lines)
    out.extend(plan.kept)
    if not lines and not plan.kept:
        out.append(say.t("Nobody to reach out to this week. Enjoy the quiet, or give first."))
    out.append("")
    if plan.cut:
        names = ", ".join(_link(analysis, c.path, c.name) for c in plan.cut)
        cut = say.n("{n} more due: {names}", "{n} more due: {names}", len(plan.cut), names=names)
        out += [cut, ""]
    n = len(lines)
    out.append(
        say.n(
            "Time this week: {spent} of {weekly} minutes spent ({n} check-in listed, "
            "{each} minutes each).",
            "Time this week: {spent} of {weekly} minutes spent ({n} check-ins listed, "
            "{each} minutes each).",
            n,
            spent=say.number(plan.spent, "g"),
            weekly=say.number(settings.weekly_minutes, "g"),
            each=say.number(settings.checkin_minutes, "g"),
        )
    )
    if plan.budget_cut:
        out.append(
            say.n(
                "The weekly budget is spent: {n} more contact left for next week (birthdays "
                "and follow-ups are always listed).",
                "The weekly budget is spent: {n} more contacts left for next week (birthdays "
                "and follow-ups are always listed).",
                plan.budget_cut,
            )
        )
    if plan.later:
        out += ["", later_heading(say), ""]
        out.extend(line for _, line in plan.later)
    if plan.memos:
        out.append("")
        out.extend(memo_line(m) for m in plan.memos)
    return "\n".join(out) + "\n"

"""`Entraide/Check-ins.md`: this week's short list, in Obsidian Tasks format (DESIGN §5.1).

Ranking (documented and deterministic): each candidate's score is the sum of its reasons —
overdue `1 + min(overdue_days / cadence, 3)`, birthday within `birthday_days` 4, follow-up
due within 7 days 3 (5 once past), give-first +1 (1 alone), dormant tie worth reviving 0.5 —
ranked by score (highest first), then name, then path. The list is capped by `max_checkins`
and by the weekly budget left, except birthdays and follow-ups, which the budget never cuts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from entraide.analytics.budget import minutes_between
from entraide.analytics.report import Analysis
from entraide.analytics.ties import add_days
from entraide.model import Contact, Vault
from entraide.parse.values import sort_key_name
from entraide.render.text import link
from entraide.settings import Settings

_WORDS = {1: "once", 2: "twice"}


@dataclass(slots=True)
class Candidate:
    contact: Contact
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    fixed_date: date | None = None  # a birthday or follow-up: the line's 📅 date
    due: date | None = None
    exempt: bool = False  # never cut by the budget

    def key(self) -> tuple[float, str, str, str]:
        return (-self.score, sort_key_name(self.contact.name), self.contact.name, self.contact.path)


def _times(n: int) -> str:
    return _WORDS.get(n, f"{n} times")


def week_minutes(vault: Vault, settings: Settings, today: date) -> float:
    """Minutes spent on interactions in today's ISO week, up to today."""
    monday = today - timedelta(days=today.weekday())
    return minutes_between(vault.contacts, settings, monday, today)


def candidates(analysis: Analysis, today: date) -> list[Candidate]:
    vault, settings = analysis.vault, analysis.settings
    ties = analysis.ties(today)
    never_gave = analysis.asked_never_gave(today)
    sunday = today + timedelta(days=6 - today.weekday())
    found: list[Candidate] = []
    dormant: list[tuple[float, Candidate]] = []
    for contact in vault.contacts:
        if contact.paused or (contact.snooze_until is not None and contact.snooze_until > today):
            continue
        tie = ties[contact.path]
        c = Candidate(contact, due=tie.due)
        follow = _pending_follow_up(contact, today)
        if follow is not None and follow <= today + timedelta(days=7):
            past = follow < today
            c.score += 5 if past else 3
            c.reasons.append(
                f"follow-up {'was due' if past else 'due'} {follow.isoformat()}"
                if follow != today
                else "follow-up due today"
            )
            c.fixed_date, c.exempt = follow, True
        if tie.next_birthday is not None and (tie.next_birthday - today).days <= (
            settings.birthday_days
        ):
            c.score += 4
            when = tie.next_birthday
            c.reasons.append(
                "birthday today" if when == today else f"birthday on {when:%A} {when.isoformat()}"
            )
            c.fixed_date = min(c.fixed_date or when, when)
            c.exempt = True
        if tie.cadence and tie.due is not None:
            # Overdue on the cadence alone (a follow-up has its own reason above).
            due = today if tie.last_contact is None else add_days(tie.last_contact, tie.cadence)
            if due <= sunday:
                overdue = max((today - due).days, 0)
                c.score += 1 + min(overdue / tie.cadence, 3)
                c.reasons.append(_overdue_reason(tie.last_contact, tie.cadence, today))
                c.due = due
        asked = never_gave.get(contact.path, 0)
        if asked:
            c.score += 1
            c.reasons.append(f"you asked {_times(asked)} and never gave: offer help")
        if c.reasons:
            found.append(c)
        elif tie.tie == "dormant" and tie.last_contact is not None:
            c.score = 0.5
            c.reasons.append(
                f"a dormant tie worth reviving (last talked {tie.last_contact.isoformat()})"
            )
            dormant.append((tie.strength, c))
    dormant.sort(key=lambda sc: (-sc[0], *sc[1].key()[1:]))
    found.extend(c for _, c in dormant[: settings.revive_per_week])
    found.sort(key=Candidate.key)
    return found


def _pending_follow_up(contact: Contact, today: date) -> date | None:
    """A follow-up with no interaction on or after it."""
    follow = contact.follow_up
    if follow is None:
        return None
    if any(follow <= i.date <= today for i in contact.interactions):
        return None
    return follow


def _overdue_reason(last: date | None, cadence: int, today: date) -> str:
    if last is None:
        return f"never talked yet (every {cadence} d)"
    days = (today - last).days
    return f"{days} day{'s' if days != 1 else ''} since you last talked (every {cadence} d)"


def render(analysis: Analysis, today: date) -> str:
    vault, settings = analysis.vault, analysis.settings
    chosen = candidates(analysis, today)
    spent = week_minutes(vault, settings, today)
    left = max(settings.weekly_minutes - spent, 0.0)
    budget_lines = int(left // settings.checkin_minutes) if settings.checkin_minutes else 0
    lines: list[str] = []
    cut = 0
    used = 0
    for c in chosen:
        if len(lines) >= settings.max_checkins:
            break
        if not c.exempt:
            if used >= budget_lines:
                cut += 1
                continue
            used += 1
        lines.append(_line(c, settings, today))
    out = [
        f"## Check-ins for the week of {(today - timedelta(days=today.weekday())).isoformat()}",
        "",
    ]
    out.extend(lines or ["Nobody to reach out to this week. Enjoy the quiet, or give first."])
    out.append("")
    out.append(
        f"Time this week: {spent:g} of {settings.weekly_minutes:g} minutes spent "
        f"({len(lines)} check-in{'s' if len(lines) != 1 else ''} listed, "
        f"{settings.checkin_minutes:g} minutes each)."
    )
    if cut:
        out.append(
            f"The weekly budget is spent: {cut} more contact{'s' if cut != 1 else ''} left for "
            "next week (birthdays and follow-ups are always listed)."
        )
    return "\n".join(out) + "\n"


def _line(c: Candidate, settings: Settings, today: date) -> str:
    when = c.fixed_date or max(c.due or today, today)
    prefix = "- [ ] "
    if settings.tasks_global_filter:
        prefix += settings.tasks_global_filter.strip() + " "
    reasons = "; ".join(c.reasons)
    return f"{prefix}{link(c.contact.path, c.contact.name)} — {reasons} 📅 {when.isoformat()}"

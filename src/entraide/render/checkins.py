"""`Entraide/Check-ins.md`: this week's short list, in Obsidian Tasks format (DESIGN §5.1).

Ranking (documented and deterministic): each candidate's score is the sum of its reasons —
overdue `1 + min(overdue_days / cadence, 3)`, birthday within `birthday_days` 4, follow-up
due within 7 days 3 (5 once past), give-first +1 (1 alone), dormant tie worth reviving 0.5 —
ranked by score (highest first), then name, then path. The list is capped by `max_checkins`
and by the weekly budget left, except birthdays and follow-ups, which the budget never cuts.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from entraide.analytics.budget import minutes_between
from entraide.analytics.report import Analysis
from entraide.analytics.ties import add_days
from entraide.model import Contact, Vault
from entraide.parse.values import fold, sort_key_name
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
    order: tuple[Any, ...] = ()  # `key()`, once the candidate is complete
    rank: tuple[Any, ...] = ()  # where it stands among all the candidates (see `candidates`)

    def key(self) -> tuple[float, str, str, str]:
        return (-self.score, sort_key_name(self.contact.name), self.contact.name, self.contact.path)


def _times(n: int) -> str:
    return _WORDS.get(n, f"{n} times")


def week_minutes(vault: Vault, settings: Settings, today: date) -> float:
    """Minutes spent on interactions in today's ISO week, up to today."""
    monday = today - timedelta(days=today.weekday())
    return minutes_between(vault.contacts, settings, monday, today)


def _week_minutes(analysis: Analysis, today: date) -> float:
    """`week_minutes`, from the sums over this week's interactions when the order of the sum
    cannot change it: whole minutes, whose sum stays exact in a float (else summed as always)."""
    settings = analysis.settings
    monday = today - timedelta(days=today.weekday())
    week = analysis.period(monday, today)
    if not week.fractions and week.size < 2**53:
        return float(week.whole_minutes)
    return minutes_between(analysis.vault.contacts, settings, monday, today)


def candidates(analysis: Analysis, today: date) -> list[Candidate]:
    """Everyone with a reason to be contacted, plus the `revive_per_week` dormant ties most
    worth reviving, ranked (see the module's docstring)."""
    settings = analysis.settings
    ties = analysis.ties(today)
    never_gave = analysis.asked_never_gave(today)
    name_keys = analysis.name_keys()
    sunday = today + timedelta(days=6 - today.weekday())
    week_ahead = today + timedelta(days=7)
    birthday_days = settings.birthday_days

    def candidate(contact: Contact) -> Candidate | None:
        """The contact's reasons to be contacted this week (`rank` (0, …)), else a dormant
        tie worth reviving (`rank` (1, −strength, …)), else None."""
        if contact.paused or (contact.snooze_until is not None and contact.snooze_until > today):
            return None
        path = contact.path
        tie = ties[path]
        score = 0.0
        reasons: list[str] = []
        fixed_date: date | None = None
        due = tie.due
        exempt = False
        follow = _pending_follow_up(contact, today) if contact.follow_up is not None else None
        if follow is not None and follow <= week_ahead:
            past = follow < today
            score += 5 if past else 3
            reasons.append(
                f"follow-up {'was due' if past else 'due'} {follow.isoformat()}"
                if follow != today
                else "follow-up due today"
            )
            fixed_date, exempt = follow, True
        when = tie.next_birthday
        if when is not None and (when - today).days <= birthday_days:
            score += 4
            reasons.append(
                "birthday today" if when == today else f"birthday on {when:%A} {when.isoformat()}"
            )
            fixed_date = min(fixed_date or when, when)
            exempt = True
        if tie.cadence and tie.due is not None:
            # Overdue on the cadence alone (a follow-up has its own reason above).
            last = tie.last_contact
            cadence_due = today if last is None else add_days(last, tie.cadence)
            if cadence_due <= sunday:
                overdue = max((today - cadence_due).days, 0)
                score += 1 + min(overdue / tie.cadence, 3)
                reasons.append(_overdue_reason(last, tie.cadence, today))
                due = cadence_due
        asked = never_gave.get(path, 0)
        if asked:
            score += 1
            reasons.append(f"you asked {_times(asked)} and never gave: offer help")
        if reasons:
            order = (-score, name_keys[path], contact.name, path)
            return Candidate(contact, score, reasons, fixed_date, due, exempt, order, (0, *order))
        if tie.tie == "dormant" and tie.last_contact is not None:
            reasons.append(
                f"a dormant tie worth reviving (last talked {tie.last_contact.isoformat()})"
            )
            key = name_keys[path]
            return Candidate(
                contact,
                0.5,
                reasons,
                fixed_date,
                due,
                exempt,
                (-0.5, key, contact.name, path),
                (1, -tie.strength, key, contact.name, path),
            )
        return None

    # Those with reasons first, in their final order, then the dormant ties by strength.
    ranked = analysis.ranked(("check-in candidates", today), candidate, _rank)
    split = bisect_left(ranked, (1,), key=_rank)
    found = ranked[:split]
    for c in ranked[split:][: settings.revive_per_week]:
        insort(found, c, key=_order)
    return found


def _rank(c: Candidate) -> tuple[Any, ...]:
    return c.rank


def _order(c: Candidate) -> tuple[Any, ...]:
    return c.order


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
    settings = analysis.settings
    chosen = candidates(analysis, today)
    spent = _week_minutes(analysis, today)
    left = max(settings.weekly_minutes - spent, 0.0)
    budget_lines = int(left // settings.checkin_minutes) if settings.checkin_minutes else 0
    lines: list[str] = []
    cut = 0
    used = 0
    shared = _shared_names(analysis.vault.contacts)
    for c in chosen:
        if len(lines) >= settings.max_checkins:
            break
        if not c.exempt:
            if used >= budget_lines:
                cut += 1
                continue
            used += 1
        lines.append(_line(c, settings, today, fold(c.contact.name) in shared))
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


def _shared_names(contacts: tuple[Contact, ...]) -> set[str]:
    """Names (folded) that several contacts have: their lines link them by path, so that a
    tick (and a click) leads to the right one."""
    seen: set[str] = set()
    shared: set[str] = set()
    for contact in contacts:
        key = fold(contact.name)
        if key in seen:
            shared.add(key)
        seen.add(key)
    return shared


def _line(c: Candidate, settings: Settings, today: date, by_path: bool = False) -> str:
    when = c.fixed_date or max(c.due or today, today)
    prefix = "- [ ] "
    if settings.tasks_global_filter:
        prefix += settings.tasks_global_filter.strip() + " "
    reasons = "; ".join(c.reasons)
    shown = link(c.contact.path, c.contact.name, by_path)
    return f"{prefix}{shown} — {reasons} 📅 {when.isoformat()}"

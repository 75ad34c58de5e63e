"""Who is on this week's check-in list, why, on which day, and what was cut (DESIGN 5.1).

Every decision is taken here into frozen values; `render/checkins.py` only words them.

Ranking (documented and deterministic): each candidate's score is the sum of its reasons —
overdue `1 + min(overdue_days / cadence, 3)`, birthday within `birthday_days` 4, follow-up
due within 7 days 3 (5 once past), give-first +1 (1 alone), dormant tie worth reviving 0.5 —
ranked by score (highest first), then name, then path. A line the user gave a priority ranks
above every line without one (🔺 ⏫ 🔼 🔽 ⏬ in that order) and is never cut: the user asked
for it. The list is capped by `max_checkins` open lines and by the weekly budget left, except
birthdays and follow-ups, which the budget never cuts; whoever is cut is named under the list.

A cadence counts when it falls due this week (by Sunday), overdue or not: the list is the
week's. Its `📅` is the day the action is due, never before today: a birthday's day, a
follow-up's (today once past), the cadence's (today once past), today for a give-first
reminder or a dormant tie; the earliest of its reasons'.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from entraide.analytics.budget import minutes_between
from entraide.analytics.report import Analysis
from entraide.analytics.ties import TieSummary, add_days
from entraide.model import Contact
from entraide.settings import Settings
from entraide.ticks import PRIORITIES, Gestures, Memo, week_end

FOLLOW_UP, BIRTHDAY, OVERDUE, GIVE_FIRST, REVIVE = (
    "follow-up", "birthday", "overdue", "give-first", "revive",
)  # fmt: skip
PROMPT_MAX = 80  # characters of the user's own text in "something to ask"


class Reason(NamedTuple):
    """One reason to reach out. `day`: the follow-up's or birthday's date, or the last
    contact (overdue, revive); `count`: the asks (give-first); `cadence` in days (overdue)."""

    kind: str
    day: date | None = None
    number: int = 0
    cadence: int = 0


class Prompt(NamedTuple):
    """Something to ask: what the user last wrote about the person (cut, not yet escaped),
    and whether none of the last three interactions asked about their news."""

    day: date | None
    kind: str | None
    text: str | None
    cut: bool
    ask_news: bool


@dataclass(frozen=True, slots=True)
class Candidate:
    path: str
    name: str
    score: float
    reasons: tuple[Reason, ...]
    due: date  # the line's 📅: never before today
    exempt: bool  # a birthday or follow-up: never cut by the budget
    order: tuple[Any, ...]  # (−score, name key, name, path)
    rank: tuple[Any, ...]  # (0, …order) with reasons, (1, −strength, …) a dormant tie
    prompt: Prompt
    last_ask: date | None  # the latest ask of a give-first reminder


@dataclass(frozen=True, slots=True)
class Line:
    candidate: Candidate
    priority: str | None  # the user's priority sign, kept on the line


@dataclass(frozen=True, slots=True)
class Plan:
    """The check-in list of the week holding `today`."""

    monday: date
    lines: tuple[Line, ...]  # open lines, in order
    kept: tuple[str, ...]  # ticked and cancelled lines of this week, as the user left them
    later: tuple[tuple[date, str], ...]  # postponed lines (until, line as written), by date
    cut: tuple[Candidate, ...]  # candidates cut by the cap or the budget, in rank order
    budget_cut: int  # how many of them the budget cut
    spent: float  # minutes spent this week
    memos: tuple[Memo, ...]  # reasons satisfied by ticks, still standing


def week_minutes(analysis: Analysis, today: date) -> float:
    """Minutes spent on interactions in today's ISO week, up to today: from the sums over this
    week's interactions when the order of the sum cannot change it (whole minutes, exact in a
    float), else summed in date order."""
    settings = analysis.settings
    monday = today - timedelta(days=today.weekday())
    week = analysis.period(monday, today)
    if not week.fractions and week.size < 2**53:
        return float(week.whole_minutes)
    return minutes_between(analysis.vault.contacts, settings, monday, today)


def prompt_of(contact: Contact, today: date) -> Prompt:
    """Something to ask (DESIGN 5.1): the latest text the user wrote about the person, and
    whether to ask about their news."""
    past = [i for i in contact.interactions if i.date <= today]
    ask_news = not any(i.news for i in past[-3:])
    for i in reversed(past):
        text = " ".join((i.note or "").split())
        if text:
            shown, was_cut = cut_on_word(text, PROMPT_MAX)
            return Prompt(i.date, i.kind, shown, was_cut, ask_news)
    return Prompt(None, None, None, False, ask_news)


def cut_on_word(text: str, limit: int) -> tuple[str, bool]:
    """`text` cut to at most `limit` characters on a word boundary (an ellipsis included),
    and whether it was cut."""
    if len(text) <= limit:
        return text, False
    head = text[: limit - 1]
    at = head.rfind(" ")
    if at > 0 and text[limit - 1] != " ":
        head = head[:at]
    return head.rstrip() + "…", True


def _last_ask(contact: Contact, settings: Settings, today: date) -> date | None:
    found = None
    for i in contact.interactions:
        if i.asked and 0 <= (today - i.date).days <= settings.dormant_days:
            found = i.date
    return found


def candidate_of(
    contact: Contact,
    tie: TieSummary,
    asked: int,
    settings: Settings,
    today: date,
    name_key: str,
    skip: Collection[tuple[str, date | None]] = (),
) -> Candidate | None:
    """The contact's reasons to be contacted this week (rank (0, …)), else a dormant tie worth
    reviving (rank (1, −strength, …)), else None. `skip`: (kind, day) reasons a tick already
    satisfied."""
    if contact.paused or (contact.snooze_until is not None and contact.snooze_until > today):
        return None
    sunday = week_end(today)
    score = 0.0
    reasons: list[Reason] = []
    days: list[date] = []
    exempt = False
    follow = _pending_follow_up(contact, today)
    week_ahead = today + timedelta(days=7)
    if follow is not None and follow <= week_ahead and (FOLLOW_UP, follow) not in skip:
        score += 5 if follow < today else 3
        reasons.append(Reason(FOLLOW_UP, follow))
        days.append(max(follow, today))
        exempt = True
    when = tie.next_birthday
    if (
        when is not None
        and (when - today).days <= settings.birthday_days
        and (BIRTHDAY, when) not in skip
    ):
        score += 4
        reasons.append(Reason(BIRTHDAY, when))
        days.append(when)
        exempt = True
    if tie.cadence and tie.due is not None:
        last = tie.last_contact
        cadence_due = today if last is None else add_days(last, tie.cadence)
        if cadence_due <= sunday:
            overdue = max((today - cadence_due).days, 0)
            score += 1 + min(overdue / tie.cadence, 3)
            since = (today - last).days if last is not None else 0
            reasons.append(Reason(OVERDUE, last, since, tie.cadence))
            days.append(max(cadence_due, today))
    last_ask = _last_ask(contact, settings, today) if asked else None
    if asked and (GIVE_FIRST, last_ask) not in skip:
        score += 1
        reasons.append(Reason(GIVE_FIRST, None, asked))
        days.append(today)
    path = contact.path
    if reasons:
        order = (-score, name_key, contact.name, path)
        return Candidate(
            path, contact.name, score, tuple(reasons), min(days), exempt, order, (0, *order),
            prompt_of(contact, today), last_ask,
        )  # fmt: skip
    if tie.tie == "dormant" and tie.last_contact is not None:
        return Candidate(
            path, contact.name, 0.5, (Reason(REVIVE, tie.last_contact),), today, False,
            (-0.5, name_key, contact.name, path), (1, -tie.strength, name_key, contact.name, path),
            prompt_of(contact, today), None,
        )  # fmt: skip
    return None


def _pending_follow_up(contact: Contact, today: date) -> date | None:
    """A follow-up with no interaction on or after it."""
    follow = contact.follow_up
    if follow is None:
        return None
    if any(follow <= i.date <= today for i in contact.interactions):
        return None
    return follow


def candidates(analysis: Analysis, today: date) -> list[Candidate]:
    """Everyone with a reason to be contacted, plus the `revive_per_week` dormant ties most
    worth reviving, ranked (see the module's docstring)."""
    settings = analysis.settings
    ties = analysis.ties(today)
    never_gave = analysis.asked_never_gave(today)
    name_keys = analysis.name_keys()

    def candidate(contact: Contact) -> Candidate | None:
        path = contact.path
        return candidate_of(
            contact, ties[path], never_gave.get(path, 0), settings, today, name_keys[path]
        )

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


def _memo_stands(memo: Memo, contact: Contact | None, analysis: Analysis, today: date) -> bool:
    """Whether the reason a tick satisfied is still there (else the memo is dropped)."""
    if contact is None:
        return False
    if memo.kind == BIRTHDAY:
        return memo.day >= today and analysis.ties(today)[contact.path].next_birthday == memo.day
    if memo.kind == FOLLOW_UP:
        return _pending_follow_up(contact, today) == memo.day
    if memo.kind == GIVE_FIRST:
        return (
            bool(analysis.asked_never_gave(today).get(contact.path))
            and _last_ask(contact, analysis.settings, today) == memo.day
        )
    return False


def _memos_of(c: Candidate) -> Iterable[Memo]:
    for r in c.reasons:
        if r.kind in (BIRTHDAY, FOLLOW_UP) and r.day is not None:
            yield Memo(c.path, r.kind, r.day)
        elif r.kind == GIVE_FIRST and c.last_ask is not None:
            yield Memo(c.path, GIVE_FIRST, c.last_ask)


def plan(
    analysis: Analysis,
    today: date,
    gestures: Gestures | None = None,
    fresh: Collection[str] = (),
) -> Plan:
    """This week's list as of `today`, with the user's `gestures` read back. `fresh`: the
    paths of the contacts whose tick this pass logged (the reasons of their line are
    remembered as satisfied)."""
    settings = analysis.settings
    g = gestures if gestures is not None else Gestures()
    by_path = analysis.by_path()
    ranked = candidates(analysis, today)
    # Reasons ticked before their day: remembered while they stand.
    memos = {m for m in g.memos if _memo_stands(m, by_path.get(m.path), analysis, today)}
    current = {c.path: c for c in ranked}
    for path in fresh:
        c = current.get(path)
        if c is not None:
            memos.update(_memos_of(c))
    skip: dict[str, set[tuple[str, date | None]]] = {}
    for m in memos:
        skip.setdefault(m.path, set()).add((m.kind, m.day))
    if skip:
        ties = analysis.ties(today)
        never_gave = analysis.asked_never_gave(today)
        name_keys = analysis.name_keys()
        chosen = []
        for c in ranked:
            if c.path in skip:
                contact = by_path[c.path]
                again = candidate_of(
                    contact, ties[c.path], never_gave.get(c.path, 0), settings, today,
                    name_keys[c.path], skip[c.path],
                )  # fmt: skip
                if again is None or again.rank[0] == 1:
                    continue  # nothing left to do (a dormant tie is suggested afresh only)
                c = again
            chosen.append(c)
        ranked = sorted(chosen, key=_rank)
    excluded = g.excluded()
    later = dict(g.postponed)
    open_: list[tuple[tuple[Any, ...], Candidate, str | None]] = []
    for c in ranked:
        if c.path in excluded:
            continue
        shown = g.shown.get(c.path)
        if shown is not None and shown > c.due and shown > today:
            # The user (or Tasks' postpone) moved the date later: snoozed until then.
            later[c.path] = (shown, _open_line(g, c.path))
            continue
        priority = g.priority.get(c.path)
        level = PRIORITIES.index(priority) if priority in PRIORITIES else len(PRIORITIES)
        open_.append(((level, *c.order), c, priority))
    open_.sort(key=_first)
    spent = week_minutes(analysis, today)
    left = max(settings.weekly_minutes - spent, 0.0)
    budget_lines = int(left // settings.checkin_minutes) if settings.checkin_minutes else 0
    lines: list[Line] = []
    cut: list[Candidate] = []
    budget_cut = used = 0
    for _, c, priority in open_:
        if priority is not None:
            lines.append(Line(c, priority))
            continue
        if len(lines) >= settings.max_checkins:
            cut.append(c)
            continue
        if not c.exempt:
            if used >= budget_lines:
                cut.append(c)
                budget_cut += 1
                continue
            used += 1
        lines.append(Line(c, priority))
    kept = [line for path in g.done for line in g.done[path]]
    kept += [line for path in g.cancelled for line in g.cancelled[path]]
    kept += g.unresolved
    return Plan(
        today - timedelta(days=today.weekday()),
        tuple(lines),
        tuple(kept),
        tuple(sorted((until, line) for until, line in later.values())),
        tuple(cut),
        budget_cut,
        spent,
        tuple(sorted(memos)),
    )


def _first(item: tuple[tuple[Any, ...], Candidate, str | None]) -> tuple[Any, ...]:
    return item[0]


def _open_line(g: Gestures, path: str) -> str:
    return g.open_lines.get(path, "")

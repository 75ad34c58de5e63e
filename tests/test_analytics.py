"""DESIGN §4: test vectors, window edges and properties of the analytics."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.analytics.budget import budget_for, minutes, minutes_between
from entraide.analytics.diversity import diversity, network_diversity
from entraide.analytics.periods import parse_label, period_of, weeks_ending
from entraide.analytics.reciprocity import asked_never_gave, balance, out_of_the_blue
from entraide.analytics.ties import next_birthday, summarizer, tie_summary
from entraide.model import Birthday, Contact, Interaction, Vault
from entraide.settings import Settings

TODAY = date(2026, 11, 22)
S = Settings()


def ago(*days: int, **flags: bool) -> tuple[Interaction, ...]:
    return tuple(
        Interaction(TODAY - timedelta(days=d), **flags) for d in sorted(days, reverse=True)
    )


def contact(**kw: object) -> Contact:
    return Contact(name="X", path="People/X.md", **kw)  # type: ignore[arg-type]


def test_strength_test_vector() -> None:
    t = tie_summary(contact(circle="close", interactions=ago(0, 30, 180)), S, TODAY)
    assert round(t.activity, 4) == 2.0437
    assert round(t.frequency, 4) == 0.6401
    assert round(t.duration, 4) == 0.2236
    assert round(t.strength, 4) == 0.6208
    assert t.tie == "strong" and t.interactions == 3 and t.last_contact == TODAY


def test_dormant_window_edges() -> None:
    assert tie_summary(contact(interactions=ago(365)), S, TODAY).tie != "dormant"
    assert tie_summary(contact(interactions=ago(366)), S, TODAY).tie == "dormant"
    assert tie_summary(contact(), S, TODAY).tie == "dormant"


def test_future_interactions_are_plans() -> None:
    plans = (Interaction(TODAY + timedelta(days=3), asked=True),)
    t = tie_summary(contact(interactions=plans), S, TODAY)
    assert (t.interactions, t.last_contact, t.asked) == (0, None, 0)


def test_duration_from_since_or_first_interaction() -> None:
    since = TODAY - timedelta(days=int(6 * 365.25))
    t = tie_summary(contact(since=since), S, TODAY)
    assert math.isclose(t.duration, 1.0)
    assert tie_summary(contact(since=TODAY + timedelta(days=9)), S, TODAY).duration == 0


@pytest.mark.parametrize(
    ("kw", "due"),
    [
        ({"circle": "close", "interactions": ago(10)}, TODAY + timedelta(days=20)),
        ({"circle": "close"}, TODAY),  # never contacted: due today
        ({"cadence": 7, "interactions": ago(10)}, TODAY - timedelta(days=3)),
        ({"circle": "dormant", "interactions": ago(10)}, None),  # no cadence
        ({"circle": "close", "paused": True}, None),
        ({"follow_up": TODAY + timedelta(days=2)}, TODAY + timedelta(days=2)),
        (  # follow-up answered by an interaction on or after it
            {"follow_up": TODAY - timedelta(days=5), "interactions": ago(5)},
            None,
        ),
        (  # the earlier of the two
            {"circle": "close", "interactions": ago(1), "follow_up": TODAY + timedelta(days=3)},
            TODAY + timedelta(days=3),
        ),
        (  # snooze moves it to at least that date
            {"circle": "close", "interactions": ago(40), "snooze_until": TODAY + timedelta(9)},
            TODAY + timedelta(days=9),
        ),
        (  # an answered follow-up leaves the cadence alone
            {"cadence": 30, "interactions": ago(2), "follow_up": TODAY - timedelta(days=4)},
            TODAY + timedelta(days=28),
        ),
        (  # a snooze with nothing due does not make anything due
            {"snooze_until": TODAY + timedelta(days=3)},
            None,
        ),
        ({"cadence": 10**9, "interactions": ago(1)}, date.max),  # an absurd cadence
        ({"cadence": 4 * 10**6, "interactions": ago(1)}, date.max),
    ],
)
def test_due(kw: dict[str, object], due: date | None) -> None:
    t = tie_summary(contact(**kw), S, TODAY)
    assert t.due == due
    assert t.overdue_days == (max((TODAY - due).days, 0) if due else 0)


def test_one_summarizer_for_many_contacts() -> None:
    people = [
        contact(circle="close", interactions=ago(0, 30, 180)),
        contact(circle="CLOSE", interactions=ago(0, 30, 180)),  # a circle in any case
        contact(circle="nope", cadence=7, interactions=ago(3)),
        contact(birthday=Birthday(2, 29), follow_up=TODAY),
    ]
    summary = summarizer(S, TODAY)
    assert [summary(c) for c in people] == [tie_summary(c, S, TODAY) for c in people]
    assert summary(people[0]) == summary(people[1])


def test_birthdays() -> None:
    assert next_birthday(Birthday(11, 22), TODAY) == TODAY
    assert next_birthday(Birthday(11, 21, 1990), TODAY) == date(2027, 11, 21)
    assert next_birthday(Birthday(2, 29), date(2027, 2, 1)) == date(2027, 2, 28)
    assert next_birthday(Birthday(2, 29), date(2028, 2, 1)) == date(2028, 2, 29)


def test_diversity_test_vector_and_edges() -> None:
    d = diversity(["a"] * 5 + ["b"] * 3 + ["c"] * 2 + ["unknown"] * 4)
    assert (round(d.blau, 4), round(d.iqv, 4)) == (0.62, 0.93)
    assert (round(d.shannon_bits, 4), round(d.effective, 4)) == (1.4855, 2.8001)
    assert d.counts == {"a": 5, "b": 3, "c": 2} and d.unknown == 4
    one = diversity(["a", "a"])
    assert (one.blau, one.iqv, one.shannon_bits, one.effective) == (0, 0, 0, 1)
    for empty in (diversity([]), diversity(["unknown"])):
        assert (empty.blau, empty.iqv, empty.shannon_bits, empty.effective) == (0, 0, 0, 0)


def test_network_diversity_counts_the_active_network_only() -> None:
    active = Contact("A", "A.md", dimensions={"sector": "Arts"}, interactions=ago(3))
    old = Contact("B", "B.md", dimensions={"sector": "Law"}, interactions=ago(400))
    nobody = Contact("C", "C.md", interactions=ago(1))
    found = network_diversity(Vault((active, old, nobody), frozenset(), ()), S, TODAY)
    assert set(found) == set(S.dimensions)
    assert found["sector"].counts == {"Arts": 1} and found["sector"].unknown == 1
    assert found["met"].counts == {} and found["met"].unknown == 2


def test_reciprocity() -> None:
    assert balance(0, 0) == 0 and balance(3, 1) == 0.5
    asker = contact(interactions=ago(10, 20, asked=True))
    assert asked_never_gave(asker, S, TODAY) == 2
    giver = contact(interactions=ago(10, asked=True) + ago(400, gave=True))
    assert asked_never_gave(giver, S, TODAY) == 1  # the gift is too old to count
    c = contact(interactions=ago(300) + ago(5, asked=True))
    assert out_of_the_blue(c, c.interactions[-1], S)
    c = contact(interactions=ago(100) + ago(5, asked=True))
    assert not out_of_the_blue(c, c.interactions[-1], S)


def test_time_and_periods() -> None:
    assert minutes(Interaction(TODAY, kind="lunch"), S) == 60
    assert minutes(Interaction(TODAY, kind="odd"), S) == 15
    assert minutes(Interaction(TODAY, kind="lunch", minutes=5), S) == 5
    c = contact(
        interactions=(
            Interaction(date(2026, 11, 15), kind="call"),
            Interaction(date(2026, 11, 16), kind="lunch"),
        )
    )
    week = period_of(TODAY, "week")
    assert (week.label, week.start, week.end) == ("2026-W47", date(2026, 11, 16), TODAY)
    assert minutes_between([c], S, week.start, week.end) == 60
    assert budget_for(S, 30) == pytest.approx(120 * 30 / 7)
    month = period_of(date(2024, 2, 10), "month")
    assert (month.label, month.end, month.days()) == ("2024-02", date(2024, 2, 29), 29)
    assert period_of(date(2027, 1, 1), "week").label == "2026-W53"
    assert parse_label("2026-W53") == period_of(date(2027, 1, 1), "week")
    assert parse_label("2026-13") is None and parse_label("x") is None
    weeks = weeks_ending(TODAY)
    assert len(weeks) == 12 and weeks[-1] == week and weeks[0].label == "2026-W36"


days = st.lists(st.integers(0, 1200), max_size=12, unique=True)


@settings(max_examples=80, deadline=None)
@given(days, st.integers(0, 1200), st.sampled_from(["inner", "close", "dormant", None]))
def test_strength_never_lower_when_an_interaction_is_added(
    before: list[int], extra: int, circle: str | None
) -> None:
    base = contact(circle=circle, interactions=ago(*before))
    more = contact(circle=circle, interactions=ago(*set(before) | {extra}))
    assert tie_summary(more, S, TODAY).strength >= tie_summary(base, S, TODAY).strength - 1e-12
    assert 0 <= tie_summary(more, S, TODAY).strength <= 1


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d", "unknown"]), max_size=30), st.randoms())
def test_diversity_bounds_and_order_invariance(values: list[str], rnd: object) -> None:
    d = diversity(values)
    shuffled = list(values)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert diversity(shuffled) == d
    k = len(d.counts)
    assert 0 <= d.blau <= (1 - 1 / k if k else 0) + 1e-12
    assert 0 <= d.iqv <= 1 + 1e-12
    assert 0 <= d.shannon_bits <= (math.log2(k) if k else 0) + 1e-12
    assert (k == 0 and d.effective == 0) or 1 - 1e-9 <= d.effective <= k + 1e-9

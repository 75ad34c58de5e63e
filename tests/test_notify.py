"""`notify: true` (DESIGN §7): what is due today, once a day, only on a desktop — the
decision, tested without a real desktop."""

from __future__ import annotations

from datetime import date

from entraide.model import Birthday, Contact
from entraide.notify import Notification, decide, desktop_session, due_today
from entraide.settings import Settings

TODAY = date(2026, 11, 23)


def contact(name: str, **fields: object) -> Contact:
    return Contact(name=name, path=f"People/{name}.md", **fields)  # type: ignore[arg-type]


PEOPLE = (
    contact("Zoé", birthday=Birthday(11, 23)),  # no year: still today
    contact("Ana", follow_up=TODAY),
    contact("Bruno", birthday=Birthday(11, 23, 1990), follow_up=TODAY),
    contact("Chloé", birthday=Birthday(11, 24), follow_up=date(2026, 11, 22)),  # not today
    contact("Paused", birthday=Birthday(11, 23), paused=True),
)


def test_what_is_due_today() -> None:
    assert due_today(PEOPLE, Settings(), TODAY) == (
        "follow up with Ana",
        "Bruno's birthday",
        "follow up with Bruno",
        "Zoé's birthday",
    )
    assert due_today(PEOPLE, Settings(), date(2026, 11, 24)) == ("Chloé's birthday",)
    assert due_today(PEOPLE, Settings(), date(2026, 11, 25)) == ()


def test_a_29_february_birthday_is_due_on_28_february_in_other_years() -> None:
    leap = (contact("Leap", birthday=Birthday(2, 29)),)
    due = due_today(leap, Settings(), date(2027, 2, 28)) + due_today(
        leap, Settings(), date(2027, 3, 1)
    )
    assert due == ("Leap's birthday",)


def test_one_notification_a_day_only_when_something_is_due_on_a_desktop() -> None:
    items = due_today(PEOPLE, Settings(), TODAY)
    sent = decide(True, items, TODAY, None, True)
    assert sent == Notification(
        "entraide: due today",
        "follow up with Ana; Bruno's birthday; follow up with Bruno; Zoé's birthday "
        "(see Entraide/Check-ins.md).",
    )
    assert decide(True, items, TODAY, date(2026, 11, 22), True) == sent  # yesterday's was then
    assert decide(True, items, TODAY, TODAY, True) is None  # already today
    assert decide(False, items, TODAY, None, True) is None  # notify: false (the default)
    assert decide(True, (), TODAY, None, True) is None  # nothing due
    assert decide(True, items, TODAY, None, False) is None  # no desktop session


def test_a_long_day_is_counted_not_listed() -> None:
    items = tuple(f"follow up with P{k}" for k in range(8))
    sent = decide(True, items, TODAY, None, True)
    assert sent is not None and sent.message.endswith("P4; and 3 more (see Entraide/Check-ins.md).")


def test_a_desktop_session() -> None:
    assert not desktop_session({}, "linux")  # a server, SSH, a unit without a display
    assert not desktop_session({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}, "linux")
    assert desktop_session({"DISPLAY": ":0"}, "linux")
    assert desktop_session({"WAYLAND_DISPLAY": "wayland-0"}, "freebsd14")
    assert desktop_session({}, "darwin") and desktop_session({}, "win32")

"""Desktop notifications for what is due today (DESIGN §7, the `notify` setting).

Deciding is pure (`due_today`, `desktop_session`, `decide`): the daemon passes the contacts,
the day, its environment and the day it last notified, and sends what `decide` returns
through the desktop's own service (freedesktop D-Bus, macOS, Windows) with desktop-notifier,
an optional dependency (`pip install desktop-notifier`). One notification a day at most, and
none without a desktop session (a server, an SSH login, a systemd unit with no display).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from entraide.analytics.ties import summarizer
from entraide.i18n import ENGLISH, Lang, lang
from entraide.model import Contact
from entraide.parse.values import sort_key_name
from entraide.settings import Settings

SHOWN = 5  # names in the notification's text; the rest are counted


class Notification(NamedTuple):
    title: str
    message: str


def due_today(contacts: Iterable[Contact], settings: Settings, today: date) -> tuple[str, ...]:
    """What is due on `today`, one line each, by name: birthdays and follow-ups (a paused
    contact has none)."""
    summary = summarizer(settings, today)
    say = lang(settings.language)
    out = []
    for contact in sorted(contacts, key=lambda c: (sort_key_name(c.name), c.name, c.path)):
        if contact.paused:
            continue
        if summary(contact).next_birthday == today:
            out.append(say.t("{name}'s birthday", name=contact.name))
        if contact.follow_up == today:
            out.append(say.t("follow up with {name}", name=contact.name))
    return tuple(out)


def desktop_session(environ: Mapping[str, str], platform: str) -> bool:
    """Whether a desktop shows notifications: on Linux and the BSDs, a graphical session
    (`DISPLAY` or `WAYLAND_DISPLAY`, which desktops export to user services too)."""
    if platform in ("win32", "darwin"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def decide(
    enabled: bool,
    items: tuple[str, ...],
    today: date,
    last_sent: date | None,
    session: bool,
    say: Lang = ENGLISH,
    checkins: str = "Entraide/Check-ins.md",
) -> Notification | None:
    """The notification to send now, if any: at most one a day, only with something due."""
    if not enabled or not items or not session or last_sent == today:
        return None
    shown = "; ".join(items[:SHOWN])
    more = len(items) - SHOWN
    if more > 0:
        shown += "; " + say.t("and {more} more", more=more)
    return Notification(
        say.t("entraide: due today"), say.t("{items} (see {note}).", items=shown, note=checkins)
    )


def send(note: Notification) -> str | None:
    """Show `note` on the desktop; a sentence saying why not, when it cannot be."""
    try:
        from desktop_notifier import DesktopNotifierSync
    except ImportError:
        return (
            "notify is on, but the desktop-notifier package is missing: "
            "pip install desktop-notifier"
        )
    import logging

    failures: list[str] = []

    class Catch(logging.Handler):
        """desktop-notifier logs a failure (with its traceback) rather than raising it: it
        is caught here, told once in the daemon's own words."""

        def emit(self, record: logging.LogRecord) -> None:
            error = record.exc_info[1] if record.exc_info else None
            failures.append(str(error) if error else record.getMessage())

    logger = logging.getLogger("desktop_notifier")
    catch, propagate = Catch(logging.WARNING), logger.propagate
    logger.addHandler(catch)
    logger.propagate = False
    try:
        DesktopNotifierSync(app_name="entraide").send(title=note.title, message=note.message)
    except Exception as exc:  # noqa: BLE001 - any failure of the desktop's service is told once
        failures.append(str(exc) or type(exc).__name__)
    finally:
        logger.removeHandler(catch)
        logger.propagate = propagate
    if failures:
        return (
            "the desktop notification could not be shown (the desktop's notification "
            f"service did not answer: {failures[0]})"
        )
    return None

"""`entraide show NAME`: one person's object (schemas/show.schema.json) and its text view."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from entraide.analytics.ties import tie_summary
from entraide.i18n import ENGLISH, Lang
from entraide.model import Birthday, Contact
from entraide.parse.values import nfc
from entraide.person import ORIGINS, Source, said, to_ask
from entraide.settings import Settings


def birthday_text(birthday: Birthday | None) -> str | None:
    """`1990-05-17`, or `--05-17` without a year (as the property is written)."""
    if birthday is None:
        return None
    if birthday.year is None:
        return f"--{birthday.month:02d}-{birthday.day:02d}"
    return f"{birthday.year:04d}-{birthday.month:02d}-{birthday.day:02d}"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def person(
    contact: Contact,
    settings: Settings,
    today: date,
    found: Mapping[date, list[Source]],
    say: Lang = ENGLISH,
) -> dict[str, Any]:
    tie = tie_summary(contact, settings, today)
    return {
        "today": today.isoformat(),
        "name": nfc(contact.name),
        "path": nfc(contact.path),
        "aliases": list(contact.aliases),
        "circle": contact.circle,
        "cadence": tie.cadence,
        "since": _iso(contact.since),
        "birthday": birthday_text(contact.birthday),
        "next_birthday": _iso(tie.next_birthday),
        "follow_up": _iso(contact.follow_up),
        "snooze_until": _iso(contact.snooze_until),
        "paused": contact.paused,
        "email": list(contact.email),
        "dimensions": dict(sorted(contact.dimensions.items())),
        "interests": list(contact.interests),
        "offers": list(contact.offers),
        "needs": list(contact.needs),
        "last_contact": _iso(tie.last_contact),
        "due": _iso(tie.due),
        "strength": round(tie.strength, 4),
        "closeness": round(tie.closeness, 4),
        "frequency": round(tie.frequency, 4),
        "duration": round(tie.duration, 4),
        "tie": tie.tie,
        "gave": tie.gave,
        "asked": tie.asked,
        "news": tie.news,
        "interactions": [
            {
                "date": i.date.isoformat(),
                "kind": i.kind,
                "minutes": i.minutes,
                "gave": i.gave,
                "asked": i.asked,
                "news": i.news,
                "gave_text": i.gave_text,
                "asked_text": i.asked_text,
                "note": said(i, found),
                "planned": i.date > today,
                "origin": ORIGINS.get(i.source, "mention"),
                "sources": [
                    {"path": nfc(s.path), "line": s.line, "origin": s.origin}
                    for s in found.get(i.date, [])
                ],
            }
            for i in contact.interactions
        ],
        "ask": to_ask(contact.interactions, today, found, say),
    }


def view(data: Mapping[str, Any], say: Lang = ENGLISH) -> list[str]:
    """The lines `show` prints (the shell makes them safe for the terminal)."""
    from entraide.render.status import tie_word

    out = [f"{data['name']} ({data['path']})"]
    cadence = data["cadence"]
    facts = [
        (say.t("aliases"), ", ".join(data["aliases"]) or None),
        (say.t("circle"), data["circle"]),
        (say.t("cadence"), say.t("every {n} days", n=cadence) if cadence else None),
        (say.t("since"), data["since"]),
        (say.t("birthday"), data["birthday"]),
        (say.t("follow-up"), data["follow_up"]),
        (say.t("snoozed until"), data["snooze_until"]),
        (say.t("paused"), say.t("yes") if data["paused"] else None),
        (say.t("email"), ", ".join(data["email"]) or None),
        *((key, value) for key, value in data["dimensions"].items()),
        (say.t("interests"), ", ".join(data["interests"]) or None),
        (say.t("offers"), ", ".join(data["offers"]) or None),
        (say.t("needs"), ", ".join(data["needs"]) or None),
    ]
    out += [
        say.t("  {key}: {value}", key=key, value=value)
        for key, value in facts
        if value not in (None, "")
    ]
    never = say.t("never")
    out.append(
        say.t(
            "Tie: {tie}, strength {strength} (closeness {closeness}, frequency {frequency}, "
            "duration {duration}); last contact {last}; due {due}.",
            tie=tie_word(data["tie"], say),
            strength=say.number(data["strength"]),
            closeness=say.number(data["closeness"]),
            frequency=say.number(data["frequency"]),
            duration=say.number(data["duration"]),
            last=data["last_contact"] or never,
            due=data["due"] or never,
        )
    )
    out.append(
        say.t(
            "Gave {gave}, asked {asked}, news {news} (days).",
            gave=data["gave"],
            asked=data["asked"],
            news=data["news"],
        )
    )
    count = len(data["interactions"])
    out.append(say.n("{n} interaction:", "{n} interactions:", count))
    tags = {"gave": say.t("#gave"), "asked": say.t("#asked"), "news": say.t("#news")}
    for i in data["interactions"]:
        flags = [tags[f] for f in ("gave", "asked", "news") if i[f]]
        words = [i["date"], i["kind"] or say.t("(no kind)")]
        if i["minutes"] is not None:
            words.append(say.t("{minutes} min", minutes=say.number(i["minutes"], "g")))
        words += flags
        if i["planned"]:
            words.append(say.t("(planned)"))
        texts = [t for t in (i["note"], i["gave_text"], i["asked_text"]) if t]
        line = "  " + " ".join(words)
        if texts:
            line += say.t(": {said}", said="; ".join(texts))
        where = ", ".join(
            f"{s['path']}:{s['line']}" if s["line"] else s["path"] for s in i["sources"]
        )
        out.append(line + (f"  ({where})" if where else ""))
    if data["ask"]:
        out.append(say.t("To ask: {what}.", what="; ".join(data["ask"])))
    return out

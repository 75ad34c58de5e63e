"""Interactions captured from the user's own calendar and mail files (DESIGN §10).

`ics` turns past calendar events with a contact among their people into meeting notes;
`mail` turns the headers of a mailbox into `email` log lines. Both match addresses against
the contacts' `email` property and write through the vault's one door.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from entraide.model import Contact


def address(text: str) -> str:
    """An address as compared, case folded: the address alone of `Name <a@b.org>`, of a
    Markdown link `[a@b.org](mailto:a@b.org)` and of `mailto:a@b.org`."""
    text = text.strip()
    if text.endswith(")") and "](" in text:
        text = text[text.rindex("](") + 2 : -1]
    elif text.endswith(">") and "<" in text:
        text = text[text.rindex("<") + 1 : -1]
    text = text.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].strip()
    return text.casefold()


def address_book(contacts: Iterable[Contact]) -> Mapping[str, tuple[Contact, ...]]:
    """The contacts each address belongs to (an address two contacts share counts for both)."""
    book: dict[str, list[Contact]] = {}
    for contact in contacts:
        for written in contact.email:
            key = address(written)
            if key and "@" in key and contact not in book.setdefault(key, []):
                book[key].append(contact)
    return {key: tuple(found) for key, found in book.items()}

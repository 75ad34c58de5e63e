"""What a note is to entraide by where it lies (DESIGN §1, §9): a note in a people folder or
a daily note needs its body read; any other note needs only its frontmatter, unless that marks
it as a person or a meeting (which `parse_note` sees for itself).

Roles depend on the settings and Obsidian's config, the parse cache does not: a note read
without its body is read again when a new role needs it (`Index.refresh`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from entraide.parse.daily import DailyMatcher, daily_matcher


class PeopleFolders:
    """Which notes lie in a people folder (DESIGN §1): an entry with a `/` is a path from the
    vault's root, one without names a folder at any depth (`People` matches `People/`,
    `Cards/People/`, `Work/People/`); names compare exactly (paths and entries are NFC)."""

    paths: tuple[str, ...]  # entries with a `/`, each with a `/` after it
    names: frozenset[str]  # entries without one

    def __init__(self, entries: tuple[str, ...]) -> None:
        self.paths = tuple(e + "/" for e in entries if e and "/" in e)
        self.names = frozenset(e for e in entries if e and "/" not in e)

    def holds(self, path: str) -> bool:
        """Whether the note at `path` lies in a people folder, at any depth below it."""
        if self.paths and path.startswith(self.paths):
            return True
        if self.names:
            folders = path.split("/")[:-1]
            return any(folder in self.names for folder in folders)
        return False


@dataclass(frozen=True, slots=True)
class Roles:
    """The settings that give notes their roles by path; small and picklable, so a parse
    worker started with `spawn` gets it whole."""

    people_folders: tuple[str, ...] = ("People",)
    daily_folder: str = ""
    daily_format: str = "YYYY-MM-DD"
    locale: str = "en"

    def needs_body(self, path: str) -> bool:
        """Whether the note at `path` is read whole whatever its frontmatter says: it lies
        in a people folder, or it is a daily note."""
        if _people(self.people_folders).holds(path):
            return True
        return _daily(self.daily_folder, self.daily_format, self.locale)(path) is not None


@lru_cache(maxsize=8)
def _people(entries: tuple[str, ...]) -> PeopleFolders:
    return PeopleFolders(entries)


@lru_cache(maxsize=8)
def _daily(folder: str, fmt: str, locale: str) -> DailyMatcher:
    return daily_matcher(folder, fmt, locale)

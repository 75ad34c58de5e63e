"""Settings: the frontmatter of `Entraide/Settings.md`, validated into a frozen value."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from entraide.model import Problem
from entraide.parse.values import nfc

if TYPE_CHECKING:
    from entraide.vault_io import ObsidianConfig

SETTINGS_PATH = "Entraide/Settings.md"

_CADENCE = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$", re.IGNORECASE)
_UNIT_DAYS = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}


def parse_cadence(value: object) -> int | None:
    """Whole days, or `Nd` `Nw` `Nm` `Ny` (d=1, w=7, m=30, y=365); None when not a cadence."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str):
        m = _CADENCE.match(value)
        if m:
            days = int(m.group(1)) * _UNIT_DAYS[m.group(2).lower()]
            return days if days > 0 else None
    return None


@dataclass(frozen=True, slots=True)
class Circle:
    name: str
    cadence: int | None
    closeness: float
    size: int | None


DEFAULT_CIRCLES: tuple[Circle, ...] = (
    Circle("inner", 14, 1.0, 5),
    Circle("close", 30, 0.8, 15),
    Circle("active", 90, 0.5, 50),
    Circle("acquaintance", 365, 0.25, 150),
    Circle("dormant", None, 0.1, None),
)

DEFAULT_KIND_MINUTES: Mapping[str, float] = MappingProxyType(
    {
        "call": 20,
        "coffee": 45,
        "lunch": 60,
        "dinner": 90,
        "video": 30,
        "meeting": 60,
        "event": 120,
        "message": 5,
        "email": 5,
        "mention": 15,
        "check-in": 15,
    }
)


# French kinds, read in every language (DESIGN §11): each has its English twin's minutes
# unless `kind_minutes` names it itself. Accents are optional, as in the French flag tags.
FRENCH_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "café": "coffee",
        "cafe": "coffee",
        "déjeuner": "lunch",
        "dejeuner": "lunch",
        "dîner": "dinner",
        "diner": "dinner",
        "appel": "call",
        "visio": "video",
        "message": "message",
        "courriel": "email",
        "événement": "event",
        "evenement": "event",
        "réunion": "meeting",
        "reunion": "meeting",
    }
)

DEFAULT_PLAN_CALLOUTS: tuple[str, ...] = ("todo", "plan", "idea", "tip", "question")
LANGUAGES = ("en", "fr")


@dataclass(frozen=True, slots=True)
class Settings:
    people_folders: tuple[str, ...] = ("People",)
    output_folder: str = "Entraide"
    ignore: tuple[str, ...] = ()
    config_folder: str = ".obsidian"
    circles: tuple[Circle, ...] = DEFAULT_CIRCLES
    unknown_closeness: float = 0.3
    dimensions: tuple[str, ...] = ("sector", "profession", "country", "met")
    max_checkins: int = 5
    revive_per_week: int = 1
    introductions_per_week: int = 2
    weekly_minutes: float = 120
    checkin_minutes: float = 15
    kind_minutes: Mapping[str, float] = field(default_factory=lambda: DEFAULT_KIND_MINUTES)
    default_minutes: float = 15
    birthday_days: int = 7
    urgency_days: int = 180
    dormant_days: int = 365
    strong_threshold: float = 0.5
    half_life_days: float = 90
    activity_window_days: int = 730
    max_note_bytes: int = 5_000_000
    daily_notes_locale: str = "en"
    language: str = "en"  # what entraide writes and says in (DESIGN §11)
    plan_callouts: tuple[str, ...] = DEFAULT_PLAN_CALLOUTS  # lowercase callout types
    notify: bool = False  # desktop notifications for what is due today (DESIGN §7)
    tasks_global_filter: str = ""
    calendars: tuple[str, ...] = ()  # .ics files or folders `run` and the daemon import
    write_on_hosts: tuple[str, ...] = ()
    rescan_minutes: float = 10
    debounce_ms: int = 300
    _circle_map: dict[str, Circle] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Circle] = {}
        for circle in self.circles:
            index.setdefault(circle.name.lower(), circle)
        object.__setattr__(self, "_circle_map", index)

    def circle(self, name: str | None) -> Circle | None:
        """The configured circle named `name`, any case."""
        if name is None:
            return None
        return self._circle_map.get(name.strip().lower())

    def minutes_for(self, kind: str | None) -> float:
        """`kind_minutes` of the kind, or of its English twin for a French kind (`déjeuner`
        has lunch's minutes unless named itself), else `default_minutes`."""
        if kind is None:
            return self.default_minutes
        found = self.kind_minutes.get(kind)
        if found is not None:
            return found
        key = kind if kind.isascii() else nfc(kind)
        key = key.strip().lower()
        found = self.kind_minutes.get(key)
        if found is None and key in FRENCH_KINDS:
            found = self.kind_minutes.get(FRENCH_KINDS[key])
        return self.default_minutes if found is None else found

    def is_plan(self, callouts: tuple[str, ...]) -> bool:
        """Whether callouts of these types (lowercase, outermost first) hold a plan."""
        return any(c in self.plan_callouts for c in callouts)


def settings_from_mapping(
    data: Mapping[str, Any],
    path: str = SETTINGS_PATH,
    lines: Mapping[str, int] | None = None,
    obsidian: Callable[[str], ObsidianConfig] | None = None,
) -> tuple[Settings, list[Problem], bool]:
    """Validated settings, the problems found, and whether one of them is an invalid value.

    Invalid values fall back to their default so a caller that wants to go on can.
    `obsidian` reads Obsidian's configuration in a config folder: with it, an output folder
    that overlaps the daily notes or a templates folder is refused too.
    """
    from entraide.schemas import validate_settings

    lines = lines or {}
    problems: list[Problem] = []
    bad: set[str] = set()
    fatal = False
    for key, message, is_fatal in validate_settings(data):
        bad.add(key)
        fatal = fatal or is_fatal
        problems.append(Problem(path, lines.get(key), "settings", message))
    for key, message in _folder_problems(data, bad, obsidian):
        bad.add(key)
        fatal = True
        problems.append(Problem(path, lines.get(key), "settings", message))
    parsed: dict[str, Any] = {}
    for key, reader in (("circles", _circles), ("kind_minutes", _kind_minutes)):
        if key in data and key not in bad:
            value, why = reader(data[key])
            if why is not None:
                bad.add(key)
                fatal = True
                problems.append(Problem(path, lines.get(key), "settings", why))
            else:
                parsed[key] = value
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in bad or key not in Settings.__dataclass_fields__:
            continue
        if key in parsed:
            values[key] = parsed[key]
        elif key == "plan_callouts":
            values[key] = tuple(nfc(str(v)).strip().lower() for v in value)
        elif isinstance(value, list):
            values[key] = tuple(str(v) for v in value)
        elif key in ("people_folders",) and isinstance(value, str):
            values[key] = (value,)
        else:
            values[key] = value
    for key in ("output_folder", "config_folder"):
        if key in values:
            values[key] = str(values[key]).strip("/")
    if "people_folders" in values:
        values["people_folders"] = tuple(nfc(p.strip("/")) for p in values["people_folders"])
    return Settings(**values), problems, fatal


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def folder_problem(value: str, dot_folders: bool = False) -> str | None:
    """Why `value` is not a folder path inside the vault (`/`-separated, from the vault's
    root), or None. Surrounding slashes are allowed (`Entraide/`); nothing else that could
    name the vault itself, a place outside it, or a folder Obsidian cannot show."""
    shown = repr(value)
    inner = value.strip("/")
    if not inner.strip():
        return f"{shown} names the vault itself, not a folder in it: write a folder name"
    if value.startswith(("/", "~")) or re.match(r"^[A-Za-z]:", value):
        return f"{shown} is not a path inside the vault: write it from the vault's root"
    if _CONTROL.search(value) or "\\" in value:
        return f"{shown} holds a control character or a backslash: write folders with '/'"
    for part in inner.split("/"):
        if part in ("", ".", ".."):
            return f"{shown} is not a plain folder path inside the vault (empty, . or ..)"
        if part != part.strip():
            return f"{shown} has a folder name that starts or ends with a space"
        if part.startswith(".") and not dot_folders:
            return f"{shown} is a hidden folder, which Obsidian does not show: choose another"
    return None


def _folder_problems(
    data: Mapping[str, Any],
    bad: set[str],
    obsidian: Callable[[str], ObsidianConfig] | None = None,
) -> list[tuple[str, str]]:
    """Folder settings that are no folders inside the vault, and an output folder that would
    mix entraide's notes with the user's (a people folder, the daily notes folder, a
    templates folder, the config folder)."""
    found: list[tuple[str, str]] = []
    for key in ("output_folder", "config_folder", "people_folders"):
        if key in bad or key not in data:
            continue
        value = data[key]
        for item in value if isinstance(value, list) else [value]:
            why = folder_problem(str(item), dot_folders=key == "config_folder")
            if why is not None:
                found.append((key, f"setting '{key}' is invalid: {why}"))
                break
    if any(key == "output_folder" for key, _ in found) or "output_folder" in bad:
        return found
    output = str(data.get("output_folder", "Entraide")).strip("/")
    people = data.get("people_folders", ["People"])
    people = people if isinstance(people, list) else [people]
    config = str(data.get("config_folder", ".obsidian")).strip("/")
    if "config_folder" in bad:
        config = ".obsidian"
    # (what the folder is, the folder, whether a name without `/` is a folder at any depth)
    others = [("a people folder", str(p).strip("/"), True) for p in people]
    if obsidian is not None:
        obsidian_config = obsidian(config)
        others.append(("the daily notes folder", obsidian_config.daily_folder, False))
        others += [("a templates folder", t, False) for t in obsidian_config.template_folders]
    others.append(("the Obsidian config folder", config, False))
    for what, folder, anywhere in others:
        if folder.strip("/") and _overlap(output, folder.strip("/"), anywhere):
            found.append(
                (
                    "output_folder",
                    f"setting 'output_folder' is invalid: '{output}' overlaps {what} "
                    f"('{folder.strip('/')}'), where your own notes are: entraide writes only "
                    "into a folder of its own (choose another, e.g. Entraide)",
                )
            )
            break
    return found


def _overlap(output: str, folder: str, anywhere: bool = True) -> bool:
    """Whether the output folder is, holds or lies inside `folder` (with `anywhere`, an entry
    without `/` names a folder at any depth). Case is ignored: on a case-insensitive disk
    `people` is `People`."""
    out = nfc(output).lower().split("/")
    other = nfc(folder).lower().split("/")
    if "/" in folder or not anywhere:
        n = min(len(out), len(other))
        return out[:n] == other[:n]
    return other[0] in out


_CIRCLE_FORM = (
    "write NAME CADENCE CLOSENESS SIZE, e.g. 'inner 14d 1.0 5' or 'dormant - 0.1 -' "
    "(cadence in days or 2w, 3m, 1y; closeness from 0 to 1; size a whole number; '-': none)"
)


def _circles(value: Any) -> tuple[tuple[Circle, ...], str | None]:
    """The circles, from a list of `NAME CADENCE CLOSENESS SIZE` text items (what Obsidian's
    Properties view edits) or the nested map; or why they cannot be read."""
    if isinstance(value, Mapping):
        return _circles_from_map(value), None
    if value is None:
        return DEFAULT_CIRCLES, None  # emptied in the Properties view: the defaults
    if isinstance(value, str):
        value = [value]  # one circle, written as text
    if not isinstance(value, list):
        return DEFAULT_CIRCLES, (
            f"setting 'circles' is invalid: {_shown(value)} is not a list of circles; "
            + _CIRCLE_FORM
        )
    if not value:
        return DEFAULT_CIRCLES, "setting 'circles' is invalid: it names no circle; " + _CIRCLE_FORM
    circles: list[Circle] = []
    seen: set[str] = set()
    for i, item in enumerate(value, 1):
        circle = _circle_item(item)
        if circle is None:
            return DEFAULT_CIRCLES, (
                f"setting 'circles' is invalid: item {i} ({_shown(item)}) is not a circle: "
                + _CIRCLE_FORM
            )
        if circle.name.lower() in seen:
            return DEFAULT_CIRCLES, (
                f"setting 'circles' is invalid: item {i} names the circle '{circle.name}' "
                "a second time: give each circle one item"
            )
        seen.add(circle.name.lower())
        circles.append(circle)
    return tuple(circles), None


def _shown(item: Any) -> str:
    if isinstance(item, str):
        return f"'{item}'"
    if isinstance(item, bool | int | float):
        return f"'{item}'"
    return f"a {'map' if isinstance(item, Mapping) else 'list'}, not text"


def _circle_item(item: Any) -> Circle | None:
    """`inner 14d 1.0 5` → its circle (the name may hold spaces); None when not one."""
    if not isinstance(item, str):
        return None
    words = nfc(item).split()
    if len(words) < 4:
        return None
    *name, cadence_text, closeness_text, size_text = words
    cadence = None if cadence_text == "-" else parse_cadence(cadence_text)
    if cadence is None and cadence_text != "-":
        return None
    try:
        closeness = float(closeness_text)
    except ValueError:
        return None
    if not (math.isfinite(closeness) and 0 <= closeness <= 1):
        return None
    size: int | None = None
    if size_text != "-":
        if not size_text.isdigit() or int(size_text) < 1:
            return None
        size = int(size_text)
    return Circle(" ".join(name), cadence, closeness, size)


def _kind_minutes(value: Any) -> tuple[Mapping[str, float], str | None]:
    """Minutes by kind (lowercase), over the defaults, from a list of `KIND MINUTES` text
    items or the nested map; or why they cannot be read."""
    found: dict[str, float] = dict(DEFAULT_KIND_MINUTES)
    if isinstance(value, Mapping):
        for kind, minutes in value.items():
            found[nfc(str(kind)).strip().lower()] = minutes
        return MappingProxyType(found), None
    if value is None:
        return DEFAULT_KIND_MINUTES, None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return DEFAULT_KIND_MINUTES, (
            f"setting 'kind_minutes' is invalid: {_shown(value)} is not a list of kinds and "
            "their minutes: write one KIND MINUTES item each, e.g. 'coffee 45'"
        )
    for i, item in enumerate(value, 1):
        words = nfc(item).split() if isinstance(item, str) else []
        minutes = _minutes(words[-1]) if len(words) >= 2 else None
        if minutes is None:
            return DEFAULT_KIND_MINUTES, (
                f"setting 'kind_minutes' is invalid: item {i} ({_shown(item)}) is not a kind "
                "and its minutes: write KIND MINUTES, e.g. 'coffee 45'"
            )
        found[" ".join(words[:-1]).lower()] = minutes
    return MappingProxyType(found), None


def _minutes(text: str) -> float | None:
    try:
        minutes = float(text)
    except ValueError:
        return None
    return minutes if math.isfinite(minutes) and minutes >= 0 else None


def _circles_from_map(value: Mapping[str, Mapping[str, Any]]) -> tuple[Circle, ...]:
    defaults = {c.name: c for c in DEFAULT_CIRCLES}
    circles = []
    for name, spec in value.items():
        base = defaults.get(name.lower(), Circle(name, None, 0.3, None))
        spec = spec or {}
        cadence = (
            parse_cadence(spec["cadence"])
            if spec.get("cadence") is not None
            else (None if "cadence" in spec else base.cadence)
        )
        circles.append(
            Circle(
                name=name,
                cadence=cadence,
                closeness=float(spec.get("closeness", base.closeness)),
                size=spec.get("size", base.size),
            )
        )
    return tuple(circles)

"""Settings: the frontmatter of `Entraide/Settings.md`, validated into a frozen value."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from entraide.model import Problem
from entraide.parse.values import nfc

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
        if kind is not None and kind in self.kind_minutes:
            return self.kind_minutes[kind]
        return self.default_minutes


def settings_from_mapping(
    data: Mapping[str, Any], path: str = SETTINGS_PATH, lines: Mapping[str, int] | None = None
) -> tuple[Settings, list[Problem], bool]:
    """Validated settings, the problems found, and whether one of them is an invalid value.

    Invalid values fall back to their default so a caller that wants to go on can.
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
    for key, message in _folder_problems(data, bad):
        bad.add(key)
        fatal = True
        problems.append(Problem(path, lines.get(key), "settings", message))
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in bad or key not in Settings.__dataclass_fields__:
            continue
        if key == "circles":
            values[key] = _circles(value)
        elif key == "kind_minutes":
            values[key] = MappingProxyType({**DEFAULT_KIND_MINUTES, **value})
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
        values["people_folders"] = tuple(p.strip("/") for p in values["people_folders"])
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


def _folder_problems(data: Mapping[str, Any], bad: set[str]) -> list[tuple[str, str]]:
    """Folder settings that are no folders inside the vault, and an output folder that would
    mix entraide's notes with the user's (a people folder, the config folder)."""
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
    for folder in [str(p).strip("/") for p in people] + [config]:
        if not folder:
            continue
        if _overlap(output, folder):
            found.append(
                (
                    "output_folder",
                    f"setting 'output_folder' is invalid: '{output}' overlaps '{folder}', "
                    "where your own notes are: entraide writes only into a folder of its own",
                )
            )
            break
    return found


def _overlap(output: str, folder: str) -> bool:
    """Whether the output folder is, holds or lies inside `folder` (an entry without `/`
    names a folder at any depth)."""
    out = nfc(output).lower().split("/")
    other = nfc(folder).lower().split("/")
    if "/" in folder:
        n = min(len(out), len(other))
        return out[:n] == other[:n]
    return other[0] in out


def _circles(value: Mapping[str, Mapping[str, Any]]) -> tuple[Circle, ...]:
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

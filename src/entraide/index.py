"""Reading a whole vault: settings, scan, parse every note, build the model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from entraide.build import build_vault
from entraide.model import Problem, Vault
from entraide.parse.frontmatter import parse as parse_frontmatter
from entraide.parse.note import ParsedNote, decode, parse_note
from entraide.settings import SETTINGS_PATH, Settings, settings_from_mapping
from entraide.vault_io import obsidian_config, read_bytes, scan


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    settings: Settings
    problems: tuple[Problem, ...]
    fatal: bool  # an invalid value or unreadable settings note: the CLI stops (exit 2)


def load_settings(root: Path) -> LoadedSettings:
    """The settings of the vault at `root`: defaults when `Entraide/Settings.md` is missing."""
    path = root / SETTINGS_PATH
    try:
        raw = read_bytes(str(path))
    except FileNotFoundError:
        return LoadedSettings(Settings(), (), False)
    except OSError as exc:
        return LoadedSettings(
            Settings(),
            (Problem(SETTINGS_PATH, None, "settings", f"cannot read the settings: {exc}"),),
            True,
        )
    text = decode(raw)
    if text is None:
        message = "the settings note is not UTF-8 text: re-save it as UTF-8"
        return LoadedSettings(
            Settings(), (Problem(SETTINGS_PATH, None, "settings", message),), True
        )
    fm = parse_frontmatter(text)
    if fm.error is not None:
        message = f"the settings cannot be read: {fm.error.message}"
        problem = Problem(SETTINGS_PATH, fm.error.line, "settings", message)
        return LoadedSettings(Settings(), (problem,), True)
    lines = {str(k[0]): v for k, v in fm.lines.items() if len(k) == 1}
    settings, problems, fatal = settings_from_mapping(fm.data or {}, SETTINGS_PATH, lines)
    return LoadedSettings(settings, tuple(problems), fatal)


def read_vault(root: Path, settings: Settings, extra: tuple[Problem, ...] = ()) -> Vault:
    """Every note of the vault, parsed and assembled; one bad note never stops the rest."""
    config = obsidian_config(root, settings.config_folder)
    excluded = (settings.output_folder, settings.config_folder, *config.template_folders)
    found = scan(root, excluded, settings.ignore, settings.max_note_bytes)
    problems = list(extra) + found.problems
    for note in found.too_large:
        problems.append(
            Problem(
                note.path,
                None,
                "too-large",
                f"the note is {note.size:,} bytes, over max_note_bytes "
                f"({settings.max_note_bytes:,}): it is skipped; split it or raise the setting",
            )
        )
    notes: dict[str, ParsedNote] = {}
    for note in found.notes:
        try:
            raw = read_bytes(note.fs_path)
        except OSError:
            continue  # vanished between scan and read: the next pass sees it gone
        notes[note.path] = parse_note(raw)
    return build_vault(notes, settings, config, found.conflict_copies, problems)

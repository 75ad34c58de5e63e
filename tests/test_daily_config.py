"""Where the daily notes' folder and format come from (DESIGN §1): the Periodic Notes plugin
when it is enabled, else the core Daily notes plugin, else the defaults; and the locale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from entraide.vault_io import ObsidianConfig, obsidian_config

CORE = ".obsidian/daily-notes.json"
PERIODIC = ".obsidian/plugins/periodic-notes/data.json"


def _write(root: Path, files: dict[str, Any]) -> None:
    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")


def _daily(config: ObsidianConfig) -> tuple[str, str, str]:
    return config.daily_folder, config.daily_format, config.daily_source


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, ("", "YYYY-MM-DD", CORE)),
        ({CORE: {}}, ("", "YYYY-MM-DD", CORE)),
        ({CORE: {"folder": "Journal/", "format": ""}}, ("Journal", "YYYY-MM-DD", CORE)),
        ({CORE: {"folder": "", "format": "YYYY/MM/DD"}}, ("", "YYYY/MM/DD", CORE)),
        ({CORE: "{not json"}, ("", "YYYY-MM-DD", CORE)),
        (
            {
                CORE: {"folder": "Daily", "format": "YYYY-MM-DD"},
                ".obsidian/community-plugins.json": ["calendar", "periodic-notes"],
                PERIODIC: {"daily": {"enabled": True, "folder": "Journal", "format": "YYYY/MM/DD"}},
            },
            ("Journal", "YYYY/MM/DD", PERIODIC),
        ),
        (  # enabled, with the plugin's defaults (no folder, empty format)
            {
                CORE: {"folder": "Daily", "format": "DD-MM-YYYY"},
                ".obsidian/community-plugins.json": ["periodic-notes"],
                PERIODIC: {"daily": {"enabled": True, "format": ""}},
            },
            ("", "YYYY-MM-DD", PERIODIC),
        ),
        (  # installed but not enabled in Obsidian
            {
                CORE: {"folder": "Daily", "format": "DD-MM-YYYY"},
                ".obsidian/community-plugins.json": ["calendar"],
                PERIODIC: {"daily": {"enabled": True, "folder": "Journal", "format": "YYYY"}},
            },
            ("Daily", "DD-MM-YYYY", CORE),
        ),
        (  # enabled, but its daily notes are off
            {
                CORE: {"folder": "Daily", "format": "DD-MM-YYYY"},
                ".obsidian/community-plugins.json": ["periodic-notes"],
                PERIODIC: {"daily": {"enabled": False, "folder": "Journal", "format": "YYYY"}},
            },
            ("Daily", "DD-MM-YYYY", CORE),
        ),
        (  # a community-plugins.json that is no list
            {
                CORE: {"folder": "Daily"},
                ".obsidian/community-plugins.json": {"periodic-notes": True},
                PERIODIC: {"daily": {"enabled": True, "folder": "Journal"}},
            },
            ("Daily", "YYYY-MM-DD", CORE),
        ),
    ],
)
def test_daily_settings_come_from_the_plugin_obsidian_uses(
    tmp_path: Path, files: dict[str, Any], expected: tuple[str, str, str]
) -> None:
    _write(tmp_path, files)
    assert _daily(obsidian_config(tmp_path, ".obsidian")) == expected


def test_a_renamed_config_folder_is_read(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "_obsidian/community-plugins.json": ["periodic-notes"],
            "_obsidian/plugins/periodic-notes/data.json": {
                "daily": {"enabled": True, "folder": "Days", "format": "YYYY/MM/DD-dddd"}
            },
            ".obsidian/daily-notes.json": {"folder": "Wrong"},
        },
    )
    assert _daily(obsidian_config(tmp_path, "_obsidian")) == (
        "Days",
        "YYYY/MM/DD-dddd",
        "_obsidian/plugins/periodic-notes/data.json",
    )


def _status(vault: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "entraide", "status", str(vault), "--json", "--today", "2026-11-22"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=dict(os.environ, PYTHONIOENCODING="utf-8"),
        timeout=120,
    )


@pytest.mark.slow
def test_a_locale_entraide_has_no_names_for_is_a_settings_problem(tmp_path: Path) -> None:
    """Like any invalid setting (DESIGN §1): exit 2, one sentence naming the key and line."""
    _write(
        tmp_path,
        {
            "Entraide/Settings.md": "---\npeople_folders: [People]\ndaily_notes_locale: sv\n---\n",
            "People/Ann.md": "Contact.\n",
            CORE: {"format": "D MMMM YYYY"},
        },
    )
    proc = _status(tmp_path)
    assert proc.returncode == 2, proc.stdout
    assert "daily_notes_locale" in proc.stderr and "line 3" in proc.stderr
    assert "Traceback" not in proc.stderr
    _write(tmp_path, {"Entraide/Settings.md": "---\ndaily_notes_locale: nl\n---\n"})
    _write(tmp_path, {"20 maart 2026.md": "Met [[Ann]].\n"})
    proc = _status(tmp_path)
    assert proc.returncode == 0, proc.stderr
    (ann,) = json.loads(proc.stdout)["contacts"]
    assert ann["last_contact"] == "2026-03-20"


def test_show_finds_the_same_daily_notes_as_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`show` lists a nested daily note as the source of its interaction, as status counts it."""
    import shutil

    from entraide.cli import main

    fixture = Path(__file__).parent / "fixtures" / "vaults" / "04e-daily-periodic-nested"
    vault = tmp_path / "vault"
    shutil.copytree(fixture / "vault", vault)
    assert main(["show", str(vault), "Dan Poe", "--json", "--today", "2026-11-22"]) == 0
    (interaction,) = json.loads(capsys.readouterr().out)["interactions"]
    assert interaction["date"] == "2026-03-14"
    assert [s["path"] for s in interaction["sources"]] == ["Journal/Archive/2026/03/14-Saturday.md"]
    assert main(["show", str(vault), "Eve Hash", "--json", "--today", "2026-11-22"]) == 0
    assert json.loads(capsys.readouterr().out)["interactions"] == []

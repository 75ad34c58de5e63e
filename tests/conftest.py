"""Shared fixtures: a copy of the template vault, and an isolated cache/state for the CLI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "src" / "entraide" / "starter"  # vault_template/ links here


@pytest.fixture(autouse=True)
def isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the user's real cache or state: XDG dirs point into a temp folder."""
    base = tmp_path_factory.mktemp("xdg")
    for name in ("XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        path = base / name.lower()
        path.mkdir()
        monkeypatch.setenv(name, str(path))


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A fresh copy of vault_template/."""
    target = tmp_path / "vault"
    shutil.copytree(TEMPLATE, target, symlinks=False)
    return target


def mark_vault(root: Path) -> Path:
    """Make `root` a vault as Obsidian would (its `.obsidian/` folder): the commands that
    write refuse a folder without it or `Entraide/Settings.md` (DESIGN §6)."""
    (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    return root


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    return env


@pytest.fixture
def instant_settle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Notes count as settled at once (in this process): for tests about something else than
    the wait for a note that was just saved (tests/test_races.py tests that wait itself)."""
    from entraide import vault_io

    monkeypatch.setattr(vault_io, "SETTLE_NS", 0)

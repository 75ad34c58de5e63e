"""`entraide init VAULT [--force]`: the starter vault shipped in the package."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import yaml

from entraide import importers
from entraide.cli import main
from entraide.importers import starter_files
from entraide.vault_io import WriteRefused

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "src" / "entraide" / "starter"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def tree(root: Path) -> dict[str, bytes]:
    files = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".entraide"]  # (the vault's locks)
        for name in names:
            path = Path(folder, name)
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def test_vault_template_is_the_packaged_starter() -> None:
    assert (ROOT / "vault_template").is_symlink()
    assert (ROOT / "vault_template").resolve() == STARTER.resolve()
    files = starter_files()
    assert files == tree(STARTER)
    assert {".obsidian/daily-notes.json", ".obsidian/templates.json"} <= set(files)
    assert "Entraide/Settings.md" in files and "People/Chloé Martin.md" in files


def test_init_creates_a_new_vault(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "notes" / "network"
    code, out, err = run(capsys, "init", str(target))
    assert code == 0, err
    assert tree(target) == tree(STARTER)
    assert f"{len(tree(STARTER))} files created in {target}." in out
    code, _, _ = run(capsys, "check", str(target))
    assert code == 0  # the starter vault has no problems


def test_init_into_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".DS_Store").write_bytes(b"\0")  # OS litter does not make a folder non-empty
    code, _, _ = run(capsys, "init", str(tmp_path))
    assert code == 0
    assert (tmp_path / ".obsidian" / "templates.json").read_bytes() == (
        STARTER / ".obsidian" / "templates.json"
    ).read_bytes()


def test_init_refuses_a_non_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mine.md").write_text("my note\n", "utf-8")
    code, out, err = run(capsys, "init", str(tmp_path))
    assert code == 2
    assert "is not empty" in err and "--force" in err
    assert tree(tmp_path) == {"mine.md": b"my note\n"}


def test_init_force_keeps_existing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = {
        "People/Amara Okafor.md": b"\xef\xbb\xbf---\r\ncircle: inner\r\n---\r\nMine.\r\n",
        "Entraide/Settings.md": b"---\npeople_folders: [People]\nmax_checkins: 3\n---\n",
        ".obsidian/daily-notes.json": b'{"folder": "Journal"}',
        "Other.md": b"unrelated\n",
    }
    for rel, data in mine.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    stats = {rel: (tmp_path / rel).stat().st_mtime_ns for rel in mine}
    code, out, _ = run(capsys, "init", str(tmp_path), "--force", "--examples")
    assert code == 0
    result = tree(tmp_path)
    for rel, data in mine.items():
        assert result[rel] == data
        assert (tmp_path / rel).stat().st_mtime_ns == stats[rel]
    expected = {**tree(STARTER), **mine}
    assert result == expected
    kept = sorted(line for line in out.splitlines() if line.startswith("  kept "))
    assert kept == [
        "  kept .obsidian/daily-notes.json (already there)",
        "  kept Entraide/Settings.md (already there)",
        "  kept People/Amara Okafor.md (already there)",
    ]
    assert f"{len(tree(STARTER)) - 3} files created in {tmp_path}, 3 kept as they were." in out

    before = {rel: (tmp_path / rel).stat().st_mtime_ns for rel in result}
    code, out, _ = run(capsys, "init", str(tmp_path), "--force", "--examples")
    assert code == 0
    assert tree(tmp_path) == expected
    assert {rel: (tmp_path / rel).stat().st_mtime_ns for rel in result} == before
    assert f"0 files created in {tmp_path}, {len(tree(STARTER))} kept as they were." in out


def test_init_force_on_an_existing_vault_adds_only_the_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No fictional people, daily notes or meetings in someone's own vault (DESIGN §6)."""
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "People").mkdir()
    (tmp_path / "People" / "Real Person.md").write_text("---\ncircle: inner\n---\n", "utf-8")
    code, out, err = run(capsys, "init", str(tmp_path), "--force")
    assert code == 0, err
    assert sorted(tree(tmp_path)) == ["Entraide/Settings.md", "People/Real Person.md"]
    assert tree(tmp_path)["Entraide/Settings.md"] == tree(STARTER)["Entraide/Settings.md"]
    assert f"1 file created in {tmp_path}." in out
    code, out, _ = run(capsys, "init", str(tmp_path), "--force")  # nothing more, ever
    assert code == 0 and f"0 files created in {tmp_path}, 1 kept as they were." in out
    assert sorted(tree(tmp_path)) == ["Entraide/Settings.md", "People/Real Person.md"]


def test_init_no_examples_makes_only_the_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new"
    code, out, err = run(capsys, "init", str(target), "--no-examples", "--today", "2026-11-23")
    assert code == 0, err
    assert tree(target) == {"Entraide/Settings.md": tree(STARTER)["Entraide/Settings.md"]}
    # It is a vault now: the commands that write accept it.
    assert run(capsys, "run", str(target), "--today", "2026-11-23")[0] == 0


def test_init_json_and_today(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, out, _ = run(capsys, "init", str(tmp_path / "v"), "--json", "--no-examples")
    assert code == 0
    assert json.loads(out) == {
        "vault": str(tmp_path / "v"),
        "created": ["Entraide/Settings.md"],
        "kept": [],
    }
    code, _, err = run(capsys, "init", str(tmp_path / "w"), "--today", "2026-02-30")
    assert (
        code == 2
        and err == "entraide: --today must be a real date written YYYY-MM-DD, not '2026-02-30'.\n"
    )
    assert not (tmp_path / "w").exists()


def test_init_on_a_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "vault"
    path.write_text("x", "utf-8")
    code, _, err = run(capsys, "init", str(path))
    assert code == 2
    assert "is a file, not a folder" in err


def test_init_force_never_writes_through_a_symlink_out_of_the_vault(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "People").symlink_to(outside, target_is_directory=True)
    code, _, err = run(capsys, "init", str(vault), "--force", "--examples")
    assert code == 0
    assert list(outside.iterdir()) == []
    assert "People/Amara Okafor.md: a symbolic link leads outside the vault; not written" in err


def test_a_refused_write_stops_init(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(root: Path, rel: str, data: bytes, expected: object) -> None:
        raise WriteRefused(f"cannot write '{rel}': Read-only file system")

    monkeypatch.setattr(importers, "replace_file", read_only)
    code, _, err = run(capsys, "init", str(tmp_path / "vault"))
    assert code == 2
    assert "The starter vault is incomplete: cannot write" in err
    assert "Read-only file system (0 files were created)" in err


def test_the_pre_commit_hook_is_valid_and_blocks_on_errors_only(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hook's manifest passes pre-commit's own check, and the command it runs ignores
    the problems that leave every note readable."""
    import shutil
    import subprocess

    manifest = Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml"
    tool = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(tool).exists():
        pytest.skip("pre-commit is not installed: the manifest was not validated")
    done = subprocess.run([tool, "validate-manifest", str(manifest)], capture_output=True)
    assert done.returncode == 0, done.stdout + done.stderr
    hook = yaml.safe_load(manifest.read_text())[0]
    assert hook["minimum_pre_commit_version"] >= "3.2.0" and "--severity" in hook["args"]
    people = vault / "People"
    (people / "Dup.md").write_text("---\naliases: [Kofi]\ncircle: nowhere\n---\n")
    code, _, _ = run(capsys, "check", str(vault), *hook["args"][:2])
    assert code == 0  # warnings only: the commit goes through
    (people / "Broken.md").write_text("---\ncircle: [unclosed\n---\n")
    code, out, _ = run(capsys, "check", str(vault), *hook["args"][:2])
    assert code == 1 and "yaml-syntax" in out

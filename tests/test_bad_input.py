"""The bad-input corpus (tests/fixtures/vaults/17-bad-input): no crash, no write to any note,
the rest of the vault processed, bounded time."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_fixture_vaults import apply_make

CORPUS = Path(__file__).parent / "fixtures" / "vaults" / "17-bad-input"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    vault = tmp_path / "vault"
    shutil.copytree(CORPUS / "vault", vault, symlinks=True)
    (tmp_path / "outside").mkdir()
    apply_make(
        vault, tmp_path / "outside", json.loads((CORPUS / "expected.json").read_text())["make"]
    )
    return vault


def notes(root: Path) -> dict[str, tuple[bytes, int]]:
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and "Entraide" not in path.parts:
            found[str(path.relative_to(root))] = (path.read_bytes(), path.stat().st_mtime_ns)
    return found


def entraide(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "entraide", *args],
        capture_output=True,
        text=True,
        timeout=120,  # bounded: a 50 MB note and an alias bomb must not hang a pass
    )


def test_run_writes_no_input_note_and_never_crashes(corpus: Path, tmp_path: Path) -> None:
    before = notes(corpus)
    outside = (tmp_path / "outside" / "secret.md").read_bytes()
    result = entraide("run", str(corpus), "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert notes(corpus) == before
    assert (tmp_path / "outside" / "secret.md").read_bytes() == outside
    assert not list(tmp_path.rglob("PWNED")) and not Path("PWNED").exists()
    problems = (corpus / "Entraide" / "Problems.md").read_text()
    assert "Alias Bomb" in problems and "too-large" in problems


def test_check_reports_and_exits_1(corpus: Path) -> None:
    result = entraide("check", str(corpus), "--json")
    assert result.returncode == 1
    codes = {p["code"] for p in json.loads(result.stdout)}
    assert {"not-utf8", "too-large", "yaml-anchor", "yaml-too-deep", "conflict-copy"} <= codes


def test_a_log_into_a_note_in_conflict_is_refused(corpus: Path) -> None:
    before = (corpus / "People" / "Git Conflict.md").read_bytes()
    result = entraide("log", str(corpus), "Git Conflict", "--today", "2026-11-22")
    assert result.returncode == 2 and "conflict" in result.stderr
    assert (corpus / "People" / "Git Conflict.md").read_bytes() == before
    result = entraide("log", str(corpus), "Healthy One", "--today", "2026-11-22")
    assert result.returncode == 2 and "conflict" in result.stderr  # it has conflict copies


def test_huge_lists_are_read_in_bounded_time(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / "People").mkdir(parents=True)
    aliases = "".join(f"  - alias {n}\n" for n in range(100_000))
    (vault / "People" / "Many.md").write_text(f"---\naliases:\n{aliases}---\n# Many\n")
    result = entraide("status", str(vault), "--json", "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert [c["name"] for c in json.loads(result.stdout)["contacts"]] == ["Many"]

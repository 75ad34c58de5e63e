"""The benchmark's vault generator is deterministic and writes notes entraide reads cleanly."""

import subprocess
import sys
from datetime import date
from pathlib import Path

from entraide.index import load_settings, read_vault

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "gen_vault.py"


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_arguments_same_bytes_and_a_clean_vault(tmp_path: Path) -> None:
    for name in ("a", "b"):
        subprocess.run(
            [sys.executable, str(SCRIPT), str(tmp_path / name), "--contacts", "50", "--years", "1"],
            check=True,
            capture_output=True,
        )
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    vault = read_vault(tmp_path / "a", load_settings(tmp_path / "a").settings)
    assert len(vault.contacts) == 50
    assert vault.problems == ()
    assert sum(len(c.interactions) for c in vault.contacts) > 100
    assert any(i.date == date(2026, 11, 22) for c in vault.contacts for i in c.interactions)

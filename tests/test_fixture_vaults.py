"""Data-driven fixture vaults: `entraide status VAULT --json` against hand-derived expectations.

Each folder `tests/fixtures/vaults/<scenario>/` holds a `vault/` and an `expected.json`:

    {"why": "the DESIGN.md rules exercised",
     "today": "YYYY-MM-DD",
     "make": [...],              # optional: files git cannot store well, created in the copy
     "contacts": [...],          # exact order; each compared on the keys it gives
     "problems": [...],          # exact order; compared on path, line, code
     "loose_problems": [...]}    # optional: problems whose path/line/code DESIGN.md leaves open

`make` entries (applied in order, after copying the vault to `tmp_path/vault`):
- `{"path": P, "text": T}`: write T (UTF-8, newlines as given) to the vault;
  with `"pad_to_bytes": N`, filler lines are appended until the file holds at least N bytes;
- `{"path": P, "bytes_hex": H}`: write raw bytes;
- `{"nfd_name": P, "text": T}`: like `path`, but the file name is stored NFD-normalised;
- `{"outside": P, "text": T}`: write a file under `tmp_path/outside` (not in the vault);
- `{"symlink": P, "to": T}`: create a symlink P in the vault; `{outside}` in T is replaced by
  the absolute path of `tmp_path/outside`.

A contact with `"optional": true` may be absent (DESIGN.md leaves open whether it is a contact);
when present it is compared like the others.

A `loose_problems` pattern is `{"code": C or [C, ...], "paths": [...], "lines": [...]?,
"optional": bool?}`: every actual problem matching a pattern (code, path and, when given, line)
is taken out of the exact comparison; a pattern that is not optional must match at least once.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

VAULTS = Path(__file__).parent / "fixtures" / "vaults"
SCENARIOS = (
    sorted(p.name for p in VAULTS.iterdir() if (p / "expected.json").is_file())
    if VAULTS.is_dir()
    else []
)
PROBLEM_KEYS = ("path", "line", "code")
META_KEYS = {"optional"}


def load_expected(scenario: str) -> dict[str, Any]:
    with open(VAULTS / scenario / "expected.json", encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def apply_make(vault: Path, outside: Path, steps: list[dict[str, Any]]) -> None:
    for step in steps:
        if "symlink" in step:
            link = vault / step["symlink"]
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(step["to"].replace("{outside}", str(outside)))
            continue
        if "outside" in step:
            target = outside / step["outside"]
        elif "nfd_name" in step:
            target = vault / unicodedata.normalize("NFD", step["nfd_name"])
        else:
            target = vault / step["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        if "bytes_hex" in step:
            data = bytes.fromhex(step["bytes_hex"])
        else:
            data = step["text"].encode("utf-8")
        if "pad_to_bytes" in step:
            filler = b"Filler line to make this note too large to read.\n"
            missing = step["pad_to_bytes"] - len(data)
            if missing > 0:
                data += filler * (missing // len(filler) + 1)
        target.write_bytes(data)


def sort_key_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def problem_sort_key(p: dict[str, Any]) -> tuple[str, int, int, str]:
    line = p.get("line")
    return (p["path"], 0 if line is None else 1, line or 0, p["code"])


def matches_pattern(problem: dict[str, Any], pattern: dict[str, Any]) -> bool:
    codes = pattern["code"] if isinstance(pattern["code"], list) else [pattern["code"]]
    if problem.get("code") not in codes or problem.get("path") not in pattern["paths"]:
        return False
    return "lines" not in pattern or problem.get("line") in pattern["lines"]


def dump_lines(items: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(item, ensure_ascii=False, sort_keys=True) for item in items]


def diff(label: str, expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> str:
    lines = difflib.unified_diff(
        dump_lines(expected),
        dump_lines(actual),
        fromfile=f"expected {label}",
        tofile=f"actual {label}",
        lineterm="",
    )
    return "\n".join(lines)


def project_contacts(
    expected: list[dict[str, Any]], actual: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    actual_paths = {c.get("path") for c in actual}
    wanted = [c for c in expected if not c.get("optional") or c["path"] in actual_paths]
    exp = [{k: v for k, v in c.items() if k not in META_KEYS} for c in wanted]
    # Project each actual contact on the keys of the expectation at the same place, so that a
    # missing or extra contact shows up in the diff with the keys that matter.
    keys_by_path = {c["path"]: list(c) for c in exp}
    default_keys = ["name", "path", "interactions", "last_contact"]
    act = []
    for i, c in enumerate(actual):
        keys = keys_by_path.get(c.get("path")) or (list(exp[i]) if i < len(exp) else default_keys)
        act.append({k: c.get(k, "<missing>") for k in keys})
    return exp, act


def split_problems(
    actual: list[dict[str, Any]], patterns: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    strict: list[dict[str, Any]] = []
    used = [0] * len(patterns)
    for p in actual:
        hit = next((i for i, pat in enumerate(patterns) if matches_pattern(p, pat)), None)
        if hit is None:
            strict.append({k: p.get(k, "<missing>") for k in PROBLEM_KEYS})
        else:
            used[hit] += 1
    unmet = [
        json.dumps(pat, ensure_ascii=False)
        for pat, n in zip(patterns, used, strict=True)
        if n == 0 and not pat.get("optional")
    ]
    return strict, unmet


def run_status(vault: Path, today: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "entraide", "status", str(vault), "--json", "--today", today]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=vault.parent,
        timeout=300,
    )
    try:
        out: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError:
        out = {}
    if not isinstance(out, dict) or not out:
        pytest.fail(
            f"`{' '.join(cmd)}` exited {proc.returncode} without a JSON object on stdout.\n"
            f"stdout:\n{proc.stdout[:4000]}\nstderr:\n{proc.stderr[-4000:]}",
            pytrace=False,
        )
    return out


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_expectation_is_well_formed(scenario: str) -> None:
    """The fixture itself: sorted as DESIGN §6 requires, with the keys the runner needs."""
    exp = load_expected(scenario)
    assert isinstance(exp.get("why"), str) and exp["why"]
    assert (VAULTS / scenario / "vault").is_dir()
    contacts = exp["contacts"]
    for c in contacts:
        assert {"name", "path"} <= set(c), c
        assert c["name"] == unicodedata.normalize("NFC", c["name"])
        assert c["path"].endswith(".md")
    keys = [(sort_key_name(c["name"]), c["name"], c["path"]) for c in contacts]
    assert keys == sorted(keys), "contacts are not in DESIGN §6 order"
    problems = exp["problems"]
    for p in problems:
        assert set(p) == set(PROBLEM_KEYS), p
    assert problems == sorted(problems, key=problem_sort_key), "problems not in §6 order"
    for pat in exp.get("loose_problems", []):
        assert {"code", "paths"} <= set(pat), pat


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_fixture_vault_status(scenario: str, tmp_path: Path) -> None:
    exp = load_expected(scenario)
    vault = tmp_path / "vault"
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copytree(VAULTS / scenario / "vault", vault, symlinks=True)
    apply_make(vault, outside, exp.get("make", []))

    out = run_status(vault, exp["today"])

    failures = []
    if out.get("today") != exp["today"]:
        failures.append(f"today: expected {exp['today']!r}, got {out.get('today')!r}")

    exp_contacts, act_contacts = project_contacts(exp["contacts"], out.get("contacts", []))
    if exp_contacts != act_contacts:
        failures.append("contacts differ:\n" + diff("contacts", exp_contacts, act_contacts))

    actual_problems = out.get("problems", [])
    order = [{k: p.get(k) for k in PROBLEM_KEYS} for p in actual_problems]
    if order != sorted(order, key=problem_sort_key):
        failures.append("problems are not sorted by path, line (null first), code")
    strict, unmet = split_problems(actual_problems, exp.get("loose_problems", []))
    if strict != exp["problems"]:
        failures.append("problems differ:\n" + diff("problems", exp["problems"], strict))
    if unmet:
        failures.append("loose problem patterns never matched:\n" + "\n".join(unmet))

    if failures:
        pytest.fail(f"{scenario}: {exp['why']}\n\n" + "\n\n".join(failures), pytrace=False)

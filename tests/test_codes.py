"""The catalogue of problem codes is the one list: DESIGN §6, the status schema and the code
that makes problems all agree with it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from entraide.codes import CODES, WARNINGS
from entraide.schemas import load as load_schema

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "entraide"
DESIGN = ROOT.parent / "shared" / "DESIGN.md"


def test_the_status_schema_lists_every_code() -> None:
    schema = load_schema("status")
    problem = schema["properties"]["problems"]["items"]["properties"]["code"]
    assert sorted(problem["enum"]) == sorted(CODES)


def test_design_lists_every_code() -> None:
    if not DESIGN.exists():
        pytest.skip("DESIGN.md is not beside the repository")
    text = DESIGN.read_text("utf-8")
    start = text.index("`code` is one of:") + len("`code` is one of:")
    section = text[start : text.index("`message` says")]
    assert sorted(re.findall(r"`([a-z0-9-]+)`", section)) == sorted(CODES)


def test_warnings_are_design_5_4s() -> None:
    assert sorted(WARNINGS) == sorted(
        [
            "alias-shared",
            "possible-duplicate",
            "unknown-circle",
            "deprecated-key",
            "attendee-unknown",
        ]
    )


def test_every_code_the_source_makes_is_in_the_catalogue() -> None:
    # A problem's code is a string literal among the catalogue's names: any literal that looks
    # like one of the catalogue's shapes (`yaml-…`, `alias-…`) but is not in it is a typo.
    made = set()
    for path in SRC.rglob("*.py"):
        made.update(
            re.findall(
                r'"((?:yaml|alias|conflict|output|daily|template)-[a-z-]+)"',
                path.read_text("utf-8"),
            )
        )
    assert made - set(CODES) == set()
    json.dumps(CODES)  # plain data

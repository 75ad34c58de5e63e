"""The README's settings reference covers every property of the settings schema."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_settings_table_matches_the_schema() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `([a-z_]+)` \|", section, re.MULTILINE)
    schema = json.loads((ROOT / "schemas" / "settings.schema.json").read_text("utf-8"))
    assert documented == list(schema["properties"])


def test_every_setting_has_a_description() -> None:
    schema = json.loads((ROOT / "schemas" / "settings.schema.json").read_text("utf-8"))
    assert all(spec.get("description") for spec in schema["properties"].values())

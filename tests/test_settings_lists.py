"""Settings as Obsidian's Properties view edits them (DESIGN §8): circles and kind_minutes as
lists of text items (the nested maps still read), plan_callouts, language, notify; French
kinds' minutes (§11); an output folder that would mix entraide's notes with the user's is
refused (exit 2)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from entraide.cli import main
from entraide.index import load_settings
from entraide.settings import (
    DEFAULT_CIRCLES,
    DEFAULT_KIND_MINUTES,
    Circle,
    Settings,
    settings_from_mapping,
)
from entraide.vault_io import ObsidianConfig

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "src" / "entraide" / "starter"
REFUSED = ROOT / "tests" / "fixtures" / "vaults" / "40-output-folder-refused" / "vault"


def read(data: dict[str, Any], config: ObsidianConfig | None = None) -> tuple[Settings, list[str]]:
    settings, problems, fatal = settings_from_mapping(
        data, obsidian=(lambda _: config) if config is not None else None
    )
    assert fatal == bool(problems), problems
    return settings, [p.message for p in problems]


def test_circles_as_text_items() -> None:
    settings, problems = read(
        {
            "circles": [
                "inner 7d 1.0 5",
                "best friends 2w 0.9 -",
                "far 1y 0.05 500",
                "dormant - 0.1 -",
            ]
        }
    )
    assert problems == []
    assert settings.circles == (
        Circle("inner", 7, 1.0, 5),
        Circle("best friends", 14, 0.9, None),
        Circle("far", 365, 0.05, 500),
        Circle("dormant", None, 0.1, None),
    )
    assert settings.circle("Best Friends") == Circle("best friends", 14, 0.9, None)


def test_circles_as_a_nested_map_still_read() -> None:
    settings, problems = read(
        {"circles": {"inner": {"cadence": 7, "closeness": 0.9, "size": 5}, "dormant": None}}
    )
    assert problems == []
    assert settings.circles == (Circle("inner", 7, 0.9, 5), Circle("dormant", None, 0.1, None))


@pytest.mark.parametrize(
    ("items", "said"),
    [
        (["inner 14d 1.0"], "item 1 ('inner 14d 1.0') is not a circle"),
        (["inner 14d 1.0 5", "close soon 0.8 15"], "item 2 ('close soon 0.8 15')"),
        (["inner 14d 1.5 5"], "item 1 ('inner 14d 1.5 5')"),
        (["inner 14d high 5"], "item 1"),
        (["inner 14d 1.0 0"], "item 1"),
        (["inner 14d 1.0 five"], "item 1"),
        (["inner 0d 1.0 5"], "item 1"),
        ([{"inner": {"cadence": 14}}], "item 1 (a map, not text)"),
        ([42], "item 1 ('42') is not a circle"),
        ([], "it names no circle"),
        (["inner 14d 1.0 5", "Inner 7d 1.0 5"], "names the circle 'Inner' a second time"),
    ],
)
def test_a_bad_circle_item_is_a_clear_settings_problem(items: list[Any], said: str) -> None:
    settings, problems = read({"circles": items})
    assert len(problems) == 1
    assert said in problems[0]
    assert "NAME CADENCE CLOSENESS SIZE" in problems[0] or "a second time" in problems[0]
    assert settings.circles == DEFAULT_CIRCLES


def test_one_circle_or_kind_as_text_an_emptied_list_and_a_number() -> None:
    settings, problems = read({"circles": "inner 7d 1.0 5", "kind_minutes": "walk 40"})
    assert problems == []
    assert settings.circles == (Circle("inner", 7, 1.0, 5),)
    assert settings.minutes_for("walk") == 40 and settings.minutes_for("coffee") == 45
    emptied, problems = read({"circles": None, "kind_minutes": None})
    assert problems == [] and emptied == Settings()
    _, problems = read({"circles": 5})
    assert problems == [
        "setting 'circles' is invalid: '5' is not a list of circles; write NAME CADENCE "
        "CLOSENESS SIZE, e.g. 'inner 14d 1.0 5' or 'dormant - 0.1 -' (cadence in days or 2w, "
        "3m, 1y; closeness from 0 to 1; size a whole number; '-': none)"
    ]
    _, problems = read({"kind_minutes": 45})
    assert len(problems) == 1 and "'45' is not a list of kinds" in problems[0]


def test_kind_minutes_as_text_items() -> None:
    settings, problems = read({"kind_minutes": ["coffee 30", "Walk 40", "check-in 10", "tea 7.5"]})
    assert problems == []
    assert settings.kind_minutes == {
        **DEFAULT_KIND_MINUTES,
        "coffee": 30,
        "walk": 40,
        "check-in": 10,
        "tea": 7.5,
    }
    assert settings.minutes_for("walk") == 40 and settings.minutes_for("lunch") == 60
    nested, problems = read({"kind_minutes": {"coffee": 30}})
    assert problems == [] and nested.minutes_for("coffee") == 30


@pytest.mark.parametrize("item", ["coffee", "coffee -5", "coffee soon", 45, None])
def test_a_bad_kind_minutes_item_is_a_clear_settings_problem(item: Any) -> None:
    settings, problems = read({"kind_minutes": ["call 20", item]})
    assert len(problems) == 1 and "item 2" in problems[0] and "KIND MINUTES" in problems[0]
    assert settings.kind_minutes == DEFAULT_KIND_MINUTES


@pytest.mark.parametrize(
    ("kind", "english"),
    [
        ("café", "coffee"),
        ("déjeuner", "lunch"),
        ("dîner", "dinner"),
        ("appel", "call"),
        ("visio", "video"),
        ("message", "message"),
        ("courriel", "email"),
        ("événement", "event"),
        ("réunion", "meeting"),
        ("Réunion", "meeting"),
        ("cafe\u0301", "coffee"),  # NFD
        ("dejeuner", "lunch"),  # accents optional
    ],
)
def test_french_kinds_have_their_english_twins_minutes(kind: str, english: str) -> None:
    settings = Settings()
    assert settings.minutes_for(kind) == DEFAULT_KIND_MINUTES[english]
    mine, _ = read({"kind_minutes": [f"{english} 33"]})
    assert mine.minutes_for(kind) == 33


def test_a_french_kind_named_itself_keeps_its_own_minutes() -> None:
    settings, _ = read({"kind_minutes": ["café 10", "coffee 50"]})
    assert settings.minutes_for("café") == 10
    assert settings.minutes_for("coffee") == 50
    assert settings.minutes_for("thé") == settings.default_minutes


def test_plan_callouts_language_notify() -> None:
    assert Settings().plan_callouts == ("todo", "plan", "idea", "tip", "question")
    assert Settings().language == "en" and Settings().notify is False
    settings, problems = read(
        {"plan_callouts": ["Todo", " waiting "], "language": "fr", "notify": True}
    )
    assert problems == []
    assert settings.plan_callouts == ("todo", "waiting")
    assert settings.language == "fr" and settings.notify is True
    assert settings.is_plan(("note", "waiting")) and not settings.is_plan(("tip",))
    for bad in ({"language": "de"}, {"notify": "yes"}, {"plan_callouts": "todo"}):
        _, problems = read(bad)
        assert len(problems) == 1, bad


def test_the_starter_settings_are_the_defaults() -> None:
    loaded = load_settings(STARTER)
    assert loaded.problems == () and not loaded.fatal
    assert loaded.settings == Settings()


DAILY = ObsidianConfig("Journal", "YYYY-MM-DD", ("Templates", "Meta/Templater"))


@pytest.mark.parametrize(
    ("data", "what"),
    [
        ({"output_folder": "People"}, "a people folder ('People')"),
        ({"output_folder": "Work/People/Out"}, "a people folder ('People')"),
        ({"output_folder": "Work", "people_folders": ["Work/Clients"]}, "('Work/Clients')"),
        ({"output_folder": "Journal"}, "the daily notes folder ('Journal')"),
        ({"output_folder": "Journal/entraide"}, "the daily notes folder"),
        ({"output_folder": "Meta"}, "a templates folder ('Meta/Templater')"),
        ({"output_folder": "Templates/Out"}, "a templates folder ('Templates')"),
    ],
)
def test_an_output_folder_over_the_users_notes_is_refused(data: dict[str, Any], what: str) -> None:
    settings, problems = read(data, DAILY)
    assert len(problems) == 1 and what in problems[0], problems
    assert settings.output_folder == "Entraide"


@pytest.mark.parametrize("output", ["Entraide", "Out/Journal", "Work/Templates", "Peoples"])
def test_an_output_folder_of_its_own_is_fine(output: str) -> None:
    settings, problems = read({"output_folder": output}, DAILY)
    assert problems == [] and settings.output_folder == output


def test_a_daily_folder_at_the_root_refuses_nothing() -> None:
    _, problems = read({"output_folder": "Entraide"}, ObsidianConfig())
    assert problems == []


def test_check_refuses_an_output_folder_in_the_daily_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(REFUSED, vault)
    assert main(["check", str(vault)]) == 2
    err = capsys.readouterr().err
    assert "output_folder" in err and "daily notes folder ('Journal')" in err
    assert not (vault / "Journal" / "entraide").exists()


def test_check_refuses_an_output_folder_in_a_templater_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(REFUSED, vault)
    (vault / "Entraide" / "Settings.md").write_text("---\noutput_folder: Meta/Templates\n---\n")
    plugin = vault / ".obsidian" / "plugins" / "templater-obsidian"
    plugin.mkdir(parents=True)
    (plugin / "data.json").write_text(json.dumps({"templates_folder": "Meta"}))
    assert main(["run", str(vault), "--today", "2026-11-22"]) == 2
    assert "a templates folder ('Meta')" in capsys.readouterr().err
    assert not (vault / "Meta").exists()


def test_french_log_lines_spend_their_english_twins_minutes() -> None:
    from entraide.analytics.budget import minutes_between
    from entraide.build import build_vault
    from entraide.parse.note import parse_note

    note = (
        "## Log\n- 2026-11-16 déjeuner: chez Ana #nouvelles\n- 2026-11-17 Café\n"
        "- 2026-11-18 appel\n- 2026-11-19 réunion\n- 2026-11-20 thé\n"
    ).encode()
    vault = build_vault({"People/Ana.md": parse_note(note)}, Settings(), ObsidianConfig())
    (ana,) = vault.contacts
    assert [i.kind for i in ana.interactions] == ["déjeuner", "café", "appel", "réunion", "thé"]
    assert ana.interactions[0].news
    spent = minutes_between(vault.contacts, Settings(), date(2026, 11, 16), date(2026, 11, 20))
    assert spent == 60 + 45 + 20 + 60 + 15  # lunch, coffee, call, meeting, the default


def test_every_daily_notes_locale_read_is_a_valid_setting() -> None:
    from entraide.parse.daily import locale_names
    from entraide.schemas import load

    assert load("settings")["properties"]["daily_notes_locale"]["enum"] == list(locale_names())
    for locale in locale_names():
        assert read({"daily_notes_locale": locale})[1] == []
    assert len(read({"daily_notes_locale": "xx"})[1]) == 1

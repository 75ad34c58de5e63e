"""The command line as people use it (DESIGN §6, issue 22): which vault, options anywhere,
one-sentence errors, `--json` described by schemas, `show`, `status` filters and a table that
fits the terminal."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console

from conftest import cli_env, mark_vault
from entraide.cli import main
from entraide.schemas import load

TODAY = "2026-11-23"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".entraide" not in p.parts
    }


def one_sentence(err: str) -> None:
    assert err.startswith("entraide: ") and err.endswith(".\n") and err.count("\n") == 1, err


# -- which vault ---------------------------------------------------------------------------


def test_inside_a_vault_the_vault_may_be_left_out(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, named, _ = run(capsys, "status", str(vault), "--json", "--today", TODAY)
    assert code == 0
    monkeypatch.chdir(vault / "People")  # below the vault: its nearest parent is found
    code, found, err = run(capsys, "status", "--json", "--today", TODAY)
    assert code == 0, err
    assert found == named


def test_the_environment_names_the_vault_elsewhere(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("ENTRAIDE_VAULT", raising=False)
    code, _, err = run(capsys, "status", "--today", TODAY)
    assert code == 2
    one_sentence(err)
    assert "ENTRAIDE_VAULT" in err
    monkeypatch.setenv("ENTRAIDE_VAULT", str(vault))
    code, out, _ = run(capsys, "show", "Chloé Martin", "--json", "--today", TODAY)
    assert code == 0 and json.loads(out)["path"] == "People/Chloé Martin.md"


@pytest.mark.parametrize(
    "command",
    [
        ["run"],
        ["log", "Jane"],
        ["import", "vcard", "cards.vcf"],
        ["import", "linkedin", "Connections.csv"],
    ],
)
def test_writing_commands_refuse_a_folder_that_is_no_vault(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    (home / "People").mkdir(parents=True)
    (home / "People" / "Jane.md").write_text("---\ncircle: inner\n---\n", "utf-8")
    (tmp_path / "cards.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nEND:VCARD\n")
    (tmp_path / "Connections.csv").write_text("First Name,Last Name\nAnn,Lee\n")
    before = files(home)
    args = [command[0], str(home), *command[1:]] if command[0] != "import" else command
    if command[0] == "import":
        args = [*command[:2], str(home), str(tmp_path / command[2])]
    code, _, err = run(capsys, *args, "--today", TODAY)
    assert code == 2
    one_sentence(err)
    assert "does not look like a vault" in err and "run `entraide init` there first" in err
    assert files(home) == before
    mark_vault(home)  # the same folder, once it is a vault, is written
    code, _, err = run(capsys, *args, "--today", TODAY)
    assert code == 0, err
    assert files(home) != before


def test_watch_refuses_a_folder_that_is_no_vault(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "entraide", "watch", str(tmp_path), "--today", TODAY],
        capture_output=True,
        text=True,
        timeout=60,
        env=cli_env(),
    )
    assert done.returncode == 2
    one_sentence(done.stderr)
    assert list(tmp_path.iterdir()) == []


def test_reading_a_folder_that_is_no_vault_leaves_no_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "folder"
    (folder / "People").mkdir(parents=True)
    (folder / "People" / "Jane.md").write_text("---\ncircle: inner\n---\n", "utf-8")
    cache = Path(os.environ["XDG_CACHE_HOME"])
    before = sorted(cache.rglob("*"))
    assert run(capsys, "check", str(folder))[0] == 0
    assert run(capsys, "status", str(folder), "--json", "--today", TODAY)[0] == 0
    assert sorted(cache.rglob("*")) == before


# -- options anywhere, errors in one sentence ---------------------------------------------


def test_common_options_before_or_after_the_command(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    after = run(capsys, "status", str(vault), "--json", "--today", TODAY)
    before = run(capsys, "--today", TODAY, "--json", "status", str(vault))
    mixed = run(capsys, "--json", "status", "--today", TODAY, str(vault), "--debug")
    assert after[0] == 0 and after == before == mixed


def test_debug_after_the_command_in_a_real_process(vault: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "entraide", "run", str(vault), "--debug", "--today", TODAY],
        capture_output=True,
        text=True,
        timeout=120,
        env=cli_env(),
    )
    assert done.returncode == 0, done.stderr
    assert "notes written" in done.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["run", "{vault}", "--zzz"], "No such option '--zzz' (see 'entraide run --help')."),
        (["bogus"], "No such command 'bogus' (see 'entraide --help')."),
        (["status", "{vault}", "--sort", "age"], "(see 'entraide status --help')."),
        (["log", "{vault}", "a", "b"], "Got 3 arguments where [VAULT] NAME was expected"),
    ],
)
def test_usage_errors_are_one_sentence(
    args: list[str], words: str, vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *(a.replace("{vault}", str(vault)) for a in args))
    assert code == 2 and out == ""
    one_sentence(err)
    assert words in err


def test_a_bad_date_names_its_option(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "log", str(vault), "Chloé Martin", "--date", "2026-02-30")
    assert code == 2
    assert err == ("entraide: --date must be a real date written YYYY-MM-DD, not '2026-02-30'.\n")
    code, _, err = run(capsys, "status", str(vault), "--today", "23/11/2026")
    assert code == 2 and err.startswith("entraide: --today must be a real date")


def test_a_future_date_is_refused(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files(vault)
    code, _, err = run(
        capsys, "log", str(vault), "Chloé Martin", "--date", "2026-12-01", "--today", TODAY
    )
    assert code == 2
    one_sentence(err)
    assert "--date 2026-12-01 is after today (2026-11-23)" in err
    assert files(vault) == before


def test_a_kind_is_one_word(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = vault / "People" / "Chloé Martin.md"
    code, out, _ = run(
        capsys,
        "log",
        str(vault),
        "Chloé Martin",
        "--kind",
        "coffee: talked about Pune",
        "--today",
        TODAY,
    )
    assert code == 0
    assert note.read_text("utf-8").endswith("\n- 2026-11-23 coffee: talked about Pune\n")
    code, _, err = run(
        capsys, "log", str(vault), "Chloé Martin", "--kind", "long walk", "--today", TODAY
    )
    assert code == 2
    one_sentence(err)
    assert "--kind is one word" in err and "--note" in err
    code, _, _ = run(
        capsys,
        "log",
        str(vault),
        "Dev Patel",
        "--kind",
        "Lunch",
        "--note",
        "his [new] job",
        "--today",
        TODAY,
    )
    assert code == 0
    text = (vault / "People" / "Dev Patel.md").read_text("utf-8")
    assert text.endswith("\n- 2026-11-23 Lunch: his (new) job\n")  # as given


def test_log_on_a_note_that_cannot_be_read_says_so(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = vault / "People" / "Broken Person.md"
    note.write_text("---\ncircle: [inner\n---\n# Broken\n", "utf-8")
    before = files(vault)
    code, _, err = run(capsys, "log", str(vault), "Broken Person", "--today", TODAY)
    assert code == 2
    one_sentence(err)
    assert "The note for 'Broken Person' cannot be read, People/Broken Person.md, line" in err
    assert "No contact is named" not in err
    assert files(vault) == before


# -- JSON of the commands that write ------------------------------------------------------


def valid(schema: str, data: object) -> object:
    jsonschema.validate(data, load(schema))
    return data


def test_run_json_says_what_was_written(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run", str(vault), "--json", "--today", TODAY)
    assert code == 0
    data = valid("run", json.loads(out))
    assert data["today"] == TODAY and data["contacts"] == 12 and not data["skipped"]
    assert "Entraide/Check-ins.md" in data["written"]
    code, out, _ = run(capsys, "--json", "run", str(vault), "--today", TODAY)
    data = valid("run", json.loads(out))
    assert data["skipped"] and data["written"] == [] and data["appended"] == []


def test_log_json(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("log", str(vault), "Chloe", "--kind", "call", "--news", "--json", "--today", TODAY)
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert valid("log", json.loads(out)) == {
        "path": "People/Chloé Martin.md",
        "name": "Chloé Martin",
        "line": "- 2026-11-23 call #news",
        "logged": True,
    }
    code, out, _ = run(capsys, *args)
    assert json.loads(out)["logged"] is False


def test_import_json_and_the_vault_first(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cards = tmp_path / "cards.vcf"
    cards.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nN:Lee;Ann;;;\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Chloé Martin\nN:Martin;Chloé;;;\nORG:Lycée\nEND:VCARD\n",
        "utf-8",
    )
    code, out, _ = run(capsys, "import", "vcard", str(vault), str(cards), "--dry-run", "--json")
    assert code == 0
    data = valid("import", json.loads(out))
    assert data["kind"] == "vcard" and data["dry_run"] is True
    assert data["created"] == ["People/Ann Lee.md"]
    assert data["existing"] == [
        {
            "path": "People/Chloé Martin.md",
            "readable": True,
            "differences": [{"key": "company", "imported": "Lycée", "existing": None}],
        }
    ]
    assert not (vault / "People" / "Ann Lee.md").exists()
    code, out, _ = run(capsys, "--json", "import", "vcard", str(cards), "--vault", str(vault))
    assert code == 0 and valid("import", json.loads(out))["created"] == ["People/Ann Lee.md"]
    assert (vault / "People" / "Ann Lee.md").is_file()
    code, _, err = run(capsys, "import", "vcard", str(vault), str(cards), "--vault", str(vault))
    assert code == 2
    one_sentence(err)


def test_import_help_is_honest(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", "vcard", "--help")
    assert code == 0
    assert "merged" not in out and "write nothing" in out
    assert "[VAULT] FILE.vcf" in out and "--today" in out and "--json" in out


# -- show ----------------------------------------------------------------------------------


def test_show_one_person_with_the_source_of_each_interaction(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "show", str(vault), "Kofi Mensah", "--json", "--today", TODAY)
    assert code == 0
    data = valid("show", json.loads(out))
    assert data["circle"] == "close" and data["cadence"] == 30
    assert data["due"] == "2026-09-13" and data["tie"] == "strong"
    assert [(i["date"], i["kind"], i["sources"]) for i in data["interactions"]] == [
        ("2026-07-02", "call", [{"path": "People/Kofi Mensah.md", "line": 18, "origin": "log"}]),
        ("2026-08-14", "coffee", [{"path": "People/Kofi Mensah.md", "line": 19, "origin": "log"}]),
    ]
    assert data["ask"] == [
        "last time (2026-08-14, coffee): asked for an intro to his funder",
        "ask about their news",
    ]
    code, out, _ = run(capsys, "show", str(vault), "Amara Okafor", "--json", "--today", TODAY)
    sources = {i["date"]: i["sources"] for i in valid("show", json.loads(out))["interactions"]}
    assert sources["2026-11-02"] == [
        {"path": "People/Amara Okafor.md", "line": 14, "origin": "property"}
    ]
    assert sources["2026-11-20"] == [
        {"path": "Daily/2026-11-20.md", "line": 3, "origin": "mention"}
    ]
    code, out, _ = run(capsys, "show", str(vault), "Chloe", "--today", TODAY)
    assert code == 0
    assert out.splitlines()[0] == "Chloé Martin (People/Chloé Martin.md)"
    assert "  2026-11-17 mention #gave  (Daily/2026-11-17.md:3)" in out.splitlines()
    assert "To ask: ask about their news." in out


def test_show_an_unknown_name(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", str(vault), "Chloé Martinez", "--today", TODAY)
    assert code == 2
    one_sentence(err.replace("?\n", ".\n"))
    assert "No contact is named 'Chloé Martinez'. Did you mean 'Chloé Martin'?" in err


# -- status: filters, order, new keys, the table's width ------------------------------------


def status_json(capsys: pytest.CaptureFixture[str], vault: Path, *args: str) -> dict:  # type: ignore[type-arg]
    code, out, err = run(capsys, "status", str(vault), "--json", "--today", TODAY, *args)
    assert code == 0, err
    data: dict = json.loads(out)  # type: ignore[type-arg]
    return data


def test_status_filters_and_orders(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    every = status_json(capsys, vault)["contacts"]
    due = status_json(capsys, vault, "--due")["contacts"]
    assert due and due == [c for c in every if c["due"] is not None and c["due"] <= TODAY]
    close = status_json(capsys, vault, "--circle", "CLOSE")["contacts"]
    assert {c["name"] for c in close} == {"Bruno Silva", "Elena Rossi", "Kofi Mensah"}
    by_due = [c["due"] for c in status_json(capsys, vault, "--sort", "due")["contacts"]]
    assert by_due == sorted(d for d in by_due if d) + [None] * by_due.count(None)
    strengths = [
        c["strength"] for c in status_json(capsys, vault, "--sort", "strength")["contacts"]
    ]
    assert strengths == sorted(strengths, reverse=True)
    code, _, err = run(capsys, "status", str(vault), "--circle", "family")
    assert code == 2 and "There is no circle 'family': the circles are inner, close" in err


def test_status_json_carries_cadence_birthday_follow_up_snooze_and_pause(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault / "People" / "Zed Paused.md").write_text(
        "---\ncircle: inner\ncadence: 21\nbirthday: --02-29\nfollow_up: 2026-12-01\n"
        "snooze_until: 2026-12-24\npaused: true\n---\n",
        "utf-8",
    )
    data = status_json(capsys, vault)
    valid("status", data)
    zed = next(c for c in data["contacts"] if c["name"] == "Zed Paused")
    assert {k: zed[k] for k in ("cadence", "birthday", "follow_up", "snooze_until", "paused")} == {
        "cadence": 21,
        "birthday": "--02-29",
        "follow_up": "2026-12-01",
        "snooze_until": "2026-12-24",
        "paused": True,
    }
    chloe = next(c for c in data["contacts"] if c["name"] == "Chloé Martin")
    assert chloe["cadence"] == 90 and chloe["paused"] is False and chloe["birthday"] is None


def render_table(data: dict, width: int) -> str:  # type: ignore[type-arg]
    from entraide.render.status import view

    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False)
    for part in view(data, width):
        console.print(part)
    return out.getvalue()


@pytest.mark.parametrize("width", [80, 100])
def test_the_status_table_fits_the_terminal_with_names_whole(
    width: int, vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_name = "Maximilian Alexander von Hohenzollern-Sigmaringen"
    (vault / "People" / f"{long_name}.md").write_text("---\ncircle: close\n---\n", "utf-8")
    data = status_json(capsys, vault)
    shown = render_table(data, width)
    table = shown.split("\nsector:")[0].splitlines()
    assert max(len(line) for line in table) <= width
    for c in data["contacts"]:
        assert any(f" {c['name']} " in line for line in table), c["name"]
        if c["due"]:
            assert c["due"] in shown  # whole dates, never "2026…"
    assert "…" not in "\n".join(table)


def test_a_piped_status_is_not_cut_at_120_columns(vault: Path) -> None:
    long_name = "Maximilian Alexander von Hohenzollern-Sigmaringen"
    (vault / "People" / f"{long_name}.md").write_text("---\ncircle: close\n---\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "entraide", "status", str(vault), "--today", TODAY],
        capture_output=True,
        text=True,
        timeout=60,
        env=cli_env(),
    )
    assert done.returncode == 0
    header = next(line for line in done.stdout.splitlines() if "name" in line)
    for column in ("circle", "last contact", "due", "strength", "tie", "news"):
        assert column in header
    assert any(long_name in line for line in done.stdout.splitlines())


# -- shell completion (bash, zsh, fish; as the README tells) -------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_of_commands_vaults_and_names(shell: str, vault: Path) -> None:
    def complete(words: str, cwd: Path) -> str:
        env = {
            **cli_env(),
            "_ENTRAIDE_COMPLETE": f"{shell}_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        if shell == "fish":  # fish hands over the word being completed itself
            env["COMP_CWORD"] = "" if words.endswith(" ") else words.split()[-1]
        done = subprocess.run(
            [sys.executable, "-m", "entraide"],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "show" in complete("entraide sh", vault)
    assert "Chloé Martin" in complete("entraide show Chl", vault)  # the vault one is in
    if shell == "bash":  # quoted: bash inserts it as it is
        assert "'Chloé Martin'" in complete("entraide show Chl", vault)
    assert "Chloé Martin" in complete(f"entraide log {vault} chl", vault.parent)  # named
    assert "dir" in complete("entraide status ", vault.parent)  # folders for VAULT
    source = subprocess.run(
        [sys.executable, "-m", "entraide"],
        env={**cli_env(), "_ENTRAIDE_COMPLETE": f"{shell}_source"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert source.returncode == 0 and "_ENTRAIDE_COMPLETE" in source.stdout


def test_a_name_in_any_case_with_or_without_accents(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for typed in (
        "Lucía Fernández",
        "LUCÍA FERNÁNDEZ",
        "lucia fernandez",
        "People/Lucía Fernández",
    ):
        code, out, err = run(capsys, "show", str(vault), typed, "--json", "--today", TODAY)
        assert code == 0, (typed, err)
        assert json.loads(out)["path"] == "People/Lucía Fernández.md"

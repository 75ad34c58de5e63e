"""French (DESIGN §11, issue 19): the catalogue covers every sentence the code says, every
problem message made over the fixture vaults is translated, French log lines round-trip
through `log` and the parser, and the CLI speaks French in a vault set to `language: fr`.

The compiled catalogue (`entraide.mo`, built by setup.py) is what the code reads, and the
`.po` itself through Babel when none was built: after editing the `.po`, compile it again or
delete the `.mo`; `test_compiled_catalogue_is_the_po` says when it is stale.
"""

from __future__ import annotations

import gettext
import json
import os
import re
import shutil
import sys
from pathlib import Path
from string import Formatter
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import mark_vault
from entraide.cli import main
from entraide.i18n import lang
from test_fixture_vaults import SCENARIOS, VAULTS, apply_make, load_expected

SRC = Path(__file__).resolve().parent.parent / "src" / "entraide"
PO = SRC / "locale" / "fr" / "LC_MESSAGES" / "entraide.po"
MO = PO.with_suffix(".mo")
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = FIXTURES / "french"
TODAY = "2026-11-22"
FR = lang("fr")


def catalogue() -> Any:
    with PO.open("rb") as f:
        return read_po(f)


def fields(text: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def used_messages() -> list[tuple[str, int, str | tuple[str, ...]]]:
    """Every message id the code passes to `Lang.t` and `Lang.n` (Babel's extractor)."""
    return [
        (name, line, message)
        for name, line, message, _comments, _context in extract_from_dir(
            SRC, [("**.py", "python")], keywords={"t": None, "n": (1, 2)}
        )
    ]


def test_every_message_the_code_says_has_a_french_translation() -> None:
    cat = catalogue()
    used = used_messages()
    assert len(used) > 100  # the extractor found the CLI's sentences
    missing = []
    for name, line, message in used:
        msgid = message if isinstance(message, str) else message[0]
        entry = cat.get(msgid)
        strings = () if entry is None else entry.string
        strings = (strings,) if isinstance(strings, str) else strings
        if not strings or not all(strings):
            missing.append(f"{name}:{line}: {msgid!r}")
        elif not isinstance(message, str) and entry.id != message:
            missing.append(f"{name}:{line}: plural {message!r} is {entry.id!r} in the .po")
    assert not missing, "no French for:\n" + "\n".join(missing)


def test_translations_keep_the_fields_of_their_ids() -> None:
    """`{fields}` identical in msgid and msgstr (a lost field is a lost value, an extra one a
    KeyError), and each translation a valid format string."""
    wrong = []
    for entry in catalogue():
        if not entry.id:
            continue
        ids = (entry.id,) if isinstance(entry.id, str) else entry.id
        strings = (entry.string,) if isinstance(entry.string, str) else entry.string
        wanted = set().union(*(fields(i) for i in ids))
        for text in strings:
            if fields(text) != wanted:
                wrong.append(f"{ids[0]!r}: {text!r}")
    assert not wrong, "\n".join(wrong)


def test_compiled_catalogue_is_the_po() -> None:
    """The `.mo` the code reads says what the `.po` says (compile it again when not)."""
    if not MO.exists():
        pytest.skip("no compiled catalogue: the code reads the .po (through Babel)")
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for entry in catalogue():
        if not entry.id or isinstance(entry.id, tuple):
            continue
        got = compiled.pgettext(entry.context, entry.id) if entry.context else None
        got = got if entry.context else compiled.gettext(entry.id)
        if got != entry.string:
            stale.append(entry.id)
    assert not stale, f"entraide.mo is older than entraide.po ({len(stale)} ids): compile it"


# -- problem messages over every fixture vault ------------------------------------------------

_QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"|'[^']*'|\[\[[^\]]*\]\]|`[^`]*`|\([^()]*[/.][^()]*\)")
_ENGLISH = frozenset({"the", "is", "it", "not", "and", "of", "with", "this", "cannot", "write"})


def english_left(message: str) -> set[str]:
    """English words of `message` outside what it quotes from the vault (values, paths)."""
    words = re.findall(r"\w+", _QUOTED.sub(" ", message))
    return {w for w in words if w in _ENGLISH}


def set_language(vault: Path, code: str) -> None:
    path = vault / "Entraide" / "Settings.md"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\nlanguage: {code}\n---\n", "utf-8")
        return
    text = path.read_text("utf-8")
    if re.search(r"(?m)^language:", text):
        text = re.sub(r"(?m)^language:.*$", f"language: {code}", text)
    elif text.startswith("---\n"):
        text = f"---\nlanguage: {code}\n" + text[4:]
    else:
        text = f"---\nlanguage: {code}\n---\n" + text
    path.write_text(text, "utf-8")


def status_json(capsys: pytest.CaptureFixture[str], vault: Path) -> tuple[int, Any, str]:
    capsys.readouterr()
    code = main(["status", str(vault), "--json", "--today", TODAY])
    out, err = capsys.readouterr()
    return code, json.loads(out) if code == 0 else None, err


def fixture_copies(tmp_path: Path) -> list[Path]:
    copies = []
    for scenario in SCENARIOS:
        vault, outside = tmp_path / scenario / "vault", tmp_path / scenario / "outside"
        outside.mkdir(parents=True)
        shutil.copytree(VAULTS / scenario / "vault", vault, symlinks=True)
        apply_make(vault, outside, load_expected(scenario).get("make", []))
        copies.append(vault)
    bad = tmp_path / "bad" / "vault"
    shutil.copytree(FIXTURES / "bad" / "vault", bad, symlinks=True)
    return [*copies, bad]


def test_every_problem_message_of_the_fixture_vaults_is_french(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each vault read in English, then with `language: fr` added to its settings: same
    problems (paths, lines, codes), each message translated, no English word left outside
    the values it quotes."""
    untranslated, seen = [], 0
    for vault in fixture_copies(tmp_path):
        code, english, err = status_json(capsys, vault)
        set_language(vault, "fr")
        code_fr, french, err_fr = status_json(capsys, vault)
        assert code_fr == code, vault
        if english is None:  # unusable settings: the error is said in French
            assert err.startswith("entraide: The settings are invalid"), err
            assert err_fr.startswith("entraide: Les réglages ne sont pas valides"), err_fr
            assert not english_left(err_fr.partition(":")[2]), err_fr
            continue
        keys = [(p["path"], p["line"], p["code"]) for p in english["problems"]]
        assert [(p["path"], p["line"], p["code"]) for p in french["problems"]] == keys
        for en, fr in zip(english["problems"], french["problems"], strict=True):
            if en["code"] == "settings" and "language" in en["message"]:
                continue  # the settings were changed by the test
            seen += 1
            if fr["message"] == en["message"] or english_left(fr["message"]):
                untranslated.append(f"{en['code']}: {fr['message']}")
    assert seen > 100
    assert not untranslated, "\n".join(untranslated)


@pytest.mark.parametrize(
    "message",
    [
        "setting 'max_checkins' is invalid: -1 is less than the minimum of 0",
        "setting 'notify' is invalid: 'yes' is not of type 'boolean'",
        "setting 'language' is invalid: 'de' is not one of ['en', 'fr']",
        "setting 'output_folder' is invalid: '/tmp' is not a path inside the vault: write it "
        "from the vault's root",
        "not logged for Ana Lima: 'People/Ana Lima.md' has git conflict markers; resolve them "
        "first",
        "cannot write 'Entraide/Check-ins.md': Permission denied",
        "another contact has the same name (People/A.md, People/B.md and 12 more): links to "
        "this name reach only one of them; rename one note",
        "'cal.ics': 2 events left out: they have no start (DTSTART)",
        "card 2 (line 15): skipped, the card has no name (FN or N)",
        "line 4: skipped, the row has no first or last name",
        "the settings are invalid (Entraide/Settings.md, line 3): setting 'circles' is invalid: "
        "item 2 (a map, not text) is not a circle: write NAME CADENCE CLOSENESS SIZE, e.g. "
        "'inner 14d 1.0 5' or 'dormant - 0.1 -' (cadence in days or 2w, 3m, 1y; closeness from "
        "0 to 1; size a whole number; '-': none)",
    ],
)
def test_messages_inside_messages_are_translated(message: str) -> None:
    """A reason given inside a message (`{why…}` fields) is translated with it."""
    said = FR.problem(message)
    assert said != message and not english_left(said), said


def test_a_message_no_template_makes_stays_as_it_is() -> None:
    assert FR.problem("something entraide never says") == "something entraide never says"


# -- French log lines round trip ------------------------------------------------------------


def french_vault(tmp_path: Path) -> Path:
    vault = mark_vault(tmp_path / "vault")
    (vault / "Entraide").mkdir()
    (vault / "Entraide" / "Settings.md").write_text(
        "---\nlanguage: fr\npeople_folders: [Personnes]\n---\n", "utf-8"
    )
    (vault / "Personnes").mkdir()
    (vault / "Personnes" / "Ana Lima.md").write_text(
        "---\ncircle: close\n---\n# Ana Lima\n\n## Log\n", "utf-8"
    )
    (vault / "Personnes" / "Ben Cho.md").write_text(
        "---\ncircle: close\n---\n# Ben Cho\n\n## Log\n- 2026-11-20 déjeuner #nouvelles\n"
        "- 2026-11-18 dîner: sa nouvelle équipe #donné #demande\n",
        "utf-8",
    )
    return vault


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*args, "--today", TODAY])
    out, err = capsys.readouterr()
    return code, out, err


def contact(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in data["contacts"] if c["name"] == name)


def test_french_log_lines_are_read_as_their_english_twins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = french_vault(tmp_path)
    code, out, err = run_cli(capsys, "show", str(vault), "Ben Cho", "--json")
    assert code == 0, err
    ben = json.loads(out)
    assert (ben["interactions"][0]["kind"], ben["interactions"][1]["kind"]) == ("dîner", "déjeuner")
    assert (ben["gave"], ben["asked"], ben["news"]) == (1, 1, 1)
    assert ben["interactions"][0]["note"] == "sa nouvelle équipe"  # flags left out
    from entraide.index import load_settings

    settings = load_settings(vault).settings
    assert settings.minutes_for("dîner") == settings.minutes_for("dinner") == 90
    assert settings.minutes_for("déjeuner") == settings.minutes_for("lunch") == 60


def test_log_writes_a_french_line_the_parser_reads_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = french_vault(tmp_path)
    code, out, err = run_cli(capsys, "log", str(vault), "Ana", "--kind", "déjeuner", "--news")
    assert code == 2 and "Aucun contact ne s'appelle « Ana »." in err  # no alias: the name
    code, out, err = run_cli(
        capsys,
        "log",
        str(vault),
        "ana lima",
        "--kind",
        "déjeuner",
        "--news",
        "--date",
        "2026-11-20",
    )
    assert code == 0, err
    line = "- 2026-11-20 déjeuner #nouvelles"
    assert out == f"Noté dans Personnes/Ana Lima.md : {line}\n"
    assert (vault / "Personnes" / "Ana Lima.md").read_text("utf-8").endswith(f"\n{line}\n")
    code, out, err = run_cli(capsys, "status", str(vault), "--json")
    ana = contact(json.loads(out), "Ana Lima")
    assert (ana["interactions"], ana["last_contact"], ana["news"]) == (1, "2026-11-20", 1)
    code, out, err = run_cli(
        capsys,
        "log",
        str(vault),
        "ana lima",
        "--kind",
        "déjeuner",
        "--news",
        "--date",
        "2026-11-20",
    )
    assert code == 0 and out == f"Déjà noté dans Personnes/Ana Lima.md : {line}\n"


def test_an_english_vault_logs_english_tags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = french_vault(tmp_path)
    set_language(vault, "en")
    code, out, _ = run_cli(capsys, "log", str(vault), "Ana Lima", "--kind", "lunch", "--news")
    assert code == 0 and out == "Logged in Personnes/Ana Lima.md: - 2026-11-22 lunch #news\n"


# -- the CLI in French ------------------------------------------------------------------------


def test_errors_are_french_once_the_vault_is_known(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = french_vault(tmp_path)
    code, _, err = run_cli(capsys, "show", str(vault), "Zed")
    assert (code, err) == (2, "entraide: Aucun contact ne s'appelle « Zed ».\n")
    code, _, err = run_cli(capsys, "log", str(vault), "Ben Cho", "--date", "2026-12-01")
    assert code == 2
    assert err.startswith("entraide: --date 2026-12-01 est après aujourd'hui (2026-11-22)")
    code, _, err = run_cli(capsys, "status", str(vault), "--circle", "intime")
    assert code == 2 and err.startswith("entraide: Il n'y a pas de cercle « intime » :")
    # Before any vault is found, nothing tells the language: English.
    code, _, err = run_cli(capsys, "status", str(tmp_path / "nowhere"))
    assert code == 2 and err.startswith("entraide: There is no vault at")


def test_invalid_settings_are_said_in_french(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = french_vault(tmp_path)
    settings = vault / "Entraide" / "Settings.md"
    settings.write_text("---\nlanguage: fr\nmax_checkins: -1\n---\n", "utf-8")
    for command in ("run", "status", "check"):
        code, _, err = run_cli(capsys, command, str(vault))
        assert (code, err) == (
            2,
            "entraide: Les réglages ne sont pas valides (Entraide/Settings.md, ligne 3) : le "
            "réglage « max_checkins » n'est pas valide : -1 est inférieur au minimum de 0.\n",
        ), command


def test_run_and_check_summaries_in_french(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = french_vault(tmp_path)
    (vault / "Personnes" / "Cy Ng.md").write_text("---\ncircle: [close]\n---\n", "utf-8")
    code, out, err = run_cli(capsys, "run", str(vault))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "3 contacts, 1 problème ; 4 notes écrites."
    assert "  écrit : Entraide/Problems.md" in lines
    code, out, _ = run_cli(capsys, "run", str(vault))
    assert out == (
        "3 contacts, 1 problème ; rien n'a changé depuis le dernier passage, rien n'est écrit.\n"
    )
    code, out, err = run_cli(capsys, "check", str(vault))
    assert code == 1
    assert out == (
        "Personnes/Cy Ng.md:2: invalid-property: « circle: [close] » n'est pas un nom de "
        "cercle ; la valeur est ignorée tant que vous ne la corrigez pas\n"
    )
    assert err == "1 problème trouvé.\n"
    code, out, _ = run_cli(capsys, "check", str(vault), "--json")
    (problem,) = json.loads(out)
    assert set(problem) == {"path", "line", "code", "message"}
    assert problem["code"] == "invalid-property" and problem["message"].startswith("« circle")


def test_status_table_and_json_in_french(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = french_vault(tmp_path)
    (vault / "Personnes" / "Cy Ng.md").write_text("---\ncircle: [close]\n---\n", "utf-8")
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run_cli(capsys, "status", str(vault))
    assert code == 0, err
    assert "entraide — 3 contacts au 2026-11-22" in out
    for heading in ("nom", "cercle", "échanges", "dernier contact", "à relancer", "force"):
        assert heading in out
    ben = next(line for line in out.splitlines() if "Ben Cho" in line)
    assert "fort" in ben and re.search(r"\b0,\d\d\b", ben), ben
    assert "1 problème : lancez « entraide check » pour le voir." in out
    assert "Blau" in out and "nombre effectif" in out
    code, out, _ = run_cli(capsys, "status", str(vault), "--json")
    data = json.loads(out)
    assert set(data) >= {"today", "contacts", "diversity", "problems"}
    assert contact(data, "Ben Cho")["tie"] in ("strong", "weak", "dormant")  # values as §6
    assert data["problems"][0]["code"] == "invalid-property"
    assert data["problems"][0]["message"].startswith("« circle: [close] » n'est pas")


def test_show_in_french(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = french_vault(tmp_path)
    code, out, err = run_cli(capsys, "show", str(vault), "Ben Cho")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Ben Cho (Personnes/Ben Cho.md)"
    assert "  cercle : close" in lines
    assert any(line.startswith("Lien : fort, force 0,") for line in lines), lines
    assert "2 échanges :" in lines
    assert any(
        line.startswith("  2026-11-18 dîner #donné #demandé : sa nouvelle équipe  (Personnes/")
        for line in lines
    ), lines
    assert lines[-1] == "À demander : la dernière fois (2026-11-18, dîner) : sa nouvelle équipe."


def test_init_in_french_makes_a_french_vault_entraide_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "coffre"
    code, out, err = run_cli(capsys, "init", str(vault), "--language", "fr")
    assert code == 0, err
    assert out.startswith("29 fichiers créés dans") or "fichiers créés dans" in out
    assert "Ouvrez-le dans Obsidian, puis lancez : entraide run" in out
    settings = (vault / "Entraide" / "Settings.md").read_text("utf-8")
    assert "\nlanguage: fr\n" in settings and "\npeople_folders: [Personnes]\n" in settings
    for rel in (
        ".obsidian/types.json",
        "Modèles/Personne.md",
        "Modèles/Réunion.md",
        "Modèles/Templater/Personne.md",
        "Modèles/Templater/Réunion.md",
        "Modèles/Templater/Journal.md",
        "Commencer ici.md",
    ):
        assert (vault / rel).is_file(), rel
    code, out, err = run_cli(capsys, "run", str(vault))
    assert code == 0, err
    assert out.startswith("12 contacts, 0 problème ; 4 notes écrites.")
    assert "\nAucun problème : toutes les notes" in (vault / "Entraide" / "Problems.md").read_text()


def test_the_french_starter_counts_what_the_english_one_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same people and days, told in French: French kinds and tags count as their
    English twins (every figure of `status --json` but the texts)."""
    figures = {}
    for code_ in ("en", "fr"):
        vault = tmp_path / code_
        assert run_cli(capsys, "init", str(vault), "--language", code_)[0] == 0
        code, out, err = run_cli(capsys, "status", str(vault), "--json")
        assert code == 0, err
        data = json.loads(out)
        keys = ("name", "interactions", "last_contact", "due", "strength", "gave", "asked", "news")
        figures[code_] = (
            [tuple(c[k] for k in keys) for c in data["contacts"]],
            len(data["problems"]),
            [(i["a"], i["b"], i["score"]) for i in data["introductions"]],
        )
    assert figures["fr"] == figures["en"]


# -- a golden French Problems note ------------------------------------------------------------


def test_the_problems_note_of_a_fixture_vault_in_french(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`Entraide/Problems.md` of fixture 10-property-problems with `language: fr`, as written
    (ENTRAIDE_UPDATE_GOLDEN=1 writes it anew; read it before committing it)."""
    scenario = "10-property-problems"
    vault = tmp_path / "vault"
    shutil.copytree(VAULTS / scenario / "vault", vault, symlinks=True)
    mark_vault(vault)
    set_language(vault, "fr")
    code, _, err = run_cli(capsys, "run", str(vault))
    assert code == 0, err
    written = (vault / "Entraide" / "Problems.md").read_text("utf-8")
    golden = GOLDEN / f"Problems-{scenario}.md"
    if os.environ.get("ENTRAIDE_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(written, "utf-8")
    assert written == golden.read_text("utf-8")
    assert not english_left(re.sub(r"`[^`]*`|\[\[[^\]]*\]\]", " ", written))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))


def test_the_desktop_notification_speaks_french() -> None:
    from datetime import date

    from entraide import notify
    from entraide.i18n import Lang

    items = ("anniversaire de Ana", "relancer Ben")
    note = notify.decide(True, items, date(2026, 12, 1), None, True, Lang("fr"), "E/C.md")
    assert note == notify.Notification(
        "entraide : à faire aujourd'hui", "anniversaire de Ana; relancer Ben (voir E/C.md)."
    )

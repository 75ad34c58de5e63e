"""French check-ins and reviews (DESIGN §11, issue 19): what entraide writes under
`language: fr` is French through and through (golden notes of the French starter vault, and a
scan of every generated note for English left over), while what it reads back from its own
check-in list (the "Later" heading, the list's day, the dates of its reasons, the ticks'
memos) works whichever language wrote it: switching language loses no gesture and logs
nothing twice.

ENTRAIDE_UPDATE_GOLDEN=1 writes the golden notes anew (read them before committing them).
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from entraide.cli import main
from entraide.i18n import lang
from test_checkins_gestures import edit, logged, make_vault, target, task
from test_french import set_language, used_messages

GOLDEN = Path(__file__).parent / "fixtures" / "golden" / "starter_fr"
TODAY = "2026-11-23"
MONDAY = date(2026, 11, 23)
CHECKINS = "Entraide/Check-ins.md"
FR = lang("fr")

pytestmark = pytest.mark.usefixtures("instant_settle")


def run(vault: Path, day: date | str) -> None:
    day = day if isinstance(day, str) else day.isoformat()
    assert main(["run", str(vault), "--today", day]) == 0


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The French starter vault (`init --language fr`) after one pass on 2026-11-23."""
    vault = tmp_path_factory.mktemp("fr") / "coffre"
    assert main(["init", str(vault), "--language", "fr", "--today", TODAY]) == 0
    run(vault, TODAY)
    return vault


@pytest.mark.parametrize(
    "rel",
    [
        "Entraide/Check-ins.md",
        "Entraide/Reviews/2026-W48.md",
        "Entraide/Reviews/2026-11.md",
        "Entraide/Problems.md",
    ],
)
def test_the_french_starter_writes_the_golden_notes(starter: Path, rel: str) -> None:
    written = (starter / rel).read_bytes()
    golden = GOLDEN / rel
    if os.environ.get("ENTRAIDE_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(written)
    assert written == golden.read_bytes(), rel


def test_file_names_frontmatter_and_task_syntax_do_not_change(starter: Path) -> None:
    review = (starter / "Entraide/Reviews/2026-W48.md").read_text("utf-8")
    assert review.startswith(
        "---\ntype: entraide-review\nperiod: 2026-W48\nstart: 2026-11-23\nend: 2026-11-29\n"
        "status: current\n---\n"
    )
    assert "```mermaid\nxychart-beta\n" in review and "\npie title " in review
    assert review.endswith("\n## Réflexion\n\n_Qu'est-ce qui s'est bien passé ? Qui avez-vous "
                           "aidé ? Qui aimeriez-vous rencontrer ?_\n")  # fmt: skip
    listed = [x for x in (starter / CHECKINS).read_text("utf-8").split("\n") if x.startswith("- ")]
    assert listed and all(re.fullmatch(r"- \[ \] \[\[.+\]\] — .+ 📅 \d{4}-\d{2}-\d{2}", x)
                          for x in listed)  # fmt: skip
    starter_text = (starter / "Commencer ici.md").read_text("utf-8")
    assert "« Réflexion »" in starter_text  # the heading the guide names is the one written


# -- no English left ---------------------------------------------------------------------------

# English words entraide's sentences use and French never does (user data aside).
_ENGLISH_WORDS = frozenset(
    "the you your and of with for this that was were since days day week month new talked "
    "asked gave news birthday follow-up due more later other unknown people ties previous "
    "period final updated headlines balance layers cumulative size over drifting strengthened "
    "dormant gone worth making none both care needs offers pair pairs know each among "
    "nobody every interaction interactions time spent listed budget left contacts reflection "
    "what these numbers mean once twice times".split()
) - {"budget", "contacts", "dormant", "minutes", "structure"}  # French words too


def _readable(note: str) -> str:
    """The words of a generated note entraide wrote itself: no frontmatter, links, code
    spans, hidden comments, Tasks fields or Mermaid keywords."""
    note = re.sub(r"\A---\n.*?\n---\n", "", note, flags=re.DOTALL)
    note = re.sub(r"%%.*?%%", " ", note)
    note = re.sub(r"\[\[[^\]]*\]\]|`[^`]*`", " ", note)
    note = re.sub(r"\b(?:xychart-beta|pie title|x-axis|y-axis|bar|title|mermaid)\b", " ", note)
    return note


def english_in(note: str) -> list[str]:
    """English left in a French note: words of `_ENGLISH_WORDS`, and any run of three words
    or more of a message id (its English text) that is not its French translation too."""
    text = _readable(note)
    words = {w.lower() for w in re.findall(r"[\w-]+", text)}
    found = sorted(words & _ENGLISH_WORDS)
    for name, _line, message in used_messages():
        if not name.startswith(("render/checkins", "render/reviews", "ticks")):
            continue
        for msgid in (message,) if isinstance(message, str) else message:
            translated = FR.t(msgid) if isinstance(message, str) else ""
            for chunk in re.split(r"\{[^}]*\}", msgid):
                chunk = chunk.strip(" .,:;()|*#-")
                if len(chunk.split()) >= 3 and chunk not in translated and chunk in text:
                    found.append(chunk)
    return found


def test_no_english_in_the_french_starters_notes(starter: Path) -> None:
    for rel in ("Entraide/Check-ins.md", "Entraide/Reviews/2026-W48.md",
                "Entraide/Reviews/2026-11.md", "Entraide/Problems.md"):  # fmt: skip
        assert english_in((starter / rel).read_text("utf-8")) == [], rel


def test_the_scan_finds_english(starter: Path) -> None:
    """The scan is no formality: the English notes of the same vault fail it."""
    english = starter.parent / "english"
    assert main(["init", str(english), "--language", "en", "--today", TODAY]) == 0
    run(english, TODAY)
    for rel in (CHECKINS, "Entraide/Reviews/2026-W48.md", "Entraide/Reviews/2026-11.md"):
        assert len(english_in((english / rel).read_text("utf-8"))) > 3, rel


def french_vault(root: Path, settings: str = "max_checkins: 10\nweekly_minutes: 1000\n") -> Path:
    vault = make_vault(root)
    (vault / "Entraide" / "Settings.md").write_text(f"---\nlanguage: fr\n{settings}---\n", "utf-8")
    return vault


def test_every_branch_of_the_french_notes_is_french(tmp_path: Path) -> None:
    """Cut lines, a spent budget, "Later", ticked and cancelled lines, a follow-up past due,
    a birthday today, a contact never talked to, a circle over its size, introductions with
    none to make, a final review: all French."""
    vault = french_vault(tmp_path / "v", "max_checkins: 5\nweekly_minutes: 15\n")
    notes = vault / "People"
    (notes / "Cleo Park.md").write_text(
        "---\ntags: [person]\nfollow_up: 2026-11-20\ninterests: [jazz]\n---\n", "utf-8"
    )
    (notes / "Fay Ng.md").write_text(
        "---\ntags: [person]\ncircle: inner\nbirthday: 1990-11-24\ninterests: [jazz]\n"
        "interactions:\n  - {date: 2025-01-10, kind: call}\n"
        "  - {date: 2026-11-05, kind: lunch, asked: true}\n---\n",
        "utf-8",
    )
    for k in range(6):
        (notes / f"Inner {k}.md").write_text(
            "---\ntags: [person]\ncircle: inner\ninteractions:\n"
            f"  - {{date: 2026-10-0{k + 1}, kind: call, gave: true}}\n---\n",
            "utf-8",
        )
    run(vault, MONDAY)
    edit(vault, "Ben Okoro", "due:2026-11-28", "\n")
    run(vault, MONDAY + timedelta(days=1))
    tuesday_list = (vault / CHECKINS).read_text("utf-8")
    assert "\n### Plus tard\n" in tuesday_list and "autres à contacter" in tuesday_list
    assert "Le budget de la semaine est épuisé" in tuesday_list
    assert "relance en retard, prévue le vendredi 20 novembre" in tuesday_list
    assert "anniversaire aujourd'hui" in tuesday_list
    edit(vault, "Fay Ng", "tick:", "\n")
    run(vault, MONDAY + timedelta(days=1))
    run(vault, date(2026, 12, 1))  # the week and the month of November end: final reviews
    written = sorted((vault / "Entraide").rglob("*.md"))
    assert len(written) >= 6
    final = (vault / "Entraide/Reviews/2026-11.md").read_text("utf-8")
    assert "bilan définitif" in final and "⚠ dépassé" in final
    assert "Demandes à l'improviste (sans contact depuis plus de 180 jours) : [[Fay Ng]]." in final
    for path in written:
        if path.name == "Settings.md":
            continue
        assert english_in(path.read_text("utf-8")) == [], path


# -- read back in any language -----------------------------------------------------------------


def later_section(vault: Path) -> tuple[list[str], list[str]]:
    """(names of open lines above the Later heading, names under it), whatever its language."""
    above: list[str] = []
    below: list[str] = []
    into = above
    for line in (vault / CHECKINS).read_text("utf-8").split("\n"):
        if line in ("### Later", "### Plus tard"):
            into = below
        elif line.startswith("- [ ] "):
            into.append(target(line) or "")
    return above, below


@pytest.mark.parametrize("first,then", [("en", "fr"), ("fr", "en")])
def test_switching_language_loses_no_gesture(tmp_path: Path, first: str, then: str) -> None:
    """A list written in one language, worked in with Tasks (a tick, a postpone, a cancel),
    read by a pass in the other: the postponed line waits under the new "Later" heading, the
    tick is logged once and stays ticked, the cancel holds, a birthday ticked before its day
    does not come back, and the dates entraide wrote are no postpone."""
    vault = french_vault(tmp_path / "v")
    set_language(vault, first)
    run(vault, MONDAY)
    edit(vault, "Ana Lima", "due:2026-12-10", "\n")  # postponed
    edit(vault, "Ben Okoro", "tick:", "\n")  # birthday on Friday, done on Monday
    edit(vault, "Dan Roy", "cancel:", "\n")
    run(vault, MONDAY)
    assert logged(vault, "Ben Okoro") == ["2026-11-23"]
    set_language(vault, then)
    tuesday = MONDAY + timedelta(days=1)
    run(vault, tuesday)
    text = (vault / CHECKINS).read_text("utf-8")
    heading = "### Plus tard" if then == "fr" else "### Later"
    assert f"\n{heading}\n" in text and text.count("### ") == 1
    above, below = later_section(vault)
    assert below == ["Ana Lima"]
    assert above == ["Cleo Park", "Eve Sato"]  # Cleo's follow-up date is entraide's own
    assert len(task(vault, "Ben Okoro", "x")) == 1 and task(vault, "Ben Okoro") == []
    assert len(task(vault, "Dan Roy", "-")) == 1 and task(vault, "Dan Roy") == []
    assert "%% entraide done People/Ben%20Okoro.md birthday 2026-11-27 %%" in text
    for day in range(2, 7):
        run(vault, MONDAY + timedelta(days=day))
        assert logged(vault, "Ben Okoro") == ["2026-11-23"]
        assert later_section(vault)[1] == ["Ana Lima"]
        assert task(vault, "Ben Okoro") == []
    set_language(vault, first)  # and back: still nothing lost, nothing logged twice
    run(vault, MONDAY + timedelta(days=6))
    assert later_section(vault)[1] == ["Ana Lima"] and logged(vault, "Ben Okoro") == ["2026-11-23"]


@pytest.mark.parametrize("first,then", [("fr", "fr"), ("fr", "en"), ("en", "fr")])
def test_dates_entraide_wrote_are_no_postpone_in_any_language(
    tmp_path: Path, first: str, then: str
) -> None:
    """A birthday and a follow-up say their own date in the reason ("anniversaire le vendredi
    27 novembre"); a list written on Monday and read on Tuesday (and a clock set ahead then
    back) moves nothing to "Later"."""
    vault = french_vault(tmp_path / "v")
    set_language(vault, first)
    run(vault, MONDAY)
    fresh = (vault / CHECKINS).read_bytes()
    if first == "fr":
        assert "anniversaire le vendredi 27 novembre" in fresh.decode()
        assert "\nListe du lundi 23 novembre 2026.\n" in fresh.decode()
    set_language(vault, then)
    run(vault, MONDAY + timedelta(days=2))
    assert later_section(vault)[1] == []
    run(vault, MONDAY)
    assert later_section(vault)[1] == []
    if first == then:
        assert (vault / CHECKINS).read_bytes() == fresh


def test_the_list_reads_its_day_in_either_language() -> None:
    from entraide.ticks import listed_day, names_day

    def region(line: str) -> str:
        return f"%% entraide:begin %%\n## x\n\n{line}\n%% entraide:end %%\n"

    assert listed_day(region("As of 2026-11-23.")) == MONDAY
    assert listed_day(region("Liste du lundi 23 novembre 2026.")) == MONDAY
    assert listed_day(region("Liste du mardi 1 décembre 2026.")) == date(2026, 12, 1)
    assert listed_day(region("Liste du lundi 31 novembre 2026.")) is None
    assert listed_day(region("As of someday.")) is None
    assert names_day("birthday on Friday 2026-11-27", date(2026, 11, 27))
    assert names_day("anniversaire le vendredi 27 novembre", date(2026, 11, 27))
    assert not names_day("anniversaire le vendredi 27 novembre", date(2026, 11, 28))


def test_a_list_made_on_the_first_of_a_month_reads_back_its_day(tmp_path: Path) -> None:
    """French writes the first of a month "1er": the list's own date line still reads back
    (a 📅 of that day is entraide's, never a postpone), and long dates name that day."""
    from entraide.ticks import listed_day, names_day

    vault = tmp_path / "vault"
    assert main(["init", str(vault), "--language", "fr", "--today", "2026-12-01"]) == 0
    run(vault, "2026-12-01")
    text = (vault / "Entraide" / "Check-ins.md").read_text("utf-8")
    assert "1er décembre" in text
    assert listed_day(text) == date(2026, 12, 1)
    assert names_day("le mardi 1er décembre", date(2026, 12, 1))

"""`entraide import linkedin|vcard`: exports in tests/fixtures/imports/ → notes in People/."""

from __future__ import annotations

import json
import os
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from conftest import mark_vault
from entraide import importers
from entraide.cli import main
from entraide.importers import (
    clean_name,
    linkedin_date,
    parse_linkedin,
    parse_vcards,
    safe_file_name,
    vcard_birthday,
)
from entraide.vault_io import WriteRefused

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `root` with its bytes and mtime: proof that nothing was written."""
    files = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".entraide"]  # (the vault's locks)
        for name in names:
            path = Path(folder, name)
            files[str(path.relative_to(root))] = (path.read_bytes(), path.stat().st_mtime_ns)
    return files


@pytest.fixture
def empty_vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    return mark_vault(root)


def test_linkedin_export_with_preamble(
    empty_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "import", "linkedin", str(FIXTURES / "Connections.csv"), "--vault", str(empty_vault)
    )
    assert code == 0
    people = empty_vault / "People"
    assert sorted(p.name for p in people.iterdir()) == [
        "Chloé Martin.md",
        "Jane Doe.md",
        "Kenji Sato.md",
        "Omar Haddad.md",
    ]
    assert (people / "Jane Doe.md").read_bytes() == (
        b"---\n"
        b"tags: [person]\n"
        b"profession: Engineer, Platform\n"
        b"company: Acme\n"
        b"since: 2026-11-20\n"
        b"email: jane@example.org\n"
        b"linkedin: https://www.linkedin.com/in/janedoe\n"
        b"---\n"
        b"# Jane Doe\n"
        b"\n"
        b"## Log\n"
    )
    assert "since: 2025-01-07\n" in (people / "Omar Haddad.md").read_text("utf-8")  # ISO date
    assert "company: Lycée du Parc\n" in (people / "Chloé Martin.md").read_text("utf-8")
    kenji = (people / "Kenji Sato.md").read_text("utf-8")
    assert "since" not in kenji and "company: Sato & Co\n" in kenji
    assert "line 8: skipped, the row has no first or last name" in err
    assert "'someday' in Connected On is not a date" in err
    assert "created People/Jane Doe.md" in out
    assert out.splitlines()[-1] == "4 created, 0 already there, 1 skipped."


def test_linkedin_missing_and_reordered_columns(
    empty_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = FIXTURES / "Connections-minimal.csv"
    code, _, _ = run(capsys, "import", "linkedin", str(path), "--vault", str(empty_vault))
    assert code == 0
    assert (empty_vault / "People" / "Linh Nguyen.md").read_text("utf-8") == (
        "---\ntags: [person]\nsince: 2020-01-05\n---\n# Linh Nguyen\n\n## Log\n"
    )


def test_parse_linkedin_tolerates_bom_crlf_and_short_rows() -> None:
    text = "\ufeffFirst Name,Last Name,Company,Position\r\nAda,Lovelace\r\n\r\nAlan,Turing,NPL\r\n"
    parsed = parse_linkedin(text)
    assert [(c.name, dict(c.properties)) for c in parsed.contacts] == [
        ("Ada Lovelace", {}),
        ("Alan Turing", {"company": "NPL"}),
    ]
    assert parsed.problems == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 Nov 2026", date(2026, 11, 20)),
        ("5 Jan 2020", date(2020, 1, 5)),
        ("05 Sept 2021", date(2021, 9, 5)),
        ("Nov 20, 2026", date(2026, 11, 20)),
        ("2026-11-20", date(2026, 11, 20)),
        ("30 Feb 2026", None),
        ("20 Foo 2026", None),
        ("someday", None),
    ],
)
def test_linkedin_dates(text: str, expected: date | None) -> None:
    assert linkedin_date(text) == expected


def test_vcard_3(empty_vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "contacts-v3.vcf"
    code, out, err = run(capsys, "import", "vcard", str(path), "--vault", str(empty_vault))
    assert code == 0
    people = empty_vault / "People"
    assert (people / "Jane Doe.md").read_text("utf-8") == (
        "---\n"
        "tags: [person]\n"
        "profession: Engineer\n"
        "company: Acme Inc.\n"
        "department: Research\n"
        "birthday: 1985-04-12\n"
        "email: [jane@acme.example, jane.doe@mail.example]\n"
        "phone: +33 6 12 34 56 78\n"
        "url: https://jane.example\n"
        "---\n"
        "# Jane Doe\n"
        "\n"
        "Met at PyCon, Lyon.\n"
        "Likes long walks and tea.\n"
        "\n"
        "## Log\n"
    )
    # FN empty: the name comes from N; Apple's "year omitted" birthday has no year.
    assert (people / "Hugo Lefèvre.md").read_text("utf-8") == (
        "---\ntags: [person]\ncompany: Ferme des Trois Chênes\nbirthday: --02-29\n---\n"
        "# Hugo Lefèvre\n\n## Log\n"
    )
    assert sorted(p.name for p in people.iterdir()) == ["Hugo Lefèvre.md", "Jane Doe.md"]
    broken = [line for line in err.splitlines() if "card 2" in line]
    assert len(broken) == 1 and "skipped, the card cannot be read" in broken[0]
    assert out.splitlines()[-1] == "2 created, 0 already there, 1 skipped."


def test_vcard_4(empty_vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "contacts-v4.vcf"
    code, out, err = run(capsys, "import", "vcard", str(path), "--vault", str(empty_vault))
    assert code == 0
    people = empty_vault / "People"
    assert (people / "José Álvarez.md").read_text("utf-8") == (
        "---\n"
        "tags: [person]\n"
        "profession: Chef\n"
        "birthday: --11-27\n"
        "phone: [+34-600-000-000, +34-910-000-000]\n"
        "url: https://example.es/jose\n"
        "---\n"
        "# José Álvarez\n"
        "\n"
        "Runs a cooking school.\n"
        "\n"
        "## Log\n"
    )
    assert "birthday" not in (people / "Mia Wong.md").read_text("utf-8")
    assert "BDAY '19900631' is not a date" in err
    assert "card 3 (line 17): skipped, it has no END:VCARD line" in err
    assert out.splitlines()[-1] == "2 created, 0 already there, 1 skipped."


@pytest.mark.parametrize(
    ("value", "omit", "expected"),
    [
        ("1985-04-12", None, date(1985, 4, 12)),
        ("19850412", None, date(1985, 4, 12)),
        ("1985-04-12T00:00:00Z", None, date(1985, 4, 12)),
        ("--1127", None, "--11-27"),
        ("--11-27", None, "--11-27"),
        ("--0229", None, "--02-29"),
        ("1604-11-27", "1604", "--11-27"),
        ("--1131", None, None),
        ("19900631", None, None),
        ("circa 1800", None, None),
    ],
)
def test_vcard_birthdays(value: str, omit: str | None, expected: object) -> None:
    assert vcard_birthday(value, omit) == expected


def test_parse_vcards_reports_a_card_without_name() -> None:
    parsed = parse_vcards("BEGIN:VCARD\nVERSION:3.0\nFN:\nEND:VCARD\n")
    assert parsed.contacts == ()
    assert parsed.problems == ("card 1 (line 1): skipped, the card has no name (FN or N)",)
    # A company's card (no person's name, only ORG) is reported as such, not as a person.
    parsed = parse_vcards("BEGIN:VCARD\nVERSION:3.0\nFN:\nORG:Acme\nEND:VCARD\n")
    assert parsed.contacts == ()
    assert parsed.problems == (
        "card 1 (line 1): skipped ORG 'Acme': a company's card, not a person's (no given or "
        "family name in N); add a note by hand if it is one",
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "etc passwd"),
        ("a/b", "a b"),
        ("a\\b", "a b"),
        (".hidden", "hidden"),
        ("  Jane   Doe  ", "Jane Doe"),
        ("Ann [[Bob]] #x | y: z?", "Ann Bob x y z"),
        ('<"*^>', None),
        ("  ", None),
        ("..", None),
        ("CON", None),
        ("nul", None),
        ("Com1.txt", None),
        ("Connie", "Connie"),
        ("Tab\there\x00\x1b", "Tab here"),
        ("evil\u202etxt.md", "eviltxt.md"),
        ("J. R. R. Tolkien.", "J. R. R. Tolkien"),
        (unicodedata.normalize("NFD", "Chloé"), "Chloé"),
    ],
)
def test_safe_file_names(name: str, expected: str | None) -> None:
    assert safe_file_name(name) == expected


def test_long_names_are_cut() -> None:
    assert len(clean_name("x" * 500)) == 120
    assert len(clean_name("界" * 100).encode()) <= 200


def test_unsafe_names_stay_in_people(empty_vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "unsafe-names.csv"
    code, out, err = run(capsys, "import", "linkedin", str(path), "--vault", str(empty_vault))
    assert code == 0
    files = sorted(str(p.relative_to(empty_vault.parent)) for p in empty_vault.parent.rglob("*"))
    files = [f for f in files if not f.startswith("vault/.entraide")]  # the vault's locks
    assert files == [
        "vault",
        "vault/.obsidian",
        "vault/People",
        "vault/People/Ann Bob tag x y.md",
        "vault/People/a b.md",
        "vault/People/etc passwd.md",
        "vault/People/hidden.md",
    ]
    assert "skipped 'CON': the name is reserved by Windows" in err
    assert "skipped '..': the name leaves nothing usable as a file name" in err
    assert "line 5: skipped, the row has no first or last name" in err  # "  " and "  "
    assert out.splitlines()[-1] == "4 created, 0 already there, 3 skipped."
    # the heading is the safe name: no link or tag injected into the body
    assert "# Ann Bob tag x y\n" in (empty_vault / "People/Ann Bob tag x y.md").read_text("utf-8")


def test_existing_note_is_untouched_and_differences_reported(
    empty_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clients = empty_vault / "People" / "Clients"
    clients.mkdir(parents=True)
    mine = "\ufeff---\r\ncompany: Acme Corp\r\nsince: 2026-11-20\r\n---\r\nMy own words.\r\n"
    jane = clients / "jane doe.md"  # another case, in a subfolder
    jane.write_bytes(mine.encode())
    nfd = empty_vault / "People" / unicodedata.normalize("NFD", "Chloé Martin.md")
    nfd.write_bytes(b"---\nprofession: Teacher\ncompany: Lyc\xc3\xa9e du Parc\n---\n")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (jane, nfd)}
    code, out, _ = run(
        capsys, "import", "linkedin", str(FIXTURES / "Connections.csv"), "--vault", str(empty_vault)
    )
    assert code == 0
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (jane, nfd)} == before
    assert sorted(p.name for p in (empty_vault / "People").glob("*.md")) == sorted(
        [nfd.name, "Kenji Sato.md", "Omar Haddad.md"]
    )
    lines = out.splitlines()
    start = lines.index("People/Clients/jane doe.md already exists; the import differs:")
    assert lines[start + 1 : start + 5] == [
        '  profession: imported "Engineer, Platform", not in the note',
        '  company: imported "Acme", the note has "Acme Corp"',
        '  email: imported "jane@example.org", not in the note',
        '  linkedin: imported "https://www.linkedin.com/in/janedoe", not in the note',
    ]
    assert "People/Chloé Martin.md already exists; the import differs:" in lines
    assert '  since: imported "2021-03-03", not in the note' in lines
    assert lines[-1] == "2 created, 2 already there (see differences above), 1 skipped."


def test_second_import_changes_nothing(
    empty_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for kind, name in (("linkedin", "Connections.csv"), ("vcard", "contacts-v4.vcf")):
        args = ("import", kind, str(FIXTURES / name), "--vault", str(empty_vault))
        assert run(capsys, *args)[0] == 0
        before = snapshot(empty_vault)
        code, out, _ = run(capsys, *args)
        assert code == 0
        assert snapshot(empty_vault) == before
        assert "already exists; the import differs" not in out
        assert out.splitlines()[-1].endswith("already there, 1 skipped: nothing changed.")


def test_dry_run_writes_nothing(empty_vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (empty_vault / "People").mkdir()
    (empty_vault / "People" / "Jane Doe.md").write_text("---\ncompany: Acme\n---\n", "utf-8")
    before = snapshot(empty_vault)
    code, out, _ = run(
        capsys,
        "import",
        "linkedin",
        str(FIXTURES / "Connections.csv"),
        "--vault",
        str(empty_vault),
        "--dry-run",
    )
    assert code == 0
    assert snapshot(empty_vault) == before
    assert "would create People/Omar Haddad.md" in out.splitlines()
    assert "People/Jane Doe.md already exists; the import differs:" in out
    assert out.splitlines()[-1] == (
        "3 would be created, 1 already there (see differences above), 1 skipped; "
        "dry run, nothing was written."
    )


def test_people_folder_from_settings(empty_vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = empty_vault / "Entraide" / "Settings.md"
    settings.parent.mkdir()
    settings.write_text("---\npeople_folders: [Contacts, People]\n---\n", "utf-8")
    (empty_vault / "People").mkdir()
    (empty_vault / "People" / "Omar Haddad.md").write_text("---\nsince: 2025-01-07\n---\n", "utf-8")
    path = FIXTURES / "Connections.csv"
    assert run(capsys, "import", "linkedin", str(path), "--vault", str(empty_vault))[0] == 0
    assert sorted(p.name for p in (empty_vault / "Contacts").iterdir()) == [
        "Chloé Martin.md",
        "Jane Doe.md",
        "Kenji Sato.md",
    ]


def test_same_name_twice_in_a_file(empty_vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = empty_vault.parent / "twice.csv"
    path.write_text("First Name,Last Name,Company\nSam,Lee,A\nsam,LEE,B\n", "utf-8")
    code, out, err = run(capsys, "import", "linkedin", str(path), "--vault", str(empty_vault))
    assert code == 0
    assert "company: A\n" in (empty_vault / "People" / "Sam Lee.md").read_text("utf-8")
    assert "line 3: skipped 'sam LEE': line 2 has the same name" in err
    assert out.splitlines()[-1] == "1 created, 0 already there, 1 skipped."


def test_imported_notes_read_back_as_contacts(
    empty_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for kind, name in (
        ("linkedin", "Connections.csv"),
        ("vcard", "contacts-v3.vcf"),
        ("vcard", "contacts-v4.vcf"),
    ):
        assert (
            run(capsys, "import", kind, str(FIXTURES / name), "--vault", str(empty_vault))[0] == 0
        )
    code, out, _ = run(capsys, "status", str(empty_vault), "--json", "--today", "2026-11-23")
    assert code == 0
    data = json.loads(out)
    assert data["problems"] == []
    assert [c["name"] for c in data["contacts"]] == [
        "Chloé Martin",
        "Hugo Lefèvre",
        "Jane Doe",
        "José Álvarez",
        "Kenji Sato",
        "Mia Wong",
        "Omar Haddad",
    ]


def test_never_writes_through_a_symlinked_people_folder(
    tmp_path: Path, empty_vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (empty_vault / "People").symlink_to(outside, target_is_directory=True)
    path = FIXTURES / "Connections-minimal.csv"
    code, out, err = run(capsys, "import", "linkedin", str(path), "--vault", str(empty_vault))
    assert code == 0
    assert list(outside.iterdir()) == []
    assert "People/Linh Nguyen.md: not written, the path leads outside 'People/'" in err
    assert out.splitlines()[-1] == "0 created, 0 already there, 1 skipped: nothing changed."


def test_a_refused_write_stops_the_import(
    empty_vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def full_disk(root: Path, rel: str, data: bytes, expected: object) -> None:
        calls.append(rel)
        if len(calls) == 1:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
            return
        raise WriteRefused(f"cannot write '{rel}': No space left on device")

    monkeypatch.setattr(importers, "replace_file", full_disk)
    path = FIXTURES / "Connections.csv"
    code, out, err = run(capsys, "import", "linkedin", str(path), "--vault", str(empty_vault))
    assert code == 2
    assert out == "created People/Jane Doe.md\n"
    assert "The import stopped: cannot write" in err and "No space left on device" in err
    assert len(calls) == 2


def test_no_import_while_git_is_busy(empty_vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (empty_vault / ".git").mkdir()
    (empty_vault / ".git" / "HEAD").write_text("ref: refs/heads/main\n")  # a repository
    (empty_vault / ".git" / "MERGE_HEAD").write_text("x\n", "utf-8")
    before = snapshot(empty_vault)
    path = FIXTURES / "Connections.csv"
    code, _, err = run(capsys, "import", "linkedin", str(path), "--vault", str(empty_vault))
    assert code == 2
    assert "a git merge is in progress" in err
    assert snapshot(empty_vault) == before


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        ("linkedin", None, "Cannot read"),
        ("linkedin", b"\xff\xfeF\x00i\x00", "is not UTF-8 text"),
        ("linkedin", b"Name,Phone\nJane,123\n", "No header line with 'First Name'"),
        (
            "linkedin",
            b'First Name,Last Name\n"' + b"x" * 200_000 + b'"\n',
            "cannot be read at line",
        ),
        ("vcard", b"First Name,Last Name\n", "No vCard was found"),
    ],
)
def test_unreadable_file_is_exit_2(
    empty_vault: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    content: bytes | None,
    message: str,
) -> None:
    path = empty_vault.parent / "export.txt"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, "import", kind, str(path), "--vault", str(empty_vault))
    assert code == 2
    assert message in err and err.startswith("entraide: ") and len(err.splitlines()) == 1
    assert list(empty_vault.iterdir()) == [empty_vault / ".obsidian"]


def test_missing_vault_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "Connections.csv"
    code, _, err = run(capsys, "import", "linkedin", str(path), "--vault", str(tmp_path / "no"))
    assert code == 2
    assert "There is no vault" in err


APPLE_CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Okafor;Amara;;;\r\nFN:Amara Okafor\r\n"
    "ORG:Acme;Labs;Clinics\r\nURL:https\\://amara.example/cv\r\n"
    "CATEGORIES:Health,Open Source\r\n"
    "ADR;TYPE=work:;;1 Marina Rd;Lagos;;101241;Nigeria\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:Acme Labs\r\nORG:Acme Labs;\r\n"
    "X-ABShowAs:COMPANY\r\nEND:VCARD\r\n"
)


def test_vcard_keeps_what_the_export_holds() -> None:
    """URL unescaped; CATEGORIES as interests (what DESIGN 5.5 matches introductions on);
    the address's country as `country` (a diversity dimension); ORG's units as department."""
    parsed = parse_vcards(APPLE_CARDS)
    assert [c.name for c in parsed.contacts] == ["Amara Okafor"]
    assert dict(parsed.contacts[0].properties) == {
        "company": "Acme",
        "department": "Labs, Clinics",
        "country": "Nigeria",
        "interests": ("Health", "Open Source"),
        "url": "https://amara.example/cv",
    }
    # A company's card is reported, not imported as a person nor skipped silently.
    assert parsed.problems == (
        "card 2 (line 10): skipped 'Acme Labs': a company's card, not a person's (no given or "
        "family name in N); add a note by hand if it is one",
    )
    assert parsed.skipped == 1


def test_vcard_properties_read_back_as_a_contact(
    empty_vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cards = tmp_path / "apple.vcf"
    cards.write_text(APPLE_CARDS, "utf-8")
    code, out, err = run(capsys, "import", "vcard", str(empty_vault), str(cards))
    assert code == 0
    assert (
        "company's card" in err and out.splitlines()[-1] == "1 created, 0 already there, 1 skipped."
    )
    note = (empty_vault / "People" / "Amara Okafor.md").read_text("utf-8")
    assert "country: Nigeria\n" in note and "interests: [Health, Open Source]\n" in note
    code, out, _ = run(capsys, "show", str(empty_vault), "Amara Okafor", "--json")
    data = json.loads(out)
    assert data["dimensions"]["country"] == "Nigeria"
    assert data["interests"] == ["health", "open source"]  # as compared (folded)


def test_linkedin_name_decorations_stay_an_alias(
    empty_vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "Connections.csv"
    export.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        'Laura,"Smith, PhD",,,,,\n'
        "Kwabena,Owusu 🌱,,,,,\n"
        "Ana,Lima (she/her),,,,,\n"
        "Jean-Luc,Picard,,,,,\n",
        "utf-8",
    )
    code, _, err = run(capsys, "import", "linkedin", str(empty_vault), str(export))
    assert code == 0, err
    people = empty_vault / "People"
    assert sorted(p.name for p in people.iterdir()) == [
        "Ana Lima.md",
        "Jean-Luc Picard.md",
        "Kwabena Owusu.md",
        "Laura Smith.md",
    ]
    assert "aliases: ['Laura Smith, PhD']\n" in (people / "Laura Smith.md").read_text("utf-8")
    assert "aliases: [Kwabena Owusu 🌱]\n" in (people / "Kwabena Owusu.md").read_text("utf-8")
    assert "aliases" not in (people / "Jean-Luc Picard.md").read_text("utf-8")
    code, out, _ = run(capsys, "show", str(empty_vault), "Ana Lima (she/her)", "--json")
    assert code == 0 and json.loads(out)["path"] == "People/Ana Lima.md"  # the alias resolves

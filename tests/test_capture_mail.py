"""`entraide import mail`: Maildir and mbox mailboxes built here with the standard library →
`- YYYY-MM-DD email [source:: mail]` lines in the contacts' `## Log` (DESIGN §10)."""

from __future__ import annotations

import codecs
import json
import mailbox
import os
from datetime import date
from pathlib import Path

import pytest

from conftest import mark_vault
from entraide.capture import mail
from entraide.cli import main
from entraide.model import Contact, Interaction

TODAY = "2026-12-01"
ME = ("--me", "me@example.net", "--me", "ME.work@example.net")

PEOPLE = {
    "Ana Lima": b"---\nemail: ana@example.org\n---\n# Ana\n\n## Log\n- 2026-10-01 call\n",
    "Ben Okafor": b"---\nemail: [ben@example.com, B.Okafor@Work.example]\n---\n",
    # a BOM and CRLF line ends, kept
    "Chlo\u00e9 Martin": codecs.BOM_UTF8
    + b"---\r\nemail: chloe@example.fr\r\n---\r\n## Log\r\n- 2026-11-12 email [source:: mail]\r\n",
    "Dan Roe": b"---\ncircle: active\n---\n",
}

# (headers, body): each message as a mail client stores it.
MESSAGES = [
    # an encoded display name; the user's address in To
    (
        "From: =?utf-8?q?Ana_Lima_=28Lisboa=29?= <ana@example.org>\n"
        "To: Me <me@example.net>\nDate: Tue, 03 Nov 2026 09:12:00 +0100\nSubject: hi\n",
        "From: ben@example.com\nTo: me@example.net\n\nA body that looks like headers.\n",
    ),
    # the user's alias writes to Ana the same day: still one line
    (
        "From: me.work@example.net\nTo: ana@example.org\n"
        "Date: Tue, 03 Nov 2026 18:00:00 +0100\nSubject: re: hi\n",
        "ok\n",
    ),
    # the user writes to Ben's work address, Cc Chloé (base64 encoded name): the day as
    # written in the header (the 10th), though it is the 11th in UTC
    (
        'From: Me <me@example.net>\nTo: "Okafor, Ben" <B.OKAFOR@work.example>\n'
        "Cc: =?utf-8?b?Q2hsb8OpIE1hcnRpbg==?= <chloe@example.fr>, "
        "Dan <dan@elsewhere.example>\nDate: Tue, 10 Nov 2026 23:30:00 -0800\n",
        "body\n",
    ),
    # a mailing list: Ana posts, the user is not addressed; Reply-To the list
    (
        "From: Ana Lima <ana@example.org>\nTo: friends@lists.example\n"
        "Reply-To: friends@lists.example\nList-Id: <friends.lists.example>\n"
        "Date: Thu, 05 Nov 2026 10:00:00 +0000\n",
        "list body\n",
    ),
    # a stranger whose Reply-To is Ben: Reply-To is not an exchange
    (
        "From: shop@stranger.example\nReply-To: ben@example.com\nTo: me@example.net\n"
        "Date: Fri, 06 Nov 2026 10:00:00 +0000\n",
        "buy\n",
    ),
    # no Date: skipped and counted
    ("From: ana@example.org\nTo: me@example.net\nSubject: undated\n", "?\n"),
    # a day already logged (Chloé's note has it)
    (
        "From: chloe@example.fr\nTo: me.work@example.net\nDate: Thu, 12 Nov 2026 08:00:00 +0100\n",
        "x\n",
    ),
    # after today: a plan, not an exchange
    (
        "From: ana@example.org\nTo: me@example.net\nDate: Mon, 14 Dec 2026 08:00:00 +0100\n",
        "x\n",
    ),
]

EXPECTED = {
    "Ana Lima": b"---\nemail: ana@example.org\n---\n# Ana\n\n## Log\n- 2026-10-01 call\n"
    b"- 2026-11-03 email [source:: mail]\n",
    "Ben Okafor": None,  # gains a Log section with the 10th
    "Chlo\u00e9 Martin": None,
    "Dan Roe": PEOPLE["Dan Roe"],
}


@pytest.fixture
def vault(tmp_path: Path, instant_settle: None) -> Path:
    """Contact notes the append door does not wait for (they were saved a while ago)."""
    root = tmp_path / "vault"
    (root / "People").mkdir(parents=True)
    for name, data in PEOPLE.items():
        (root / "People" / f"{name}.md").write_bytes(data)
    return mark_vault(root)


def raw(headers: str, body: str) -> bytes:
    return (headers + "\n" + body).encode()


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    for i, (headers, body) in enumerate(MESSAGES):
        key = box.add(raw(headers, body))
        if i % 2:  # some read (cur/), some new (new/)
            message = box[key]
            message.set_subdir("cur")
            box[key] = message
    box.close()
    return tmp_path / "Maildir"


@pytest.fixture
def mbox(tmp_path: Path) -> Path:
    path = tmp_path / "Takeout.mbox"
    box = mailbox.mbox(path, create=True)
    for headers, body in MESSAGES:
        box.add(raw(headers, body))
    box.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def imports(capsys: pytest.CaptureFixture[str], box: Path, root: Path, *more: str) -> dict:  # type: ignore[type-arg]
    code, out, err = run(
        capsys, "import", "mail", str(box), "--vault", str(root), "--today", TODAY, "--json", *more
    )
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def notes(root: Path) -> dict[str, bytes]:
    return {p.stem: p.read_bytes() for p in sorted((root / "People").glob("*.md"))}


def check_logged(root: Path) -> None:
    got = notes(root)
    assert got["Ana Lima"] == EXPECTED["Ana Lima"]
    assert got["Dan Roe"] == EXPECTED["Dan Roe"]
    assert got["Ben Okafor"].endswith(b"- 2026-11-10 email [source:: mail]\n")
    assert got["Ben Okafor"].count(b"email [source:: mail]") == 1
    chloe = got["Chlo\u00e9 Martin"]
    assert chloe.startswith(codecs.BOM_UTF8)
    assert chloe.endswith(
        b"- 2026-11-12 email [source:: mail]\r\n- 2026-11-10 email [source:: mail]\r\n"
    ) or chloe.endswith(
        b"- 2026-11-10 email [source:: mail]\r\n- 2026-11-12 email [source:: mail]\r\n"
    )
    assert b"\n" not in chloe.replace(b"\r\n", b"")


@pytest.mark.parametrize("kind", ["maildir", "mbox"])
def test_import_mail(
    kind: str, vault: Path, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    box = request.getfixturevalue(kind)
    result = imports(capsys, box, vault, *ME)
    check_logged(vault)
    assert sorted((a["path"], a["line"]) for a in result["appended"]) == [
        ("People/Ana Lima.md", "- 2026-11-03 email [source:: mail]"),
        ("People/Ben Okafor.md", "- 2026-11-10 email [source:: mail]"),
        ("People/Chlo\u00e9 Martin.md", "- 2026-11-10 email [source:: mail]"),
    ]
    assert result["messages"] == len(MESSAGES) and result["without_date"] == 1
    assert result["already_logged"] == 1
    before = notes(vault)
    again = imports(capsys, box, vault, *ME)
    assert again["appended"] == [] and notes(vault) == before
    assert again["already_logged"] == 4


def test_dry_run_and_text_output(
    vault: Path, maildir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = notes(vault)
    result = imports(capsys, maildir, vault, *ME, "--dry-run")
    assert result["dry_run"] is True and len(result["appended"]) == 3
    assert notes(vault) == before
    code, out, _ = run(
        capsys, "import", "mail", str(maildir), "--vault", str(vault), "--today", TODAY, *ME
    )
    assert code == 0
    assert "appended to People/Ana Lima.md: - 2026-11-03 email [source:: mail]" in out
    assert "3 days logged" in out and "1 without a date" in out


def test_without_the_users_addresses(
    vault: Path, mbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every contact in From, To, Cc of the user's mailbox counts, but a list's message."""
    result = imports(capsys, mbox, vault)
    days = sorted((a["path"].removeprefix("People/"), a["line"][2:12]) for a in result["appended"])
    assert days == [
        ("Ana Lima.md", "2026-11-03"),
        ("Ben Okafor.md", "2026-11-10"),
        ("Chlo\u00e9 Martin.md", "2026-11-10"),
    ]


def test_not_a_mailbox(vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "folder").mkdir()
    code, _, err = run(capsys, "import", "mail", str(tmp_path / "folder"), "--vault", str(vault))
    assert code == 2 and "not a Maildir" in err and "Traceback" not in err
    code, _, err = run(capsys, "import", "mail", str(tmp_path / "none"), "--vault", str(vault))
    assert code == 2 and "There is no mailbox" in err


def test_a_note_in_conflict_is_not_appended_to(
    vault: Path, maildir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ana = vault / "People" / "Ana Lima.md"
    conflicted = ana.read_bytes() + b"<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> other\n"
    ana.write_bytes(conflicted)
    code, out, err = run(
        capsys, "import", "mail", str(maildir), "--vault", str(vault), "--today", TODAY, *ME
    )
    assert ana.read_bytes() == conflicted
    assert "Ana Lima.md" in err and "conflict" in err


# -- the pure parts, on values ---------------------------------------------------------------


def test_parse_headers() -> None:
    headers = mail.parse_headers(
        b'From: =?utf-8?q?Ana?= <ANA@Example.org>\r\nTo: a@x.org, "B, C" <b@y.org>\r\n'
        b"Cc: <c@z.org>\r\nDate: Tue, 10 Nov 2026 23:30:00 -0800\r\n"
    )
    assert headers == mail.Headers(
        date(2026, 11, 10), ("ana@example.org",), ("a@x.org", "b@y.org", "c@z.org"), False
    )
    assert mail.parse_headers(b"From: a@x.org\nDate: not a date\n").day is None
    assert mail.parse_headers(b"From: a@x.org\nDate: Tue, 31 Feb 2026 10:00 +0000\n").day is None


def test_exchanges_and_logged_days() -> None:
    ana = Contact("Ana", "People/Ana.md", email=("ana@x.org",))
    logged = ana._replace(interactions=(Interaction(date(2026, 11, 1), "email"),))
    sent = mail.Headers(date(2026, 11, 1), ("me@z.org",), ("ana@x.org",), False)
    found, undated = mail.exchanges([sent], [ana], ["me@z.org"], date(2026, 12, 1))
    assert found == {("People/Ana.md", date(2026, 11, 1)): ana} and undated == 0
    assert mail._logged_days([logged]) == {("People/Ana.md", date(2026, 11, 1))}
    assert os.sep  # (the module reads nothing here)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_pipes_and_links_are_never_opened(
    vault: Path, maildir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pipe would block the import forever; a link would read a file not named."""
    os.mkfifo(maildir / "cur" / "pipe:2,S")
    secret = tmp_path / "secret"
    secret.write_bytes(raw("From: ben@example.com\nTo: me@example.net\nDate: 1 Nov 2026\n", ""))
    (maildir / "new" / "link").symlink_to(secret)
    result = imports(capsys, maildir, vault, *ME)
    assert result["messages"] == len(MESSAGES)
    os.mkfifo(tmp_path / "fifo.mbox")
    code, _, err = run(capsys, "import", "mail", str(tmp_path / "fifo.mbox"), "--vault", str(vault))
    assert code == 2 and "neither a Maildir folder nor an mbox" in err


@pytest.mark.parametrize(
    ("written", "compared"),
    [
        ("Ana@Example.org", "ana@example.org"),
        ("  MAILTO:ANA@example.org ", "ana@example.org"),
        ("Ana Lima <ana@example.org>", "ana@example.org"),
        ("<ana@example.org>", "ana@example.org"),
        ("[ana@example.org](mailto:ana@example.org)", "ana@example.org"),
    ],
)
def test_addresses_as_written_in_a_note(written: str, compared: str) -> None:
    from entraide.capture import address

    assert address(written) == compared

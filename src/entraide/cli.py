"""The command line: a thin shell that wires reading, analytics, rendering and writing, and
the single place where errors become a message and an exit code (0 fine, 1 problems found,
2 unusable input)."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from entraide import __version__
from entraide.errors import UserError
from entraide.vault_io import WriteRefused

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
# What a command leaves for the process's end, when `script` ends it with os._exit: a large
# vault's objects, freed one by one as a command returns, cost 40 ms for nothing.
_LEFT_FOR_EXIT: list[object] | None = None


def _leave_for_exit(*objects: object) -> None:
    if _LEFT_FOR_EXIT is not None:
        _LEFT_FOR_EXIT.extend(objects)


def _today(value: str | None) -> date:
    if value is None:
        return date.today()  # the shell is the one place that reads the clock
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"--today must be a date written YYYY-MM-DD, not '{value}'.") from None


def _vault(value: str) -> Path:
    root = Path(value).expanduser()
    if not root.is_dir():
        raise UserError(f"There is no vault at '{value}': give the path of your vault's folder.")
    return root


def _options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--today", metavar="YYYY-MM-DD", help="Compute as of this date.")(f)
    f = click.option("--json", "as_json", is_flag=True, help="Print JSON.")(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="entraide")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def cli(debug: bool) -> None:
    """Keep your professional network alive from inside your Markdown vault."""


def _load(root: Path) -> tuple[Any, Any, tuple[Any, ...]]:
    from entraide.index import Index, load_settings, read_vault

    loaded = load_settings(root)
    if loaded.fatal:
        first = loaded.problems[0]
        line = f", line {first.line}" if first.line else ""
        raise UserError(
            f"The settings are invalid ({first.path}{line}): {first.message}.", loaded.problems
        )
    index = Index(root)  # the parse cache `run` and `watch` keep: a stat per unchanged note
    vault = read_vault(root, loaded.settings, loaded.problems, index)
    index.save()
    _leave_for_exit(index, vault)
    from entraide.engine import unreadable_messages

    for message in unreadable_messages(index):
        _echo(f"entraide: {message}", err=True)
    return vault, loaded.settings, loaded.problems


@cli.command()
@click.argument("vault")
@_options
def status(vault: str, today: str | None, as_json: bool) -> None:
    """Contacts, ties, diversity and problems, as a table or JSON."""
    from entraide.render.status import status as status_object
    from entraide.render.text import json_text

    root, day = _vault(vault), _today(today)
    model, settings, _ = _load(root)
    data = status_object(model, settings, day, model.problems)
    if as_json:
        # One line: the C encoder writes 10,000 contacts in a few milliseconds (pipe to jq).
        click.echo(json_text(data))
        return
    _status_table(data)


def _status_table(data: dict[str, Any]) -> None:
    from rich.console import Console

    from entraide.render.status import view

    console = Console(width=None if sys.stdout.isatty() else 120)
    for part in view(data):
        console.print(part)


def _echo(text: str, err: bool = False) -> None:
    """A line for the terminal: what it quotes from the vault cannot act on the terminal
    (escape sequences, bidi overrides are shown as `�`)."""
    from entraide.render.text import terminal

    click.echo("\n".join(terminal(line) for line in text.split("\n")), err=err)


# Problems that leave every note readable (DESIGN 5.4): `check --severity error` ignores them,
# so that one old warning does not block every later commit in a pre-commit hook.
WARNINGS = frozenset(
    {"alias-shared", "possible-duplicate", "unknown-circle", "deprecated-key", "attendee-unknown"}
)


@cli.command()
@click.argument("vault")
@_options
@click.option(
    "--severity",
    type=click.Choice(["warning", "error"]),
    default="warning",
    show_default=True,
    help="error: ignore the problems that leave every note readable (for git hooks).",
)
def check(vault: str, today: str | None, as_json: bool, severity: str) -> None:
    """Report every problem in the vault (exit 1 when there are some)."""
    from entraide.model import Problem
    from entraide.render.text import json_text

    root = _vault(vault)
    _today(today)
    model, _, _ = _load(root)
    problems: tuple[Problem, ...] = model.problems
    if severity == "error":
        problems = tuple(p for p in problems if p.code not in WARNINGS)
    if as_json:
        click.echo(json_text([p.as_json() for p in problems]))
    else:
        for p in problems:
            where = f"{p.path}:{p.line}" if p.line else p.path
            _echo(f"{where}: {p.code}: {p.message}")
        _echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.", err=True)
    if problems:
        raise SystemExit(EXIT_PROBLEMS)


@cli.command()
@click.argument("vault")
@click.option("--today", metavar="YYYY-MM-DD", help="Compute as of this date.")
@click.option("--rebuild-reviews", is_flag=True, help="Rewrite final reviews too.")
@click.option("--no-cache", is_flag=True, help="Parse every note, ignoring the cache.")
def run(vault: str, today: str | None, rebuild_reviews: bool, no_cache: bool) -> None:
    """One pass: read the vault, log ticked check-ins, write the outputs, exit."""
    from entraide.engine import run_pass
    from entraide.index import Index

    root, day = _vault(vault), _today(today)
    index = Index(root, use_cache=not no_cache)
    result = run_pass(root, day, index, rebuild_reviews=rebuild_reviews)
    index.save()
    _leave_for_exit(index, result)
    for message in result.messages:
        _echo(message, err=True)
    problems = result.problem_count
    if result.vault is None:
        _echo(
            f"{result.contacts} contacts, {problems} problem{'s' if problems != 1 else ''}; "
            "nothing changed since the last run, nothing written."
        )
        return
    _echo(
        f"{result.contacts} contacts, {problems} problem{'s' if problems != 1 else ''}; "
        f"{len(result.written)} note{'s' if len(result.written) != 1 else ''} written"
        + (
            f", {len(result.appended)} check-in{'s' if len(result.appended) != 1 else ''} logged"
            if result.appended
            else ""
        )
        + "."
    )
    for rel in result.written:
        _echo(f"  wrote {rel}")


@cli.command()
@click.argument("vault")
@click.option("--today", metavar="YYYY-MM-DD", help="Pin today's date (for tests).")
@click.option("--polling", is_flag=True, help="Poll for changes (network drives, WSL).")
@click.option("--debounce-ms", type=click.IntRange(0, 60_000), help="Quiet period before a pass.")
@click.option("--no-cache", is_flag=True, help="Do not use the parse cache.")
def watch(
    vault: str, today: str | None, polling: bool, debounce_ms: int | None, no_cache: bool
) -> None:
    """Watch the vault and keep its outputs current (the daemon)."""
    from entraide.daemon import watch as run_daemon

    root = _vault(vault)
    day = _today(today) if today else None
    raise SystemExit(run_daemon(root, day, polling, debounce_ms, use_cache=not no_cache))


@cli.command(name="log")
@click.argument("vault")
@click.argument("name")
@click.option("--kind", default="check-in", show_default=True, help="call, coffee, lunch…")
@click.option("--minutes", type=click.FloatRange(0, 24 * 60), help="How long it took.")
@click.option("--gave", metavar="TEXT", help="What you gave (help, an intro…).")
@click.option("--asked", metavar="TEXT", help="What you asked for.")
@click.option("--news", is_flag=True, help="You asked about their news.")
@click.option("--date", "when", metavar="YYYY-MM-DD", help="When (default: today).")
@click.option("--today", metavar="YYYY-MM-DD", help="Today's date (for tests).")
def log_command(
    vault: str,
    name: str,
    kind: str,
    minutes: float | None,
    gave: str | None,
    asked: str | None,
    news: bool,
    when: str | None,
    today: str | None,
) -> None:
    """Append an interaction to a contact's `## Log`."""
    from entraide.writeback import append_line

    root, day = _vault(vault), _today(today)
    on = _today(when) if when else day
    model, _, _ = _load(root)
    contact = _find_contact(model, name)
    parts = [f"- {on.isoformat()}", _field_text(kind, links=False).replace(" ", "-") or "check-in"]
    if minutes is not None:
        parts.append(f"[minutes:: {minutes:g}]")
    if gave:
        parts.append(f"[gave:: {_field_text(gave)}]")
    if asked:
        parts.append(f"[asked:: {_field_text(asked)}]")
    if news:
        parts.append("#news")
    line = " ".join(parts)
    done, why, _ = append_line(root, contact.path, line, model.conflicted)
    if why:
        raise UserError(f"Nothing was logged: {why}.")
    _echo(f"{'Logged' if done else 'Already logged'} in {contact.path}: {line}")


_FIELD_LINK = r"\[\[([^\[\]\n]+)\]\]"  # a wikilink: kept whole inside a field


def _field_text(text: str, links: bool = True) -> str:
    """Text safe inside a Dataview field on one line: other brackets become parentheses, so
    none closes the field early, but a `[[link]]` stays a link (`--gave "intro to [[B]]"`
    writes `[gave:: intro to [[B]]]`, whose link to B is a `knows` edge, DESIGN 5.5)."""
    import re

    text = " ".join(text.split())
    parts = re.split(_FIELD_LINK, text) if links else [text]  # text, link target, text, …
    for k in range(0, len(parts), 2):
        parts[k] = parts[k].replace("[", "(").replace("]", ")")
    for k in range(1, len(parts), 2):
        parts[k] = "[[" + parts[k] + "]]"
    return "".join(parts)


def _find_contact(vault: Any, name: str) -> Any:
    import difflib

    from entraide.parse.values import fold, nfc

    wanted = fold(nfc(name.strip()))
    if "/" in wanted or wanted.endswith(".md"):  # a path: that note, whatever its name
        path = wanted if wanted.endswith(".md") else f"{wanted}.md"
        exact = [c for c in vault.contacts if fold(c.path) == path]
        if exact:
            return exact[0]
    exact = [c for c in vault.contacts if fold(c.name) == wanted]
    if not exact:
        exact = [c for c in vault.contacts if wanted in {fold(a) for a in c.aliases}]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        paths = ", ".join(c.path for c in exact)
        raise UserError(
            f"'{name}' names several contacts ({paths}): name the one you mean by its path."
        )
    names = [c.name for c in vault.contacts]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    if not close:
        folded = {fold(n): n for n in names}
        close = [folded[f] for f in difflib.get_close_matches(wanted, list(folded), n=3)]
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise UserError(f"No contact is named '{name}'.{hint}")


@cli.command(name="init")
@click.argument("vault")
@click.option("--force", is_flag=True, help="Add the starter files to a non-empty folder.")
def init_command(vault: str, force: bool) -> None:
    """Create a starter vault: settings, templates and example notes.

    With --force, files missing from a non-empty folder are added; existing ones are kept.
    """
    from entraide.importers import copy_starter, is_empty_folder, starter_files

    root = Path(vault).expanduser()
    if root.exists() and not root.is_dir():
        raise UserError(f"'{vault}' is a file, not a folder: give a folder for the new vault.")
    try:
        root.mkdir(parents=True, exist_ok=True)
        empty = is_empty_folder(root)
    except OSError as exc:
        raise UserError(f"Cannot create the vault at '{vault}': {exc.strerror or exc}.") from None
    if not empty and not force:
        raise UserError(
            f"'{vault}' is not empty: give a new or empty folder, or add --force to add the "
            "starter files that are missing (existing files are kept)."
        )
    copied = copy_starter(root, starter_files())
    for problem in copied.problems:
        _echo(f"entraide: {problem}", err=True)
    if copied.stopped:
        raise UserError(
            f"The starter vault is incomplete: {copied.stopped} "
            f"({len(copied.created)} files were created)."
        )
    for rel in copied.kept:
        _echo(f"  kept {rel} (already there)")
    _echo(
        f"{len(copied.created)} file{'s' if len(copied.created) != 1 else ''} created in "
        f"{vault}" + (f", {len(copied.kept)} kept as they were" if copied.kept else "") + "."
    )
    if copied.created:
        _echo(f"Open it in Obsidian, then run: entraide run {vault}")


@cli.group(name="import")
def import_group() -> None:
    """Create contact notes from a LinkedIn or vCard export, meeting notes from calendars, log
    lines from mail (existing notes are never overwritten)."""


def _import_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--dry-run", is_flag=True, help="Show what would be created and merged; write nothing."
    )(f)
    return click.option("--vault", required=True, help="The vault to import into.")(f)


@import_group.command(name="linkedin")
@click.argument("file", metavar="CONNECTIONS.CSV")
@_import_options
def import_linkedin(file: str, vault: str, dry_run: bool) -> None:
    """Import LinkedIn's Connections.csv (from "Get a copy of your data")."""
    _import("linkedin", file, vault, dry_run)


@import_group.command(name="vcard")
@click.argument("file", metavar="FILE.vcf")
@_import_options
def import_vcard(file: str, vault: str, dry_run: bool) -> None:
    """Import a vCard 3 or 4 file of one or more contacts."""
    _import("vcard", file, vault, dry_run)


def _capture_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--me",
        "me",
        multiple=True,
        metavar="ADDRESS",
        help="One of your own addresses (repeat for each alias).",
    )(f)
    f = click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")(f)
    f = click.option("--today", metavar="YYYY-MM-DD", help="Import as of this date.")(f)
    return _import_options(f)


@import_group.command(name="ics")
@click.argument("source", metavar="FILE|FOLDER")
@_capture_options
def import_ics(
    source: str, vault: str, dry_run: bool, me: tuple[str, ...], as_json: bool, today: str | None
) -> None:
    """Create a meeting note for each past calendar event with a contact in it (matched by
    their `email`), from an .ics file or a folder of them (vdirsyncer, Thunderbird, exports)."""
    from entraide.capture import ics
    from entraide.render.text import json_text

    root = _vault(vault)
    if not Path(source).expanduser().exists():
        raise UserError(f"There is no calendar at '{source}': give an .ics file or a folder.")
    contacts, settings = _capture_contacts(root)[:2]
    until, tz = ics.local_until(_today(today))
    with _capture_writing(root, dry_run):
        result = ics.import_calendars(
            root, settings, contacts, [source], until, tz, me, dry_run=dry_run
        )
    for problem in result.problems:
        _echo(f"entraide: {problem}", err=True)
    if not result.calendars:
        raise UserError(f"No calendar could be read in '{source}': nothing was imported.")
    if as_json:
        _echo(json_text({"dry_run": dry_run, **ics.summary(result)}))
    else:
        for meeting in result.created:
            _echo(f"{'would create' if dry_run else 'created'} {meeting.path}")
        _echo(
            f"{len(result.created)} meeting note{'s' if len(result.created) != 1 else ''} "
            f"{'would be created' if dry_run else 'created'}, {result.already} already there, "
            f"{result.skipped} past event{'s' if result.skipped != 1 else ''} without a contact, "
            "cancelled or declined" + ("; dry run, nothing was written." if dry_run else ".")
        )
    if result.stopped:
        raise UserError(f"The import stopped: {result.stopped} (the notes listed were created).")
    if not any(c.email for c in contacts):
        _echo("entraide: no contact has an 'email' property: nothing can be matched.", err=True)


@import_group.command(name="mail")
@click.argument("source", metavar="MAILDIR|MBOX")
@_capture_options
def import_mail(
    source: str, vault: str, dry_run: bool, me: tuple[str, ...], as_json: bool, today: str | None
) -> None:
    """Log one `email` line per contact per day you exchanged mail, from a Maildir or an
    mbox (headers only: From, To, Cc, Date)."""
    from entraide.capture import mail
    from entraide.render.text import json_text

    root = _vault(vault)
    place = Path(source).expanduser()
    if not place.exists():
        raise UserError(f"There is no mailbox at '{source}': give a Maildir folder or an mbox.")
    contacts, _settings, conflicted = _capture_contacts(root)
    with _capture_writing(root, dry_run):
        try:
            result = mail.import_mail(
                root, contacts, conflicted, place, me, _today(today), dry_run=dry_run
            )
        except (OSError, ValueError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise UserError(f"Cannot read the mailbox '{source}': {why}.") from None
    for problem in result.problems:
        _echo(f"entraide: {problem}", err=True)
    if as_json:
        _echo(json_text({"dry_run": dry_run, **mail.summary(result)}))
    else:
        for path, line in result.appended:
            _echo(f"{'would append to' if dry_run else 'appended to'} {path}: {line}")
        _echo(
            f"{len(result.appended)} day{'s' if len(result.appended) != 1 else ''} "
            f"{'would be logged' if dry_run else 'logged'}, {result.already} already logged, "
            f"from {result.messages} message{'s' if result.messages != 1 else ''} "
            f"({result.undated} without a date, skipped)"
            + ("; dry run, nothing was written." if dry_run else ".")
        )
    if not any(c.email for c in contacts):
        _echo("entraide: no contact has an 'email' property: nothing can be matched.", err=True)


def _capture_contacts(root: Path) -> tuple[tuple[Any, ...], Any, frozenset[str]]:
    vault, settings, _problems = _load(root)
    return vault.contacts, settings, vault.conflicted


@contextlib.contextmanager
def _capture_writing(root: Path, dry_run: bool) -> Any:
    """The vault's writer lock for an import that writes; a refusal while git is busy."""
    if dry_run:
        yield
        return
    from entraide.gitstate import git_busy
    from entraide.writeback import writing

    busy = git_busy(root)
    if busy:
        raise UserError(f"Nothing was imported: {busy} in the vault; try again after it.")
    with writing(root):
        yield


def _import(kind: str, file: str, vault: str, dry_run: bool) -> None:
    from entraide import importers
    from entraide.gitstate import git_busy
    from entraide.index import load_settings

    root = _vault(vault)
    try:
        raw = Path(file).expanduser().read_bytes()
    except OSError as exc:
        raise UserError(f"Cannot read '{file}': {exc.strerror or exc}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(
            f"'{file}' is not UTF-8 text: export it again, or re-save it as UTF-8."
        ) from None
    parsed = importers.parse_linkedin(text) if kind == "linkedin" else importers.parse_vcards(text)
    loaded = load_settings(root)
    if loaded.fatal:
        first = loaded.problems[0]
        raise UserError(f"The settings are invalid ({first.path}): {first.message}.")
    settings = loaded.settings
    folders = [f for f in settings.people_folders if f]
    if not folders:
        raise UserError("No people folder is set (people_folders): add one to the settings.")
    people = importers.read_people(root, folders, settings.max_note_bytes)
    plan = importers.plan_import(parsed.contacts, folders[0], people)
    for message in (*parsed.problems, *plan.skipped):
        _echo(f"entraide: {message}", err=True)
    created: tuple[str, ...] = tuple(note.path for note in plan.create)
    stopped = None
    if not dry_run and plan.create:
        busy = git_busy(root)
        if busy:
            raise UserError(f"Nothing was imported: {busy} in the vault; try again after it.")
        from entraide.writeback import writing

        with writing(root):
            applied = importers.apply_plan(root, folders[0], plan)
        for message in applied.problems:
            _echo(f"entraide: {message}", err=True)
        created, stopped = applied.created, applied.stopped
    for path in created:
        _echo(f"{'would create' if dry_run else 'created'} {path}")
    if stopped:
        raise UserError(f"The import stopped: {stopped} (the notes listed were created).")
    differing = _merge_report(plan.existing)
    skipped = parsed.skipped + len(plan.skipped) + len(plan.create) - len(created)
    summary = (
        f"{len(created)} {'would be created' if dry_run else 'created'}, "
        f"{len(plan.existing)} already there"
        + (" (see differences above)" if differing else "")
        + f", {skipped} skipped"
    )
    if dry_run:
        summary += "; dry run, nothing was written"
    elif not created:
        summary += ": nothing changed"
    _echo(summary + ".")


def _merge_report(existing: Sequence[Any]) -> int:
    """Print how each existing note differs from the import; return how many differ."""
    from entraide.importers import show

    differing = 0
    for found in existing:
        if not found.readable:
            _echo(f"{found.path} already exists (its properties cannot be read): left alone")
        elif found.differences:
            differing += 1
            _echo(f"{found.path} already exists; the import differs:")
            for d in found.differences:
                theirs = (
                    "not in the note" if d.existing is None else f"the note has {show(d.existing)}"
                )
                _echo(f"  {d.key}: imported {show(d.imported)}, {theirs}")
        else:
            _echo(f"{found.path} already exists, nothing new")
    return differing


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code. Errors are one sentence, tracebacks only with --debug."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    collecting = gc.isenabled()
    if "watch" not in args:
        # A command lives a second or two and makes hundreds of thousands of small acyclic
        # objects: the cyclic collector only costs time (reference counting frees them).
        gc.disable()
    try:
        return _run(args, debug)
    finally:
        if collecting and _LEFT_FOR_EXIT is None:
            # (Not before `script`'s os._exit: the collector's first pass would go through
            # every object left, all made while it was off: a tenth of a second, for nothing.)
            gc.enable()


def script() -> NoReturn:
    """The `entraide` command: `main`, then an exit that skips tearing the interpreter down
    (freeing a large vault's objects one at a time costs a tenth of a second, for nothing:
    every file is written and closed by then)."""
    global _LEFT_FOR_EXIT
    _LEFT_FOR_EXIT = []
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`)
            stream.flush()
    os._exit(code)


def _run(args: list[str], debug: bool) -> int:
    try:
        cli.main(args=args, prog_name="entraide", standalone_mode=False)
    except (UserError, WriteRefused) as exc:
        _echo(f"entraide: {exc.message}", err=True)
        return EXIT_UNUSABLE
    except click.exceptions.Abort:
        return 130
    except click.ClickException as exc:
        exc.show()
        return EXIT_UNUSABLE
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the one place a bug becomes a message
        if debug:
            import traceback

            traceback.print_exc()
        else:
            _echo(
                f"entraide: unexpected error: {exc!r} (run again with --debug for "
                "details, and please report it)",
                err=True,
            )
        return 3
    return EXIT_OK

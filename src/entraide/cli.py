"""The command line: a thin shell that wires reading, analytics, rendering and writing, and
the single place where errors become a message and an exit code (0 fine, 1 problems found,
2 unusable input)."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from entraide import __version__
from entraide.codes import WARNINGS
from entraide.errors import UserError
from entraide.i18n import ENGLISH, Lang, lang
from entraide.vault_io import WriteRefused

if TYPE_CHECKING:
    from entraide.index import LoadedSettings

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
# What a command leaves for the process's end, when `script` ends it with os._exit: a large
# vault's objects, freed one by one as a command returns, cost 40 ms for nothing.
_LEFT_FOR_EXIT: list[object] | None = None


def _leave_for_exit(*objects: object) -> None:
    if _LEFT_FOR_EXIT is not None:
        _LEFT_FOR_EXIT.extend(objects)


@dataclass
class Common:
    """The options every command takes, before or after its name (`entraide --debug run V`
    and `entraide run V --debug` alike): the last one given wins."""

    today: str | None = None
    as_json: bool = False
    debug: bool = False
    # The vault's language (DESIGN §11), known once its settings are read: what is said
    # before (no vault found, usage errors) is English.
    lang: Lang = ENGLISH
    loaded: tuple[Path, LoadedSettings] | None = None


def _lang() -> Lang:
    """The language the CLI speaks: the vault's, once its settings are read."""
    return _common().lang


def _settings_of(root: Path) -> LoadedSettings:
    """The settings of the vault at `root`, read once a command; from then on the CLI speaks
    the vault's language."""
    common = _common()
    if common.loaded is None or common.loaded[0] != root:
        from entraide.index import load_settings

        loaded = load_settings(root)
        common.loaded = (root, loaded)
        common.lang = lang(loaded.settings.language)
    return common.loaded[1]


def _usable_settings(root: Path) -> LoadedSettings:
    """The vault's settings; an error (exit 2) naming the first invalid value, if any."""
    loaded = _settings_of(root)
    if loaded.fatal:
        first = loaded.problems[0]
        say = _lang()
        where = (
            say.t("{path}, line {line}", path=first.path, line=first.line)
            if first.line
            else first.path
        )
        raise UserError(
            say.t(
                "The settings are invalid ({where}): {why}.",
                where=where,
                why=say.problem(first.message),
            ),
            loaded.problems,
        )
    return loaded


def _common() -> Common:
    """This invocation's common options (kept on the root context, which every command sees);
    fresh ones outside a command (a helper called by itself)."""
    ctx = click.get_current_context(silent=True)
    return Common() if ctx is None else ctx.find_root().ensure_object(Common)


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and value is not False and param.name:
        setattr(ctx.find_root().ensure_object(Common), param.name, value)
    return value


def _common_params() -> list[click.Parameter]:
    return [
        click.Option(
            ["--today"],
            metavar="YYYY-MM-DD",
            expose_value=False,
            callback=_remember,
            help="Compute as of this date (default: the machine's date).",
        ),
        click.Option(
            ["--json", "as_json"],
            is_flag=True,
            expose_value=False,
            callback=_remember,
            help="Print JSON (what was found, or what was written).",
        ),
        click.Option(
            ["--debug"],
            is_flag=True,
            expose_value=False,
            callback=_remember,
            help="Show a traceback when something goes wrong.",
        ),
    ]


class Command(click.Command):
    """A command that takes the common options wherever they stand."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(_common_params())


class Group(click.Group):
    """The command group: its commands and subgroups take the common options too."""

    command_class = Command
    group_class = type  # a subgroup (`import`) is a Group as well

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(_common_params())


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(
            _lang().t(
                "{option} must be a real date written YYYY-MM-DD, not '{value}'.",
                option=option,
                value=value,
            )
        ) from None


def _today() -> date:
    value = _common().today
    if value is None:
        return date.today()  # the shell is the one place that reads the clock
    return _date(value, "--today")


SETTINGS_MARK = ("Entraide", "Settings.md")


def is_vault(folder: Path) -> bool:
    """A vault holds Obsidian's config folder or entraide's settings (`entraide init` makes
    them): a folder with neither is never written into. (A config folder renamed in the
    settings is found through the settings, which are a mark of their own.)"""
    return (folder / ".obsidian").is_dir() or folder.joinpath(*SETTINGS_MARK).is_file()


def find_vault(start: Path) -> Path | None:
    """`start` or its nearest parent that is a vault, else `$ENTRAIDE_VAULT`, else None."""
    start = start.absolute()
    for folder in (start, *start.parents):
        if is_vault(folder):
            return folder
    named = os.environ.get("ENTRAIDE_VAULT")
    return Path(named).expanduser() if named else None


def _vault(value: str | None, writes: bool = False) -> Path:
    if value is None:
        found = find_vault(Path.cwd())
        if found is None:
            raise UserError(
                "No vault given, and neither this folder nor one above it is a vault: give "
                "the vault's path, run the command inside the vault, or set ENTRAIDE_VAULT."
            )
        root, label = found, str(found)
    else:
        root, label = Path(value).expanduser(), value
    if not root.is_dir():
        raise UserError(f"There is no vault at '{label}': give the path of your vault's folder.")
    if writes and not is_vault(root):
        raise UserError(
            f"'{label}' does not look like a vault (it holds neither .obsidian/ nor "
            "Entraide/Settings.md): run `entraide init` there first."
        )
    _settings_of(root)  # from here on, the CLI speaks the vault's language
    return root


def _vault_and(
    args: tuple[str, ...], what: str, vault_option: str | None = None, writes: bool = True
) -> tuple[Path, str]:
    """`[VAULT] THING` arguments: the vault (given, or found) and the thing."""
    if len(args) == 2 and vault_option is None:
        return _vault(args[0], writes), args[1]
    if len(args) == 1:
        return _vault(vault_option, writes), args[0]
    ctx = click.get_current_context(silent=True)
    if not args:
        raise click.UsageError(f"Missing argument {what}.", ctx)
    raise click.UsageError(
        f"Got {len(args)} arguments where [VAULT] {what} was expected"
        + (" (the vault is given by --vault already)" if vault_option else "")
        + ".",
        ctx,
    )


def _complete_vaults(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete, type="dir")]


def _complete_vault_or_name(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[Any]:
    """`[VAULT] NAME`: a contact's name of the vault given or found, and folders."""
    from click.shell_completion import CompletionItem

    given = ctx.params.get(param.name or "") or ()
    root = Path(given[0]).expanduser() if given else find_vault(Path.cwd())
    items = [] if given else [CompletionItem(incomplete, type="dir")]
    if root is None or not root.is_dir():
        return items
    try:
        names = contact_names(root)
    except Exception:  # noqa: BLE001 - a completion never fails loudly
        return items
    import shlex

    from entraide.parse.values import fold

    wanted = fold(incomplete.strip("'\""))
    # bash inserts a completion as it is: a name with a space is quoted for it (zsh and
    # fish quote what they insert themselves).
    quote = shlex.quote if os.environ.get("_ENTRAIDE_COMPLETE", "").startswith("bash") else str
    return [CompletionItem(quote(n)) for n in names if fold(n).startswith(wanted)] + items


def contact_names(root: Path) -> list[str]:
    """Every contact's name, for shell completion (through the parse cache)."""
    from entraide.index import Index, load_settings, read_vault

    loaded = load_settings(root)
    index = Index(root, use_cache=is_vault(root))
    vault = read_vault(root, loaded.settings, loaded.problems, index)
    index.save()
    return sorted(c.name for c in vault.contacts)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="entraide")
def cli() -> None:
    """Keep your professional network alive from inside your Markdown vault.

    VAULT may be left out inside a vault (or below it), or set in ENTRAIDE_VAULT.
    """


def _load(root: Path) -> tuple[Any, Any, tuple[Any, ...], Any]:
    from entraide.index import Index, read_vault

    loaded = _usable_settings(root)
    # The parse cache `run` and `watch` keep: a stat per unchanged note. None for a folder
    # that is no vault (`entraide check /tmp` leaves nothing behind).
    index = Index(root, use_cache=is_vault(root))
    vault = read_vault(root, loaded.settings, loaded.problems, index)
    index.save()
    _leave_for_exit(index, vault)
    from entraide.engine import unreadable_messages

    for message in unreadable_messages(index):
        _echo(f"entraide: {_lang().problem(message)}", err=True)
    return vault, loaded.settings, loaded.problems, index


def _print_json(data: object) -> None:
    from entraide.render.text import json_text

    click.echo(json_text(data))


@cli.command()
@click.argument("vault", required=False, shell_complete=_complete_vaults)
@click.option("--due", is_flag=True, help="Only the contacts due today or earlier.")
@click.option("--circle", metavar="CIRCLE", help="Only the contacts of this circle.")
@click.option(
    "--sort",
    "order",
    type=click.Choice(["name", "due", "strength"]),
    default="name",
    show_default=True,
    help="due: soonest first; strength: strongest first.",
)
def status(vault: str | None, due: bool, circle: str | None, order: str) -> None:
    """Contacts, ties, diversity and problems, as a table or JSON."""
    from entraide.render.status import select
    from entraide.render.status import status as status_object

    root, day = _vault(vault), _today()
    model, settings, _, _ = _load(root)
    if circle is not None:
        from entraide.parse.values import fold

        names = [c.name for c in settings.circles]
        if fold(circle) not in {fold(n) for n in names}:
            raise UserError(
                _lang().t(
                    "There is no circle '{circle}': the circles are {circles}.",
                    circle=circle,
                    circles=", ".join(names),
                )
            )
    data = status_object(model, settings, day, model.problems)
    data = select(data, due=due, circle=circle, order=order)
    if _common().as_json:
        # One line: the C encoder writes 10,000 contacts in a few milliseconds (pipe to jq).
        _print_json(data)
        return
    _status_table(data)


def _status_table(data: dict[str, Any]) -> None:
    import shutil

    from rich.console import Console

    from entraide.render.status import natural_width, view

    if sys.stdout.isatty():
        width = shutil.get_terminal_size().columns
    elif os.environ.get("COLUMNS", "").isdigit():
        width = int(os.environ["COLUMNS"])
    else:
        width = natural_width(data, _lang())  # piped: every column, nothing cut or wrapped
    console = Console(width=width)
    for part in view(data, width, _lang()):
        console.print(part)


def _echo(text: str, err: bool = False) -> None:
    """A line for the terminal: what it quotes from the vault cannot act on the terminal
    (escape sequences, bidi overrides are shown as `�`)."""
    from entraide.render.text import terminal

    click.echo("\n".join(terminal(line) for line in text.split("\n")), err=err)


def _say(text: str, err: bool = False) -> None:
    """A line for the user, unless they asked for JSON (then it goes to stderr)."""
    _echo(text, err=err or _common().as_json)


@cli.command()
@click.argument("vault", required=False, shell_complete=_complete_vaults)
@click.option(
    "--severity",
    type=click.Choice(["warning", "error"]),
    default="warning",
    show_default=True,
    help="error: ignore the problems that leave every note readable (for git hooks).",
)
def check(vault: str | None, severity: str) -> None:
    """Report every problem in the vault (exit 1 when there are some)."""
    from entraide.model import Problem

    root = _vault(vault)
    _today()
    model, _, _, _ = _load(root)
    problems: tuple[Problem, ...] = model.problems
    if severity == "error":
        # (the problems that leave every note readable: DESIGN 5.4, `codes.WARNINGS`)
        problems = tuple(p for p in problems if p.code not in WARNINGS)
    say = _lang()
    if _common().as_json:
        _print_json([{**p.as_json(), "message": say.problem(p.message)} for p in problems])
    else:
        for p in problems:
            where = f"{p.path}:{p.line}" if p.line else p.path
            _echo(f"{where}: {p.code}: {say.problem(p.message)}")
        _echo(say.n("{n} problem found.", "{n} problems found.", len(problems)), err=True)
    if problems:
        raise SystemExit(EXIT_PROBLEMS)


@cli.command()
@click.argument("vault", required=False, shell_complete=_complete_vaults)
@click.option("--rebuild-reviews", is_flag=True, help="Rewrite final reviews too.")
@click.option("--no-cache", is_flag=True, help="Parse every note, ignoring the cache.")
def run(vault: str | None, rebuild_reviews: bool, no_cache: bool) -> None:
    """One pass: read the vault, log ticked check-ins, write the outputs, exit."""
    from entraide.engine import run_pass
    from entraide.index import Index

    root, day = _vault(vault, writes=True), _today()
    _usable_settings(root)
    say = _lang()
    index = Index(root, use_cache=not no_cache)
    result = run_pass(root, day, index, rebuild_reviews=rebuild_reviews)
    index.save()
    _leave_for_exit(index, result)
    for message in result.messages:
        _echo(say.problem(message), err=True)
    problems = result.problem_count
    if _common().as_json:
        _print_json(
            {
                "today": day.isoformat(),
                "contacts": result.contacts,
                "problems": problems,
                "skipped": result.vault is None,
                "written": list(result.written) if result.vault is not None else [],
                "appended": list(result.appended) if result.vault is not None else [],
            }
        )
        return
    counts = say.t(
        "{contacts}, {problems}",
        contacts=say.n("{n} contact", "{n} contacts", result.contacts),
        problems=say.n("{n} problem", "{n} problems", problems),
    )
    if result.vault is None:
        _echo(
            say.t("{counts}; nothing changed since the last run, nothing written.", counts=counts)
        )
        return
    written = say.n("{n} note written", "{n} notes written", len(result.written))
    if result.appended:
        logged = say.n("{n} check-in logged", "{n} check-ins logged", len(result.appended))
        _echo(
            say.t("{counts}; {written}, {logged}.", counts=counts, written=written, logged=logged)
        )
    else:
        _echo(say.t("{counts}; {written}.", counts=counts, written=written))
    for rel in result.written:
        _echo(say.t("  wrote {path}", path=rel))


@cli.command()
@click.argument("vault", required=False, shell_complete=_complete_vaults)
@click.option("--polling", is_flag=True, help="Poll for changes (network drives, WSL).")
@click.option("--debounce-ms", type=click.IntRange(0, 60_000), help="Quiet period before a pass.")
@click.option("--no-cache", is_flag=True, help="Do not use the parse cache.")
def watch(vault: str | None, polling: bool, debounce_ms: int | None, no_cache: bool) -> None:
    """Watch the vault and keep its outputs current (the daemon)."""
    from entraide.daemon import watch as run_daemon

    gc.enable()  # a long-lived process: cycles must be collected
    root = _vault(vault, writes=True)
    day = _today() if _common().today else None
    raise SystemExit(run_daemon(root, day, polling, debounce_ms, use_cache=not no_cache))


KIND = r"[^\W_][\w-]*"  # one word: letters, digits, `-` inside (check-in, follow-up)


def _kind_and_note(kind: str, note: str | None) -> tuple[str, str | None]:
    """`--kind` is one word; `--kind "coffee: talked about Pune"` is read as kind `coffee`
    with that note (the way a body log writes it)."""
    import re

    head, colon, rest = kind.partition(":")
    head = head.strip()
    if colon and re.fullmatch(KIND, head) and rest.strip():
        if note:
            raise UserError(
                _lang().t(
                    "--kind '{kind}' carries a note and --note gives another: give the note once.",
                    kind=kind,
                )
            )
        return head, rest.strip()
    if not re.fullmatch(KIND, kind.strip()):
        raise UserError(
            _lang().t(
                "--kind is one word (call, coffee, lunch…), not '{kind}': put what you talked "
                "about in --note.",
                kind=kind,
            )
        )
    return kind.strip(), note


@cli.command(name="log")
@click.argument("args", nargs=-1, metavar="[VAULT] NAME", shell_complete=_complete_vault_or_name)
@click.option("--kind", default="check-in", show_default=True, help="call, coffee, lunch…")
@click.option("--note", metavar="TEXT", help="What you talked about (asked about next time).")
@click.option("--minutes", type=click.FloatRange(0, 24 * 60), help="How long it took.")
@click.option("--gave", metavar="TEXT", help="What you gave (help, an intro to [[Name]]…).")
@click.option("--asked", metavar="TEXT", help="What you asked for.")
@click.option("--news", is_flag=True, help="You asked about their news.")
@click.option("--date", "when", metavar="YYYY-MM-DD", help="When (default: today).")
def log_command(
    args: tuple[str, ...],
    kind: str,
    note: str | None,
    minutes: float | None,
    gave: str | None,
    asked: str | None,
    news: bool,
    when: str | None,
) -> None:
    """Append an interaction to a contact's `## Log`."""
    from entraide.writeback import append_line

    root, name = _vault_and(args, "NAME")
    day = _today()
    on = _date(when, "--date") if when else day
    if on > day:
        raise UserError(
            _lang().t(
                "--date {date} is after today ({today}): log an interaction once it happened "
                "(a plan belongs in a follow_up).",
                date=on.isoformat(),
                today=day.isoformat(),
            )
        )
    kind, note = _kind_and_note(kind, note)
    model, _, _, _ = _load(root)
    contact = _find_contact(model, name)
    head = f"- {on.isoformat()} {_field_text(kind, links=False)}"
    if note and note.strip():
        head += f": {_field_text(note)}"
    parts = [head]
    if minutes is not None:
        parts.append(f"[minutes:: {minutes:g}]")
    if gave:
        parts.append(f"[gave:: {_field_text(gave)}]")
    if asked:
        parts.append(f"[asked:: {_field_text(asked)}]")
    if news:
        parts.append("#nouvelles" if _lang().code == "fr" else "#news")
    line = " ".join(parts)
    done, why, _ = append_line(root, contact.path, line, model.conflicted)
    if why:
        raise UserError(_lang().t("Nothing was logged: {why}.", why=_lang().problem(why)))
    if _common().as_json:
        _print_json({"path": contact.path, "name": contact.name, "line": line, "logged": done})
        return
    if done:
        _echo(_lang().t("Logged in {path}: {line}", path=contact.path, line=line))
    else:
        _echo(_lang().t("Already logged in {path}: {line}", path=contact.path, line=line))


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


# Problems that make a note no contact: `log NAME` on such a note says so.
_UNREADABLE = frozenset(
    {
        "not-utf8",
        "too-large",
        "frontmatter-unclosed",
        "yaml-syntax",
        "yaml-anchor",
        "yaml-repeated-key",
        "yaml-not-mapping",
        "yaml-too-deep",
    }
)


def _find_contact(vault: Any, name: str) -> Any:
    import difflib

    from entraide.parse.values import fold, nfc, sort_key_name

    wanted = fold(nfc(name.strip()))
    if "/" in wanted or wanted.endswith(".md"):  # a path: that note, whatever its name
        path = wanted if wanted.endswith(".md") else f"{wanted}.md"
        exact = [c for c in vault.contacts if fold(c.path) == path]
        if exact:
            return exact[0]
    exact = [c for c in vault.contacts if fold(c.name) == wanted]
    if not exact:
        exact = [c for c in vault.contacts if wanted in {fold(a) for a in c.aliases}]
    if not exact:  # typed without its accents: `chloe martin` for Chloé Martin
        plain = sort_key_name(name.strip())
        exact = [c for c in vault.contacts if sort_key_name(c.name) == plain]
    if len(exact) == 1:
        return exact[0]
    say = _lang()
    if len(exact) > 1:
        paths = ", ".join(c.path for c in exact)
        raise UserError(
            say.t(
                "'{name}' names several contacts ({paths}): name the one you mean by its path.",
                name=name,
                paths=paths,
            )
        )
    for p in vault.problems:
        stem = fold(p.path.rpartition("/")[2].removesuffix(".md"))
        if p.code in _UNREADABLE and wanted in (stem, fold(p.path), fold(p.path[:-3])):
            where = say.t("{path}, line {line}", path=p.path, line=p.line) if p.line else p.path
            raise UserError(
                say.t(
                    "The note for '{name}' cannot be read, {where}: {why}.",
                    name=name,
                    where=where,
                    why=say.problem(p.message),
                )
            )
    names = [c.name for c in vault.contacts]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    if not close:
        folded = {fold(n): n for n in names}
        close = [folded[f] for f in difflib.get_close_matches(wanted, list(folded), n=3)]
    if close:
        raise UserError(
            say.t(
                "No contact is named '{name}'. Did you mean {names}?",
                name=name,
                names=", ".join(repr(c) for c in close),
            )
        )
    raise UserError(say.t("No contact is named '{name}'.", name=name))


@cli.command()
@click.argument("args", nargs=-1, metavar="[VAULT] NAME", shell_complete=_complete_vault_or_name)
def show(args: tuple[str, ...]) -> None:
    """One person: properties, every interaction with its source note and line, when they
    are due, the tie's strength, and what to ask them next time."""
    from entraide.render.show import person, view

    root, name = _vault_and(args, "NAME", writes=False)
    day = _today()
    model, settings, _, index = _load(root)
    contact = _find_contact(model, name)
    data = person(contact, settings, day, _sources(root, contact, settings, index), _lang())
    if _common().as_json:
        _print_json(data)
        return
    for line in view(data, _lang()):
        _echo(line)


def _sources(root: Path, contact: Any, settings: Any, index: Any) -> Any:
    from entraide.person import sources
    from entraide.vault_io import obsidian_config, read_bytes

    def text_of(rel: str) -> str | None:
        try:
            return read_bytes(str(root / rel)).decode("utf-8-sig", "replace")
        except OSError:
            return None

    notes = index.last[1] if index.last is not None else {p: e[3] for p, e in index.entries.items()}
    config = obsidian_config(root, settings.config_folder)
    return sources(contact, notes, config, settings, text_of)


@cli.command(name="init")
@click.argument("vault", default=".", required=False, shell_complete=_complete_vaults)
@click.option("--force", is_flag=True, help="Add what is missing to a folder that is not empty.")
@click.option(
    "--examples/--no-examples",
    default=None,
    help="Add fictional people, daily notes and a meeting to try entraide on (default: in a "
    "new or empty folder only; --no-examples: only Entraide/Settings.md).",
)
@click.option(
    "--language",
    type=click.Choice(["en", "fr"]),
    default="en",
    show_default=True,
    help="The language of the settings, the templates and the examples (fr: French).",
)
def init_command(vault: str, force: bool, examples: bool | None, language: str) -> None:
    """Make a vault: Entraide/Settings.md, and in a new folder templates and example notes.

    With --force, a folder that is not empty (your vault) gets only Entraide/Settings.md when
    it is missing; existing files are never changed.
    """
    from entraide.importers import copy_starter, is_empty_folder, starter_files

    say = _common().lang = lang(language)  # the language asked for is the vault's
    _today()  # a malformed --today is refused here too
    root = Path(vault).expanduser()
    if root.exists() and not root.is_dir():
        raise UserError(
            say.t(
                "'{vault}' is a file, not a folder: give a folder for the new vault.", vault=vault
            )
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
        empty = is_empty_folder(root)
    except OSError as exc:
        raise UserError(
            say.t(
                "Cannot create the vault at '{vault}': {why}.",
                vault=vault,
                why=exc.strerror or exc,
            )
        ) from None
    if not empty and not force:
        raise UserError(
            say.t(
                "'{vault}' is not empty: give a new or empty folder, or add --force to add "
                "Entraide/Settings.md to it (existing files are kept).",
                vault=vault,
            )
        )
    files = starter_files("starter_fr" if language == "fr" else "starter")
    if not (empty if examples is None else examples):
        files = {rel: data for rel, data in files.items() if rel == "/".join(SETTINGS_MARK)}
    copied = copy_starter(root, files)
    for problem in copied.problems:
        _echo(f"entraide: {say.problem(problem)}", err=True)
    if copied.stopped:
        raise UserError(
            say.t(
                "The starter vault is incomplete: {why} ({created}).",
                why=say.problem(copied.stopped),
                created=say.n(
                    "{n} file was created", "{n} files were created", len(copied.created)
                ),
            )
        )
    if _common().as_json:
        _print_json(
            {"vault": str(root), "created": list(copied.created), "kept": list(copied.kept)}
        )
        return
    for rel in copied.kept:
        _echo(say.t("  kept {path} (already there)", path=rel))
    created = say.n(
        "{n} file created in {vault}",
        "{n} files created in {vault}",
        len(copied.created),
        vault=vault,
    )
    if copied.kept:
        kept = say.n("{n} kept as they were", "{n} kept as they were", len(copied.kept))
        _echo(say.t("{created}, {kept}.", created=created, kept=kept))
    else:
        _echo(say.t("{created}.", created=created))
    if copied.created:
        _echo(say.t("Open it in Obsidian, then run: entraide run {vault}", vault=vault))


@cli.group(name="import", cls=Group)
def import_group() -> None:
    """Create contact notes from a LinkedIn or vCard export, meeting notes from calendars, log
    lines from mail (existing notes are never overwritten).

    The vault comes first or after --vault: `entraide import vcard VAULT FILE` or
    `entraide import vcard FILE --vault VAULT` (or neither, inside the vault).
    """


def _import_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--dry-run",
        is_flag=True,
        help="Show what would be written, and how notes already there differ; write nothing.",
    )(f)
    return click.option(
        "--vault", "vault_option", metavar="VAULT", help="The vault to import into."
    )(f)


@import_group.command(name="linkedin")
@click.argument("args", nargs=-1, metavar="[VAULT] CONNECTIONS.CSV", type=click.Path())
@_import_options
def import_linkedin(args: tuple[str, ...], vault_option: str | None, dry_run: bool) -> None:
    """Import LinkedIn's Connections.csv (from "Get a copy of your data")."""
    root, file = _vault_and(args, "CONNECTIONS.CSV", vault_option)
    _import("linkedin", file, root, dry_run)


@import_group.command(name="vcard")
@click.argument("args", nargs=-1, metavar="[VAULT] FILE.vcf", type=click.Path())
@_import_options
def import_vcard(args: tuple[str, ...], vault_option: str | None, dry_run: bool) -> None:
    """Import a vCard 3 or 4 file of one or more contacts."""
    root, file = _vault_and(args, "FILE.vcf", vault_option)
    _import("vcard", file, root, dry_run)


def _capture_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--me",
        "me",
        multiple=True,
        metavar="ADDRESS",
        help="One of your own addresses (repeat for each alias).",
    )(f)
    return _import_options(f)


@import_group.command(name="ics")
@click.argument("args", nargs=-1, metavar="[VAULT] FILE|FOLDER", type=click.Path())
@_capture_options
def import_ics(
    args: tuple[str, ...], vault_option: str | None, dry_run: bool, me: tuple[str, ...]
) -> None:
    """Create a meeting note for each past calendar event with a contact in it (matched by
    their `email`), from an .ics file or a folder of them (vdirsyncer, Thunderbird, exports)."""
    from entraide.capture import ics

    root, source = _vault_and(args, "FILE|FOLDER", vault_option)
    say = _lang()
    if not Path(source).expanduser().exists():
        raise UserError(
            say.t(
                "There is no calendar at '{source}': give an .ics file or a folder.",
                source=source,
            )
        )
    contacts, settings = _capture_contacts(root)[:2]
    until, tz = ics.local_until(_today())
    with _capture_writing(root, dry_run):
        result = ics.import_calendars(
            root,
            settings,
            contacts,
            [str(Path(source).expanduser().absolute())],
            until,
            tz,
            me,
            dry_run=dry_run,
        )
    for problem in result.problems:
        _echo(f"entraide: {say.problem(problem)}", err=True)
    if not result.calendars:
        raise UserError(
            say.t("No calendar could be read in '{source}': nothing was imported.", source=source)
        )
    if _common().as_json:
        _print_json({"kind": "ics", "dry_run": dry_run, **ics.summary(result)})
    else:
        for meeting in result.created:
            _created(meeting.path, dry_run)
        counts = {
            "already": result.already,
            "skipped": say.n(
                "{n} past event without a contact, cancelled or declined",
                "{n} past events without a contact, cancelled or declined",
                result.skipped,
            ),
        }
        n = len(result.created)
        if dry_run:
            _echo(
                say.n(
                    "{n} meeting note would be created, {already} already there, {skipped}; "
                    "dry run, nothing was written.",
                    "{n} meeting notes would be created, {already} already there, {skipped}; "
                    "dry run, nothing was written.",
                    n,
                    **counts,
                )
            )
        else:
            _echo(
                say.n(
                    "{n} meeting note created, {already} already there, {skipped}.",
                    "{n} meeting notes created, {already} already there, {skipped}.",
                    n,
                    **counts,
                )
            )
    if result.stopped:
        _stopped(result.stopped)
    if not any(c.email for c in contacts):
        _no_email()


@import_group.command(name="mail")
@click.argument("args", nargs=-1, metavar="[VAULT] MAILDIR|MBOX", type=click.Path())
@_capture_options
def import_mail(
    args: tuple[str, ...], vault_option: str | None, dry_run: bool, me: tuple[str, ...]
) -> None:
    """Log one `email` line per contact per day you exchanged mail, from a Maildir or an
    mbox (headers only: From, To, Cc, Date)."""
    from entraide.capture import mail

    root, source = _vault_and(args, "MAILDIR|MBOX", vault_option)
    place = Path(source).expanduser()
    say = _lang()
    if not place.exists():
        raise UserError(
            say.t(
                "There is no mailbox at '{source}': give a Maildir folder or an mbox.",
                source=source,
            )
        )
    contacts, _settings, conflicted = _capture_contacts(root)
    with _capture_writing(root, dry_run):
        try:
            result = mail.import_mail(
                root, contacts, conflicted, place, me, _today(), dry_run=dry_run
            )
        except (OSError, ValueError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise UserError(
                say.t(
                    "Cannot read the mailbox '{source}': {why}.",
                    source=source,
                    why=say.problem(why),
                )
            ) from None
    for problem in result.problems:
        _echo(f"entraide: {say.problem(problem)}", err=True)
    if _common().as_json:
        _print_json({"kind": "mail", "dry_run": dry_run, **mail.summary(result)})
    else:
        for path, line in result.appended:
            if dry_run:
                _echo(say.t("would append to {path}: {line}", path=path, line=line))
            else:
                _echo(say.t("appended to {path}: {line}", path=path, line=line))
        counts = {
            "already": result.already,
            "messages": say.n("{n} message", "{n} messages", result.messages),
            "undated": result.undated,
        }
        n = len(result.appended)
        if dry_run:
            _echo(
                say.n(
                    "{n} day would be logged, {already} already logged, from {messages} "
                    "({undated} without a date, skipped); dry run, nothing was written.",
                    "{n} days would be logged, {already} already logged, from {messages} "
                    "({undated} without a date, skipped); dry run, nothing was written.",
                    n,
                    **counts,
                )
            )
        else:
            _echo(
                say.n(
                    "{n} day logged, {already} already logged, from {messages} "
                    "({undated} without a date, skipped).",
                    "{n} days logged, {already} already logged, from {messages} "
                    "({undated} without a date, skipped).",
                    n,
                    **counts,
                )
            )
    if not any(c.email for c in contacts):
        _no_email()


def _created(path: str, dry_run: bool) -> None:
    if dry_run:
        _echo(_lang().t("would create {path}", path=path))
    else:
        _echo(_lang().t("created {path}", path=path))


def _stopped(why: str) -> NoReturn:
    raise UserError(
        _lang().t(
            "The import stopped: {why} (the notes listed were created).",
            why=_lang().problem(why),
        )
    )


def _no_email() -> None:
    _echo(
        "entraide: " + _lang().t("no contact has an 'email' property: nothing can be matched."),
        err=True,
    )


def _capture_contacts(root: Path) -> tuple[tuple[Any, ...], Any, frozenset[str]]:
    vault, settings, _problems, _index = _load(root)
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
        _busy(busy)
    with writing(root):
        yield


def _busy(busy: str) -> NoReturn:
    raise UserError(
        _lang().t(
            "Nothing was imported: {why} in the vault; try again after it.",
            why=_lang().problem(busy),
        )
    )


def _import(kind: str, file: str, root: Path, dry_run: bool) -> None:
    from entraide import importers
    from entraide.gitstate import git_busy

    say = _lang()
    _today()  # a malformed --today is refused before anything is read
    try:
        raw = Path(file).expanduser().read_bytes()
    except OSError as exc:
        raise UserError(
            say.t("Cannot read '{file}': {why}.", file=file, why=exc.strerror or exc)
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(
            say.t("'{file}' is not UTF-8 text: export it again, or re-save it as UTF-8.", file=file)
        ) from None
    parsed = importers.parse_linkedin(text) if kind == "linkedin" else importers.parse_vcards(text)
    settings = _usable_settings(root).settings
    folders = [f for f in settings.people_folders if f]
    if not folders:
        raise UserError(say.t("No people folder is set (people_folders): add one to the settings."))
    people = importers.read_people(root, folders, settings.max_note_bytes)
    plan = importers.plan_import(parsed.contacts, folders[0], people)
    for message in (*parsed.problems, *plan.skipped):
        _echo(f"entraide: {say.problem(message)}", err=True)
    created: tuple[str, ...] = tuple(note.path for note in plan.create)
    stopped = None
    if not dry_run and plan.create:
        busy = git_busy(root)
        if busy:
            _busy(busy)
        from entraide.writeback import writing

        with writing(root):
            applied = importers.apply_plan(root, folders[0], plan)
        for message in applied.problems:
            _echo(f"entraide: {say.problem(message)}", err=True)
        created, stopped = applied.created, applied.stopped
    skipped = parsed.skipped + len(plan.skipped) + len(plan.create) - len(created)
    if _common().as_json:
        _print_json(
            {
                "kind": kind,
                "dry_run": dry_run,
                "created": list(created),
                "existing": [importers.existing_json(found) for found in plan.existing],
                "skipped": skipped,
                "problems": [*parsed.problems, *plan.skipped],
            }
        )
        if stopped:
            _stopped(stopped)
        return
    for path in created:
        _created(path, dry_run)
    if stopped:
        _stopped(stopped)
    differing = _merge_report(plan.existing)
    if dry_run:
        made = say.n("{n} would be created", "{n} would be created", len(created))
    else:
        made = say.n("{n} created", "{n} created", len(created))
    there = say.n("{n} already there", "{n} already there", len(plan.existing))
    if differing:
        there = say.t("{there} (see differences above)", there=there)
    counts = {
        "made": made,
        "there": there,
        "skipped": say.n("{n} skipped", "{n} skipped", skipped),
    }
    if dry_run:
        _echo(say.t("{made}, {there}, {skipped}; dry run, nothing was written.", **counts))
    elif not created:
        _echo(say.t("{made}, {there}, {skipped}: nothing changed.", **counts))
    else:
        _echo(say.t("{made}, {there}, {skipped}.", **counts))


def _merge_report(existing: Sequence[Any]) -> int:
    """Print how each existing note differs from the import; return how many differ."""
    from entraide.importers import show

    say = _lang()
    differing = 0
    for found in existing:
        if not found.readable:
            _echo(
                say.t(
                    "{path} already exists (its properties cannot be read): left alone",
                    path=found.path,
                )
            )
        elif found.differences:
            differing += 1
            _echo(say.t("{path} already exists; the import differs:", path=found.path))
            for d in found.differences:
                if d.existing is None:
                    _echo(
                        say.t(
                            "  {key}: imported {value}, not in the note",
                            key=d.key,
                            value=show(d.imported),
                        )
                    )
                else:
                    _echo(
                        say.t(
                            "  {key}: imported {value}, the note has {theirs}",
                            key=d.key,
                            value=show(d.imported),
                            theirs=show(d.existing),
                        )
                    )
        else:
            _echo(say.t("{path} already exists, nothing new", path=found.path))
    return differing


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code. Errors are one sentence, tracebacks only with --debug."""
    args = list(sys.argv[1:] if argv is None else argv)
    collecting = gc.isenabled()
    # A command lives a second or two and makes hundreds of thousands of small acyclic
    # objects: the cyclic collector only costs time (reference counting frees them).
    # (`watch` turns it back on.)
    gc.disable()
    try:
        return _run(args)
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


def usage_sentence(exc: click.UsageError) -> str:
    """Click's usage error as one line: what is wrong, and where to read more."""
    message = " ".join(exc.format_message().split()).rstrip(".")
    if message:
        message = message[0].upper() + message[1:]
    path = exc.ctx.command_path if exc.ctx is not None else "entraide"
    return f"{message} (see '{path} --help')."


def _run(args: list[str]) -> int:
    common = Common()
    try:
        cli.main(args=args, prog_name="entraide", standalone_mode=False, obj=common)
    except (UserError, WriteRefused) as exc:
        # Made in the vault's language, or in English where it comes from below the shell
        # (a write refused, the engine): translated here.
        _echo(f"entraide: {common.lang.problem(exc.message)}", err=True)
        return EXIT_UNUSABLE
    except click.exceptions.Abort:
        return 130
    except click.UsageError as exc:
        _echo(f"entraide: {usage_sentence(exc)}", err=True)
        return EXIT_UNUSABLE
    except click.ClickException as exc:
        _echo(f"entraide: {exc.format_message()}", err=True)
        return EXIT_UNUSABLE
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the one place a bug becomes a message
        if common.debug:
            import traceback

            traceback.print_exc()
        else:
            said = common.lang.t(
                "unexpected error: {error} (run again with --debug for details, and please "
                "report it)",
                error=repr(exc),
            )
            _echo(f"entraide: {said}", err=True)
        return 3
    return EXIT_OK

"""A daemon pass reuses the last pass's analytics (`Analysis(..., previous=...)`) and patches
them with the contacts that changed: whatever it renders must equal a fresh rendering, byte
for byte, after any sequence of edits."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from entraide.analytics.budget import minutes
from entraide.analytics.diversity import from_counts, is_active, period_diversity
from entraide.analytics.holes import ego_holes
from entraide.analytics.reciprocity import asked_never_gave, out_of_the_blue
from entraide.analytics.report import Analysis
from entraide.analytics.ties import tie_summary
from entraide.index import Index, load_settings, read_vault
from entraide.model import Contact, Interaction, Vault
from entraide.parse.values import sort_key_name
from entraide.render import checkins
from entraide.render.checkins import week_minutes
from entraide.render.outputs import render_outputs
from entraide.settings import Settings

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "gen_vault.py"
VAULTS = Path(__file__).parent / "fixtures" / "vaults"
TODAY = date(2026, 11, 22)  # a Sunday: the day after is a new week
EXISTING = {"2026-W45": False, "2026-10": False}  # ended reviews get a last, final pass


def rendered(analysis: Analysis, today: date) -> dict[str, tuple[object, str, str]]:
    outputs = render_outputs(analysis.vault, analysis.settings, today, EXISTING, analysis=analysis)
    return {path: (dict(g.frontmatter), g.content, g.tail) for path, g in outputs.items()}


def assert_same_analytics(analysis: Analysis, fresh: Analysis, today: date) -> None:
    """The memoised and patched analytics equal fresh ones (beyond what the notes show)."""
    week = today - timedelta(days=today.weekday())
    for day in (today, week - timedelta(days=1), today.replace(day=1) - timedelta(days=1)):
        assert analysis.ties(day) == fresh.ties(day)
        assert analysis.asked_never_gave(day) == fresh.asked_never_gave(day)
        assert analysis.active(day) == fresh.active(day)
        assert analysis.holes(day) == fresh.holes(day)
        for dim in analysis.settings.dimensions:
            assert analysis.diversity(day, dim) == fresh.diversity(day, dim)
    for start, end in ((week, today), (today.replace(day=1), today), (date.min, date.max)):
        assert analysis.between(start, end) == fresh.between(start, end)
        assert analysis.count_between(start, end) == fresh.count_between(start, end)
        assert analysis.spent(start, end) == fresh.spent(start, end)
        mine, theirs = analysis.period(start, end), fresh.period(start, end)
        assert mine.people == theirs.people and mine.blue == theirs.blue
        assert (mine.count, mine.gave, mine.asked, mine.news, mine.fractions) == (
            theirs.count,
            theirs.gave,
            theirs.asked,
            theirs.news,
            theirs.fractions,
        )
        for dim in analysis.settings.dimensions:
            assert +mine.dimensions[dim] == +theirs.dimensions[dim]
    assert +analysis.circle_counts() == +fresh.circle_counts()
    assert_as_defined(fresh, today)


def assert_as_defined(analysis: Analysis, today: date) -> None:
    """The memoised analytics equal the plain functions of analytics/ they stand for."""
    vault, settings = analysis.vault, analysis.settings
    for c in vault.contacts:
        assert analysis.ties(today)[c.path] == tie_summary(c, settings, today)
        assert analysis.asked_never_gave(today).get(c.path, 0) == asked_never_gave(
            c, settings, today
        )
        assert analysis.active(today).get(c.path, False) == is_active(c, settings, today)
        assert analysis.name_keys()[c.path] == sort_key_name(c.name)
    assert analysis.holes(today) == ego_holes(vault, settings, today)
    week = today - timedelta(days=today.weekday())
    assert checkins._week_minutes(analysis, today) == week_minutes(vault, settings, today)
    for start, end in ((week, today), (today.replace(day=1), today), (date.min, date.max)):
        items = analysis.between(start, end)
        spent = sum(minutes(i, settings) for _, i in items)
        assert analysis.spent(start, end) == spent
        assert f"{analysis.spent(start, end):g}" == f"{spent:g}"
        stats = analysis.period(start, end)
        by_dim = period_diversity(items, settings.dimensions)
        assert {dim: from_counts(stats.dimensions[dim]) for dim in settings.dimensions} == by_dim
        assert stats.people == Counter(c.path for c, _ in items)
        blue = {c.path for c, i in items if out_of_the_blue(c, i, settings)}
        assert set(stats.blue) == blue
        assert stats.gave == sum(i.gave for _, i in items)
        assert stats.asked == sum(i.asked for _, i in items)
        assert stats.news == sum(i.news for _, i in items)
        share = sum(n for _, n in stats.people.most_common(5)) / len(items) if items else 0.0
        assert analysis.most_seen_share(start, end) == share


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "vault"
    subprocess.run(
        [sys.executable, str(SCRIPT), str(out), "--contacts", "300", "--years", "2"],
        check=True,
        capture_output=True,
    )
    return out


def test_incremental_passes_render_what_fresh_passes_render(
    generated: Path, tmp_path: Path
) -> None:
    root = tmp_path / "vault"
    shutil.copytree(generated, root)
    people = sorted((root / "People").rglob("*.md"))
    first = people[0].read_text(encoding="utf-8")
    name = [p.stem for p in people]
    steps = [
        ("nothing", lambda: None, 0),
        ("an ask", lambda: append(people[0], "\n- 2026-11-21 call: a favour #asked\n"), 0),
        ("a gift", lambda: append(people[0], "\n- 2026-11-22 coffee: [gave:: an intro]\n"), 0),
        ("odd minutes", lambda: append(people[1], "\n- 2026-11-20 call [minutes:: 7.5]\n"), 0),
        ("tenths", lambda: append(people[2], "\n- 2026-11-17 call [minutes:: 0.1]\n"), 0),
        (
            "a new contact",
            lambda: (root / "People" / "Aaron Aardvark.md").write_text(
                "---\ntype: person\ncircle: inner\nsector: Zeta\nfollow_up: 2026-11-25\n"
                f"birthday: --11-24\nknows: ['[[{name[3]}]]', '[[{name[4]}]]']\n---\n"
                "- 2026-11-18 lunch: hello #asked\n",
                encoding="utf-8",
            ),
            0,
        ),
        ("a deletion", lambda: people[5].unlink(), 0),
        ("a rename", lambda: people[7].rename(root / "People" / ("Aa " + people[7].name)), 0),
        (
            "mentions",
            lambda: append(
                root / "Daily" / "2026-11-22.md",
                f"\nMet [[{name[10]}]] and [[{name[11]}]] today. #news\n",
            ),
            0,
        ),
        (
            "paused",
            lambda: people[9].write_text(
                "---\ntype: person\npaused: true\n---\n", encoding="utf-8"
            ),
            0,
        ),
        (
            "snoozed",
            lambda: people[12].write_text(
                "---\ntype: person\ncircle: close\nsnooze_until: 2026-12-01\n---\n"
                "- 2025-01-02 call\n",
                encoding="utf-8",
            ),
            0,
        ),
        (
            "knows",
            lambda: append(people[13], f"\n- 2026-11-22 call with [[{name[14]}]]\n"),
            0,
        ),
        ("an old interaction", lambda: append(people[15], "\n- 2026-10-05 call: old\n"), 0),
        ("the next day", lambda: None, 1),
        ("a new week", lambda: append(people[16], "\n- 2026-11-23 call #gave\n"), 1),
        ("whole minutes again", lambda: people[0].write_text(first, encoding="utf-8"), 1),
        ("no interactions left", lambda: people[17].write_text("# nobody\n"), 1),
    ]
    settings = load_settings(root).settings
    index = Index(root, use_cache=False)
    analysis: Analysis | None = None
    for label, edit, days in steps:
        edit()
        today = TODAY + timedelta(days=days)
        vault = read_vault(root, settings, (), index)
        analysis = Analysis(vault, settings, previous=analysis)
        incremental = rendered(analysis, today)
        fresh = Analysis(vault, settings)
        assert incremental == rendered(fresh, today), label
        assert_same_analytics(analysis, fresh, today)


@pytest.mark.parametrize("scenario", sorted(p.name for p in VAULTS.iterdir() if p.is_dir()))
def test_fixture_vaults_edited(scenario: str, tmp_path: Path) -> None:
    root = tmp_path / "vault"
    if not (VAULTS / scenario / "vault").is_dir():
        pytest.skip("no vault")
    shutil.copytree(VAULTS / scenario / "vault", root, symlinks=True)
    settings = load_settings(root).settings
    index = Index(root, use_cache=False)
    analysis = Analysis(read_vault(root, settings, (), index), settings)
    rendered(analysis, TODAY)
    notes = sorted(p for p in root.rglob("*.md") if ".obsidian" not in p.parts and p.is_file())
    texts = [
        "\n- 2026-11-21 call #gave with [[Jane Doe]]\n",
        "\nMet [[Adam]] and [[Bob Stone|Bob]] today. #news #asked\n",
        "\n- 2026-11-20 lunch [minutes:: 12.5] #asked\n",
    ]
    for n, text in enumerate(texts + ["delete"]):
        note = notes[(n * 5) % len(notes)]
        if not note.exists():
            continue
        if text == "delete":
            note.unlink()
        else:
            append(note, text)
        vault = read_vault(root, settings, (), index)
        analysis = Analysis(vault, settings, previous=analysis)
        fresh = Analysis(vault, settings)
        assert rendered(analysis, TODAY) == rendered(fresh, TODAY), (scenario, note)
        assert_same_analytics(analysis, fresh, TODAY)


def random_contact(rnd: random.Random, path: str, today: date) -> Contact:
    days = sorted(rnd.sample(range(-20, 900), rnd.randint(0, 6)), reverse=True)
    interactions = tuple(
        Interaction(
            today - timedelta(days=d),
            kind=rnd.choice([None, "call", "lunch"]),
            minutes=rnd.choice([None, None, 30, 7.5, 0.1]),
            gave=rnd.random() < 0.2,
            asked=rnd.random() < 0.3,
            news=rnd.random() < 0.2,
        )
        for d in days
    )
    return Contact(
        name=path.rsplit("/", 1)[-1].removesuffix(".md"),
        path=path,
        circle=rnd.choice([None, "inner", "close", "active", "acquaintance", "dormant"]),
        dimensions={"sector": rnd.choice(["a", "b", "c"])} if rnd.random() < 0.8 else {},
        follow_up=today + timedelta(days=rnd.randint(-10, 10)) if rnd.random() < 0.2 else None,
        interactions=interactions,
    )


@pytest.mark.parametrize("seed", range(12))
def test_random_vault_changes(seed: int) -> None:
    """Replaced, added, removed and reordered contacts (a vault need not be sorted by path),
    edges that come and go: each patched pass equals a fresh one."""
    rnd = random.Random(seed)
    settings = Settings(dimensions=("sector",))
    contacts = [random_contact(rnd, f"P/{k:03}.md", TODAY) for k in range(40)]
    analysis: Analysis | None = None
    fresh_paths = (f"P/{k:03}x.md" for k in rnd.sample(range(999), 999))
    for step in range(10):
        if step:
            for _ in range(rnd.randint(0, 4)):
                k = rnd.randrange(len(contacts))
                what = rnd.random()
                if what < 0.5:
                    contacts[k] = random_contact(rnd, contacts[k].path, TODAY)
                elif what < 0.65:
                    del contacts[k]
                elif what < 0.8:
                    contacts.insert(k, random_contact(rnd, next(fresh_paths), TODAY))
                elif what < 0.9:
                    contacts[k] = contacts[k]._replace(circle="inner")
                else:
                    j = rnd.randrange(len(contacts))
                    contacts[k], contacts[j] = contacts[j], contacts[k]
        paths = [c.path for c in contacts]
        pairs = (sorted(rnd.sample(paths, 2)) for _ in range(rnd.choice([0, 5, 30])))
        vault = Vault(tuple(contacts), frozenset((a, b) for a, b in pairs), ())
        analysis = Analysis(vault, settings, previous=analysis)
        fresh = Analysis(vault, settings)
        assert rendered(analysis, TODAY) == rendered(fresh, TODAY), step
        assert_same_analytics(analysis, fresh, TODAY)


def test_name_keys_of_ascii_names() -> None:
    # Analysis takes an ASCII name's sort key to be its case fold: sort_key_name agrees.
    names = ["".join(map(chr, range(128))), "Zoë Ångström", "ÉLODIE", "ǅemal", "Straße"]
    contacts = tuple(Contact(name=n, path=f"P/{k}.md") for k, n in enumerate(names))
    keys = Analysis(Vault(contacts, frozenset(), ()), Settings()).name_keys()
    assert [keys[c.path] for c in contacts] == [sort_key_name(n) for n in names]

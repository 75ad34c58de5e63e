"""Plan callouts (the callouts a link or a log stands in) and the French flag tags (DESIGN §3,
§11), read alike by markdown-it (the reference) and the fast path."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.parse.body import Body, _marks, _simple_body, parse_body, parse_body_tokens


def both(text: str) -> Body:
    """The reference's reading of `text`, which `parse_body` and (when it takes the text) the
    fast path must give too."""
    expected = parse_body_tokens(text)
    assert parse_body(text) == expected
    simple = _simple_body(text, 1)
    if simple is not None:
        assert simple == expected
    return expected


def callouts(body: Body) -> dict[str, tuple[str, ...]]:
    return {link.target: link.callouts for link in body.links}


def test_links_know_the_callouts_they_stand_in() -> None:
    body = both(
        "> [!tip] Try [[A]]\n"
        "> and [[B]]\n\n"
        "> [!TODO]- folded\n> [[C]]\n\n"
        "> [!idea]+ Title with [[D]]\n\n"
        "> [!note]\n> > [!Question] inner [[E]]\n> > more\n\n"
        "> a plain quote [[F]]\n\n"
        "[[G]] outside\n"
    )
    assert callouts(body) == {
        "A": ("tip",),
        "B": ("tip",),
        "C": ("todo",),
        "D": ("idea",),
        "E": ("note", "question"),
        "F": (),
        "G": (),
    }
    counts = {link.target: link.counts for link in body.links}
    assert counts == {"A": True, "B": True, "C": True, "D": True, "E": True, "F": False, "G": True}


def test_logs_know_the_callouts_they_stand_in() -> None:
    body = both(
        "- 2026-10-01 call [[X]]\n\n"
        "> [!plan]\n> - 2026-10-02 lunch with [[Y]]\n>   - 2026-10-03 coffee\n\n"
        "> [!todo]\n> > [!tip]\n> > - 2026-10-04 video\n\n"
        "> not a callout\n> - 2026-10-05 call\n"
    )
    assert [(log.date.day if log.date else 0, log.callouts) for log in body.logs] == [
        (1, ()),
        (2, ("plan",)),
        (3, ("plan",)),
        (4, ("todo", "tip")),
    ]
    assert callouts(body) == {"X": (), "Y": ("plan",)}


def test_a_callout_ends_where_its_quote_ends() -> None:
    body = both("> [!todo] x\n> [[A]]\n\n[[B]]\n- [[C]]\n> [!note]\n> [[D]]\nlazy [[E]]\n")
    assert callouts(body) == {"A": ("todo",), "B": (), "C": (), "D": ("note",), "E": ("note",)}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("> [!tip] x\n> [[A]]\n", id="callout"),
        pytest.param("> [!my-Type] x\n> [[A]]\n", id="dashed-type"),
        pytest.param("> x\n>\n> [!tip] late\n> [[A]]\n", id="not-first-paragraph"),
        pytest.param("> [!tip]x [[A]]\n", id="no-space-after"),
        pytest.param("> [! tip] [[A]]\n", id="space-before-type"),
        pytest.param("> [!tip] a\n>\n> second [[A]]\n", id="second-paragraph"),
    ],
)
def test_callout_forms_read_alike(text: str) -> None:
    both(text)


TAGGED = [
    ("#donné", "gave"),
    ("#donne", "gave"),
    ("#DONNÉ", "gave"),
    ("#Donne", "gave"),
    ("#demandé", "asked"),
    ("#demande", "asked"),
    ("#DemandÉ", "asked"),
    ("#nouvelles", "news"),
    ("#NOUVELLES", "news"),
    ("#gave", "gave"),
    ("#Asked", "asked"),
    ("#NEWS", "news"),
]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(("tag", "flag"), TAGGED)
def test_french_flag_tags(tag: str, flag: str, form: str) -> None:
    tag = unicodedata.normalize(form, tag)
    marks = _marks(f"déjeuner {tag} ok")
    assert {f for f in ("gave", "asked", "news") if getattr(marks, f)} == {flag}
    body = both(f"- 2026-10-20 déjeuner {tag}\n\n[[A]] {tag}.\n")
    assert getattr(body.logs[0].marks, flag)
    assert getattr(body.links[0].marks, flag)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    "text",
    [
        "#donnée",
        "#donnés",
        "#donné/x",
        "#demandé-x",
        "#nouvellesx",
        "#nouvelle",
        "x#donné",
        "#donnè",
        "#donnê",
        "#demandes",
        "#gaveaway",
        "#news/x",
    ],
)
def test_words_that_are_not_flag_tags(text: str, form: str) -> None:
    assert _marks(unicodedata.normalize(form, f"[[A]] {text} ok")) == _marks("")


def test_fields_stay_english() -> None:
    assert not _marks("[donné:: un livre]").gave
    assert _marks("[gave:: un livre]").gave_text == "un livre"


@pytest.mark.parametrize(
    "text",
    [
        "_x #nouvelles_ [[A]]\n",
        "*a #demandé* [[A]]\n",
        "[[A]] #nouvelles*x*\n",
        "[[A]] #donne\u0301_ b_\n",
        "- 2026-10-20 call _#donné_\n",
    ],
)
def test_emphasis_around_french_tags_reads_as_markdown_it(text: str) -> None:
    both(text)


PIECES = ["#", "donn", "e", "é", "\u0301", "demand", "nouvelles", "gave", "_", "*", " ", "x"]
PIECES += ["[[A]]", "\n", "- ", "> [!tip] ", "> ", "2026-10-20 "]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_random_french_tags_and_callouts_read_alike(text: str) -> None:
    both(text + "\n")


def test_a_log_keeps_its_text_after_the_kind_for_something_to_ask() -> None:
    """DESIGN 5.1: the log's text after its kind, fields and tags left out, first line only."""
    from entraide.parse.body import parse_body

    texts = [
        parse_body(text).logs[0].text
        for text in (
            "- 2026-10-12 call: talked about her clinic's new wing #news\n",
            "- 2026-10-28 video [minutes:: 40] #gave\n",
            "- 2026-09-30 message [gave:: a job post] then lunch\n",
            "- 2026-09-30 #news big news\n",
        )
    ]
    assert texts == ["talked about her clinic's new wing", None, "then lunch", "big news"]

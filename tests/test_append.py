"""Appends to `## Log`: one line added, every other byte kept."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entraide.render.append import NowhereToAppend, append_log, has_line

LINE = "- 2026-11-22 check-in"


def test_appends_at_the_end_of_the_section() -> None:
    raw = b"---\na: 1\n---\n# X\n\n## Log\n- 2026-01-01 call\n\n## Other\ntext\n"
    assert append_log(raw, LINE) == (
        b"---\na: 1\n---\n# X\n\n## Log\n- 2026-01-01 call\n- 2026-11-22 check-in\n\n"
        b"## Other\ntext\n"
    )


def test_creates_the_section_at_the_end() -> None:
    assert (
        append_log(b"# X\nno newline", LINE)
        == b"# X\nno newline\n\n## Log\n" + LINE.encode() + b"\n"
    )
    assert append_log(b"", LINE) == b"## Log\n" + LINE.encode() + b"\n"


def test_keeps_bom_and_crlf() -> None:
    raw = b"\xef\xbb\xbf---\r\na: 1\r\n---\r\n## Log\r\n- 2026-01-01 call\r\n"
    out = append_log(raw, LINE)
    assert out == raw + LINE.encode() + b"\r\n"


def test_log_heading_inside_code_or_frontmatter_is_not_the_section() -> None:
    raw = b"---\nx: 1\n---\n```\n## Log\n```\n"
    out = append_log(raw, LINE)
    assert out.startswith(raw)
    assert out.endswith(b"\n## Log\n" + LINE.encode() + b"\n")


@pytest.mark.parametrize(
    ("raw", "closer"),
    [
        (b"# X\n```\ncode, never closed\n", b"```"),
        (b"# X\n~~~~ py\ncode\n```\n", b"~~~~"),
        (b"# X\n%% a comment\nnever closed\n", b"%%"),
        (b"# X\n<!-- hidden\n", b"-->"),
        (b"# X\n## Log\n- 2026-01-01 call\n```\nopen\n", b"```"),
    ],
)
def test_never_appends_into_an_open_block_or_comment(raw: bytes, closer: bytes) -> None:
    out = append_log(raw, LINE)
    assert out.startswith(raw)  # what the user wrote is kept, and shows as before
    assert out[len(raw) :] == closer + b"\n\n## Log\n" + LINE.encode() + b"\n"
    assert has_line(out, LINE)


def test_a_line_quoted_in_code_is_not_a_log_already_there() -> None:
    assert not has_line(b"```\n- 2026-11-22 check-in\n```\n", LINE)


def test_has_line() -> None:
    assert has_line(b"a\r\n- 2026-11-22 check-in\r\n", LINE)
    assert not has_line(b"- 2026-11-22 check-in later\n", LINE)


note_text = st.lists(
    st.one_of(
        st.sampled_from(["## Log", "## Other", "# Title", "---", "```", "- 2026-01-01 call", ""]),
        st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=20
        ),
    ),
    max_size=15,
)


def _without_one(out: bytes, piece: bytes) -> set[bytes]:
    found, start = set(), 0
    while (i := out.find(piece, start)) >= 0:
        found.add(out[:i] + out[i + len(piece) :])
        start = i + 1
    return found


@given(note_text, st.sampled_from(["\n", "\r\n"]), st.booleans(), st.booleans())
def test_append_changes_nothing_but_the_added_lines(
    lines: list[str], eol: str, bom: bool, final_newline: bool
) -> None:
    text = eol.join(lines) + (eol if final_newline and lines else "")
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    try:
        out = append_log(raw, LINE)
    except NowhereToAppend:
        return  # (refused: the note is left as it is)
    new, eolb = LINE.encode(), (b"\r\n" if b"\r\n" in raw else b"\n")
    inserted = raw in _without_one(out, new + eolb) | _without_one(out, eolb + new + eolb)
    created = any(out == raw + sep + b"## Log" + eolb + new + eolb for sep in (b"", eolb, eolb * 2))
    # Or what the note leaves open is closed at its end, before the new section.
    closed = out.startswith(raw) and out.endswith(b"## Log" + eolb + new + eolb)
    assert inserted or created or closed
    assert has_line(out, LINE)  # where it counts as a log

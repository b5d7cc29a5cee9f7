"""Long cells are split for the slides at build time (tools/build_html.py); every continuation subslide the split
creates opens with the heading of the slide it continues, so a slide shown alone still says what it is about
(unless the cell moved there needs the whole slide)."""

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_html  # noqa: E402

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def starts(cell) -> bool:
    return build_html.slide_type(cell) in build_html.STARTS


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_continuation_repeats_its_heading(path):
    original = build_html.size_figures(build_html.static_notebook(nbformat.read(path, as_version=4), slides=True))
    split = build_html.split_long_cells(original)  # as build_slides makes a deck
    started_by_author = {c.get("id") for c in original.cells if starts(c)}
    heading, continuations = None, 0
    for cell in split.cells:
        assert build_html.CONTINUES not in cell.metadata
        if starts(cell) and cell.get("id") not in started_by_author:
            continuations += 1
            if build_html.cell_height(cell) > build_html.SLIDE_BUDGET - build_html.CONTINUED:
                continue  # a cell that needs the whole slide to itself: no room for the heading
            assert cell.cell_type == "markdown" and cell.source == f"#### {build_html.one_line(heading)} (continued)", (
                f"{path.name}: a continuation subslide opens with {cell.source[:60]!r}, expected {heading!r}")
        if not cell.source.endswith("(continued)"):
            heading = build_html.last_heading(cell) or heading
    if path.stem == "05_deep_network_and_common_mistakes":
        assert continuations > 0  # the longest lesson needs some: the test sees them


def test_a_code_comment_is_not_a_heading():
    nb = nbformat.v4.new_notebook()
    first = nbformat.v4.new_markdown_cell("### Forward pass")
    build_html.set_slide_type(first, "slide")
    long_code = "\n\n".join(f"# step {i}\nx{i} = {i}" + "\ny = 1" * 6 for i in range(12))
    nb.cells = [first, nbformat.v4.new_code_cell(long_code)]
    split = build_html.split_long_cells(nb)
    titles = [c.source for c in split.cells if c.source.startswith("#### ")]
    assert titles and set(titles) == {"#### Forward pass (continued)"}


def test_a_long_heading_is_cut_at_a_word():
    heading = "Exercise 11 — the mistake clinic: repair the question's backward pass, equation by equation"
    short = build_html.one_line(heading)
    assert short.endswith(" …") and len(short) <= build_html.CONTINUED_CHARS + 2 and heading.startswith(short[:-2])
    assert build_html.one_line("δ at the output") == "δ at the output"

"""What the static editions (tools/build_html.py: the site and the slides) say where the lab edition is live: the
site's index shows lesson titles without markdown's backticks, and under an explorer's still a static page says what
the still shows and that the explorer is live in JupyterLab, never asking the reader to move a slider it cannot
move. Fast: no browser, no npm."""

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_html  # noqa: E402

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script", "title")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script", "title")

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


def visible_text(page: str) -> str:
    parser = VisibleText()
    parser.feed(page)
    return "".join(parser.text)


def test_the_index_shows_no_backticks():
    titles = [build_html.title_of(nbformat.read(path, as_version=4)) for path in LESSONS]
    assert any("`" in title for title in titles), "no lesson title has code in it any more: pick another case"
    rows = [f"<li>{build_html.inline_markdown(title)}</li>" for title in titles]
    page = build_html.site_index(rows)
    text = visible_text(page)
    assert "`" not in text, [line for line in text.splitlines() if "`" in line]
    assert "<code>yv</code>" in page
    assert build_html.inline_markdown("a <b> & `x < y`") == "a &lt;b&gt; &amp; <code>x &lt; y</code>"


def explorer_cells(nb):
    return [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            and any(build_html.EXPLORER_NOTE.split(":")[0] in o.get("text", "") for o in cell.outputs)]


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_a_static_explorer_says_what_its_still_shows_and_where_it_moves(path):
    nb = build_html.static_notebook(nbformat.read(path, as_version=4))
    for index in explorer_cells(nb):
        cell = nb.cells[index]
        note = next(o["text"] for o in cell.outputs if o.get("output_type") == "stream")
        assert "`" not in note and "JupyterLab" in note and "still image" in note, note
        figure = next(o for o in cell.outputs if "image/png" in o.get("data", {}))
        alt = figure["metadata"]["image/png"]["alt"].removeprefix("Figure: ")
        assert alt[1:].rstrip(".") in note, (alt, note)  # what the still shows: its alt text
        above = nb.cells[index - 1].source if nb.cells[index - 1].cell_type == "markdown" else ""
        asks = re.findall(r"(?:^|[.!?:]\s|\n)((?:Move|Slide|Drag|Pick)\b[^.]*)", above)
        assert not asks, f"{path.stem}: the text above a still asks to {asks[0]!r}"


def test_the_move_above_lesson_01s_explorer_is_said_for_jupyterlab():
    nb = build_html.static_notebook(nbformat.read(ROOT / "notebooks" / "01_sigmoid_gradient.ipynb", as_version=4))
    sources = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    assert any("In JupyterLab, move the slider." in source for source in sources)
    assert not any(re.search(r"(^|\n)Move the slider", source) for source in sources)


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_on_a_slide_an_explorers_still_shares_its_slide_with_a_one_line_note_above_it(path):
    nb = build_html.size_figures(build_html.static_notebook(nbformat.read(path, as_version=4), slides=True))
    note = build_html.SLIDE_EXPLORER_NOTE
    assert len(note) <= build_html.CODE_CHARS and "`" not in note  # one line of a slide, no markdown
    notes = 0
    for cell in nb.cells:
        kinds = ["note" if build_html.SLIDE_EXPLORER_NOTE in o.get("text", "") else
                 "figure" if "image/png" in o.get("data", {}) else "other" for o in cell.get("outputs", [])]
        if "note" not in kinds:
            continue
        assert kinds.index("note") == kinds.index("figure") - 1, kinds  # the line right above the figure
        figure = cell.outputs[kinds.index("figure")]["metadata"]["image/png"]
        assert figure["height"] <= build_html.FIGURE_BOX[1] - build_html.SLIDE_NOTE_HEIGHT
        notes += 1
    if path.stem == "01_sigmoid_gradient":
        assert notes == 1  # the tangent explorer: the test sees it
    for cell in build_html.split_long_cells(nb).cells:  # a cell too tall for one slide is split: never between them
        if any(note in o.get("text", "") for o in cell.get("outputs", [])):
            assert any("image/png" in o.get("data", {}) for o in cell.outputs), f"{path.stem}: a note without its still"

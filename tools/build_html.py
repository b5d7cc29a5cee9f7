"""Build the offline slides (`make slides`) and the course website (`make site`).

nbconvert's templates load reveal.js, RequireJS, jQuery and MathJax from CDNs, and the widget
manager from unpkg; a classroom may have no internet. This script installs those JavaScript
packages once with npm (exact versions in tools/web/package-lock.json, into build/vendor/), copies
what the pages need next to them and points nbconvert at the local copies. A widget needs a live
kernel: each widget cell shows instead the figure its widget last drew (kept in the notebook's
widget state), and an interactive explorer adds a short note on where to use it.

The decks are laid out for a 1280 × 720 projector (tools/web/offline_reveal.html.j2); a markdown cell
too long for one slide is split at build time into a slide and continuation subslides (the notebooks
are not edited). The site is self-contained: its "slides" links point at build/site/slides/.

Two editions. The learner's (the default) shows each exercise as its stub, hints and check, with no solution
(tools/student_edition.student_notebook, the function every learner edition is made with); the instructor's
(``--edition instructor``, `make site EDITION=instructor`) shows the solutions and their checks' outputs, and goes
to build/instructor/ unless OUT_DIR is given, so that it is never published by mistake in place of the learner's.

Usage: python tools/build_html.py slides|site [OUT_DIR] [--edition learner|instructor]
"""

from __future__ import annotations

import copy
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter, SlidesExporter
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from student_edition import student_notebook  # noqa: E402

EDITIONS = ("learner", "instructor")
VENDOR = ROOT / "build" / "vendor"
MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe,local/offline"
# MathJax 2's assistive MathML copy is meant to be invisible, but Chromium now renders MathML natively and it
# showed every formula twice on the slides; the course's own config switches it off.
LOCAL_MATHJAX_CONFIG = """MathJax.Hub.Config({menuSettings: {assistiveMML: false, CHTMLpreview: false},
                   "fast-preview": {disabled: true}, "CommonHTML": {scale: 100}});
MathJax.Ajax.loadComplete("[MathJax]/config/local/offline.js");
"""
# After nbconvert's own MathJax configuration (so it wins): no automatic line breaks (they broke formulas in table
# cells and list items one token per line; a formula stays on one line), and no MathJax menu or zoom, out of the tab
# order: a click on a formula must leave the keyboard with reveal.js (Space and → keep advancing).
COURSE_MATHJAX_CONFIG = """<script type="text/x-mathjax-config">
MathJax.Hub.Config({showMathMenu: false, showMathMenuMSIE: false,
                    menuSettings: {zoom: "None", inTabOrder: false},
                    CommonHTML: {linebreaks: {automatic: false}}, "HTML-CSS": {linebreaks: {automatic: false}},
                    SVG: {linebreaks: {automatic: false}}});
</script>
"""
SITE_MATH_CSS = "<style>.MathJax_CHTML { white-space: nowrap; }</style>\n"  # a formula never breaks mid-expression
# What the pages load, relative to node_modules/ (MathJax: only the CommonHTML output and its TeX fonts).
ASSETS = {
    "reveal.js": ["dist", "plugin"],
    "requirejs": ["require.js"],
    "jquery": ["dist/jquery.min.js"],
    "mathjax": ["MathJax.js", "config", "extensions", "jax/input/TeX", "jax/element", "jax/output/CommonHTML",
                "fonts/HTML-CSS/TeX/woff", "localization/en"],
}
# On a static page nothing moves: the note under an explorer's still says what the still shows and where the
# explorer is live (plain text: it is a stream output, where markdown's `backticks` would show as they are).
EXPLORER_NOTE = ("Interactive explorer, shown here as a still image: {shows}. Nothing moves on this page; open the "
                 "lesson in JupyterLab (make lab) and run the cell to move its controls.")
# On a slide the figure fills the slide: one line above it instead (CODE_CHARS long at most), so the two share it.
SLIDE_EXPLORER_NOTE = "Still image of the explorer at its default setting; live in JupyterLab (make lab)."
SLIDE_NOTE_HEIGHT = 30  # px: that line on the slide (cell_height counts it as 40)
EXPLORER_NOTE_NO_FIGURE = ("Interactive explorer: open this lesson in JupyterLab (make lab) and run the cell to use "
                           "it; this page cannot run it.")
# The sentence of a lesson asking for a move of a control, in the markdown right above an explorer: on a static
# page it is said for JupyterLab ("In JupyterLab, move the slider.").
CONTROL_VERBS = re.compile(r"(^|(?<=[.!?:]\s)|(?<=\n))(Move|Slide|Drag|Pick|Change|Click|Press|Choose) ")


# JupyterLab's light theme misses WCAG AA contrast (4.5:1) on the grey code background for numbers, comments,
# operators and the In [n] prompts (dimmed further by their opacity), and its links differ from text by colour
# only; axe-core flags both as serious (tests/browser/test_site_accessibility.py). Darker shades of the same
# hues, full opacity, and underlined links.
SITE_CSS = """<style id="course-a11y">
:root { --jp-mirror-editor-number-color: #006400; --jp-mirror-editor-comment-color: #2e5d5d;
        --jp-mirror-editor-operator-color: #7a14c2; --jp-cell-inprompt-font-color: #1d5a8e;
        --jp-cell-outprompt-font-color: #a3361a; }
.highlight .mf, .highlight .mi, .highlight .mh, .highlight .mo, .highlight .m { color: #006400; }
.highlight .c, .highlight .c1, .highlight .cm { color: #2e5d5d; }
.highlight .ow, .highlight .o { color: #7a14c2; }
.jp-InputPrompt, .jp-OutputPrompt { opacity: 1 !important; }
.jp-InputPrompt { color: #1d5a8e !important; }
.jp-Notebook a[href] { text-decoration: underline !important; }
</style>
"""


def ensure_vendor() -> Path:
    modules = VENDOR / "node_modules"
    lock = (ROOT / "tools" / "web" / "package-lock.json").read_bytes()
    installed = VENDOR / "package-lock.json"
    # (re)install when missing or when tools/web's lock changed since (e.g. axe-core added for the browser tests)
    if not (modules / "mathjax" / "MathJax.js").exists() or not installed.exists() or installed.read_bytes() != lock:
        VENDOR.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(ROOT / "tools" / "web" / name, VENDOR / name)
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=VENDOR, check=True)
    return modules


def copy_assets(out: Path) -> None:
    modules = ensure_vendor()
    for package, parts in ASSETS.items():
        for part in parts:
            source, target = modules / package / part, out / "vendor" / package / part
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                shutil.copy2(source, target)
    write_mathjax_config(out)


def write_mathjax_config(out: Path) -> None:
    target = out / "vendor" / "mathjax" / "config" / "local" / "offline.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(LOCAL_MATHJAX_CONFIG, encoding="utf-8")


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Controls that make a widget an explorer one plays with (rather than a live figure that only updates itself).
CONTROLS = ("Slider", "Dropdown", "Select", "Button", "Checkbox", "Text", "Toggle", "Radio", "Play")


def widget_figures(state: dict, model_id: str) -> tuple[list, bool]:
    """The image outputs the widget `model_id` (and the widgets inside it) showed when the notebook was saved,
    and whether it has controls."""
    images, controls, seen, todo = [], False, set(), [model_id]
    while todo:
        mid = todo.pop(0)
        if mid in seen or mid not in state:
            continue
        seen.add(mid)
        model = state[mid]
        controls = controls or any(word in model.get("model_name", "") for word in CONTROLS)
        widget_state = model.get("state", {})
        for output in widget_state.get("outputs", []):
            if any(key.startswith("image/") for key in output.get("data", {})):
                data = {k: v for k, v in output["data"].items() if k.startswith("image/") or k == "text/plain"}
                images.append(nbformat.v4.new_output("display_data", data=data,
                                                     metadata=output.get("metadata", {})))
        for child in widget_state.get("children", []):
            if isinstance(child, str) and child.startswith("IPY_MODEL_"):
                todo.append(child.removeprefix("IPY_MODEL_"))
    return images, controls


def static_notebook(nb, slides: bool = False):
    """A copy without widget state: each widget cell shows the figure its widget last drew (from the stored
    widget state), an explorer with controls adds a note that it is live in JupyterLab; without a stored figure,
    only the note. For the slides (``slides=True``) the note is one line above the figure (SLIDE_EXPLORER_NOTE)."""
    nb = static_questionnaires(copy.deepcopy(nb))
    state = nb.metadata.pop("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        views = [o["data"][WIDGET_VIEW]["model_id"] for o in cell.outputs if WIDGET_VIEW in o.get("data", {})]
        if not views:
            continue
        figures, controls = [], False
        for model_id in views:
            images, has_controls = widget_figures(state, model_id)
            figures += images
            controls = controls or has_controls
        kept = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {}) and o.output_type != "stream"]
        if slides and figures:
            note = [nbformat.v4.new_output("stream", name="stdout", text=SLIDE_EXPLORER_NOTE + "\n")]
            cell.outputs = kept + (note if controls else []) + figures[-1:]
        else:
            note = [nbformat.v4.new_output("stream", name="stdout", text=explorer_note(figures[-1:]) + "\n")]
            cell.outputs = kept + figures[-1:] + (note if controls or not figures else [])
        if controls and index and nb.cells[index - 1].cell_type == "markdown":
            above = nb.cells[index - 1]
            above.source = CONTROL_VERBS.sub(lambda m: f"{m[1]}In JupyterLab, {m[2].lower()} ", above.source)
    return nb


QUESTIONNAIRE = re.compile(r"""^\s*questionnaire\(\s*["'](\d\d)["']\s*\)\s*$""", re.M)


def static_questionnaires(nb):
    """Each questionnaire cell (``questionnaire("NN")``, widgets) replaced by one markdown cell per question: the
    question, then its answer and explanation in a collapsed <details> (nblib.quiz.static_markdown). On slides the
    questions share a slide while they fit SLIDE_BUDGET with every answer open (the first joins the slide of the
    cell before it); the next starts a subslide. Changes ``nb`` in place and returns it."""
    from nblib.quiz import static_markdown

    cells = []
    for cell in nb.cells:
        match = QUESTIONNAIRE.search(cell.source) if cell.cell_type == "code" else None
        if not match:
            cells.append(cell)
            continue
        used = cell_height(cells[-1]) if cells else 0.0
        for n, text in enumerate(static_markdown(match[1]), 1):
            question = nbformat.v4.new_markdown_cell(text)
            question["id"] = f"{cell.get('id', 'quiz')}-q{n}"[:64]
            question.metadata = {"slideshow": {"slide_type": "-"}}
            height = cell_height(question)
            if used + height > SLIDE_BUDGET:
                set_slide_type(question, "subslide")
                used = 0.0
            used += height
            cells.append(question)
    nb.cells = cells
    return nb


def explorer_note(figures: list) -> str:
    """What a static page says under an explorer: what its still shows (the figure's alt text) and where it is live."""
    if not figures:
        return EXPLORER_NOTE_NO_FIGURE
    alt = figures[0].get("metadata", {}).get("image/png", {}).get("alt", "")
    shows = alt.removeprefix("Figure: ").rstrip(".") or "the figure it draws at its default setting"
    return EXPLORER_NOTE.format(shows=f"its default setting, {shows[0].lower()}{shows[1:]}" if alt else shows)


# Splitting cells too long for one slide. The deck is 1280 × 720 (tools/web/offline_reveal.html.j2); these
# estimate, in its pixels, how tall a cell renders (the browser test tests/browser/test_slides_walk.py measures the
# real thing at 1280 × 720 and 1920 × 1080 and fails on any state that does not fit).
SLIDE_BUDGET = 470  # px of content per slide (720 less reveal's margin and the cell paddings)
TEXT_CHARS, TEXT_LINE = 96, 27  # characters per line and line height of markdown text (20 px font, ~1100 px wide)
CODE_CHARS, CODE_LINE = 90, 24  # the same for code and text output (19 px monospace)
IMAGE_MAX = 400  # px: the height assumed for a PNG whose size cannot be read
# A figure fills the slide: it is scaled (up or down) to the largest size that fits this box, the room a slide has
# under a one-line "(continued)" heading (tools/web/offline_reveal.html.j2 hides the Out[ ] prompt of figures, so
# the box is the slide's width). On a 1280 × 720 projector reveal.js draws the deck at 0.97 (its 3 % margin).
FIGURE_BOX = (1240, 550)  # px: width, height
FIGURE_HEIGHT = 570  # px: what such a figure adds to its cell's height (the image and the output area's padding)
LIST_MARK = re.compile(r"^(\d+[.)]|[-*+])\s")
STARTS = ("slide", "subslide")
OUTPUT_ONLY = "slides-output-only"  # a continuation that shows the outputs of the cell before it
CONTINUES = "slides_continues"  # metadata of a cell that starts a continuation subslide (removed before export)
CONTINUED = 44  # px: the "… (continued)" heading a continuation subslide opens with (one line: ≤ 60 characters)
CONTINUED_CHARS = 60


def slide_type(cell) -> str:
    return cell.metadata.get("slideshow", {}).get("slide_type", "-") or "-"


def set_slide_type(cell, kind: str) -> None:
    cell.metadata = copy.deepcopy(cell.metadata)
    cell.metadata.setdefault("slideshow", {})["slide_type"] = kind


def text_height(text: str, chars: int = TEXT_CHARS) -> float:
    # LaTeX source is longer than what it renders: count inline maths at half its length.
    text = re.sub(r"\$([^$]+)\$", lambda m: "x" * (len(m[1]) // 2 + 1), text)
    return sum(max(1, -(-len(line) // chars)) for line in text.split("\n") if line.strip()) * TEXT_LINE


def block_height(block: str) -> float:
    """Estimated rendered height of one markdown block (a paragraph, list item, heading, display formula...)."""
    stripped = block.strip()
    if not stripped:
        return 0
    if stripped.startswith("#"):
        return 52 + max(0, len(stripped) - 60) // 60 * 40
    if stripped.startswith("$$") or stripped.startswith("\\begin"):
        rows = stripped.count("\\\\") + 1
        tall = len(re.findall(r"\\(?:frac|sum|prod|begin\{[pb]?matrix)", stripped))  # taller than a text line
        return 36 + 42 * rows + 14 * tall
    if stripped.startswith("```"):
        return 24 + CODE_LINE * (stripped.count("\n") - 1)
    if stripped.startswith("|"):
        return 12 + sum(row_height(line) for line in stripped.split("\n") if line.startswith("|"))
    if stripped.startswith(">"):
        return 24 + text_height(stripped, TEXT_CHARS - 8)
    height = 14 + text_height(stripped, TEXT_CHARS - (6 if LIST_MARK.match(stripped) else 0))
    display = len(re.findall(r"\$\$", stripped)) // 2  # display maths inside a paragraph or list item
    fractions = len(re.findall(r"\\(?:frac|sum)", stripped))  # inline fractions and sums make lines taller
    return height + 60 * display + 6 * fractions


def row_height(line: str) -> float:
    """A markdown table row: as tall as its longest cell wraps (18 px text, the columns sharing ~1100 px)."""
    if re.fullmatch(r"[|\s:-]+", line):
        return 0
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    chars = TEXT_CHARS * 1.1 / max(len(cells), 1)
    text = [re.sub(r"\$([^$]+)\$", lambda m: "x" * (len(m[1]) // 2 + 1), c) for c in cells]
    return 30 + 30 * max(max(1, -(-len(t) // max(chars - 4, 4))) for t in text)


def split_table(block: str) -> list[str]:
    """A markdown table as tables of a few rows each, every one with the header (blocks of one slide or less)."""
    lines = block.strip("\n").split("\n")
    if len(lines) < 3 or not re.fullmatch(r"[|\s:-]+", lines[1]):
        return [block]
    head, rows, pieces, current, used = lines[:2], lines[2:], [], [], row_height(lines[0])
    for row in rows:
        if current and used + row_height(row) > SLIDE_BUDGET - 80:
            pieces.append("\n".join(head + current))
            current, used = [], row_height(lines[0])
        current.append(row)
        used += row_height(row)
    pieces.append("\n".join(head + current))
    return [piece + "\n" for piece in pieces]


def markdown_blocks(source: str) -> list[str]:
    """The source cut before each paragraph, top-level list item, heading and display formula, never inside a
    display formula or a fenced block; joined back together the blocks give the source again."""
    blocks, current, in_math, in_fence, blank = [], [], False, False, False
    for line in source.split("\n"):
        starts = not in_math and not in_fence and current and (
            (blank and line.strip()) or LIST_MARK.match(line) or line.startswith("#")
            or (line.strip().startswith("$$") and current[-1].strip() == ""))
        if starts:
            blocks.append("\n".join(current))
            current = []
        current.append(line)
        if line.strip().startswith("```"):
            in_fence = not in_fence
        elif not in_fence and line.count("$$") % 2:
            in_math = not in_math
        blank = not line.strip()
    if current:
        blocks.append("\n".join(current))
    return [piece for block in blocks for piece in
            (split_table(block) if block.strip().startswith("|") else [block])]


def png_size(data: str) -> tuple[int, int] | None:
    """Width and height of a base64 PNG, from its IHDR chunk; None if it is not a PNG."""
    import base64
    import struct

    try:
        head = base64.b64decode(data[:64])
        width, height = struct.unpack(">II", head[16:24])
    except (ValueError, struct.error):
        return None
    return (width, height) if head.startswith(b"\x89PNG") and width and height else None


def png_height(output) -> float:
    """Height of an image output on a slide: the size :func:`size_figures` gave it, else its own (at most 1100 px
    wide and IMAGE_MAX tall)."""
    data, metadata = output["data"]["image/png"], output.get("metadata", {}).get("image/png", {})
    if metadata.get("slide_figure"):
        return float(metadata["height"]) + FIGURE_HEIGHT - FIGURE_BOX[1]
    size = png_size(data)
    if size is None:
        return IMAGE_MAX
    width, height = size
    return min(IMAGE_MAX, height * min(1.0, 1100 / max(width, 1)))


def figure_text_px(data: str) -> float | None:
    """The smallest text of a figure's PNG in its own pixels, as nblib.plots.tag_png recorded it; None for a PNG
    made without it (a notebook executed before the course recorded it)."""
    import base64

    from nblib.plots import png_text_px

    try:
        return png_text_px(base64.b64decode(data))
    except ValueError:
        return None


def size_figures(nb):
    """Every PNG output of the deck scaled to fill :data:`FIGURE_BOX` (keeping its aspect ratio): its metadata gets
    the slide ``width`` and ``height`` (px) the template writes on the <img>, and ``text_px``, the smallest text
    in the PNG's pixels, which the template writes as data-text-px for the browser test."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        noted = any(SLIDE_EXPLORER_NOTE in o.get("text", "") for o in cell.get("outputs", []))
        room = FIGURE_BOX[1] - (SLIDE_NOTE_HEIGHT if noted else 0)  # an explorer's still shares its slide
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            size = png_size(data["image/png"]) if "image/png" in data else None
            if size is None:
                continue
            width, height = size
            scale = min(FIGURE_BOX[0] / width, room / height)
            metadata = output.setdefault("metadata", {}).setdefault("image/png", {})
            metadata.update(width=round(width * scale), height=round(height * scale), slide_figure=True)
            text_px = figure_text_px(data["image/png"])
            if text_px is not None:
                metadata["text_px"] = text_px
    return nb


def cell_height(cell) -> float:
    if cell.cell_type == "markdown":
        return sum(block_height(b) for b in markdown_blocks(cell.source))
    if cell.cell_type != "code":
        return 0
    height = 30 + sum(max(1, -(-len(line) // CODE_CHARS)) for line in cell.source.split("\n")) * CODE_LINE
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data:
            height += 10 + png_height(output)
        elif output.get("output_type") == "stream" or "text/plain" in data:
            text = output.get("text", "") or "".join(data.get("text/plain", ""))
            height += 16 + sum(max(1, -(-len(line) // CODE_CHARS)) for line in text.split("\n")) * CODE_LINE
        elif "text/html" in data:
            height += 200
    return height


def split_markdown(cell, room: float) -> list:
    """A markdown cell taller than the `room` left on its slide as several cells: the first keeps the cell's slide
    type, each later one starts a continuation subslide (with a whole slide's room)."""
    parts, current, used = [], [], 0.0
    for block in markdown_blocks(cell.source):
        height = block_height(block)
        if current and used + height > (room if not parts else SLIDE_BUDGET - CONTINUED):
            parts.append(current)
            current, used = [], 0.0
        current.append(block)
        used += height
    parts.append(current)
    cells = []
    for i, blocks in enumerate(parts):
        part = copy.deepcopy(cell)
        part.source = "\n".join(blocks).strip("\n")
        if i:
            set_slide_type(part, "subslide")
            part.metadata[CONTINUES] = True
        cells.append(part)
    return cells


def stream_lines(output) -> int:
    return output.get("text", "").count("\n") + 1


def split_code(cell, continues: bool = False) -> list:
    """A code cell whose input and outputs are too tall for one slide: the input (with what fits of its outputs),
    then the rest of the outputs on continuation subslides without the input (tag OUTPUT_ONLY); long text output
    is cut between lines."""
    outputs = []
    for output in cell.outputs:
        if output.get("output_type") == "stream" and stream_lines(output) * CODE_LINE > SLIDE_BUDGET - 40:
            lines, per = output["text"].split("\n"), int((SLIDE_BUDGET - 40) // CODE_LINE)
            outputs += [nbformat.v4.new_output("stream", name=output.get("name", "stdout"),
                                               text="\n".join(lines[i:i + per]) + "\n" * (i + per < len(lines)))
                        for i in range(0, len(lines), per)]
        else:
            outputs.append(output)
    groups, current = [], copy.deepcopy(cell)
    current.outputs = []
    # Code too long for one slide: cut between top-level statements (at blank lines); the later parts show as
    # highlighted Python on continuation subslides.
    chunks, lines, used = [], [], 0.0
    for line in cell.source.split("\n"):
        if lines and not line.strip() and used > SLIDE_BUDGET - 120:
            chunks.append("\n".join(lines).strip("\n"))
            lines, used = [], 0.0
        lines.append(line)
        used += max(1, -(-len(line) // CODE_CHARS)) * CODE_LINE
    current.source = "\n".join(lines).strip("\n") if not chunks else chunks[0]
    for chunk in chunks[1:] + (["\n".join(lines).strip("\n")] if chunks else []):
        groups.append(current)
        current = nbformat.v4.new_markdown_cell(f"```python\n{chunk}\n```")
        set_slide_type(current, "subslide")
        current.metadata[CONTINUES] = True

    def output_only(output):
        part = copy.deepcopy(cell)
        part.source, part.outputs = "", list(output)
        part.metadata.setdefault("tags", []).append(OUTPUT_ONLY)
        set_slide_type(part, "subslide")
        part.metadata[CONTINUES] = True
        return part

    # An explorer's one-line note stays with the still it is about (static_notebook puts it right above it).
    units = []
    for output in outputs:
        if units and len(units[-1]) == 1 and SLIDE_EXPLORER_NOTE in units[-1][0].get("text", ""):
            units[-1].append(output)
        else:
            units.append([output])
    for output in units:
        if current.cell_type == "markdown":  # the last part of a long input: its outputs go on
            groups.append(current)
            current = output_only(output)
            continue
        trial = copy.deepcopy(current)
        trial.outputs = [*current.outputs, *output]
        if cell_height(trial) > SLIDE_BUDGET - (CONTINUED if groups or continues else 0):
            groups.append(current)
            current = output_only(output)
        else:
            current = trial
    groups.append(current)
    return groups


def renumber(pieces: list, cell) -> list:
    """Pieces of one cell get ids of their own (nbformat wants them unique)."""
    for i, piece in enumerate(pieces[1:], 1):
        piece["id"] = f"{cell.get('id', 'cell')}-{i}"[:64]
    return pieces


def split_long_cells(nb):
    """Cells that would reach past the bottom of a 1280 × 720 slide start a continuation subslide; a markdown
    cell too long on its own is cut between paragraphs or list items. The notebooks on disk are not changed."""
    nb = copy.deepcopy(nb)
    cells, used = [], 0.0
    for cell in nb.cells:
        kind = slide_type(cell)
        if kind in ("skip", "notes"):
            cells.append(cell)
            continue
        if kind in STARTS or not cells:
            used = 0.0
        height = cell_height(cell)
        if used and used + height > SLIDE_BUDGET:
            set_slide_type(cell, "subslide")  # a fragment that would not fit becomes the next subslide
            used = 0.0
            if not SLIDE_BUDGET - CONTINUED < height <= SLIDE_BUDGET:  # else it needs the whole slide to itself
                cell.metadata[CONTINUES] = True
                used = CONTINUED
        if cell.cell_type == "code" and height > SLIDE_BUDGET - used and (cell.get("outputs") or height > SLIDE_BUDGET):
            pieces = renumber(split_code(cell, cell.metadata.get(CONTINUES, False)), cell)
            if cell_height(pieces[0]) > SLIDE_BUDGET - CONTINUED:  # code that cannot be cut: the whole slide
                pieces[0].metadata.pop(CONTINUES, None)
            cells.extend(pieces)
            used = cell_height(pieces[-1])
            continue
        if cell.cell_type == "markdown" and height > SLIDE_BUDGET - used:
            pieces = renumber(split_markdown(cell, SLIDE_BUDGET - used), cell)
            cells.extend(pieces)
            used = cell_height(pieces[-1]) if len(pieces) > 1 else used + height
            continue
        cells.append(cell)
        used += height
    nb.cells = with_continued_headings(cells)
    return nb


HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$", re.M)


def one_line(heading: str, chars: int = CONTINUED_CHARS) -> str:
    """A heading short enough for one line of a continuation's title: cut at a word, with "…"."""
    if len(heading) <= chars:
        return heading
    return heading[:chars].rsplit(" ", 1)[0].rstrip(" —:,") + " …"


def with_continued_headings(cells: list) -> list:
    """Each continuation subslide (marked CONTINUES by the splitting) opens with the heading of the slide it
    continues, "… (continued)", so a slide shown on its own still says what it is about."""
    out, heading = [], None
    for cell in cells:
        if cell.metadata.pop(CONTINUES, False) and heading:
            title = nbformat.v4.new_markdown_cell(f"#### {one_line(heading)} (continued)")
            title["id"] = f"{cell.get('id', 'cell')}-heading"[:64]
            set_slide_type(title, "subslide")
            set_slide_type(cell, "-")
            out.append(title)
        heading = last_heading(cell) or heading
        out.append(cell)
    return out


def last_heading(cell) -> str | None:
    """The text of a markdown cell's last heading (level 1–3; not a comment inside a code block), or None."""
    if cell.cell_type != "markdown":
        return None
    found = HEADING.findall(re.sub(r"```.*?```", "", cell.source, flags=re.S))
    return found[-1][1] if found else None


def configure(exporter) -> None:
    exporter.environment.globals["course_mathjax_config"] = COURSE_MATHJAX_CONFIG
    exporter.require_js_url = "vendor/requirejs/require.js"
    exporter.jquery_url = "vendor/jquery/dist/jquery.min.js"
    exporter.mathjax_url = f"vendor/mathjax/MathJax.js?config={MATHJAX_CONFIG}"


def title_of(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if match:
                return match[1].strip()
    return "Untitled"


def lessons(source: Path | None = None):
    return sorted((source or ROOT / "notebooks").glob("*.ipynb"))


def read_lesson(path: Path, edition: str):
    """A lesson as ``edition`` shows it: "learner" (exercises as stubs, no solution) or "instructor" (as written)."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {', '.join(EDITIONS)}, got {edition!r}")
    nb = nbformat.read(path, as_version=4)
    return student_notebook(nb) if edition == "learner" else nb


def relink(body: str, suffix: str) -> str:
    """Links between lessons point at the .ipynb files; point them at the built pages instead."""
    return re.sub(r'href="(\d\d_[\w-]+)\.ipynb', lambda m: f'href="{m[1]}{suffix}', body)


def build_slides(out: Path, edition: str = "learner", source: Path | None = None) -> list[Path]:
    """The decks of the lessons in ``source`` (default notebooks/; e.g. a freshly executed copy) in ``out``, as
    ``edition`` shows them."""
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = {OUTPUT_ONLY}
    exporter = SlidesExporter(config=config, template_file=str(ROOT / "tools" / "web" / "offline_reveal.html.j2"))
    exporter.reveal_url_prefix = "vendor/reveal.js"
    exporter.reveal_scroll = False  # a slide never scrolls: long cells are split (split_long_cells)
    exporter.reveal_theme = "white"  # "simple" (the default) imports Google Fonts; "white" ships its font
    configure(exporter)
    written = []
    for path in lessons(source):
        nb = split_long_cells(size_figures(static_notebook(read_lesson(path, edition), slides=True)))
        body, _ = exporter.from_notebook_node(nb)
        target = out / f"{path.stem}.slides.html"
        target.write_text(relink(body, ".slides.html"), encoding="utf-8")
        written.append(target)
    return written


def build_site(out: Path, edition: str = "learner") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    exporter = HTMLExporter(template_name="lab", template_file=str(ROOT / "tools" / "web" / "site_lab.html.j2"))
    configure(exporter)
    build_slides(out / "slides", edition)  # the site links to its own decks: publishing build/site is enough
    rows, written = [], []
    for path in lessons():
        nb = read_lesson(path, edition)
        body, _ = exporter.from_notebook_node(static_notebook(nb))
        body = body.replace("</head>", COURSE_MATHJAX_CONFIG + SITE_MATH_CSS + SITE_CSS + "</head>", 1)
        target = out / f"{path.stem}.html"
        target.write_text(relink(body, ".html"), encoding="utf-8")
        written.append(target)
        rows.append(f'<li><a href="{target.name}">{inline_markdown(title_of(nb))}</a> '
                    f'(<a href="slides/{path.stem}.slides.html">slides</a>)</li>')
    index = out / "index.html"
    index.write_text(site_index(rows), encoding="utf-8")
    return [index, *written]


def inline_markdown(text: str) -> str:
    """A lesson title as HTML: escaped, its `code` spans as <code> (the title is markdown; its backticks are not
    meant to be seen)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def site_index(rows: list[str]) -> str:
    """The site's front page: what the pages are, and one list item per lesson."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Backprop by Hand</title>"
        "<style>body{font-family:sans-serif;max-width:46em;margin:2em auto;font-size:18px;line-height:1.5}"
        "li{margin:.4em 0}</style></head>\n<body><h1>Backprop by Hand</h1>\n<p>Backpropagation derived, executed, "
        "checked numerically and seen in a plot — one lesson per article. These pages are the lessons with their "
        "outputs, readable offline; each explorer shows as a still image of its default setting. To run the lessons "
        "and move the explorers' controls, open the course in JupyterLab (make lab).</p>\n<ol>\n"
        + "\n".join(rows) + "\n</ol>\n</body></html>\n")


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python tools/build_html.py", description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("slides", "site"))
    parser.add_argument("out", nargs="?", type=Path, help="default: build/slides or build/site (learner), "
                        "build/instructor/slides or build/instructor/site (instructor)")
    parser.add_argument("--edition", choices=EDITIONS, default="learner")
    args = parser.parse_args(argv)
    out = args.out or ROOT / "build" / ("instructor" if args.edition == "instructor" else "") / args.what
    for p in (build_slides if args.what == "slides" else build_site)(out, args.edition):
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

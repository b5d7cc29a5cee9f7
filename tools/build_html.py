"""Build the offline slides (`make slides`) and the course website (`make site`).

nbconvert's templates load reveal.js, RequireJS, jQuery and MathJax from CDNs, and the widget
manager from unpkg; a classroom may have no internet. This script installs those JavaScript
packages once with npm (exact versions in tools/web/package-lock.json, into build/vendor/), copies
what the pages need next to them, points nbconvert at the local copies, and replaces each
interactive explorer's output (which needs a live kernel) with a short note.

Usage: python tools/build_html.py slides|site [OUT_DIR]
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

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "build" / "vendor"
MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe,local/offline"
# MathJax 2's assistive MathML copy is meant to be invisible, but Chromium now renders MathML natively and it
# showed every formula twice on the slides; the course's own config switches it off.
LOCAL_MATHJAX_CONFIG = """MathJax.Hub.Config({menuSettings: {assistiveMML: false, CHTMLpreview: false},
                   "fast-preview": {disabled: true}, "CommonHTML": {scale: 100}});
MathJax.Ajax.loadComplete("[MathJax]/config/local/offline.js");
"""
# What the pages load, relative to node_modules/ (MathJax: only the CommonHTML output and its TeX fonts).
ASSETS = {
    "reveal.js": ["dist", "plugin"],
    "requirejs": ["require.js"],
    "jquery": ["dist/jquery.min.js"],
    "mathjax": ["MathJax.js", "config", "extensions", "jax/input/TeX", "jax/element", "jax/output/CommonHTML",
                "fonts/HTML-CSS/TeX/woff", "localization/en"],
}
EXPLORER_NOTE = ("Interactive explorer: open this lesson in JupyterLab (`make lab`) and run the cell to use it.")


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


def static_notebook(nb):
    """A copy without widget state, each explorer's output replaced by a note."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell.outputs):
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=EXPLORER_NOTE + "\n")]
    return nb


def configure(exporter) -> None:
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


def lessons():
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def relink(body: str, suffix: str) -> str:
    """Links between lessons point at the .ipynb files; point them at the built pages instead."""
    return re.sub(r'href="(\d\d_[\w-]+)\.ipynb', lambda m: f'href="{m[1]}{suffix}', body)


def build_slides(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    exporter = SlidesExporter(template_file=str(ROOT / "tools" / "web" / "offline_reveal.html.j2"))
    exporter.reveal_url_prefix = "vendor/reveal.js"
    exporter.reveal_scroll = True
    exporter.reveal_theme = "white"  # "simple" (the default) imports Google Fonts; "white" ships its font
    configure(exporter)
    written = []
    for path in lessons():
        body, _ = exporter.from_notebook_node(static_notebook(nbformat.read(path, as_version=4)))
        target = out / f"{path.stem}.slides.html"
        target.write_text(relink(body, ".slides.html"), encoding="utf-8")
        written.append(target)
    return written


def build_site(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    exporter = HTMLExporter(template_name="lab", template_file=str(ROOT / "tools" / "web" / "site_lab.html.j2"))
    configure(exporter)
    rows, written = [], []
    for path in lessons():
        nb = nbformat.read(path, as_version=4)
        body, _ = exporter.from_notebook_node(static_notebook(nb))
        body = body.replace("</head>", SITE_CSS + "</head>", 1)
        target = out / f"{path.stem}.html"
        target.write_text(relink(body, ".html"), encoding="utf-8")
        written.append(target)
        rows.append(f'<li><a href="{target.name}">{html.escape(title_of(nb))}</a> '
                    f'(<a href="../slides/{path.stem}.slides.html">slides</a>)</li>')
    index = out / "index.html"
    index.write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Backprop by Hand</title>"
        "<style>body{font-family:sans-serif;max-width:46em;margin:2em auto;font-size:18px;line-height:1.5}"
        "li{margin:.4em 0}</style></head>\n<body><h1>Backprop by Hand</h1>\n<p>Backpropagation derived, executed, "
        "checked numerically and seen in a plot — one lesson per article. These pages are the lessons with their "
        "outputs, readable offline; to run them and use the explorers, open the course in JupyterLab.</p>\n<ol>\n"
        + "\n".join(rows) + "\n</ol>\n</body></html>\n", encoding="utf-8")
    return [index, *written]


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what not in ("slides", "site"):
        sys.exit("usage: python tools/build_html.py slides|site [OUT_DIR]")
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "build" / what
    for p in (build_slides if what == "slides" else build_site)(out):
        print(f"wrote {p}")

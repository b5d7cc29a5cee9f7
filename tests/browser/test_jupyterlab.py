"""Every lesson in a real JupyterLab, driven by Playwright in Debian's Chromium.

JupyterLab is loaded once, in one page; each lesson is opened in it with JupyterLab's own command
(docmanager:open) and closed afterwards, its kernel shut down. For each lesson: open it, wait for the kernel to be idle
(status bar), run all cells, check that no error appears and every figure rendered, then move every explorer's slider
to its end, back to its start and one step (or choose its dropdown's last option) and check that its output changed
each time. Every figure carries its alt text (the course's extension, tools/lab_alt_text/): opened unrun, the
stored one; in lessons 01 and 02, the kernel's, after Run All and after the slider moves. Screenshots go to
build/browser/. Skipped, with the reason, without Chromium or Playwright.
"""

from __future__ import annotations

import contextlib
import json
import re
import urllib.request
from pathlib import Path

import pytest
from labserver import running_lab

from .chromium import ROOT, SHOTS, launch

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def explorer_cells(path: Path) -> int:
    """Code cells of the lesson that show an explorer (a call of an ``…_explorer(`` function)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum(bool(re.search(r"\b\w+_explorer\(", "".join(c["source"]))) for c in nb["cells"]
               if c["cell_type"] == "code")


def stored_figures(path: Path) -> int:
    """PNG figures stored in the notebook outside widget cells (what must render again)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    count = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "nbval-ignore-output" in cell.get("metadata", {}).get("tags", []):
            continue
        count += sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
    return count


# The course's JupyterLab extension (tools/lab_alt_text/) puts an image output's metadata["image/png"]["alt"] on its
# <img>, which JupyterLab's own renderer leaves without one: checked on every lesson opened unrun, and on the live
# figures of lessons 01 and 02 after Run All and slider moves.
WIDGET = "application/vnd.jupyter.widget-view+json"


def stored_alts(path: Path, widgets_only: bool = False) -> list[str | None]:
    """The stored alt text of every PNG output, in the order the notebook shows them (None: stored without one)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [o.get("metadata", {}).get("image/png", {}).get("alt")
            for cell in nb["cells"] if cell["cell_type"] == "code" for o in cell.get("outputs", [])
            if "image/png" in o.get("data", {}) and (WIDGET in o["data"] or not widgets_only)]


# Lessons whose live figures' alt text is checked after Run All and the slider moves: 01 has one slider explorer,
# 02 two (one of them the computation graph's).
LIVE = {"01", "02"}

# Every <img> an output area renders, with the alt text of the output model it renders: JupyterLab's OutputArea
# widgets are found in the Lumino widget tree (ipywidgets' Output widgets are OutputAreas too) and their i-th child
# is paired with their model's i-th output. Only an output's own <img> counts (not one of a nested output area).
RENDERED = """() => {
  const found = [];
  const visit = widget => {
    if (widget.model && Array.isArray(widget.widgets) && typeof widget.model.get === 'function') {
      widget.widgets.forEach((child, i) => {
        const output = widget.model.get(i);
        const metadata = (output && output.metadata && output.metadata['image/png']) || {};
        for (const img of child.node.querySelectorAll(':scope > .jp-OutputArea-output > img')) {
          found.push({alt: img.getAttribute('alt'), stored: metadata.alt ?? null,
                      inWidget: img.closest('.widget-output') !== null, decoded: img.complete && img.naturalWidth > 0,
                      src: img.src.length + img.src.slice(-64)});
        }
      });
    }
    for (const child of widget.children()) visit(child);
  };
  visit(window.jupyterapp.shell);
  return found;
}"""
IMG_ALTS = "() => [...document.querySelectorAll('.jp-OutputArea-output img')].map(i => i.getAttribute('alt'))"


def lab_settings(folder: Path) -> Path:
    """User settings for the test server: no autosave (the lessons on disk must not change while a browser
    runs them), no news pop-up, no windowed rendering."""
    settings = {
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                            "checkForUpdates": False},
        # Every cell rendered, not only those near the viewport, so a test can count a whole lesson's outputs.
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }
    for name, value in settings.items():
        target = folder / "settings" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = lab_settings(tmp_path_factory.mktemp("lab"))
    before = {p.name: p.read_bytes() for p in LESSONS}
    flags = (f"--no-browser --LabApp.expose_app_in_browser=True --LabApp.user_settings_dir={folder / 'settings'} "
             f"--LabApp.workspaces_dir={folder / 'workspaces'}")
    with running_lab(flags) as server:
        yield server
    changed = [p.name for p in LESSONS if p.read_bytes() != before[p.name]]
    assert not changed, f"the browser run changed lessons on disk: {changed}"


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    with launch(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


# JupyterLab's application (window.jupyterapp, exposed by --LabApp.expose_app_in_browser) has restored its layout.
APP_READY = "() => window.jupyterapp && window.jupyterapp.restored.then(() => true)"
# Open a document with JupyterLab's own command, as the file browser does, and wait until its content is loaded.
OPEN = """async path => {
  const widget = await window.jupyterapp.commands.execute('docmanager:open', {path});
  await widget.context.ready;
}"""
# Close every document of the main area without the "Save changes?" dialog: the test never saves (autosave is off).
CLOSE_ALL = """() => {
  for (const widget of Array.from(window.jupyterapp.shell.widgets('main'))) {
    if (widget.context && widget.context.model) widget.context.model.dirty = false;
    widget.dispose();
  }
}"""


def open_lab(page, base: str, token: str) -> None:
    page.goto(f"{base}/lab/workspaces/browser-tests?reset&token={token}")
    page.wait_for_function(APP_READY)


@pytest.fixture(scope="module")
def lab_page(lab, browser_context):
    """One page with JupyterLab loaded once for every lesson of the module (loading it costs seconds of CPU)."""
    base, token, _ = lab
    page = browser_context.new_page()
    page.set_default_timeout(60_000)
    open_lab(page, base, token)
    yield page
    page.close()


@contextlib.contextmanager
def lesson_open(page, lab, path: Path):
    """``path`` opened in the module's JupyterLab page, alone in the main area; closed afterwards and its kernel shut
    down, whatever happened (a page left broken by a failure is reloaded, so the next lesson starts clean)."""
    base, token, _ = lab
    page.evaluate(OPEN, f"notebooks/{path.name}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    try:
        yield page
    finally:
        try:
            page.evaluate(CLOSE_ALL)
            page.wait_for_function("() => !document.querySelector('.jp-NotebookPanel')", timeout=10_000)
        except Exception:  # noqa: BLE001 — whatever broke the page, the next lesson gets a fresh one
            open_lab(page, base, token)
        shutdown_kernels(base, token)


# The kernel is idle (status bar) and no cell shows [*]: checked in the page every 50 ms, no fixed sleep.
IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-Widget')].some(e => e.innerText.includes('Idle'))
  && ![...document.querySelectorAll('.jp-InputPrompt')].some(e => e.textContent.includes('[*]'))"""


def wait_idle(page, timeout=120):
    """Wait until the status bar shows the kernel as Idle and no cell shows [*]."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(IDLE, timeout=timeout * 1000, polling=50)
    except PlaywrightTimeout:
        status = page.locator(".jp-StatusBar-Widget").all_inner_texts()
        raise AssertionError(f"kernel not idle after {timeout} s; status bar: {status}") from None


def run_all(page, timeout=300) -> None:
    """Run every cell and wait for the end: JupyterLab's run-all command resolves once the last cell has run (or one
    has failed), then the kernel's idle state is awaited."""
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    wait_idle(page, timeout=timeout)


def live_alt_texts_before(page, path: Path, explorers: int) -> str:
    """After Run All: every figure carries the alt text of the output the kernel sent, and each explorer, at its
    default settings, the still stored with its cell. Returns the first explorer figure's source signature."""
    page.wait_for_function(f"() => ({RENDERED})().filter(f => f.inWidget && f.decoded).length >= {explorers}",
                           timeout=30_000)
    before = page.evaluate(RENDERED)
    assert len(before) >= len(stored_alts(path)), before
    for figure in before:
        assert figure["alt"] and figure["alt"] == figure["stored"], figure
    assert [f["alt"] for f in before if f["inWidget"]] == stored_alts(path, widgets_only=True)
    return next(f["src"] for f in before if f["inWidget"])


def shutdown_kernels(base: str, token: str) -> None:
    """Stop every kernel the lesson started, so the next lesson has the machine to itself."""
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{base}/api/sessions/{session['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=20).close()


# How many figures the notebook shows, decoded.
FIGURES = ("() => [...document.querySelectorAll('.jp-OutputArea-output img')]"
           ".filter(e => e.complete && e.naturalWidth > 0).length")
# The slider moves of each explorer: to its end, back to its start, one step (each must change the figure; timed).
MOVES = ("End", "Home", "ArrowRight")
TIMES = SHOTS / "explorer_times.json"  # input → updated figure, per explorer (benchmarks/bench_widgets.py prints it)

# Resolves with the milliseconds from now until the output shows something new (its text or an image source
# changed) with every image decoded; null after 60 s. Started just before the input, awaited after it.
WATCH = """el => {
  const signature = () => el.innerText + '|' +
    [...el.querySelectorAll('img')].map(i => i.src.length + i.src.slice(-64)).join('|');
  const before = signature(), t0 = performance.now();
  window.__explorerMove = new Promise(resolve => {
    const check = () => {
      if (signature() === before) return false;
      const images = [...el.querySelectorAll('img')];
      Promise.all(images.map(i => i.decode().catch(() => null))).then(() => resolve(performance.now() - t0));
      return true;
    };
    const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
    observer.observe(el, {subtree: true, childList: true, characterData: true, attributes: true});
    setTimeout(() => { observer.disconnect(); resolve(null); }, 60000);
  });
}"""


def timed_move(page, output, move) -> float | None:
    """Milliseconds from the input ``move`` makes to the explorer's updated, decoded figure (None: no change)."""
    output.evaluate(WATCH)
    move()
    return page.evaluate("() => window.__explorerMove")


def record_times(name: str, times: list) -> None:
    data = json.loads(TIMES.read_text(encoding="utf-8")) if TIMES.exists() else {}
    data[name] = [round(t, 1) for t in times]
    TIMES.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_unrun_lesson_shows_each_explorers_figure(path, lab, lab_page):
    """Opened before it is run (untrusted, no kernel output yet), a lesson shows each explorer's and live plot's
    stored still — never ipywidgets' repr such as ``interactive(children=(FloatSlider(…``."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    widget_cells = [c for c in nb["cells"] if c["cell_type"] == "code" and any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in c.get("outputs", []))]
    with_figure = sum(any("image/png" in o.get("data", {}) for o in c["outputs"]) for c in widget_cells)
    with lesson_open(lab_page, lab, path) as page:
        expected = stored_figures(path) + with_figure
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        with contextlib.suppress(PlaywrightTimeout):  # the outputs render a few seconds after the cells
            page.wait_for_function(f"() => ({FIGURES})() >= {expected}", timeout=30_000)
        texts = page.locator(".jp-Notebook .jp-OutputArea-output").all_inner_texts()
        reprs = [t for t in texts if re.match(r"\s*(interactive|Output|VBox|HBox)\(", t)]
        assert not reprs, f"{path.name} shows a widget's repr before it runs: {reprs[0][:80]!r}"
        stills = page.evaluate(FIGURES)
        assert stills >= expected, (
            f"{stills} figures shown, {stored_figures(path)} stored figures + {with_figure} explorer stills expected")
        alts = stored_alts(path)  # every stored figure carries exactly the alt text stored with it
        assert all(alts), f"{path.name} stores a figure without alt text"
        page.wait_for_function(f"() => ({IMG_ALTS})().length >= {len(alts)}", timeout=30_000)
        assert page.evaluate(IMG_ALTS) == alts


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_in_jupyterlab(path, lab, lab_page):
    with lesson_open(lab_page, lab, path) as page:
        wait_idle(page)
        run_all(page)
        code_cells = page.locator(".jp-Notebook .jp-CodeCell").count()
        numbered = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").evaluate_all(
            "els => els.filter(e => /\\[\\d+\\]/.test(e.textContent)).length")
        assert numbered == code_cells, f"{numbered} of {code_cells} code cells ran"

        stderr = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').all_inner_texts()
        errors = [t for t in stderr if re.search(r"Traceback|Error|✘", t)]
        assert not errors, f"error output in {path.name}: {errors[0][:500]}"

        # Figures decode after their cell finishes; under load that can take a few seconds more.
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(f"() => ({FIGURES})() >= {stored_figures(path)}", timeout=15_000)
        rendered = page.evaluate(FIGURES)
        assert rendered >= stored_figures(path), f"{rendered} figures rendered, {stored_figures(path)} expected"

        explorers = page.locator(".jp-OutputArea-output .widget-interact")
        live = path.stem[:2] in LIVE and live_alt_texts_before(page, path, explorers.count())
        # every lesson with an explorer shows one (lesson 06, the clinic, has figures and no explorer)
        assert explorers.count() >= min(1, explorer_cells(path)), f"{path.name} shows none of its explorers"
        for i in range(explorers.count()):
            explorer = explorers.nth(i)
            explorer.scroll_into_view_if_needed()
            output = explorer.locator(".widget-output")
            slider = explorer.locator(".noUi-handle")
            if slider.count():
                slider.first.focus()
                times = []
                handle = slider.first
                for key in MOVES:
                    now, low, high = (handle.get_attribute(f"aria-value{a}") for a in ("now", "min", "max"))
                    if (key, now) in (("End", high), ("Home", low)):
                        continue   # a slider that starts at an end moves to the other one only
                    times.append(timed_move(page, output, lambda key=key: page.keyboard.press(key)))
                    assert times[-1] is not None, f"explorer {i} of {path.name} did not react to the key {key}"
                    wait_idle(page)
                record_times(f"{path.stem} explorer {i}", times)
            else:
                select = explorer.locator("select").first
                options = select.locator("option").all_inner_texts()
                took = timed_move(page, output, lambda s=select, last=options[-1]: s.select_option(label=last))
                assert took is not None, f"explorer {i} of {path.name} did not react"
                record_times(f"{path.stem} explorer {i}", [took])
            wait_idle(page)
        if live:  # the slider moves redrew the explorers' figures: each new <img> carries its new output's alt text
            page.wait_for_function(f"""() => {{ const now = ({RENDERED})().filter(f => f.inWidget && f.decoded);
                return now.length && now[0].src !== {json.dumps(live)}; }}""", timeout=30_000)
            for figure in page.evaluate(RENDERED):
                assert figure["alt"] and figure["alt"] == figure["stored"], figure
        page.screenshot(path=str(SHOTS / f"{path.stem}.png"), full_page=False)

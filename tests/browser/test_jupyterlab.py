"""Every lesson in a real JupyterLab, driven by Playwright in Debian's Chromium.

JupyterLab is loaded once per module, in one page; each test opens its lesson there with JupyterLab's own commands
(`docmanager:open`) and closes it afterwards, discarding its changes. Each lesson is one test and one opening: check
what it shows before it runs (each explorer's stored still, never a widget's repr), wait for the kernel to be idle
(status bar), run all cells, check that no error appears and every figure rendered, then move every slider of every
explorer to its end, back to its start and one step right (or its dropdown to the last option) and check that its
output changed each time. Every figure carries its alt text (the course's extension, tools/lab_alt_text/): opened
unrun, the stored one; in lessons 01 and 02, the kernel's, after Run All and after the slider moves.
Screenshots go to build/browser/. Skipped, with the reason, without Chromium or Playwright.
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
# The notebook panel on show: the tests close every other one first, and scope their locators to this one.
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
IMG_ALTS = (f"() => [...document.querySelectorAll('{NOTEBOOK} .jp-OutputArea-output img')]"
            ".map(i => i.getAttribute('alt'))")


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


# JupyterLab's own commands (JupyterLab 4: @jupyterlab/docmanager-extension's `docmanager:open` takes {path, factory,
# kernel, kernelPreference, options} and resolves with the opened widget; @jupyterlab/application-extension's
# `application:close-all` closes every tab of the main area). A document whose model is not dirty closes without
# the "Save your work" dialog (DocumentWidgetManager._maybeClose), so marking each model clean discards its changes.
OPEN = """async path => {
  const panel = await window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await panel.context.ready;
  return panel.id;
}"""
CLOSE_ALL = """async () => {
  const app = window.jupyterapp;
  for (const widget of app.shell.widgets('main')) {
    if (widget.context && widget.context.model) widget.context.model.dirty = false;
  }
  await app.commands.execute('application:close-all');
}"""
PANELS_GONE = "() => document.querySelectorAll('.jp-NotebookPanel').length === 0"


class LabPage:
    """One Chromium page with JupyterLab loaded once for the module; a broken page is replaced by a fresh one."""

    def __init__(self, context, base: str, token: str):
        self.context, self.base, self.token, self.page = context, base, token, None
        self.load()

    def load(self) -> None:
        if self.page is not None:
            self.page.close()  # without running JupyterLab's beforeunload ("unsaved changes") handler
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        self.page.goto(f"{self.base}/lab/workspaces/lessons?reset&token={self.token}")
        self.page.wait_for_function("() => window.jupyterapp !== undefined")
        self.page.evaluate("() => window.jupyterapp.restored.then(() => true)")

    def close_all(self) -> None:
        """Close every open document, discarding its changes, and wait until no notebook panel is left; reload
        JupyterLab if that fails or leaves a dialog open (a crashed page, a kernel's dialog)."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            self.page.evaluate(CLOSE_ALL)
            self.page.wait_for_function(PANELS_GONE, timeout=15_000, polling=50)
            broken = self.page.locator(".jp-Dialog").count() > 0  # a dialog left open would block the next lesson
        except PlaywrightError:
            broken = True
        if broken:
            self.load()

    @contextlib.contextmanager
    def lesson(self, path: Path):
        """Open ``path`` alone in the page; yield the page and a locator of its notebook panel. Afterwards (also
        after a failure) close it and shut its kernel down, so the next lesson starts clean."""
        self.close_all()
        try:
            panel_id = self.page.evaluate(OPEN, f"notebooks/{path.name}")
            notebook = self.page.locator(f'{NOTEBOOK}[id="{panel_id}"]')
            notebook.locator(".jp-Notebook .jp-Cell").first.wait_for()
            yield self.page, notebook
        finally:
            self.close_all()
            shutdown_kernels(self.base, self.token)


@pytest.fixture(scope="module")
def lab_page(lab, browser_context):
    base, token, _ = lab
    lab_page = LabPage(browser_context, base, token)
    yield lab_page
    lab_page.page.close()


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
FIGURES = (f"() => [...document.querySelectorAll('{NOTEBOOK} .jp-OutputArea-output img')]"
           ".filter(e => e.complete && e.naturalWidth > 0).length")
# Every slider of every explorer goes to its end, back to its start, then one step right: noUiSlider (ipywidgets 8's
# slider) moves a focused handle to its range's last value on End, its first on Home, one step on an arrow key.
KEYS = ("End", "Home", "ArrowRight")
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


def check_unrun(path: Path, page, notebook) -> None:
    """Opened before it is run (untrusted, no kernel output yet), a lesson shows each explorer's and live plot's
    stored still — never ipywidgets' repr such as ``interactive(children=(FloatSlider(…`` — and every stored figure
    with exactly the alt text stored with it."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    widget_cells = [c for c in nb["cells"] if c["cell_type"] == "code" and any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in c.get("outputs", []))]
    with_figure = sum(any("image/png" in o.get("data", {}) for o in c["outputs"]) for c in widget_cells)
    expected = stored_figures(path) + with_figure
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):  # the outputs render a few seconds after the cells
        page.wait_for_function(f"() => ({FIGURES})() >= {expected}", timeout=30_000)
    texts = notebook.locator(".jp-Notebook .jp-OutputArea-output").all_inner_texts()
    reprs = [t for t in texts if re.match(r"\s*(interactive|Output|VBox|HBox)\(", t)]
    assert not reprs, f"{path.name} shows a widget's repr before it runs: {reprs[0][:80]!r}"
    stills = page.evaluate(FIGURES)
    assert stills >= expected, (
        f"{stills} figures shown, {stored_figures(path)} stored figures + {with_figure} explorer stills expected")
    alts = stored_alts(path)
    assert all(alts), f"{path.name} stores a figure without alt text"
    page.wait_for_function(f"() => ({IMG_ALTS})().length >= {len(alts)}", timeout=30_000)
    assert page.evaluate(IMG_ALTS) == alts


def move_slider(page, output, handle, where: str) -> list:
    """End, Home, then one ArrowRight on a focused slider handle: each must change the explorer's output (End and
    Home must reach the range's ends; a slider that starts at its end skips End). Returns the times, in ms."""
    times = []
    for key in KEYS:
        if key == "End" and handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax"):
            continue   # already there: End would change nothing, which is right, not a failure
        handle.focus()
        took = timed_move(page, output, lambda key=key: page.keyboard.press(key))
        assert took is not None, f"{where} did not react to {key}"
        now, low, high = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
        end = {"End": high, "Home": low}.get(key)
        assert end is None or now == end, f"{where}: {key} left the slider at {now}, not at {end}"
        times.append(took)
        wait_idle(page)
    return times


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_in_jupyterlab(path, lab_page):
    """The lesson as a learner meets it: opened unrun (check_unrun), then run, every explorer moved. One opening of
    the lesson serves both: JupyterLab renders a lesson's cells and typesets its formulas once per opening, which
    costs the browser about as much as running it."""
    with lab_page.lesson(path) as (page, notebook):
        check_unrun(path, page, notebook)
        wait_idle(page)
        run_all(page)
        code_cells = notebook.locator(".jp-Notebook .jp-CodeCell").count()
        numbered = notebook.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").evaluate_all(
            "els => els.filter(e => /\\[\\d+\\]/.test(e.textContent)).length")
        assert numbered == code_cells, f"{numbered} of {code_cells} code cells ran"

        stderr = notebook.locator('[data-mime-type="application/vnd.jupyter.stderr"]').all_inner_texts()
        errors = [t for t in stderr if re.search(r"Traceback|Error|✘", t)]
        assert not errors, f"error output in {path.name}: {errors[0][:500]}"

        # Figures decode after their cell finishes; under load that can take a few seconds more.
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(f"() => ({FIGURES})() >= {stored_figures(path)}", timeout=15_000)
        rendered = page.evaluate(FIGURES)
        assert rendered >= stored_figures(path), f"{rendered} figures rendered, {stored_figures(path)} expected"

        explorers = notebook.locator(".jp-OutputArea-output .widget-interact")
        live = path.stem[:2] in LIVE and live_alt_texts_before(page, path, explorers.count())
        # every lesson with an explorer shows one (lesson 06, the clinic, has figures and no explorer)
        assert explorers.count() >= min(1, explorer_cells(path)), f"{path.name} shows none of its explorers"
        for i in range(explorers.count()):
            explorer = explorers.nth(i)
            explorer.scroll_into_view_if_needed()
            output = explorer.locator(".widget-output")
            sliders = explorer.locator(".noUi-handle")
            if sliders.count():
                times = []
                for j in range(sliders.count()):
                    times += move_slider(page, output, sliders.nth(j), f"slider {j} of explorer {i} of {path.name}")
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

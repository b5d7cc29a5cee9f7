"""Walk every slide and fragment state of every deck, as an instructor would present it, in Chromium at a
projector's 1280 × 720 and 1920 × 1080, and fail on any state whose content reaches past the window (it would
need scrolling) or whose code is cut off, on any heading whose case the theme changes (δ → Δ), on a keyboard
that stops advancing after a click on a formula, on any request leaving file://, and (at 1280 × 720) on a figure
whose smallest text is below 18 px on screen.

Each deck is loaded once and walked at each size in turn, the window resized between the walks (resize(): reveal.js
lays the deck out again for the new size; loading and typesetting a deck costs about a fifth of walking it). Each
walk writes what it found to build/browser/slides_walk/<deck>_<W>x<H>.json (the numbers behind the report)."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest

from nblib.plots import COURSE_RC

from .chromium import ROOT, SHOTS, launch

DECKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
SIZES = [(1280, 720), (1920, 1080)]
WALKS = SHOTS / "slides_walk"  # one JSON per deck and size: its states and those that do not fit

# Figures on the slides are readable from the back of the room: at 1280 × 720 the walk also measures every figure
# shown, whose smallest text must be at least 18 px on screen (COURSE_STYLE, Figures). The smallest text of a figure,
# in its PNG's own pixels, is recorded in the PNG when the figure is drawn (nblib.plots.tag_png: matplotlib's
# smallest font size × dpi / 72) and written on the <img> as data-text-px by tools/build_html.py; a PNG without it (a
# notebook executed before it was recorded) is taken at the course style's smallest font (nblib.plots.COURSE_RC).
# The browser gives the scale: the image's width on screen ÷ its natural width. Writes
# build/browser/slides_figures/<deck>.json and, for the first figure too small, a screenshot.
MIN_PX = 18  # on a 1280 × 720 slide
STYLE_TEXT_PX = min(COURSE_RC[k] for k in ("xtick.labelsize", "ytick.labelsize", "legend.fontsize")) \
    * COURSE_RC["savefig.dpi"] / 72
FIGURES = SHOTS / "slides_figures"
# Figures known not to reach 18 px even filling the slide, by deck and alt text's start, with what it would take.
# They are measured and listed in the JSON report like every figure, but do not fail the test; take a figure off this
# list once it is fixed.
KNOWN_SMALL: dict = {}

# Every visible figure of the current state: its smallest text on screen.
MEASURE_FIGURES = """(stylePx) => [...Reveal.getCurrentSlide().querySelectorAll('img')].filter(i => {
    const st = getComputedStyle(i), r = i.getBoundingClientRect();
    return st.visibility !== 'hidden' && st.display !== 'none' && r.width > 0 && i.naturalWidth > 0;
  }).map(i => {
    const r = i.getBoundingClientRect(), recorded = i.dataset.textPx !== undefined;
    const pngPx = recorded ? parseFloat(i.dataset.textPx) : stylePx;
    return {alt: (i.alt || '').slice(0, 70), natural: [i.naturalWidth, i.naturalHeight],
            shown: [Math.round(r.width), Math.round(r.height)], png_text_px: pngPx, recorded,
            text_px: Math.round(pngPx * r.width / i.naturalWidth * 10) / 10};
  })"""


# MathJax 2 has typeset everything it was asked to (the page's first pass and reveal's re-render on a slide change).
MATHJAX_IDLE = ("() => !window.MathJax || (MathJax.isReady && MathJax.Hub.queue.pending === 0 "
                "&& !MathJax.Hub.queue.running && document.body.dataset.typeset !== 'pending')")

# What the current state shows that does not fit: the slide (or any visible element in it) reaching past the
# window, the slide scrolling inside itself, or an element whose content is wider than its box and is cut off.
MEASURE = """() => {
  const s = Reveal.getCurrentSlide(), W = window.innerWidth, H = window.innerHeight, bad = [];
  const r = s.getBoundingClientRect();
  if (r.bottom > H + 1 || r.top < -1) bad.push(`slide spans ${Math.round(r.top)}..${Math.round(r.bottom)} px of ${H}`);
  if (s.scrollHeight > s.clientHeight + 2 && getComputedStyle(s).overflowY !== 'visible')
    bad.push(`slide scrolls: ${s.scrollHeight} > ${s.clientHeight}`);
  for (const e of s.querySelectorAll('*')) {
    const st = getComputedStyle(e);
    if (st.visibility === 'hidden' || st.display === 'none') continue;
    const b = e.getBoundingClientRect();
    if (b.width === 0 && b.height === 0) continue;
    if (b.right > W + 1 || b.left < -1) {
      bad.push(`<${e.tagName.toLowerCase()}> spans x ${Math.round(b.left)}..${Math.round(b.right)} of ${W}`);
      break;
    }
    if (e.scrollWidth > e.clientWidth + 2 && e.clientWidth > 0 && st.overflowX !== 'visible' &&
        !e.closest('.MathJax_CHTML, .mjx-chtml')) {
      bad.push(`<${e.tagName.toLowerCase()}> cut: ${e.scrollWidth} px in ${e.clientWidth}: ` +
               JSON.stringify(e.innerText.slice(0, 50)));
      break;
    }
  }
  const idx = Reveal.getIndices();
  return {where: `${idx.h}/${idx.v}` + (idx.f !== undefined && idx.f >= 0 ? `.${idx.f}` : ''),
          title: (s.querySelector('h1,h2,h3,h4') || s).innerText.trim().split('\\n')[0].slice(0, 60), bad};
}"""

# The written heading text and what the theme renders (innerText applies text-transform).
HEADING_CASE = """() => [...document.querySelectorAll('.reveal .slides :is(h1, h2, h3, h4, h5, h6)')]
  .filter(h => getComputedStyle(h).textTransform !== 'none' || getComputedStyle(h).fontVariantCaps !== 'normal')
  .map(h => h.textContent.trim().slice(0, 60))"""


def builder():
    import build_html

    return build_html


@pytest.fixture(scope="module")
def decks(tmp_path_factory, html_build):
    WALKS.mkdir(parents=True, exist_ok=True)
    # SLIDES_NOTEBOOKS=DIR: the decks of DIR's notebooks (e.g. executed into build/ to check a change before the
    # notebooks in notebooks/ are executed again); otherwise the run's one build (tests/browser/conftest.py)
    source = os.environ.get("SLIDES_NOTEBOOKS")
    if not source:
        return html_build["out"] / "slides"
    out = tmp_path_factory.mktemp("decks")
    builder().build_slides(out, source=Path(source).resolve())
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory, decks):
    """One Chromium page for the module, and the requests it was refused (every one leaving file://)."""
    outside = []
    with launch(tmp_path_factory.mktemp("profile")) as context:
        def guard(route):
            if route.request.url.startswith(("file://", "data:")):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.set_default_timeout(60_000)
        yield page, outside
        page.close()


def open_deck(page, url, size=SIZES[0]):
    """The deck at ``url`` loaded in a window of ``size``, typeset, on its first state."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(url)
    page.wait_for_selector(".reveal.ready")
    # reveal.js is loaded through RequireJS; the same module instance, by name, for the walk.
    page.evaluate("() => window.Reveal || new Promise(done => require(['vendor/reveal.js/dist/reveal.js'], "
                  "R => done(window.Reveal = R)))")
    page.wait_for_function(MATHJAX_IDLE)
    page.evaluate("() => Reveal.configure({transition: 'none', backgroundTransition: 'none'})")


# The current slide has stopped changing: MathJax is idle, the fonts have arrived, and the slide's box is the same on
# 2 consecutive animation frames after the first (MathJax re-renders a slide's formulas after reveal.js shows it, and
# fonts arrive after that). Waits on the page's own events (frames, MathJax's queue, document.fonts.ready), never a
# fixed sleep.
SETTLE_JS = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const idle = """ + MATHJAX_IDLE + """;
  const box = () => { const r = Reveal.getCurrentSlide().getBoundingClientRect();
                      return [r.top, r.bottom, r.left, r.right].map(Math.round).join(); };
  await document.fonts.ready;
  let last = box(), same = 0;
  for (let i = 0; i < 600 && same < 2; i++) {
    await frame();
    const now = box();
    same = (now === last && idle()) ? same + 1 : 0;
    last = now;
  }
}"""

# The whole walk runs in the page, one state after another, so that no state costs a round trip to Python: settle,
# measure (a state that does not fit is measured again a second later: MathJax may re-render a slide's formulas and
# reveal.js centre it again after the settle window; it counts only if it still does not fit, as the audience would
# see it), run ``also`` if given, then Reveal.next(), which must advance.
WALK_JS = """async (also) => {
  const settle = """ + SETTLE_JS + """;
  const measure = """ + MEASURE + """;
  const extra = also ? eval(also) : null;
  const states = [];
  for (let n = 0; n < 1000; n++) {
    await settle();
    let state = measure();
    if (state.bad.length) {
      await new Promise(r => setTimeout(r, 1000));
      await settle();
      state = measure();
    }
    if (extra) state.also = extra();
    states.push(state);
    if (Reveal.isLastSlide() && !Reveal.availableFragments().next) return {states};
    const before = JSON.stringify(Reveal.getIndices());
    Reveal.next();
    const after = JSON.stringify(Reveal.getIndices());
    if (after === before) return {states, stuck: before};
  }
  return {states, endless: true};
}"""


def settle(page):
    page.evaluate(SETTLE_JS)


def walk(page, also: str | None = None):
    """Every state from the first slide to the last fragment of the last slide, measured (and, with ``also``, the
    source of a JavaScript function measuring more of each state, its result in the state's "also")."""
    result = page.evaluate(WALK_JS, also)
    assert "stuck" not in result, f"Reveal.next() did not advance from {result.get('stuck')}"
    assert "endless" not in result, "more than 1000 states: the walk does not end"
    return result["states"]


# The open deck laid out for the window's new size and back on its first state, as a fresh load at that size shows
# it. reveal.js (4.0.2, js/reveal.js) lays the deck out again on the window's 'resize' event (onWindowResize calls
# layout()); it is called here too, once the page has the new size, so as not to depend on when that event arrives.
# Reveal.slide(h, v, f) goes to slide h/v with f fragments shown, -1: none, and hides the fragments of every later
# slide (updateSlides). A vertical stack left by the walk remembers its last slide (data-previous-indexv), where
# Reveal.next() would enter it again; reveal.js forgets it on the way back to the first slide, in a setTimeout, so it
# is forgotten here first, as on a fresh load, without depending on when that timeout runs.
RESTART = """([width, height]) => {
  if (window.innerWidth !== width || window.innerHeight !== height)
    return `the window is ${window.innerWidth}×${window.innerHeight}, not ${width}×${height}`;
  Reveal.layout();
  document.querySelectorAll('.reveal .slides section[data-previous-indexv]')
    .forEach(s => s.removeAttribute('data-previous-indexv'));
  Reveal.slide(0, 0, -1);
  return null;
}"""


def resize(page, size):
    """The open deck at ``size``, on its first state: walked again, it gives the verdicts of a fresh load at that
    size (checked once against fresh loads for every deck, and by the planted overflow below)."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    wrong = page.evaluate(RESTART, list(size))
    assert wrong is None, wrong
    settle(page)


@pytest.mark.parametrize("deck", DECKS)
def test_every_state_fits_the_projector(deck, decks, browser):
    """One load of the deck, walked at each projector size in turn (the window resized between the walks): loading
    and typesetting a deck costs as much as a fifth of walking it."""
    page, outside = browser
    refused = len(outside)
    open_deck(page, (decks / f"{deck}.slides.html").as_uri(), SIZES[0])
    problems = []
    for n, size in enumerate(SIZES):
        if n:
            resize(page, size)
        problems += walk_at(deck, page, size)
    assert not outside[refused:], f"{deck} requested {outside[refused:][:3]}"
    assert not problems, "\n".join(problems)


def walk_at(deck, page, size) -> list[str]:
    """Every state of the open deck walked at ``size`` (the window has it): the deck's JSON report at that size, a
    screenshot of the first state that does not fit, and what is wrong, each naming the deck and size."""
    width, height = size
    at = f"{deck} at {width}×{height}"
    transformed = page.evaluate(HEADING_CASE)
    projector_720 = size == (1280, 720)
    states = walk(page, also=f"() => ({MEASURE_FIGURES})({STYLE_TEXT_PX})" if projector_720 else None)
    small = figures_too_small(deck, states, page) if projector_720 else []
    overflowing = [s for s in states if s["bad"]]
    (WALKS / f"{deck}_{width}x{height}.json").write_text(json.dumps(
        {"deck": deck, "size": f"{width}x{height}", "states": len(states), "overflowing": len(overflowing),
         "which": overflowing}, indent=1, ensure_ascii=False), encoding="utf-8")
    if overflowing:
        first = overflowing[0]["where"]
        page.evaluate(f"() => Reveal.slide(...'{first}'.split(/[/.]/).map(Number))")
        settle(page)
        page.screenshot(path=str(SHOTS / f"slides_overflow_{deck}_{width}x{height}.png"))
    problems = []
    if len(states) <= 3:
        problems.append(f"{at}: only {len(states)} states")
    if transformed:
        problems.append(f"{at}: the theme changes the case of headings {transformed[:3]}")
    if overflowing:
        problems.append(f"{at}: {len(overflowing)} of {len(states)} states do not fit: " + "; ".join(
            f"{s['where']} {s['title']!r}: {s['bad'][0]}" for s in overflowing[:5]))
    if small:
        problems.append(f"{at}: figure text below {MIN_PX} px on a 1280 × 720 slide: " + "; ".join(
            f"{where} {f['alt']!r}: {f['text_px']} px ({f['png_text_px']} px in the PNG"
            f"{'' if f['recorded'] else ', the style default'}, shown {f['shown'][0]} of {f['natural'][0]} px wide)"
            for where, f in small[:5]))
    return problems


def figures_too_small(deck, states, page) -> list:
    """The figures of the walk's states (measured by MEASURE_FIGURES) whose text is below MIN_PX and not known to be;
    writes the deck's JSON report and a screenshot of the first one too small."""
    figures, small = {}, []
    for state in states:
        for figure in state.pop("also"):
            figures.setdefault(f"{state['where']} {figure['alt']}", figure)
            known = any(deck == d and figure["alt"].startswith(alt) for d, alt in KNOWN_SMALL)
            if figure["text_px"] < MIN_PX and not known and not any(figure["alt"] == s[1]["alt"] for s in small):
                small.append((state["where"], figure))
    FIGURES.mkdir(parents=True, exist_ok=True)
    (FIGURES / f"{deck}.json").write_text(json.dumps(
        {"deck": deck, "states": len(states), "figures": figures, "too_small": small}, indent=1, ensure_ascii=False),
        encoding="utf-8")
    if small:
        page.evaluate(f"() => Reveal.slide(...'{small[0][0]}'.split(/[/.]/).map(Number))")
        settle(page)
        page.screenshot(path=str(SHOTS / f"slides_small_figure_{deck}.png"))
    return small


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_keyboard_advances_after_clicking_a_formula(decks, browser, size):
    page, outside = browser
    refused = len(outside)
    open_deck(page, (decks / "03_matrix_shapes.slides.html").as_uri(), size)
    # The first slide with a typeset formula; click it as an instructor pointing at it would.
    for _ in range(60):
        settle(page)
        formula = page.locator(".reveal .slides section.present .MathJax_CHTML:visible").first
        if formula.count():
            break
        page.keyboard.press("ArrowRight")
    else:
        raise AssertionError("no formula on the first 60 states of lesson 03")
    formula.click()
    settle(page)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for key in ("ArrowRight", " "):
        before = page.evaluate("() => JSON.stringify(Reveal.getIndices())")
        page.keyboard.press(key)
        with contextlib.suppress(PlaywrightTimeout):   # reveal.js moves on the key's event; 5 s is ample
            page.wait_for_function("before => JSON.stringify(Reveal.getIndices()) !== before", arg=before,
                                   timeout=5_000)
        after = page.evaluate("() => JSON.stringify(Reveal.getIndices())")
        assert after != before, f"{key!r} did not advance the deck after a click on a formula (still {before})"
    assert not page.locator(".MathJax_Menu, .MathJax_ZoomFrame, #MathJax_Zoom:visible").count(), \
        "MathJax's menu or zoom opened over the slide"
    assert not outside[refused:], f"the deck requested {outside[refused:][:3]}"


def test_the_walk_catches_a_planted_overflow_and_a_transformed_heading(decks, browser):
    """The walk's measures are judges too: a slide made taller than the window and an upper-cased heading are found,
    at each projector size, on one load resized between the walks as test_every_state_fits_the_projector does."""
    page, _ = browser
    open_deck(page, (decks / "00_start_here.slides.html").as_uri(), SIZES[0])
    page.evaluate("""() => { const s = Reveal.getCurrentSlide(), tall = document.createElement('div');
                             tall.style.height = (2 * window.innerHeight) + 'px'; s.appendChild(tall);
                             const h = s.querySelector('h1,h2,h3'); if (h) h.style.textTransform = 'uppercase'; }""")
    for n, (width, height) in enumerate(SIZES):
        if n:
            resize(page, (width, height))
        states = walk(page)
        assert states[0]["bad"], f"{width}×{height}: the planted overflow was not found: {states[0]}"
        assert not any(s["bad"] for s in states[1:3]), f"{width}×{height}: {states[1:3]}"
        assert page.evaluate(HEADING_CASE), f"{width}×{height}: an upper-cased heading was not found"

"""The offline slides and website in Chromium: a deck advances, the site's links work, math is typeset,
and no page asks for anything beyond file:// (a classroom may have no internet)."""

from __future__ import annotations

import pytest

from .chromium import SHOTS, launch

# MathJax 2 has typeset the page: ready, and nothing queued or running.
TYPESET = ("() => !window.MathJax || (MathJax.isReady === true && MathJax.Hub.queue.pending === 0"
           " && !MathJax.Hub.queue.running)")


def builder():
    import build_html

    return build_html


@pytest.fixture(scope="module")
def built(html_build):
    return html_build["out"]  # slides/ and site/, built once per run (tests/browser/conftest.py)


@pytest.fixture
def offline_page(tmp_path):
    with launch(tmp_path / "profile") as context:
        outside = []

        def guard(route):
            if route.request.url.startswith(("file://", "data:")):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.set_default_timeout(30_000)
        yield page, outside


def test_a_deck_advances_offline(built, offline_page):
    page, outside = offline_page
    page.goto((built / "slides" / "01_sigmoid_gradient.slides.html").as_uri())
    page.wait_for_selector(".reveal.ready")  # reveal.js (loaded through RequireJS) has initialised
    current = "(() => { const s = document.querySelector('.slides > section.present'); " \
              "return location.hash + '|' + (s ? s.innerText.slice(0, 80) : ''); })()"
    before = page.evaluate(current)
    page.locator("body").press("ArrowRight")
    page.wait_for_function(f"{current} !== {before!r}")
    page.wait_for_function(TYPESET)   # the new slide's formulas typeset, for the screenshot
    assert page.locator(".slides > section").count() > 5
    assert "recap" in page.evaluate(current).lower()  # the second slide of lesson 01
    page.screenshot(path=str(SHOTS / "slides_01.png"))
    assert not outside, f"the deck requested {outside[:3]}"


def test_site_index_links_to_lessons_with_typeset_math(built, offline_page):
    page, outside = offline_page
    page.goto((built / "site" / "index.html").as_uri())
    links = page.locator("ol li a").all_inner_texts()
    assert any("Lesson 01" in text for text in links)
    page.get_by_role("link", name="Lesson 01 — The sigmoid and its gradient").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("01_sigmoid_gradient.html")
    page.wait_for_function("document.querySelectorAll('.MathJax_CHTML, .mjx-chtml').length > 10", timeout=60_000)
    figures = page.locator("img").evaluate_all("els => els.filter(e => e.naturalWidth > 0).length")
    assert figures >= 2
    page.screenshot(path=str(SHOTS / "site_01.png"))
    assert not outside, f"the site requested {outside[:3]}"


def test_site_is_self_contained_with_its_slides_and_last_figures(built, offline_page):
    """Publishing build/site alone is enough: the "slides" links stay inside it, and a live-only cell (lesson 07's
    training curve) shows the figure it last drew instead of a note."""
    page, outside = offline_page
    site = built / "site"
    page.goto((site / "index.html").as_uri())
    hrefs = page.locator("ol li a").evaluate_all("els => els.map(e => e.href)")
    slide_links = [h for h in hrefs if ".slides.html" in h]
    assert len(slide_links) == len(list((built / "site").glob("[0-9][0-9]_*.html")))
    assert all(h.startswith(site.as_uri() + "/slides/") for h in slide_links), slide_links[:2]
    page.get_by_role("link", name="slides").first.click()
    page.wait_for_selector(".reveal.ready")
    assert page.url.startswith(site.as_uri() + "/slides/00_")
    page.goto((site / "07_octave_style_yv_backprop.html").as_uri())
    cell = page.locator(".jp-CodeCell", has_text="train_with_live_curve(").first
    assert cell.locator("img").evaluate_all("els => els.filter(e => e.naturalWidth > 0).length") == 1
    assert "Interactive explorer" not in cell.inner_text()
    assert not outside, f"the site requested {outside[:3]}"


def page_text(path) -> str:
    """The visible text of a built page, whitespace folded (tags removed, entities decoded)."""
    import html
    import re

    body = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_learner_site_and_slides_show_no_solution(built):
    """`make site` and `make slides` build the learner's edition: each exercise as its stub, no solution line."""
    import nbformat
    from test_workspace import LESSONS, solution_only_lines

    pages = sorted(built.glob("**/[0-9][0-9]_*.html"))
    assert len(pages) == 3 * len(LESSONS)  # site, the site's decks, the decks
    for lesson in LESSONS:
        lines = {" ".join(line.split()) for line in solution_only_lines(nbformat.read(lesson, as_version=4))}
        for page in (p for p in pages if p.name.startswith(lesson.stem)):
            text = page_text(page)
            assert "BEGIN SOLUTION" not in text
            leaked = [line for line in lines if line in text]
            assert not leaked, f"{page.relative_to(built)} shows solution lines: {leaked[:3]}"
            if lines:
                assert "NotImplementedError" in text, page

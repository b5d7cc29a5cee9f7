"""axe-core (pinned in tools/web/package-lock.json) audits every page of the built site in Chromium: no serious or
critical violation is allowed. axe is injected from the local npm copy, so the audit makes no request either."""

from __future__ import annotations

import json

import pytest

from . import test_slides_site
from .chromium import SHOTS
from .test_slides_site import builder

offline_page = test_slides_site.offline_page  # the same page that refuses any request beyond file://

SERIOUS = ("serious", "critical")
TYPESET = test_slides_site.TYPESET


@pytest.fixture(scope="module")
def site(html_build):
    axe = builder().ensure_vendor() / "axe-core" / "axe.min.js"
    return html_build["site"], axe  # built once per run (tests/browser/conftest.py)


def audit(page, axe) -> list[dict]:
    page.add_script_tag(path=str(axe))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return result


def test_every_site_page_has_no_serious_accessibility_violation(site, offline_page):
    pages, axe = site
    page, outside = offline_page
    problems = {}
    for path in pages:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        page.wait_for_function(TYPESET, timeout=90_000)  # audit the typeset page, not MathJax's raw-TeX preview
        found = [v for v in audit(page, axe) if v["impact"] in SERIOUS]
        if found:
            problems[path.name] = found
    (SHOTS / "axe_site.json").write_text(json.dumps(problems, indent=1, ensure_ascii=False), encoding="utf-8")
    assert not problems, "axe-core: " + json.dumps(problems, ensure_ascii=False)[:3000]
    assert not outside, f"the site requested {outside[:3]}"


def test_the_audit_catches_a_planted_violation(site, offline_page, tmp_path):
    """The audit itself can fail: an image without alt text and a low-contrast paragraph are reported."""
    _, axe = site
    page, _ = offline_page
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
                   '<img src="data:image/png;base64,iVBORw0KGgo="><p style="color:#ccc;background:#fff">faint</p>'
                   "</main></body></html>", encoding="utf-8")
    page.goto(bad.as_uri())
    ids = {v["id"] for v in audit(page, axe) if v["impact"] in SERIOUS}
    assert {"image-alt", "color-contrast"} <= ids


@pytest.mark.parametrize("where", ["site", "slides"])
def test_every_figure_has_its_own_alt_text(where, site, html_build):
    """Each <img> on the site and in the slide decks carries the alt text its notebook output stored
    (nblib.plots.describe_figure), never empty and never nbconvert's placeholder for a missing one."""
    from bs4 import BeautifulSoup

    pages = site[0] if where == "site" else html_build["slides"]
    placeholder = "No description has been provided for this image"
    missing, count = [], 0
    for path in pages:
        for img in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all("img"):
            count += 1
            alt = (img.get("alt") or "").strip()
            if not alt or alt == placeholder:
                missing.append(path.name)
    assert count >= 15  # the lessons draw 17 figures outside their explorers
    assert not missing, f"{len(missing)} of {count} images have no alt text: {sorted(set(missing))}"

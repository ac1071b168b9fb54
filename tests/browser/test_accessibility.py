"""axe-core finds no WCAG 2.1 A/AA violation on any kind of page, in the standard and the 关怀版
look, at desktop and phone widths.

axe-core comes from npm (package.json devDependency; `npm ci`) and is injected by the test: the
site itself never ships it.
"""
from __future__ import annotations

import os

import pytest
from conftest import serve_directory
from site_pages import build_with_a_round, build_with_updates, kinds_of_page

from catalogue.pipeline import PROJECT_ROOT

pytestmark = pytest.mark.browser

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        message = "axe-core is missing: run `npm ci` (package.json lists it as a devDependency)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE


def served(tmp_path_factory, name: str, make):
    """Build a site with `make` in a new folder and serve it: (server, its address, what make said)."""
    site, made = make(tmp_path_factory.mktemp(name))
    server, url = serve_directory(site)
    return server, url, made


@pytest.fixture(scope="module")
def updated_site(tmp_path_factory):
    """The real content with one task given dated markdown updates and an actual value."""
    server, url, task_path = served(tmp_path_factory, "updated", build_with_updates)
    yield url, task_path
    server.shutdown()


def new_page(browser, url: str, width: int, care: bool):
    """A page at this width, in the 关怀版 look when `care`: (its context, the page)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    if care:
        page.goto(url + "index.html")
        page.evaluate("localStorage.setItem('gzbg-care', 'on')")
    return context, page


def violations(page, axe_source) -> list[dict]:
    page.add_script_tag(path=str(axe_source))
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        TAGS)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def pages_to_check(built_site) -> list[tuple[str, str]]:
    return sorted(kinds_of_page(built_site).items())


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("care", [False, True], ids=["standard", "care"])
def test_no_axe_violations_on_any_kind_of_page(browser, built_site, site_server, axe_source, width, care):
    context, page = new_page(browser, site_server, width, care)
    found = {}
    for name, path in pages_to_check(built_site):
        page.goto(site_server + path)
        page.wait_for_load_state("networkidle")
        if care:
            assert "care" in page.locator("html").get_attribute("class")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        problems = violations(page, axe_source)
        if problems:
            found[name] = problems
    context.close()
    assert found == {}


@pytest.mark.parametrize("care", [False, True], ids=["standard", "care"])
def test_no_axe_violations_on_a_task_with_updates(browser, updated_site, axe_source, care):
    url, task_path = updated_site
    context, page = new_page(browser, url, 1280, care)
    page.goto(url + task_path)
    assert page.locator(".update").count() == 2
    assert page.locator(".update-note strong").count() == 1, "markdown is rendered"
    assert "完成目标的 50%" in page.locator(".target").first.inner_text()
    assert violations(page, axe_source) == []
    context.close()


@pytest.fixture(scope="module")
def round_site(tmp_path_factory):
    """The real content with a closed reporting round, one of whose tasks was reported."""
    server, url, pages = served(tmp_path_factory, "round", build_with_a_round)
    yield url, pages
    server.shutdown()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("care", [False, True], ids=["standard", "care"])
def test_no_axe_violations_on_the_pages_of_a_reporting_round(browser, round_site, axe_source, width, care):
    url, pages = round_site
    context, page = new_page(browser, url, width, care)
    found = {}
    for name, path in sorted(pages.items()):
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        problems = violations(page, axe_source)
        if problems:
            found[name] = problems
    page.goto(url + pages["round"])
    rows = page.locator(".round-table tbody tr").count()
    assert rows > 5 and page.locator(".asked-submitted").count() == 1
    assert page.locator(".asked-missing").count() == rows - 1
    context.close()
    assert found == {}


def test_axe_does_report_a_planted_violation(page, site_server, axe_source):
    """The check above can fail: the same call finds a contrast and a name problem planted here."""
    page.goto(site_server + "index.html")
    page.evaluate("""() => {
        const p = document.createElement('p'); p.textContent = '浅色文字'; p.style.color = '#dddddd';
        const b = document.createElement('button');
        document.querySelector('main').append(p, b);
    }""")
    assert {v["id"] for v in violations(page, axe_source)} >= {"color-contrast", "button-name"}

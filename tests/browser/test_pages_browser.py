"""The site in Chromium: browsed over HTTP, under a sub-path and from disk; the 关怀版 switch;
keyboard use; narrow screens; print; and nothing fetched from another host."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import serve_directory
from site_pages import build_with_a_round, build_with_updates, kinds_of_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def subpath_server(built_site):
    """The built site served one folder down, as it would be under https://host/gzbg2021/."""
    server, url = serve_directory(built_site.parent)
    yield url + built_site.name + "/"
    server.shutdown()


def base_url(kind: str, request, built_site) -> str:
    """Where the site is: served over HTTP at the root, served under a sub-path, or on disk."""
    if kind == "http":
        return request.getfixturevalue("site_server")
    if kind == "subpath":
        return request.getfixturevalue("subpath_server")
    return built_site.resolve().as_uri() + "/"


@pytest.fixture(params=["http", "subpath", "file"])
def base(request, built_site) -> str:
    return base_url(request.param, request, built_site)


def errors_of(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_click_from_home_to_a_task_and_back(page, base):
    errors = errors_of(page)
    page.goto(base + "index.html")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.locator("main .section-list a").first.click()
    page.wait_for_url(re.compile(r"sections/1/index\.html$"))
    section_url = page.url
    first_task = page.locator("main .task-item a.task-link").first
    task_id = first_task.locator(".task-id").inner_text()
    first_task.click()
    page.wait_for_url(re.compile(rf"tasks/{task_id}/index\.html$"))
    assert task_id in page.locator("h1").inner_text()
    assert page.locator("link[rel=stylesheet]").count() >= 1
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") \
        == "rgb(11, 58, 117)", "the stylesheet loaded"
    page.go_back()
    page.wait_for_url(section_url)
    page.locator("nav.breadcrumb a", has_text="首页").click()
    page.wait_for_url(re.compile(r"/index\.html$"))
    assert page.url == base + "index.html"
    assert errors == []


def test_task_page_links_lead_to_leader_unit_status_and_neighbours(page, site_server):
    page.goto(site_server + "tasks/1-2/index.html")
    page.locator(".facts div:has(dt:text-is('省政府牵头领导')) a").first.click()
    assert re.search(r"leaders/[^/]+/index\.html$", page.url)
    assert page.locator("main li[data-task-id='1-2']").count() == 1
    page.go_back()
    page.locator(".facts div:has(dt:text-is('牵头单位')) a").first.click()
    assert re.search(r"agencies/[^/]+/index\.html$", page.url)
    assert page.locator("#led li[data-task-id='1-2']").count() == 1
    page.go_back()
    page.locator(".task-status a.badge").click()
    assert re.search(r"status/\w+/index\.html$", page.url)
    page.go_back()
    page.locator(".pager a[rel=next]").click()
    assert page.url.endswith("tasks/1-3/index.html")
    page.locator(".pager a[rel=prev]").click()
    assert page.url.endswith("tasks/1-2/index.html")


@pytest.mark.parametrize("base_kind", ["http", "file"])
def test_care_mode_switches_and_is_remembered(page, request, built_site, base_kind):
    base = base_url(base_kind, request, built_site)
    errors = errors_of(page)
    page.goto(base + "index.html")
    toggle = page.locator("button.care-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert normal >= 16
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert "care" in page.locator("html").get_attribute("class")
    larger = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert larger >= 20
    link_decoration = page.evaluate("getComputedStyle(document.querySelector('main a')).textDecorationLine")
    assert "underline" in link_decoration

    page.reload()
    assert page.locator("button.care-toggle").get_attribute("aria-pressed") == "true"
    page.goto(base + "leaders/index.html")
    assert "care" in page.locator("html").get_attribute("class"), "remembered on other pages"
    assert page.locator("button.care-toggle").get_attribute("aria-pressed") == "true"

    page.locator("button.care-toggle").click()
    page.reload()
    assert "care" not in (page.locator("html").get_attribute("class") or "")
    assert page.locator("button.care-toggle").get_attribute("aria-pressed") == "false"
    assert errors == []


def test_care_mode_works_when_storage_is_refused(browser, site_server):
    context = browser.new_context()
    context.add_init_script("Object.defineProperty(window, 'localStorage', "
                            "{get() { throw new DOMException('denied', 'SecurityError'); }});")
    page = context.new_page()
    errors = errors_of(page)
    page.goto(site_server + "index.html")
    page.locator("button.care-toggle").click()
    assert page.locator("button.care-toggle").get_attribute("aria-pressed") == "true"
    assert "care" in page.locator("html").get_attribute("class")
    assert errors == []
    context.close()


def test_pages_read_without_javascript(browser, site_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_server + "index.html")
    for chart in (".bar-chart", ".stack-chart"):
        box = page.locator(chart).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100, chart
    fills = page.eval_on_selector_all(".bar-fill", "bars => bars.map(bar => bar.getBoundingClientRect().width)")
    assert max(fills) > 100, "the bars are drawn without script"
    assert not page.locator("button.care-toggle").is_visible(), "no dead switch without script"
    page.locator("details.data-table summary").click()
    assert page.locator("details.data-table table").is_visible()
    context.close()


def test_skip_link_and_visible_focus_by_keyboard(page, site_server):
    page.goto(site_server + "tasks/1-1/index.html")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box and box["y"] >= 0, "the skip link shows when focused"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")



def test_slash_key_jumps_to_the_search_box_but_not_while_typing(page, site_server):
    page.goto(site_server + "sections/1/index.html")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search-q"
    page.keyboard.type("养老/5G")
    assert page.input_value("#site-search-q") == "养老/5G", "a slash typed in the box stays text"


TAB_STEP = """() => {
    window.tabbed = window.tabbed || new Set();
    const e = document.activeElement;
    if (!e || e === document.body) return "body";
    if (window.tabbed.has(e)) return "again";
    window.tabbed.add(e);
    return "new";
}"""

NOT_TABBED = """() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex="0"]')]
    .filter(e => e.checkVisibility({visibilityProperty: true}))
    .filter(e => !window.tabbed.has(e))
    .map(e => e.outerHTML.slice(0, 100))"""


@pytest.mark.parametrize("path", ["index.html", "tasks/1-1/index.html", "agencies/index.html", "data/index.html"])
def test_everything_is_reachable_by_keyboard(page, site_server, path):
    page.goto(site_server + path)
    for _ in range(2000):
        page.keyboard.press("Tab")
        if page.evaluate(TAB_STEP) == "again":
            break
    assert page.evaluate("window.tabbed.size") > 10
    assert page.evaluate(NOT_TABBED) == []


@pytest.mark.parametrize("width", [360, 375])
@pytest.mark.parametrize("care", [False, True])
def test_no_sideways_scrolling_on_a_phone(browser, built_site, site_server, width, care):
    context = browser.new_context(viewport={"width": width, "height": 740}, locale="zh-CN")
    page = context.new_page()
    if care:
        page.goto(site_server + "index.html")
        page.evaluate("localStorage.setItem('gzbg-care', 'on')")
    for name, path in kinds_of_page(built_site).items():
        page.goto(site_server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} at {width}px{' (关怀版)' if care else ''} scrolls sideways by {overflow}px"
    context.close()


@pytest.mark.parametrize("make", [build_with_updates, build_with_a_round])
def test_a_dated_figure_and_a_round_fit_a_phone(browser, tmp_path, make):
    """A figure known before the deadline reads 截至2021年6月30日完成目标的 50% beside its bar, a
    line the real content's first task with targets never shows; with a round come its page and
    the 已报送/尚未录入 lines. None of it may push the page past a phone's edge."""
    site, made = make(tmp_path)
    paths = [made] if isinstance(made, str) else list(made.values())
    server, url = serve_directory(site)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    try:
        for path in paths:
            page.goto(url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} at 360px scrolls sideways by {overflow}px"
        if make is build_with_updates:
            page.goto(url + made)
            assert page.locator(".target-share").first.inner_text().startswith("截至2021年6月30日")
    finally:
        context.close()
        server.shutdown()


def test_nothing_is_fetched_from_another_host(page, built_site, site_server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for path in kinds_of_page(built_site).values():
        page.goto(site_server + path)
        page.wait_for_load_state("networkidle")
    assert requests and all(url.startswith(site_server) for url in requests), \
        [url for url in requests if not url.startswith(site_server)]


def test_404_page_keeps_its_style_and_links_at_any_depth(page, built_site, site_server):
    body = (built_site / "404.html").read_text(encoding="utf-8")
    missing = site_server + "tasks/9-99/"
    page.route(missing, lambda route: route.fulfill(status=404, body=body, content_type="text/html; charset=utf-8"))
    page.goto(missing)
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") == "rgb(11, 58, 117)"
    page.locator("main a", has_text="返回首页").click()
    page.wait_for_url(site_server + "index.html")
    page.wait_for_load_state()
    assert page.locator("main h1").count() == 1


def test_print_shows_the_content_only(page, site_server):
    page.goto(site_server + "tasks/1-1/index.html")
    page.emulate_media(media="print")
    for selector in (".site-nav", ".site-search", ".care-toggle", ".skip-link", ".pager", ".breadcrumb"):
        assert page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).display") == "none", selector
    assert page.locator(".task-text").is_visible()

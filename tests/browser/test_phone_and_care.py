"""关怀版 and phones in Chromium at 375 × 812: the toggle names the way back, the header stays
compact, and the 目录 pills are whole links a thumb can hit."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("kind", ["http", "file"])
def test_care_toggle_names_the_way_back_and_the_header_stays_compact(phone, site_server, built_site, kind):
    base = site_server if kind == "http" else built_site.as_uri() + "/"
    phone.goto(base + "agencies/nanchang/index.html")
    label = phone.locator("[data-care-label]")
    assert label.text_content() == "关怀版"
    body_before = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.task-text-line')).fontSize)")
    phone.locator("button.care-toggle").click()
    assert label.text_content() == "退出关怀版"
    body_after = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.task-text-line')).fontSize)")
    assert body_after > body_before
    header = phone.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    assert header <= 200, f"the 关怀版 header takes {header} of 812 px"
    phone.reload()
    assert phone.locator("[data-care-label]").text_content() == "退出关怀版"
    phone.locator("button.care-toggle").click()
    assert phone.locator("[data-care-label]").text_content() == "关怀版"


def test_table_of_contents_pills_are_whole_links_at_least_44px(phone, site_server):
    phone.goto(site_server + "status/no_information/index.html")
    sizes = phone.evaluate("""[...document.querySelectorAll('.toc li')].map(li => {
        const a = li.querySelector('a'), box = a.getBoundingClientRect(), item = li.getBoundingClientRect();
        return [box.height, Math.abs(box.height - item.height) < 1, a.querySelector('.count') !== null];
    })""")
    assert len(sizes) > 1
    for height, fills_the_pill, holds_the_count in sizes:
        assert height >= 44 and fills_the_pill and holds_the_count
    # “8 项” never breaks between the number and its unit.
    lines = phone.evaluate("""[...document.querySelectorAll('.toc .count')].map(c => c.getClientRects().length)""")
    assert set(lines) == {1}


def test_keyboard_hints_are_hidden_on_a_touch_screen(phone, site_server):
    phone.goto(site_server + "search/index.html")
    assert not phone.locator(".keyboard-hint").is_visible()


def shown_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "li.task-item", "items => items.filter(li => li.offsetParent !== null).map(li => li.dataset.taskId)")


def test_a_term_page_filters_its_tasks_by_status_and_section(page, site_server, catalogue):
    leader = max(catalogue.leaders, key=lambda l: len(l.tasks))
    sections = sorted({task.section.number for task in leader.tasks})
    assert len(sections) > 1
    page.goto(site_server + leader.path)
    form = page.locator("[data-term-filter]")
    assert form.is_visible()
    section = sections[1]
    page.select_option('[data-term-filter] select[name="section"]', str(section))
    visible = shown_ids(page)
    mine = [task.id for task in leader.tasks if task.section.number == section]
    assert sorted(set(visible)) == sorted(mine)
    assert page.inner_text("[data-term-filter-count]") == f"显示 {len(mine)} 项，共 {len(leader.tasks)} 项"
    assert f"section={section}" in page.url

    page.reload()  # the address keeps the filter
    assert page.eval_on_selector('[data-term-filter] select[name="section"]', "s => s.value") == str(section)
    for code in sorted({task.status.code for task in leader.tasks}):
        page.select_option('[data-term-filter] select[name="status"]', code)
        both = [t.id for t in leader.tasks if t.section.number == section and t.status.code == code]
        assert sorted(set(shown_ids(page))) == sorted(both)
        if not both:
            assert page.inner_text("[data-term-filter-count]").startswith("没有符合所选条件的任务")
    page.select_option('[data-term-filter] select[name="section"]', "")
    page.select_option('[data-term-filter] select[name="status"]', "")
    assert len(shown_ids(page)) == page.locator("li.task-item").count()
    assert page.inner_text("[data-term-filter-count]") == ""


CHART_TEXT_SIZE = """() => {
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  const sizes = [...document.querySelectorAll('.bar-label, .bar-figure, .stack-label')].map(text =>
    parseFloat(getComputedStyle(text).fontSize));
  return {body, sizes};
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_in_care_mode_chart_labels_grow_with_the_text(browser, site_server, width):
    context = browser.new_context(viewport={"width": width, "height": 812}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_server + "index.html")
    before = page.evaluate(CHART_TEXT_SIZE)
    page.locator("button.care-toggle").click()
    after = page.evaluate(CHART_TEXT_SIZE)
    context.close()
    assert before["sizes"] and len(after["sizes"]) == len(before["sizes"])
    assert after["body"] > before["body"]
    # Every label and figure is at least as large as the 关怀版 body text, and larger than it was.
    assert all(size >= after["body"] for size in after["sizes"]), after
    assert all(a > b for a, b in zip(after["sizes"], before["sizes"]))


@pytest.fixture
def care_phone(browser, site_server):
    """A 375 px phone in 关怀版, as the mode's readers use it."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.goto(site_server + "index.html")
    page.evaluate("localStorage.setItem('gzbg-care', 'on')")
    yield page
    context.close()


# Everything on the page a reader might need to swipe to: wider than the page, or clipped by a
# box that scrolls or hides its overflow (a closed <details> hides its table on purpose).
CUT_OR_SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) found.push('page ' + document.documentElement.scrollWidth);
  for (const element of document.querySelectorAll('main *, header *')) {
    if (element.closest('details:not([open])') || !element.getClientRects().length) continue;
    const style = getComputedStyle(element);
    if (/(auto|scroll|hidden)/.test(style.overflowX) && element.scrollWidth > element.clientWidth + 1
        && !element.matches('.visually-hidden, .table-scroll')) {
      found.push('clips ' + element.className + ' ' + element.scrollWidth + '>' + element.clientWidth);
    }
    const box = element.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1) && !element.closest('.visually-hidden, .skip-link')) {
      found.push('outside ' + element.tagName + '.' + element.className + ' ' + element.textContent.slice(0, 20));
    }
  }
  return found;
}"""


@pytest.mark.parametrize("path", ["index.html", "search/index.html?q=%E5%85%BB%E8%80%81", "agencies/nanchang/index.html",
                                  "subjects/index.html", "tasks/1-1/index.html"])
def test_care_mode_on_a_phone_cuts_nothing_and_scrolls_nothing_sideways(care_phone, path):
    care_phone.goto(care_phone.url.rsplit("/", 1)[0] + "/" + path)
    care_phone.wait_for_load_state("networkidle")
    assert "care" in care_phone.locator("html").get_attribute("class")
    assert care_phone.evaluate(CUT_OR_SIDEWAYS) == []


def test_care_mode_on_a_phone_shows_the_key_figures_whole(care_phone, catalogue):
    """Each status's count and share, and each section's total, in view without a swipe."""
    figures = care_phone.eval_on_selector_all(".bar-figure", """figures => figures.map(f => {
        const box = f.getBoundingClientRect();
        return [f.textContent, box.left >= 0 && box.right <= document.documentElement.clientWidth]; })""")
    total = len(catalogue.tasks)
    wanted = [f"{len([t for t in catalogue.tasks if t.status is s])}\u00a0项 " for s in catalogue.statuses]
    status_figures = [text for text, _ in figures if "%" in text]
    assert [text.split("项")[0] + "项 " for text in status_figures] == wanted
    assert any(text.endswith(f"{round(100 * len([t for t in catalogue.tasks if t.status is catalogue.statuses[0]]) / total)}%")
               for text in status_figures)
    assert len(figures) == len(catalogue.statuses) + len(catalogue.sections)
    assert all(whole for _, whole in figures), figures


def test_care_mode_on_a_phone_reads_the_sections_table_without_a_swipe(care_phone, catalogue):
    """Opened, the home page's table of sections by status wraps each section's figures instead
    of scrolling its ten columns sideways; each figure keeps its status's name beside it."""
    care_phone.goto(care_phone.url.rsplit("/", 1)[0] + "/index.html")
    care_phone.click(".data-table summary")
    width = care_phone.evaluate("document.documentElement.clientWidth")
    scroller = care_phone.locator(".data-table .table-scroll")
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the table scrolls sideways"
    cells = care_phone.eval_on_selector_all(".data-table tbody tr:first-child td", """cells => cells.map(c => {
        const box = c.getBoundingClientRect();
        return [getComputedStyle(c, '::before').content, c.textContent, box.left >= 0 && box.right <= innerWidth]; })""")
    first = catalogue.sections[0]
    wanted = [[f'"{s.label}"', str(len([t for t in first.tasks if t.status is s])), True] for s in catalogue.statuses]
    assert cells == wanted + [['"合计"', str(len(first.tasks)), True]], (width, cells)


@pytest.mark.parametrize("width", [375, 320])
def test_care_mode_on_a_phone_shows_every_navigation_item(browser, site_server, width):
    context = browser.new_context(viewport={"width": width, "height": 812}, locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.goto(site_server + "index.html")
    page.evaluate("localStorage.setItem('gzbg-care', 'on')")
    page.goto(site_server + "leaders/index.html")
    items = page.eval_on_selector_all(".site-nav a", """links => links.map(a => {
        const box = a.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return {text: a.textContent, inView: box.left >= 0 && box.right <= innerWidth && box.bottom <= innerHeight,
                onTop: hit === a || a.contains(hit), whole: a.scrollWidth <= a.clientWidth + 1, height: box.height};
    })""")
    context.close()
    assert [item["text"] for item in items] == ["首页", "篇章", "牵头领导", "责任单位", "进展状态", "主题", "开放数据", "搜索"]
    assert all(item["inView"] and item["onTop"] and item["whole"] for item in items), items
    assert all(item["height"] >= 24 for item in items), "each is a target a finger can hit (WCAG 2.5.8)"

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


CHART_LABEL_SIZE = """() => {
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  const sizes = [...document.querySelectorAll('svg.chart')].filter(svg => svg.querySelector('text')).map(svg =>
    svg.getBoundingClientRect().width / svg.viewBox.baseVal.width * parseFloat(svg.getAttribute('font-size')));
  return {body, sizes};
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_in_care_mode_chart_labels_grow_with_the_text(browser, site_server, width):
    context = browser.new_context(viewport={"width": width, "height": 812}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_server + "index.html")
    before = page.evaluate(CHART_LABEL_SIZE)
    page.locator("button.care-toggle").click()
    after = page.evaluate(CHART_LABEL_SIZE)
    context.close()
    assert before["sizes"] and len(after["sizes"]) == len(before["sizes"])
    assert after["body"] > before["body"]
    # Every label is at least as large as the 关怀版 body text, and larger than it was.
    assert all(size >= after["body"] for size in after["sizes"]), after
    assert all(a > b for a, b in zip(after["sizes"], before["sizes"]))

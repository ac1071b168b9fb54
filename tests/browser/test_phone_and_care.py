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
    phone.goto(site_server + "status/not_reported/index.html")
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

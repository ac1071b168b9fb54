"""Two plans of two governments in Chromium: the 2021 plan and a city's plan imported from a
table. A reader opens the home page on the plan the site chooses, moves to the other, searches
across both and narrows the results to one plan with the plan facet, reads a unit of the city
(its own, not the province's of a like name) and downloads the open data with its plan column."""
from __future__ import annotations

import csv
import io

import pytest

from catalogue.pipeline import Paths, build
from tests.conftest import serve_directory
from tests.plans_content import PLAN_ID, PLAN_TITLE, beside_2021

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def plans_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("plans-browser")
    out = root / "site"
    build(Paths(content=beside_2021(root), out=out))
    server, url = serve_directory(out)
    yield url
    server.shutdown()


def results(page) -> list[str]:
    """Every result, once all its pages are shown; each names its plan, as its address does."""
    for _ in range(100):
        if not page.locator("#search-more").is_visible():
            break
        page.click("#search-more")
    pairs = page.eval_on_selector_all(
        "#search-results li.task-item",
        "items => items.map(li => [li.querySelector('a.task-link').href, li.querySelector('.search-plan').textContent])")
    for href, plan in pairs:
        assert plan == ("云溪市 · 云溪市2023年" if f"/plans/{PLAN_ID}/" in href else "江西省 · 江西省2021年"), (href, plan)
    return [href for href, _ in pairs]


def test_home_opens_on_the_sites_plan_and_leads_to_the_other(page, plans_url):
    page.goto(plans_url)
    assert page.locator("h1").inner_text() == "2021年江西省《政府工作报告》重点工作落实情况"
    plans = page.locator("[data-plan]")
    assert plans.count() == 2 and plans.first.get_attribute("data-plan") == "2021"
    page.locator(f'[data-plan="{PLAN_ID}"] a').click()
    assert page.url.endswith(f"plans/{PLAN_ID}/index.html")
    assert "16" in page.locator(".figures").inner_text()
    # The city's sections are under its plan's address.
    page.locator(".sections-card a").nth(1).click()
    assert page.url.endswith(f"/plans/{PLAN_ID}/sections/1/index.html")


def test_search_across_plans_and_within_one(page, plans_url):
    page.goto(plans_url + "search/index.html?q=" + "建设")
    page.wait_for_function("document.querySelector('[data-search]').dataset.state !== 'loading'")
    everything = results(page)
    assert any(f"/plans/{PLAN_ID}/tasks/" in href for href in everything)
    assert any("/plans/" not in href for href in everything)
    facet = page.locator('#search-facets a[data-facet="plan"]')
    assert sorted(facet.evaluate_all("links => links.map(a => a.dataset.value)")) == sorted(["2021", PLAN_ID])
    page.locator(f'#search-facets a[data-facet="plan"][data-value="{PLAN_ID}"]').click()
    page.wait_for_function(f"location.search.includes('plan={PLAN_ID}')")
    within = results(page)
    assert within and all(f"/plans/{PLAN_ID}/tasks/" in href for href in within)
    assert len(within) < len(everything)


def test_a_unit_of_the_city_is_the_citys_own(page, plans_url):
    page.goto(plans_url + f"plans/{PLAN_ID}/agencies/index.html")
    page.get_by_role("link", name="省交通厅", exact=True).first.click()
    assert "/governments/yunxi/agencies/" in page.url
    assert page.locator("main .kicker").inner_text() == "云溪市人民政府 · 上级单位"
    page.locator("main a.task-link").first.click()
    assert f"/plans/{PLAN_ID}/tasks/" in page.url
    assert "市政府牵头领导" in page.locator("dl.facts").inner_text()
    # The province's unit of a like name counts none of the city's tasks.
    page.goto(plans_url + "agencies/index.html")
    page.get_by_role("link", name="省交通运输厅", exact=True).first.click()
    assert not any(PLAN_TITLE in h for h in page.locator("main h2").all_inner_texts())


def test_open_data_has_a_plan_column(page, plans_url):
    page.goto(plans_url + "data/index.html")
    assert page.locator("#field-plan").count() == 1
    response = page.request.get(plans_url + "data/tasks.csv")
    rows = list(csv.DictReader(io.StringIO(response.body().decode("utf-8-sig"))))
    assert {row["plan"] for row in rows} == {"2021", PLAN_ID}

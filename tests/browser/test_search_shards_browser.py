"""The search page over a sharded index (docs/scale.md, "Search at scale") in Chromium, hosted
over HTTP and opened from disk: the real content's index written in shards, as a catalogue past
500 tasks is, lists exactly the tasks that contain what is typed, offers the same suggestion,
browses by filter, and loads one term shard for a one-character query."""
from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest

from catalogue.search import search_outputs
from conftest import serve_directory
from test_search_browser import QUERIES, expected, listed, shown, type_query

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sharded_site(built_site, catalogue, tmp_path_factory):
    site = tmp_path_factory.mktemp("sharded") / "site"
    shutil.copytree(built_site, site)
    for name, data in search_outputs(catalogue, shard_above=0).items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert (site / "search" / "facets.js").exists()
    return site


@pytest.fixture(scope="module")
def sharded_server(sharded_site):
    server, url = serve_directory(sharded_site)
    yield url
    server.shutdown()


@pytest.fixture(params=["http", "file"])
def sharded_url(request, sharded_site):
    if request.param == "http":
        return request.getfixturevalue("sharded_server")
    return sharded_site.resolve().as_uri() + "/"


def test_typed_queries_list_every_task_that_contains_them(page, sharded_url, catalogue):
    page.goto(sharded_url + "search/index.html")
    shown(page, "")
    for query in QUERIES:
        type_query(page, query)
        ids = listed(page)
        want = expected(catalogue, query)
        assert sorted(ids) == sorted(want), query
        assert len(ids) == len(set(ids))
        assert f"找到 {len(want)} 项" in page.inner_text("#search-status")


def test_a_one_character_query_loads_one_term_shard(page, sharded_server, catalogue):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(sharded_server + "search/index.html?q=" + quote("湖"))
    shown(page, "湖")
    terms = [url for url in requested if "/search/terms/" in url]
    assert [url.rsplit("/", 1)[1] for url in terms] == [f"{ord('湖'):x}.js"]
    assert page.locator("#search-results li.task-item").count() == min(50, len(expected(catalogue, "湖")))


def test_a_typo_offers_the_longest_part_that_matches(page, sharded_server, catalogue):
    page.goto(sharded_server + "search/index.html?q=" + quote("鄱阳湖阮"))
    shown(page, "鄱阳湖阮")
    suggestion = page.locator("#search-status a[data-suggestion]")
    assert suggestion.get_attribute("data-suggestion") == "鄱阳湖"
    suggestion.click()
    shown(page, "鄱阳湖")
    assert set(listed(page)) == expected(catalogue, "鄱阳湖")


def test_filters_without_a_keyword_list_and_count_the_tasks(page, sharded_server, catalogue):
    leader = max(catalogue.leaders, key=lambda l: len(l.tasks))
    page.goto(sharded_server + "search/index.html")
    shown(page, "")
    facet = page.locator(f'#search-facets a[data-facet="leader"][data-value="{leader.slug}"]')
    assert int(facet.locator(".search-facet-count").inner_text()) == len(leader.tasks)
    facet.click()
    page.wait_for_function("() => document.querySelector('[data-search]').dataset.state === 'browse'")
    assert listed(page) == [task.id for task in catalogue.tasks if leader in task.leaders]

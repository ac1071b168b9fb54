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
from test_search_browser import (expected, filters_without_a_keyword_list_and_count_the_tasks, shown,
                                 typed_queries_list_every_task_that_contains_them,
                                 typo_offers_a_whole_name)

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
    typed_queries_list_every_task_that_contains_them(page, sharded_url, catalogue)


def test_a_one_character_query_loads_one_term_shard(page, sharded_server, catalogue):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(sharded_server + "search/index.html?q=" + quote("湖"))
    shown(page, "湖")
    terms = [url for url in requested if "/search/terms/" in url]
    assert [url.rsplit("/", 1)[1] for url in terms] == [f"{ord('湖'):x}.js"]
    # The first screen may be drawn before the rest of the first fifty: wait for those too.
    page.wait_for_function("() => !document.querySelector('[data-search]').hasAttribute('data-pending')")
    assert page.locator("#search-results li.task-item").count() == min(50, len(expected(catalogue, "湖")))


def test_a_typo_offers_a_whole_name(page, sharded_server, catalogue):
    typo_offers_a_whole_name(page, sharded_server, catalogue)


def test_filters_without_a_keyword_list_and_count_the_tasks(page, sharded_server, catalogue):
    filters_without_a_keyword_list_and_count_the_tasks(page, sharded_server, catalogue)


def search_requests(page) -> list[tuple[str, str]]:
    """Each file under search/ the page asks for from now on, with the priority it asks for it
    at: [(path under search/, priority)], filled in as the requests are sent."""
    sent = []
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")

    def record(event) -> None:
        head, found, path = event["request"]["url"].partition("/search/")
        if found:
            sent.append((path, event["request"]["initialPriority"]))

    session.on("Network.requestWillBeSent", record)
    return sent


def test_the_page_opened_with_nothing_asked_loads_no_shard_nor_record(page, sharded_server):
    sent = search_requests(page)
    page.goto(sharded_server + "search/index.html")
    shown(page, "")
    assert page.get_attribute("[data-search]", "data-state") == "empty"
    assert page.locator("#search-facets a[data-facet]").count() > 0  # counted from the index alone
    page.wait_for_timeout(500)  # what it would load it asks for as soon as the index is there
    assert [path for path, _ in sent] == ["index.html", "index.js"]


def test_what_comes_behind_the_first_screen_waits_until_the_reader_pauses(page, sharded_server, catalogue):
    """省 is in every task: its shard carries the first screen's records, and the rest of the
    first fifty lie in chunks, fetched only once the reader has paused, after what a keystroke
    waits for."""
    assert len(expected(catalogue, "省")) > 50
    sent = search_requests(page)
    page.clock.install()  # the page's timers run only when the test lets the time pass
    page.goto(sharded_server + "search/index.html")
    shown(page, "")
    box = page.locator("#search-input")
    box.press_sequentially("省")
    shown(page, "省")
    assert page.locator("#search-results li.task-item").count() == 10
    assert page.get_attribute("[data-search]", "data-pending") == ""
    box.fill("")  # the reader goes on before pausing: the search for 省 is overtaken
    shown(page, "")
    page.clock.run_for(5000)
    assert [path for path, _ in sent if path.startswith(("tasks/", "facets"))] == []

    box.press_sequentially("省")
    shown(page, "省")
    assert [path for path, _ in sent if path.startswith("tasks/")] == []
    page.clock.run_for(5000)
    page.wait_for_function("() => !document.querySelector('[data-search]').hasAttribute('data-pending')")
    assert page.locator("#search-results li.task-item").count() == 50
    chunks = [priority for path, priority in sent if path.startswith("tasks/")]
    assert chunks and set(chunks) == {"Low"}
    assert [priority for path, priority in sent if path.startswith("terms/")] == ["High"]

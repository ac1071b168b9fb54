"""What benchmarks/run.py prints for each query opened on a cold page: the gzip bytes before its
first result, and which files they were, so that the heaviest query says what made it so."""
from __future__ import annotations

import gzip
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from search_bench import (KEYSTROKE_TIMER, cold_query, describe_files, search_files,  # noqa: E402
                          typed_keystrokes)


class Response:
    def __init__(self, url: str, body: bytes | None):
        self.url, self._body = url, body

    def body(self) -> bytes:
        if self._body is None:
            raise ValueError("gone")
        return self._body


def test_the_search_files_of_a_query_are_named_by_path_and_weighed_heaviest_first():
    facets = random.Random(24).randbytes(8000)  # gzip cannot shrink it
    responses = [Response("http://127.0.0.1:9/search/index.html", b"<html>" * 100),
                 Response("http://127.0.0.1:9/assets/js/site.js", b"x" * 999),
                 Response("http://127.0.0.1:9/search/terms/6570.js", b"terms " * 50),
                 Response("http://127.0.0.1:9/search/facets.js", facets),
                 Response("http://127.0.0.1:9/search/tasks/7.js", None)]  # no body: not counted
    files = search_files(responses)
    assert [path for path, _ in files] == ["search/facets.js", "search/terms/6570.js"]
    assert files[0][1] == min(len(facets), len(gzip.compress(facets, 9))) > 5000


def test_a_query_s_files_are_described_heaviest_first_with_the_record_chunks_counted_together():
    files = [("search/index.js", 51_900), ("search/facets.js", 76_100), ("search/tasks/3.js", 1_300),
             ("search/terms/6570.js", 4_100), ("search/tasks/40.js", 1_200)]
    ordered = sorted(files, key=lambda file: -file[1])
    assert describe_files(ordered) == ("search/facets.js 76.1, search/index.js 51.9, search/terms/6570.js 4.1, "
                                       "2 record chunks 2.5")
    assert describe_files(ordered, named=1) == "search/facets.js 76.1, 2 record chunks 2.5, 2 more 56.0"
    assert describe_files([("search/tasks/0.js", 1_000)]) == "1 record chunk 1.0"


class Page:
    """A search page that goes on loading while its first result's files are read, as the real
    one does (the rest of the first fifty results, then the facet table)."""

    def __init__(self, before_first: list[str], after_first: list[str]):
        self.handlers, self.before_first, self.later = [], before_first, list(after_first)

    def on(self, event, handler):
        self.handlers.append(handler)

    def remove_listener(self, event, handler):
        self.handlers.remove(handler)

    def arrive(self, url: str):
        for handler in list(self.handlers):
            handler(LateResponse(self, url))

    def goto(self, url):
        for url in self.before_first:
            self.arrive(url)

    def evaluate(self, expression):
        return {"window.__firstResult": 120.0, "window.__beforeFirst": self.before_first}[expression]

    def add_init_script(self, script): pass
    def wait_for_function(self, *args, **kwargs): pass
    def wait_for_timeout(self, ms): pass


class LateResponse(Response):
    """Reading its body lets the page's next file arrive."""

    def __init__(self, page: Page, url: str):
        super().__init__(url, b"x" * 100)
        self.page = page

    def body(self) -> bytes:
        if self.page.later:
            self.page.arrive(self.page.later.pop(0))
        return super().body()


class Browser:
    def __init__(self, page: Page):
        self.page = page

    def new_context(self, **kwargs):
        return self

    def new_page(self):
        return self.page

    def close(self): pass


def test_files_that_arrive_while_the_first_result_s_files_are_read_are_not_counted():
    base = "http://127.0.0.1:9/"
    before = [base + "search/index.js", base + "search/terms/6d4e.js", base + "search/tasks/3.js"]
    after = [base + "search/tasks/4.js", base + "search/facets.js", base + "search/tasks/5.js"]
    read, first = cold_query(Browser(Page(before, after)), base + "search/index.html", "数字经济", "['results']")
    assert first == 120.0
    assert [response.url for response in read] == before


def test_only_the_keystrokes_of_the_query_typed_are_counted():
    recorded = [{"query": "数字经济", "painted": 9.0},  # the last of the query before, recorded late
                {"query": "", "painted": 80.0},  # the box emptied between two queries
                {"query": "数", "painted": 30.0}, {"query": "数字", "painted": 20.0}]
    assert [k["query"] for k in typed_keystrokes(recorded, "数字经济")] == ["数字经济", "数", "数字"]
    assert [k["query"] for k in typed_keystrokes(recorded, "数")] == ["数"]
    assert [k["query"] for k in typed_keystrokes(recorded)] == ["数字经济", "数", "数字"]


# A page that draws what is typed as the search page does: `search:shown` on [data-search] once
# the box's value has changed; a key that changes nothing draws nothing.
TIMED_PAGE = """<!DOCTYPE html><meta charset="utf-8"><div data-search><input id="box"></div><script>
const page = document.querySelector("[data-search]"), box = document.getElementById("box");
window.stamps = [];
for (const type of ["keydown", "beforeinput"]) {
  box.addEventListener(type, (event) => window.stamps.push([type, event.key || event.inputType, event.timeStamp]));
}
box.addEventListener("input", () => setTimeout(() => page.dispatchEvent(new CustomEvent("search:shown",
  {detail: {query: box.value.trim(), state: box.value ? "results" : "empty"}})), 5));
</script>"""


@pytest.mark.browser
def test_a_keystroke_is_timed_from_its_own_first_event_not_from_a_key_that_changed_nothing(page):
    page.add_init_script(KEYSTROKE_TIMER)
    # Served by the test itself: an init script runs in a page navigated to, not in set_content's.
    page.route("http://timed.test/", lambda route: route.fulfill(body=TIMED_PAGE, content_type="text/html"))
    page.goto("http://timed.test/")
    box = page.locator("#box")
    box.fill("")  # Delete in an empty box: a keydown and a beforeinput, no input, nothing drawn
    page.evaluate("window.stamps = []")
    page.keyboard.type("数")  # no key makes it: text inserted, beforeinput first
    page.wait_for_function("window.__keystrokes.length === 1")
    page.keyboard.type("a")  # a key: keydown first
    page.wait_for_function("window.__keystrokes.length === 2")
    stamps = page.evaluate("window.stamps")
    keystrokes = page.evaluate("window.__keystrokes")
    assert [k["query"] for k in keystrokes] == ["数", "数a"]
    assert keystrokes[0]["from"] == next(stamp for kind, _, stamp in stamps if kind == "beforeinput")
    assert keystrokes[1]["from"] == next(stamp for kind, key, stamp in stamps if kind == "keydown" and key == "a")
    assert all(k["painted"] >= k["dom"] > 0 for k in keystrokes)

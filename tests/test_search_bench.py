"""What benchmarks/run.py prints for each query opened on a cold page: the gzip bytes before its
first result, and which files they were, so that the heaviest query says what made it so."""
from __future__ import annotations

import gzip
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from search_bench import cold_query, describe_files, search_files  # noqa: E402


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

"""What benchmarks/run.py prints for each query opened on a cold page: the gzip bytes before its
first result, and which files they were, so that the heaviest query says what made it so."""
from __future__ import annotations

import gzip
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from search_bench import describe_files, search_files  # noqa: E402


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

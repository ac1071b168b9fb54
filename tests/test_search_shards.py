"""The search index in shards (docs/scale.md, "Search at scale"), on a synthetic catalogue of
2,000 tasks that benchmarks/synth.py grows from the real content: the page's engine, under
Node, loading shards from disk as the page does, finds exactly the tasks that contain what was
typed, agrees with the single-file index on everything it reports, and loads one term shard for
a query of one character.
"""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from catalogue.folding import traditional_to_simplified
from catalogue.load import load_catalogue
from catalogue.search import CHUNK, normalise, search_outputs, searchable_fields
from search_node import search_cli, search_key

ROOT = Path(__file__).resolve().parent.parent
TASKS = 2000


def write(outputs: dict[str, bytes], folder: Path) -> Path:
    for name, data in outputs.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder / "search" / "index.js"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    content = tmp_path_factory.mktemp("content") / "content"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), "--tasks", str(TASKS),
                    "--out", str(content)], check=True, stdout=subprocess.DEVNULL)
    catalogue = load_catalogue(content)
    sharded = search_outputs(catalogue)
    single = search_outputs(catalogue, shard_above=TASKS)
    return {"catalogue": catalogue, "outputs": sharded,
            "sharded": write(sharded, tmp_path_factory.mktemp("sharded")),
            "single": write(single, tmp_path_factory.mktemp("single"))}


def oracle(catalogue, query: str) -> set[str]:
    """Tasks that contain every word as typed, or every word read in simplified characters."""
    table = traditional_to_simplified()
    read = "".join(table.get(char, char) for char in normalise(query))
    found = set()
    for words in {tuple(normalise(query).split()), tuple(read.split())}:
        found |= {search_key(task) for task in catalogue.tasks
                  if all(any(word in normalise(string) for strings in searchable_fields(task).values()
                             for string in strings) for word in words)}
    return found


def queries_from(catalogue) -> list[str]:
    rng = random.Random(2000)
    tasks = rng.sample(catalogue.tasks, 60)
    queries = set()
    for task in tasks:
        for strings in searchable_fields(task).values():
            for string in strings:
                for length in (1, 2, 3, 5):
                    if len(string) >= length:
                        start = rng.randrange(len(string) - length + 1)
                        queries.add(string[start:start + length])
    queries = sorted(q for q in queries if q.strip() == q and q)
    pairs = [f"{a} {b}" for a, b in zip(rng.sample(queries, 30), rng.sample(queries, 30))]
    return queries + pairs + ["5G", "湖", "数", "鄱阳湖", "看病", "陽", "鄱阳湖水库不存在", "%"]


def test_a_large_catalogue_is_written_in_shards(synthetic):
    names = set(synthetic["outputs"])
    assert {"search/index.js", "search/facets.js"} <= names
    assert sum(name.startswith("search/tasks/") for name in names) == -(-TASKS // CHUNK)
    assert sum(name.startswith("search/terms/") for name in names) > 100
    assert b'"shards":' in synthetic["outputs"]["search/index.js"]
    assert b'"tasks":' not in synthetic["outputs"]["search/index.js"]


def test_the_sharded_engine_finds_exactly_the_substring_matches(synthetic):
    catalogue = synthetic["catalogue"]
    queries = queries_from(catalogue)
    answers = search_cli("search", synthetic["sharded"], stdin=[{"q": q} for q in queries])
    wrong = [(q, sorted({m["id"] for m in a["matches"]} ^ oracle(catalogue, q)))
             for q, a in zip(queries, answers) if {m["id"] for m in a["matches"]} != oracle(catalogue, q)]
    assert not wrong, wrong[:10]
    assert len(queries) > 300


def test_the_sharded_engine_reports_what_the_single_file_does(synthetic):
    """The same matches, related tasks with their reasons, suggestion and facet counts; only
    the order of a one-word query exact by construction may differ (Lunr's score alone)."""
    queries = queries_from(synthetic["catalogue"])[::3]
    asked = [{"q": q} for q in queries] + [{"q": ""}, {"q": "", "filters": {"status": "no_information"}},
                                          {"q": "湖", "filters": {"status": "no_information"}}]
    sharded = search_cli("search", synthetic["sharded"], stdin=asked)
    single = search_cli("search", synthetic["single"], stdin=asked)
    for query, a, b in zip(asked, sharded, single):
        assert sorted(m["id"] for m in a["matches"]) == sorted(m["id"] for m in b["matches"]), query
        assert sorted(a["results"]) == sorted(b["results"]), query
        assert sorted(map(str, a["related"])) == sorted(map(str, b["related"])), query
        assert a["suggestion"] == b["suggestion"], query
        assert a["facets"] == b["facets"], query
        assert a["browsing"] == b["browsing"], query


@pytest.mark.parametrize("query", ["湖", "数", "g"])
def test_a_one_character_query_loads_one_term_shard(synthetic, query):
    found = search_cli("search", synthetic["sharded"], "fresh", stdin=[{"q": query}])[0]
    terms = [name for name in found["loaded"] if name.startswith("terms/")]
    assert terms == [f"terms/{ord(query):x}.js"]
    chunks = [name for name in found["loaded"] if name.startswith("tasks/")]
    assert 0 < len(chunks) <= 50  # the records of the first page of results, no more


def test_the_facet_table_waits_for_the_results_unless_a_filter_needs_it(synthetic):
    plain, filtered = search_cli("search", synthetic["sharded"], "fresh", stdin=[
        {"q": "湖"}, {"q": "湖", "filters": {"status": "no_information"}}])
    assert "facets.js" not in plain["loaded"] and plain["loaded"]
    assert filtered["loaded"][0] == "facets.js"
    assert sum(plain["facets"]["status"].values()) == len(plain["matches"]) + len(plain["related"])


def test_the_first_screen_is_drawn_once_its_own_records_are_there(synthetic):
    """湖 matches tasks all over the catalogue: its first ten results lie in up to ten chunks, the
    first fifty in many more. The page is given the first ten to draw as soon as their chunks
    are loaded, before the others'; then the whole first page, in the same order."""
    few = [q for q in queries_from(synthetic["catalogue"]) if 2 <= len(oracle(synthetic["catalogue"], q)) <= 5][:20]
    common, *others = search_cli("search", synthetic["sharded"], "fresh",
                                 stdin=[{"q": "湖", "early": 10}] + [{"q": q, "early": 10} for q in few])
    first_ten = common["firstPositions"][:10]
    assert len(common["firstPositions"]) == 50
    assert common["drawnEarly"]["positions"] == first_ten
    chunks_then = {name for name in common["drawnEarly"]["loaded"] if name.startswith("tasks/")}
    assert chunks_then == {f"tasks/{position // CHUNK}.js" for position in first_ten}
    all_chunks = {name for name in common["loaded"] if name.startswith("tasks/")}
    assert all_chunks == {f"tasks/{position // CHUNK}.js" for position in common["firstPositions"]}
    assert len(all_chunks) > len(chunks_then)
    one_screen = [found for found in others if 2 <= len(found["firstPositions"]) <= 10]
    assert one_screen and all(found["drawnEarly"] is None for found in one_screen)  # drawn once


def test_shards_are_deterministic(synthetic):
    again = search_outputs(synthetic["catalogue"])
    assert again == synthetic["outputs"]

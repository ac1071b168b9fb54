"""The search index in shards (docs/scale.md, "Search at scale"), on a synthetic catalogue of
2,000 tasks that benchmarks/synth.py grows from the real content: the page's engine, under
Node, loading shards from disk as the page does, finds exactly the tasks that contain what was
typed, agrees with the single-file index on everything it reports, and loads one term shard for
a query of one character.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from catalogue.folding import traditional_to_simplified
from catalogue.pipeline import Paths, check
from catalogue.search import CHUNK, search_outputs, searchable_fields
from catalogue.tokenizer import normalise
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
    catalogue = check(Paths(content=content))
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


def test_a_value_of_each_facet_filters_and_counts_alike_in_shards_and_the_single_file(synthetic):
    """The sharded engine counts from the facet table's registry positions, the single file from
    the records: filtered on the most counted value of each facet, and on two at once, both list
    the same tasks and counts, and a value's count is what its filter then lists."""
    catalogue = synthetic["catalogue"]
    unfiltered = search_cli("search", synthetic["single"], stdin=[{"q": "湖"}])[0]
    asked = [{"q": "湖", "filters": {facet: max(sorted(counts), key=counts.get)}}
             for facet, counts in unfiltered["facets"].items() if counts]
    assert {"status", "section", "subject", "leader", "unit"} <= {next(iter(a["filters"])) for a in asked}
    asked.append({"q": "湖", "filters": {**asked[-1]["filters"], **asked[-2]["filters"]}})
    sharded = search_cli("search", synthetic["sharded"], stdin=asked)
    single = search_cli("search", synthetic["single"], stdin=asked)
    for query, a, b in zip(asked, sharded, single):
        assert sorted(a["results"]) == sorted(b["results"]) and a["results"], query
        assert sorted(a["relatedResults"]) == sorted(b["relatedResults"]), query
        assert a["facets"] == b["facets"], query
        if len(query["filters"]) == 1:
            (facet, value), = query["filters"].items()
            assert unfiltered["facets"][facet][value] == len(a["results"]) + len(a["relatedResults"]), query
    # The unit filter read from the content, not from either engine.
    by_key = {search_key(task): task for task in catalogue.tasks}
    for query, found in zip(asked, sharded):
        unit = query["filters"].get("unit")
        if unit:
            for key in found["results"]:
                task = by_key[key]
                assert unit in {unit_filter_value(u) for u in [*task.lead_units, *task.responsible_units]}, key


def unit_filter_value(unit) -> str:
    """How a unit is named in a filter: its slug, or government/slug in a further government."""
    government = unit.government
    return unit.slug if government is None or government.first else f"{government.id}/{unit.slug}"


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


def test_the_page_opened_with_nothing_asked_counts_every_task_without_the_facet_table(synthetic):
    catalogue = synthetic["catalogue"]
    nothing = search_cli("search", synthetic["sharded"], "fresh", stdin=[{"q": ""}])[0]
    assert "facets.js" not in nothing["loadedInAll"]
    assert nothing["facets"] == search_cli("search", synthetic["single"], stdin=[{"q": ""}])[0]["facets"]
    # Read from the content: every task has one status, and a unit counts the tasks it leads or shares.
    assert sum(nothing["facets"]["status"].values()) == len(catalogue.tasks)
    some_unit = catalogue.tasks[0].lead_units[0]
    assert nothing["facets"]["unit"][unit_filter_value(some_unit)] == sum(
        some_unit in {*task.lead_units, *task.responsible_units} for task in catalogue.tasks)


def test_a_character_typed_alone_is_drawn_from_its_shard_alone(synthetic):
    """A first keystroke waits for one file: the shard of the character typed carries the records
    of its first screen, the very tasks the page lists first; the rest of the first fifty come in
    chunks after the first screen is drawn."""
    answers = search_cli("search", synthetic["sharded"], "fresh", stdin=[{"q": q, "early": 10} for q in "湖数g5"])
    for char, found in zip("湖数g5", answers):
        shard = shard_body(synthetic["outputs"][f"search/terms/{ord(char):x}.js"])
        first = [position for position, _ in shard["first"]]
        assert found["firstPositions"][:10] == first, char
        assert [record for _, record in shard["first"]] == [record_at(synthetic, p) for p in first]
        assert found["drawnEarly"]["loaded"] == [f"terms/{ord(char):x}.js"], char
        chunks = {name for name in found["loaded"] if name.startswith("tasks/")}
        assert chunks == {f"tasks/{p // CHUNK}.js" for p in found["firstPositions"][10:]}, char


def test_a_search_is_answered_once_while_the_records_of_its_first_page_come_in_rounds(synthetic):
    """The first screen, then the rest of the first fifty: records to show do not change what the
    search found, and the search is not run again for them."""
    answers = search_cli("search", synthetic["sharded"], "fresh", stdin=[{"q": q, "early": 10} for q in "湖数g"])
    for char, found in zip("湖数g", answers):
        assert found["drawnEarly"]["loaded"] != found["loaded"], char  # records came after the first screen
        assert found["searchesAnswered"] == 1, char


def test_a_facet_table_that_came_while_the_records_loaded_counts_the_search_it_came_during(synthetic):
    plain, during = search_cli("search", synthetic["sharded"], "fresh", stdin=[
        {"q": "湖", "early": 10}, {"q": "湖", "early": 10, "facetsWithRecords": True}])
    assert "facets.js" not in plain["loaded"] and "facets.js" in during["loaded"]
    assert during["facets"] == plain["facets"]  # plain: counted once the table was fetched after
    assert during["loadedInAll"].count("facets.js") == 1


def test_a_long_word_or_several_are_found_without_the_records_of_their_candidates(synthetic):
    """省科技厅 and 数字经济 are several terms each, 数字 经济 two words: the terms' positions in their
    shards say which tasks hold them, and only the first page's records are loaded."""
    catalogue = synthetic["catalogue"]
    queries = ["省科技厅", "数字经济", "数字 经济", "文化 旅游", "住房城乡建设"]
    answers = search_cli("search", synthetic["sharded"], "fresh", stdin=[{"q": q} for q in queries])
    for query, found in zip(queries, answers):
        assert {m["id"] for m in found["matches"]} == oracle(catalogue, query), query
        assert len(found["matches"]) > 50, query
        chunks = {name for name in found["loaded"] if name.startswith("tasks/")}
        assert chunks <= {f"tasks/{p // CHUNK}.js" for p in found["firstPositions"]}, query


def test_the_shards_score_as_lunr_js_scores_the_whole_index(synthetic):
    """The sharded engine computes lunr.js's score from the shards' postings: the same figure as
    lunr.js querying the single file, for each task, up to the last bits of a double."""
    queries = ["湖", "数字", "省科技厅", "数字 经济", "5g", "r&d", "12345"]
    sharded = search_cli("search", synthetic["sharded"], stdin=[{"q": q} for q in queries])
    single = search_cli("search", synthetic["single"], stdin=[{"q": q} for q in queries])
    for query, a, b in zip(queries, sharded, single):
        theirs = {m["id"]: m["score"] for m in b["matches"]}
        assert theirs, query
        for match in a["matches"]:
            assert match["score"] == pytest.approx(theirs[match["id"]], rel=1e-9), (query, match["id"])


def shard_body(script: bytes) -> dict:
    text = script.decode("utf-8")
    return json.loads(text[text.index(",", text.index(",") + 1) + 1:text.rindex(");")])


def record_at(synthetic, position: int) -> dict:
    script = synthetic["outputs"][f"search/tasks/{position // CHUNK}.js"].decode("utf-8")
    return json.loads(script[script.index(",", script.index(",") + 1) + 1:script.rindex(");")])[position % CHUNK]


def test_shards_are_deterministic(synthetic):
    again = search_outputs(synthetic["catalogue"])
    assert again == synthetic["outputs"]


@pytest.mark.parametrize("facets", [
    [],
    [[0, 2, [1, 4], [0], [3, 1]], [2, 2, [], [0, 1], [1]], [0, 0, [4], [], [0, 5]]],
    [[1, 0, [0], [2], [0], 1], [1, 3, [0, 0], [2], [7], 0]],  # a site of several plans: the plan's column
    [[0, [1, 2], 3, [], [4]], [[0], 1, [3, 3], [2], []]],  # any column a list or a position
])
def test_every_task_counts_are_the_tasks_holding_each_position_of_each_column(facets):
    from catalogue.search import every_task_counts

    counts = every_task_counts(facets)
    assert len(counts) == 6
    for column, held in enumerate(counts):
        positions = [position for row in facets if len(row) > column
                     for position in (row[column] if isinstance(row[column], list) else [row[column]])]
        assert held == [positions.count(position) for position in range(max(positions) + 1)] if positions else held == []

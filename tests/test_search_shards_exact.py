"""The search index in shards on a catalogue of 108 tasks (tests/state_content.py), taken apart
in Python and put back together: it holds exactly what the single file holds, each term in the
shard of every character it contains. test_search_shards.py runs the page's engine over 2,000
tasks; this is the same promise, checked in a fraction of a second."""
from __future__ import annotations

import itertools
import json
import re

import pytest

from catalogue.pipeline import Paths, check
from catalogue.search import STRIDE, search_outputs, searchable_fields
from catalogue.tokenizer import CJK, JOINERS, OTHER, WORD, char_class, normalise
from state_content import write_state_content

SHARD = re.compile(r'CatalogueSearchShard\("(terms|tasks|facets)",("?[0-9a-f]+"?),(.*)\);\n', re.S)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    return check(Paths(content=write_state_content(tmp_path_factory.mktemp("states"))))


@pytest.fixture(scope="module")
def outputs(catalogue):
    return search_outputs(catalogue, shard_above=0), search_outputs(catalogue)


def global_data(script: bytes) -> dict:
    text = script.decode("utf-8")
    head, _, rest = text.partition("window.CatalogueSearchData=")
    assert head.startswith("/* Search index of 108 tasks, built by lunr.py ") and rest.endswith(";\n")
    return json.loads(rest[:-2])


def shard(script: bytes) -> tuple[str, object, object]:
    kind, name, body = SHARD.fullmatch(script.decode("utf-8")).groups()
    return kind, json.loads(name), json.loads(body)


def where(strings: list[str], term: str) -> list[int]:
    """Where `term` starts as a term in a field's strings, found with str.find: each string
    STRIDE places after the one before; a term is a pair of neighbouring CJK characters, a lone
    CJK character between others, or a whole run of letters and digits."""
    found = []
    for number, string in enumerate(strings):
        text = normalise(string)
        at = text.find(term)
        while at >= 0:
            if term_starts_here(text, term, at):
                found.append(number * STRIDE + at)
            at = text.find(term, at + 1)
    return found


def term_starts_here(text: str, term: str, at: int) -> bool:
    end = at + len(term)

    def kind(i: int) -> str:
        return char_class(text[i]) if 0 <= i < len(text) else OTHER

    def joined(i: int) -> bool:
        return 0 <= i < len(text) and text[i] in JOINERS and kind(i - 1) == WORD and kind(i + 1) == WORD

    if kind(at) == CJK:
        return len(term) == 2 or (kind(at - 1) != CJK and kind(end) != CJK)
    return kind(at - 1) != WORD and not joined(at - 1) and kind(end) != WORD and not joined(end)


def test_the_sharded_files_hold_exactly_what_the_single_file_does(outputs, catalogue):
    sharded, single = outputs
    strings = [list(searchable_fields(task).values()) for task in catalogue.tasks]
    whole = global_data(single["search/index.js"])
    assert list(single) == ["search/index.js"]
    assert list(sharded) == sorted(sharded)
    front = global_data(sharded["search/index.js"])
    manifest = front.pop("shards")
    index, tasks = whole.pop("index"), whole.pop("tasks")
    assert front == whole, "the registries as they are, without the index and the task records"

    chunks = sorted((name for name in sharded if name.startswith("search/tasks/")),
                    key=lambda name: int(name.split("/")[-1][:-3]))
    assert chunks == [f"search/tasks/{number}.js" for number in range(11)], "108 tasks, 10 a chunk"
    records = []
    for number, name in enumerate(chunks):
        kind, label, body = shard(sharded[name])
        assert (kind, label, len(body)) == ("tasks", number, 8 if number == 10 else 10)
        records += body
    assert records == tasks

    kind, label, facets = shard(sharded["search/facets.js"])
    assert (kind, label) == ("facets", 0)
    assert facets == [[t["status"], t["section"], t["subjects"], t["leaders"], list(dict.fromkeys(t["lead"] + t["units"]))]
                      + ([t["plan"]] if "plan" in t else []) for t in tasks]

    assert (manifest["version"], manifest["fields"], manifest["pipeline"]) == (
        index["version"], index["fields"], index["pipeline"])
    assert (manifest["count"], manifest["chunk"]) == (108, 10)
    terms = index["terms"].split(" ")
    rebuilt = [[[] for _ in tasks] for _ in index["fields"]]
    found: dict[str, set[str]] = {}
    for name in (n for n in sharded if n.startswith("search/terms/")):
        kind, label, body = shard(sharded[name])
        char = chr(int(label, 16))
        assert (kind, name) == ("terms", f"search/terms/{label}.js")
        held = body["terms"].split(" ")
        found[char] = set(held)
        held_postings = 0
        for term, postings in zip(held, body["postings"], strict=True):
            for field, flat in enumerate(postings):
                doc, i = 0, 0
                while i < len(flat):
                    doc += flat[i]
                    count = flat[i + 2]
                    at = list(itertools.accumulate(flat[i + 3:i + 3 + count]))
                    assert at == where(strings[doc][field], term), (term, doc, field)
                    entry = (terms.index(term), flat[i + 1])
                    if entry not in rebuilt[field][doc]:
                        rebuilt[field][doc].append(entry)
                    held_postings += 1
                    i += 3 + count
        assert manifest["sizes"][char] == held_postings
    assert found == {char: {term for term in terms if char in term} for term in terms for char in term}
    assert list(manifest["sizes"]) == sorted(found, key=lambda c: c.encode("utf-16-be", "surrogatepass"))
    # Back to the single file's form: per field and task, (term number − the one before, score).
    packed = []
    for per_field in rebuilt:
        packed.append([])
        for entries in per_field:
            flat, previous = [], 0
            for term, score in sorted(entries):
                flat += [term - previous, score]
                previous = term
            packed[-1].append(flat)
    assert packed == index["vectors"]


def test_a_shards_first_screen_lists_the_tasks_a_reader_typing_its_character_alone_sees_first(outputs):
    """Worked out from the single file's vectors: every term holding the character, the tasks that
    hold one in their text or targets before those that only name it elsewhere (a unit, a
    leader), then by the summed score over the square root of the terms, then in document order."""
    sharded, single = outputs
    index = global_data(single["search/index.js"])["index"]
    terms, fields = index["terms"].split(" "), index["fields"]
    scores: dict[str, dict[int, float]] = {term: {} for term in terms}
    in_text: dict[str, set[int]] = {term: set() for term in terms}
    for field, per_task in zip(fields, index["vectors"]):
        for doc, flat in enumerate(per_task):
            number = 0
            for i in range(0, len(flat), 2):
                number += flat[i]
                term = terms[number]
                scores[term][doc] = scores[term].get(doc, 0.0) + flat[i + 1] / 1000
                if field in ("text", "targets"):
                    in_text[term].add(doc)
    checked = 0
    for name in (n for n in sharded if n.startswith("search/terms/")):
        _, label, body = shard(sharded[name])
        if "first" not in body:
            continue
        held = body["terms"].split(" ")
        total: dict[int, float] = {}
        for term in held:
            for doc, score in scores[term].items():
                total[doc] = total.get(doc, 0.0) + score
        texts = set().union(*(in_text[term] for term in held))
        rank = {doc: (doc not in texts, -round(total[doc] / len(held) ** 0.5, 9), doc) for doc in total}
        listed = [doc for doc, _ in body["first"]]
        assert listed == sorted(rank, key=rank.get)[:10], chr(int(label, 16))
        checked += len(listed) > 1
    assert checked > 20, "shards whose first screen has an order to get wrong"

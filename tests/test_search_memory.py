"""The search index kept from build to build (catalogue/search_index.py): after an edit it is the
index made from scratch, byte for byte, and it made again only what the edit changed."""
from __future__ import annotations

import copy
import json
import random

import pytest

import catalogue.search as search
import catalogue.search_index as search_index
from catalogue.pipeline import PROJECT_ROOT, Paths, check
from catalogue.search import search_outputs, searchable_fields
from catalogue.search_index import FIRST_SCREEN, IndexMemory, Shared, first_screen, task_piece
from catalogue.tokenizer import tokens_at
from tiny_content import write_tiny_content


@pytest.fixture(scope="module")
def catalogue():
    return check(Paths(content=PROJECT_ROOT / "content"))


def sharded(catalogue, memory: IndexMemory | None = None) -> dict[str, bytes]:
    """Every file of the index in term shards (as past SHARD_ABOVE tasks)."""
    return dict(search_outputs(catalogue, shard_above=0, memory=memory))


class Spy:
    """What the index memory did: which tasks it cut into terms, which terms it made."""

    def __init__(self, monkeypatch):
        self.cut, self.made = [], []
        real_piece, real_make = search.task_piece, IndexMemory._make

        def piece(strings, repeated):
            self.cut.append(strings[0][0])
            return real_piece(strings, repeated)

        def make(memory, positions, docs, wanted, checkpoint):
            terms = real_make(memory, positions, docs, wanted, checkpoint)
            self.made.append(set(terms) | (wanted or set()))
            return terms

        monkeypatch.setattr(search, "task_piece", piece)
        monkeypatch.setattr(IndexMemory, "_make", make)


def test_a_word_added_to_one_task_makes_that_task_s_terms_again_and_only_that_word(catalogue, monkeypatch):
    memory = IndexMemory()
    sharded(catalogue, memory)
    task = catalogue.tasks[40]
    assert task.text.endswith("。") and "琥珀" not in task.text
    monkeypatch.setattr(task, "text", task.text + "琥珀")
    spy = Spy(monkeypatch)
    again = sharded(catalogue, memory)
    assert spy.cut == [task.text], "only the edited task is cut into terms again"
    assert spy.made == [{"琥珀"}], "the one term whose postings changed, none of those the task already held"
    assert again == sharded(catalogue)
    assert b'"terms":"\xe7\x90\xa5\xe7\x8f\x80"' in again["search/terms/7425.js"]  # 琥珀, in the shard of 琥


def test_a_rewritten_text_makes_again_the_terms_it_lost_gained_or_moved(catalogue, monkeypatch):
    memory = IndexMemory()
    sharded(catalogue, memory)
    task = catalogue.tasks[7]
    before = {term for term, _ in tokens_at(task.text)}
    monkeypatch.setattr(task, "text", "推进" + task.text[4:])  # two characters fewer: every term moves
    after = {term for term, _ in tokens_at(task.text)}
    spy = Spy(monkeypatch)
    assert sharded(catalogue, memory) == sharded(catalogue)
    assert spy.made[0] == before | after


@pytest.mark.parametrize("edited", [1, 100], ids=["one task", "most tasks"])
def test_a_build_given_up_half_way_leaves_the_index_as_the_last_build_made_it(catalogue, monkeypatch, edited):
    """The preview gives a build up when a newer change waits (`checkpoint` raises): the index it
    keeps is the last build's, never half of each, and the next build makes the right one."""
    memory = IndexMemory()
    first = sharded(catalogue, memory)
    kept = copy.deepcopy((memory.docs, memory.terms, memory.first))
    for task in catalogue.tasks[:edited]:
        monkeypatch.setattr(task, "text", task.text + "琥珀")

    class GivenUp(Exception):
        pass

    def checkpoint():
        raise GivenUp

    with pytest.raises(GivenUp):
        search_outputs(catalogue, shard_above=0, checkpoint=checkpoint, memory=memory)
    assert (memory.docs, memory.terms, memory.first) == kept
    again = sharded(catalogue, memory)
    assert again == sharded(catalogue) != first


def test_one_task_fewer_makes_every_score_again(catalogue, monkeypatch):
    """A term's score depends on how many tasks there are: every term is made again, not only
    those of the task gone."""
    memory = IndexMemory()
    sharded(catalogue, memory)
    gone = catalogue.tasks[-1]
    held = {term for strings in search.searchable_fields(gone).values() for string in strings
            for term, _ in tokens_at(string)}
    common = max(memory.terms.keys() - held, key=lambda term: memory.terms[term][0])
    before = memory.terms[common]
    assert before[0] > 50
    monkeypatch.setattr(catalogue, "tasks", catalogue.tasks[:-1])
    spy = Spy(monkeypatch)
    again = sharded(catalogue, memory)
    assert spy.cut == [], "no task is cut into terms again"
    assert again == sharded(catalogue)
    assert memory.terms[common][0] == before[0] and memory.terms[common][1] != before[1], "same postings, other scores"


def every_character(tasks, fields=None) -> set[str]:
    return {char for task in tasks for name, strings in searchable_fields(task).items() if fields is None or name in fields
            for string in strings for char in string}


SHARED_FIELDS = ("section", "leaders", "lead", "units", "status")


def test_the_characters_of_the_tasks_own_strings_and_of_the_names_they_share_are_every_character(catalogue, tmp_path):
    """The index gathers the characters of each task's text and targets; the registries give
    those of the names, titles and labels tasks hold, and not those of an entry no task names (a
    unit reached only through a collective, in the tiny content)."""
    own = search.index_tasks(catalogue.tasks, IndexMemory())
    assert own == every_character(catalogue.tasks, ("text", "targets"))
    shared = search.shared_characters(catalogue)
    assert shared == every_character(catalogue.tasks, SHARED_FIELDS)
    assert own | shared == every_character(catalogue.tasks)
    tiny = check(Paths(content=write_tiny_content(tmp_path)))
    unnamed = [unit for unit in tiny.units if not unit.led_tasks and not unit.co_tasks]
    assert set("".join(unit.name for unit in unnamed)) - every_character(tiny.tasks), "characters no task holds"
    assert search.shared_characters(tiny) == every_character(tiny.tasks, SHARED_FIELDS)


def test_a_task_made_from_what_an_earlier_one_was_made_from_is_indexed_without_its_strings(catalogue, monkeypatch):
    """Given what each task is made from (`key_of`, Fingerprints.task_key at a build), the index
    finds a known task's piece by it: the strings of the tasks whose key changed are put together
    again, and no other's; the index and the characters are those made from scratch."""
    keys = {id(task): bytes([number % 256, number // 256]) * 8 for number, task in enumerate(catalogue.tasks)}
    key_of = lambda task: keys[id(task)]  # noqa: E731
    memory = IndexMemory()
    own = ("text", "targets")
    assert search.index_tasks(catalogue.tasks, memory, key_of=key_of) == every_character(catalogue.tasks, own)
    assert len(memory.of_task) == len(catalogue.tasks)
    asked = []
    real_fields = search.searchable_fields
    monkeypatch.setattr(search, "searchable_fields", lambda task: (asked.append(task), real_fields(task))[1])
    assert search.index_tasks(catalogue.tasks, memory, key_of=key_of) == every_character(catalogue.tasks, own)
    assert asked == [], "every task known by what it is made from"

    edited, lost = catalogue.tasks[7], catalogue.tasks[90]
    monkeypatch.setattr(edited, "text", edited.text + "鑫")
    keys[id(edited)] = b"edited" * 3
    del memory.pieces[memory.of_task[key_of(lost)]]  # a piece no longer kept: made again
    characters = search.index_tasks(catalogue.tasks, memory, key_of=key_of)
    assert asked == [edited, lost]
    assert "鑫" in characters and characters == every_character(catalogue.tasks, own)
    scratch = IndexMemory()
    search.index_tasks(catalogue.tasks, scratch)
    assert (memory.docs, memory.terms) == (scratch.docs, scratch.terms)
    assert memory.of_task[b"edited" * 3] == scratch.docs[7]
    assert len(memory.of_task) == len(catalogue.tasks), "the edited task's earlier key forgotten"


def test_the_folding_pairs_are_made_again_only_for_other_characters(monkeypatch):
    made = []
    real = search.folding_pairs
    monkeypatch.setattr(search, "folding_pairs", lambda strings: (made.append(strings), real(strings))[1])
    memory = IndexMemory()
    pairs = search._folding_pairs({"医", "卫", "甲"}, memory)
    assert "醫医" in pairs and "衛卫" in pairs and "髮发" not in pairs and len(made) == 1
    assert search._folding_pairs(set("甲卫医"), memory) == pairs and len(made) == 1, "the same characters"
    more = search._folding_pairs({"医", "卫", "甲", "发"}, memory)
    assert len(made) == 2 and "髮发" in more and more == real(["医卫甲发"])
    assert search._folding_pairs({"医"}, memory) == real(["医"]) and len(made) == 3, "one fewer"


def test_the_folding_pairs_follow_the_characters_of_the_names_tasks_hold_and_of_no_other(tmp_path):
    """In the tiny content 厅 (廳) is only in a unit's name, 云 (雲) only in a leader's and 独 (獨)
    only in a target's label: the pairs are offered. 钱 (錢) is only in a leader no task names and
    东 (東) only in a subsection without tasks: they are not. (A section without tasks does not
    pass validation.)"""
    import yaml
    from tiny_content import LEADERS, SECTIONS, edit_task, write_yaml
    content = write_tiny_content(tmp_path)
    write_yaml(content / "leaders.yaml", [*LEADERS, {"name": "钱多多", "slug": "qian-duoduo"}])
    sections = yaml.safe_load(yaml.safe_dump(SECTIONS, allow_unicode=True))
    sections[0]["subsections"].append({"number": 3, "title": "东湖。"})
    write_yaml(content / "sections.yaml", sections)
    edit_task(content, "1-02.yaml", lambda task: task["targets"][0].update(label="新增独角兽企业"))
    tiny = check(Paths(content=content))
    fold = search.search_payload(tiny)["fold"]
    pairs = {fold[i:i + 2] for i in range(0, len(fold), 2)}
    assert {"廳厅", "雲云", "獨独"} <= pairs
    assert not {"錢钱", "東东"} & pairs
    script = dict(search.search_outputs(tiny, shard_above=0))["search/index.js"].decode("utf-8")
    assert json.loads(script.split("window.CatalogueSearchData=", 1)[1].rstrip(";\n"))["fold"] == fold, "in shards too"


def test_what_tasks_share_is_cut_into_terms_once_a_build_and_a_text_s_terms_are_not_kept(catalogue, monkeypatch):
    fields, cut = [], []
    real_field, real_cut = search_index.field_terms, search_index.terms_at
    monkeypatch.setattr(search_index, "field_terms", lambda strings, *rest: (fields.append(tuple(strings)),
                                                                             real_field(strings, *rest))[1])
    monkeypatch.setattr(search_index, "terms_at", lambda string: (cut.append(string), real_cut(string))[1])
    search.index_tasks(catalogue.tasks, IndexMemory())
    strings = [list(searchable_fields(task).values()) for task in catalogue.tasks]
    texts = {task_strings[0][0] for task_strings in strings}
    every_name = [string for task_strings in strings for field in task_strings[1:] for string in field]
    assert len(set(every_name)) * 3 < len(every_name), "names, titles and labels the tasks share"
    assert sorted(fields) == sorted({tuple(field) for task_strings in strings for field in task_strings})
    assert sorted(cut) == sorted([*texts, *set(every_name)]), "each text once, each name, title and label once"
    # A text two tasks share is cut once too, but its terms are not kept string by string as a
    # name's are: the texts of 10,000 tasks would hold 24 MB to the end of the build.
    cut.clear()
    repeated = Shared()
    first, second = strings[0], [strings[0][0], *strings[1][1:]]
    task_piece(first, repeated)
    task_piece(second, repeated)
    assert cut.count(first[0][0]) == 1
    assert first[0][0] not in repeated.terms
    assert all(name in repeated.terms for field in first[1:] + second[1:] for name in field)


def ranked_by_key(totals: dict[int, float], in_text: set[int], magnitude: float) -> list[int]:
    """The first screen as one sort by the whole key: tasks in the text first, then by score
    highest first, then in document order."""
    return sorted(totals, key=lambda doc: (doc not in in_text, -(totals[doc] / magnitude), doc))[:FIRST_SCREEN]


@pytest.mark.parametrize("seed", range(40))
def test_a_first_screen_ranks_as_one_sort_by_text_score_and_document_order(seed):
    # Scores drawn from a handful of values, so that many tasks tie at the edge of the screen;
    # the tasks in the text from none to all, through fewer than a screen.
    rng = random.Random(seed)
    holders = rng.sample(range(500), rng.choice([1, 3, FIRST_SCREEN, FIRST_SCREEN + 1, 40, 300]))
    totals = {doc: rng.choice([0.0, 0.1, 0.3, 1.7, 2.25, 9.0]) * rng.choice([1, 1, 3]) for doc in holders}
    in_text = set(rng.sample(holders, rng.choice([0, 1, min(len(holders), FIRST_SCREEN - 1), len(holders) // 2,
                                                  len(holders)])))
    magnitude = rng.choice([1.0, 2 ** 0.5, 3 ** 0.5])
    assert first_screen(totals, in_text, magnitude) == ranked_by_key(totals, in_text, magnitude)


def test_a_first_screen_in_the_text_leaves_out_higher_scores_elsewhere():
    totals = {doc: float(doc) for doc in range(30)}  # the highest scores are the last tasks
    assert first_screen(totals, set(range(12)), 1.0) == [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]
    assert first_screen(totals, {0, 5}, 1.0) == [5, 0, 29, 28, 27, 26, 25, 24, 23, 22]


def test_a_build_given_up_while_terms_are_made_stops_within_a_thousand_terms(catalogue):
    # The preview gives up a build when a file is saved again: checkpoint() raises then.
    calls = []
    memory = IndexMemory()
    search.index_tasks(catalogue.tasks, memory, lambda: calls.append(len(calls)))
    assert len(memory.terms) > 2000
    assert len(calls) >= len(memory.terms) // 1000 + 2


def test_a_task_s_record_facets_and_theme_scores_are_made_again_only_when_what_they_are_made_from_is(monkeypatch):
    """Kept by the fingerprint of the task and of the registries' order: an edited task's entry is
    made again, the others' taken as they were; the files are those made without any memory; a
    registry edited (what every output is made from), or the units in another order (the places
    a record names them by), makes every entry again."""
    from catalogue.fingerprint import Fingerprints

    tasks = check(Paths(content=PROJECT_ROOT / "content"))  # edited below
    memory = IndexMemory()

    def built(everything: bytes = b"registries") -> dict[str, bytes]:
        return dict(search_outputs(tasks, shard_above=0, memory=memory,
                                   key_of=Fingerprints(tasks, everything).task_key))

    assert built() == sharded(tasks)
    made: list[str] = []
    real = search._task_record
    monkeypatch.setattr(search, "_task_record", lambda task, places: made.append(task.id) or real(task, places))
    edited = tasks.tasks[5]
    edited.text += "琥珀"
    files = built()
    assert made == [edited.id], "the edited task's only"
    assert files == sharded(tasks)
    assert len(memory.records) == len(tasks.tasks), "the edited task's old entry let go"
    made.clear()
    built(b"a registry edited")
    assert len(made) == len(tasks.tasks)
    made.clear()
    tasks.units.reverse()  # the same files, the units in another order: every place moves
    files = built(b"a registry edited")
    assert len(made) == len(tasks.tasks)
    assert files == sharded(tasks)

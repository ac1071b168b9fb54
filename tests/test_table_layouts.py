"""The import reads the layouts offices use, each from a real table of another government
(tests/data/README.md names the documents): what it reads, row by row, is written out here by
hand from the documents, never computed by the code under test."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml

from catalogue.pipeline import PROJECT_ROOT
from catalogue.table_layouts import ITEM_ROW, header_roles, read_division, split_names
from command_line import run

DATA = PROJECT_ROOT / "tests" / "data"
# What the tests know of each document; its number (文号) they leave out: a plan without one is
# named by its title.
DOCUMENT = ["--title", "重点工作", "--date", "2022"]


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", target)
    return target


def import_plan(content: Path, table: Path | str, plan: str, government: str | None, *extra: str) -> tuple[int, str]:
    args = ["import", str(table), "--plan", plan, "--content", str(content), *DOCUMENT, *extra]
    return run(*args, *(["--government", government] if government else []))


def tasks(content: Path, plan: str) -> dict[str, dict]:
    folder = content / "plans" / plan / "tasks"
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.yaml"))}


def registry(content: Path, government: str, name: str) -> list[dict]:
    return yaml.safe_load((content / "governments" / government / f"{name}.yaml").read_text(encoding="utf-8"))


def division(task: dict) -> tuple:
    return (task["leaders"], task["lead_units"], task["responsible_units"], task.get("and_others", []))


def check(content: Path) -> tuple[int, str]:
    return run("check", "--content", str(content))


# --- reading headers and names ---------------------------------------------------------------

@pytest.mark.parametrize("header, roles", [
    ("牵头负责领导", {"leaders"}), ("省政府牵头领导", {"leaders"}), ("分管省领导", {"leaders"}), ("责任领导", {"leaders"}),
    # 牵头 wins over 责任: the column that made the first import silently wrong.
    ("牵头责任单位", {"lead_units"}), ("牵头单位", {"lead_units"}), ("牵头部门", {"lead_units"}), ("牵头", {"lead_units"}),
    ("协同责任单位", {"responsible_units"}), ("配合单位", {"responsible_units"}), ("参与单位", {"responsible_units"}),
    ("协办单位", {"responsible_units"}), ("责任单位", {"responsible_units"}),
    ("重点工作", {"text"}), ("工作任务", {"text"}), ("任务内容", {"text"}), ("具体工作任务和要求", {"text"}),
    ("重点任务", {"text"}), ("完成时限", {"deadline_text"}), ("时间节点", {"deadline_text"}), ("序号", {"number"}),
    ("部门分工", {"division"}),
    ("备注", set()), ("2022年预期目标", set()),
    ("工作任务及完成时限", {"text", "deadline_text"}),  # two meanings: a question, never a guess
])
def test_a_header_is_read_by_what_it_means(header, roles):
    assert header_roles(header) == roles


@pytest.mark.parametrize("cell, names, etc", [
    ("省发展改革委、省税务局、人行合肥中心支行等", ["省发展改革委", "省税务局", "人行合肥中心支行"], True),
    ("省政府各部门、各直属机构", ["省政府各部门、各直属机构"], False),
    ("各街道,各相关单位", ["各街道", "各相关单位"], False),
    ("立山经济开发区,各街道、区直各部门", ["立山经济开发区", "各街道", "区直各部门"], False),
    ("省财政厅等单位", ["省财政厅"], True),
    ("各区人民政府〈含开发区、风景区〉、市财政局", ["各区人民政府〈含开发区、风景区〉", "市财政局"], False),
    ("市教育局、各高等院校", ["市教育局", "各高等院校"], False),
    ("刘惠。", ["刘惠"], False),
    ("区卫健局、区卫健局", ["区卫健局"], False),
    ("各市、县人民政府", ["各市、县人民政府"], False),
    ("省、市有关部门,省林业局", ["省、市有关部门", "省林业局"], False),
])
def test_names_keep_collectives_whole_and_end_of_list_etc_as_a_mark(cell, names, etc):
    found = split_names(cell)
    assert (found.names, found.and_others) == (names, etc)


@pytest.mark.parametrize("line, number, text", [
    ("1、任务甲", "1", "任务甲"), ("2.任务乙", "2", "任务乙"), ("3．任务丙", "3", "任务丙"), ("4﹒任务丁", "4", "任务丁"),
    ("5）任务戊", "5", "任务戊"), ("（6）任务己", "6", "任务己"), ("(7)任务庚", "7", "任务庚"),
])
def test_items_are_numbered_every_way_offices_number_them(line, number, text):
    match = ITEM_ROW.match(line)
    assert (match.group(1) or match.group(2), match.group(3)) == (number, text)


@pytest.mark.parametrize("line", ["1.5万个新增学位", "5G基站新建3000个", "2022年全面完成", "30%以上"])
def test_a_figure_is_not_an_item_number(line):
    assert ITEM_ROW.match(line) is None


def test_a_division_is_read_labelled_or_worded_and_nothing_else():
    labelled = read_division("牵头单位:区卫健局、区创文办;责任单位:各街办(新区)", header_roles)
    assert {role: names.names for role, names in labelled.items()} == {
        "lead_units": ["区卫健局", "区创文办"], "responsible_units": ["各街办（新区）"]}
    worded = read_division("省发展改革委牵头,各地、各部门配合。", header_roles)
    assert {role: names.names for role, names in worded.items()} == {
        "lead_units": ["省发展改革委"], "responsible_units": ["各地", "各部门"]}
    assert read_division("含开发区、风景区", header_roles) is None
    assert read_division("省财政厅负责解释", header_roles) is None


# --- the layouts, from real tables ---------------------------------------------------------

ANHUI = {
    "1-01": (["刘惠"], ["省发展改革委"], ["省政府各部门、各直属机构"], []),
    "1-02": (["刘惠"], ["省发展改革委"], ["省经济和信息化厅", "省财政厅", "省自然资源厅", "省住房城乡建设厅", "省交通运输厅",
                                     "省农业农村厅", "省水利厅", "省林业局"], ["responsible_units"]),
    "1-03": (["周喜安"], ["省商务厅"], ["省发展改革委", "省经济和信息化厅", "省财政厅", "省农村农业厅", "省文化和旅游厅",
                                    "省市场监管局", "省税务局"], ["responsible_units"]),
    "1-04": (["周喜安"], ["省商务厅"], ["省发展改革委", "省经济和信息化厅", "省财政厅", "合肥海关", "省税务局", "省外汇管理局"],
             ["responsible_units"]),
    "1-05": (["刘惠"], ["省财政厅"], ["省发展改革委", "省税务局", "人行合肥中心支行"], ["responsible_units"]),
}


def test_an_item_list_with_leaders_of_a_new_government_imports_checks_and_builds(content, tmp_path):
    status, report = import_plan(content, DATA / "anhui-2022-items.csv", "ah-2022", "ah",
                                 "--issuer", "安徽省人民政府")
    assert status == 0, report
    read = tasks(content, "ah-2022")
    assert {key: division(task) for key, task in read.items()} == ANHUI
    assert read["1-01"]["text"] == "全省生产总值增长7%以上，在实际工作中力争更好结果。"
    assert read["1-04"]["text"] == "进出口总额增长9%左右、增速高于全国平均水平。"
    assert not any(name.endswith("等") for task in read.values() for name in task["responsible_units"])
    # The new government's registries, made from the table, every entry not yet reviewed.
    units = registry(content, "ah", "units")
    assert [unit["name"] for unit in units][:3] == ["省发展改革委", "省政府各部门、各直属机构", "省经济和信息化厅"]
    assert len(units) == 18 and all(unit["reviewed"] is False for unit in units)
    by_name = {unit["name"]: unit for unit in units}
    assert by_name["省农村农业厅"]["resembles"] == ["省农业农村厅"]
    assert by_name["省政府各部门、各直属机构"]["kind"] == "collective" and by_name["合肥海关"]["kind"] == "unit"
    assert "resembles" not in by_name["省财政厅"], "a different name is not a near spelling"
    assert [leader["name"] for leader in registry(content, "ah", "leaders")] == ["刘惠", "周喜安"]
    assert yaml.safe_load((content / "governments/ah/government.yaml").read_text(encoding="utf-8"))["name"] == "安徽省人民政府"
    assert "“省农业农村厅”（第 9 行）、“省农村农业厅”（第 13 行）" in report
    # Nothing of the first government was touched.
    for name in ("leaders.yaml", "units.yaml", "site.yaml"):
        assert (content / name).read_bytes() == (PROJECT_ROOT / "content" / name).read_bytes()
    assert check(content)[0] == 0
    status, said = run("build", "--content", str(content), "--out", str(tmp_path / "site"), "-q")
    assert status == 0, said


def anhui_grid(path: Path) -> Path:
    """The same five tasks as the grid the office's sheet holds, headed by the document's words."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "重点工作", "牵头负责领导", "牵头责任单位", "协同责任单位"])
    sheet.append(["一、确保完成全年主要预期目标"])
    sheet.merge_cells("A2:E2")
    lines = [row[0] for row in csv.reader((DATA / "anhui-2022-items.csv").read_text(encoding="utf-8").splitlines())][1:]
    for start in range(0, len(lines), 4):
        number, text = lines[start].split("﹒", 1)
        sheet.append([int(number), text] + [line.split(":", 1)[1] for line in lines[start + 1:start + 4]])
    workbook.save(path)
    return path


def test_the_same_tasks_as_a_grid_with_a_leader_column_read_the_same(content, tmp_path):
    status, report = import_plan(content, anhui_grid(tmp_path / "grid.xlsx"), "ah-grid", "ah")
    assert status == 0, report
    assert "“牵头负责领导”→leaders，“牵头责任单位”→lead_units，“协同责任单位”→responsible_units" in report
    assert {key: division(task) for key, task in tasks(content, "ah-grid").items()} == ANHUI
    plan = yaml.safe_load((content / "plans/ah-grid/plan.yaml").read_text(encoding="utf-8"))
    assert plan["leader_label"] == "牵头负责领导" and plan["government"] == "ah"


def test_an_item_list_without_leaders(content):
    status, report = import_plan(content, DATA / "lishan-2023-items.csv", "lishan-2023", "lishan")
    assert status == 0, report
    read = tasks(content, "lishan-2023")
    assert {key: division(task) for key, task in read.items()} == {
        "1-01": ([], ["区发改局"], ["立山经济开发区", "全区经济运行各专班"], []),
        "1-02": ([], ["区工信局"], ["立山经济开发区"], []),
        "1-03": ([], ["区发改局"], ["立山经济开发区", "各街道", "区直各部门"], []),
        "1-04": ([], ["区商务局"], ["各街道", "区市场局"], []),
        "1-05": ([], ["区财政局"], ["立山经济开发区", "各街道", "税务局"], []),
        "1-06": ([], ["区发改局"], ["各街道", "各相关单位"], []),
    }
    assert read["1-01"]["text"] == "努力实现地区生产总值增长6.2%左右。"
    assert "第 1 行在第一个篇章或条目之前，作为标题跳过" in report
    assert registry(content, "lishan", "leaders") == []
    assert check(content)[0] == 0


def test_a_grid_with_a_leader_column_and_the_division_in_words(content):
    status, report = import_plan(content, DATA / "guangdong-2021-grid.csv", "gd-2021", "gd")
    assert status == 0, report
    assert "“分管省领导”→leaders" in report and "“部门分工”→division" in report
    assert {key: division(task) for key, task in tasks(content, "gd-2021").items()} == {
        "1-01": (["林克庆"], ["省发展改革委"], ["各地", "各部门"], []),
        "1-02": (["林克庆"], ["省财政厅"], ["各地", "各部门"], []),
        "1-03": (["林克庆"], ["省发展改革委"], ["各地", "各部门"], []),
        "1-04": (["张新"], ["省商务厅"], ["各地", "各部门"], []),
    }
    assert yaml.safe_load((content / "plans/gd-2021/plan.yaml").read_text(encoding="utf-8"))["leader_label"] == "分管省领导"
    assert check(content)[0] == 0


def test_a_grid_whose_headers_the_import_cannot_place_is_refused_with_the_mapping_it_needs(content):
    status, report = import_plan(content, DATA / "shapingba-2022-grid.csv", "spb-2022", "spb")
    assert status == 2
    assert "读到的表头：序号，2022年预期目标，责任单位" in report
    assert "“2022年预期目标”→？不认识这一列的表头" in report
    assert "“责任单位”→？可能是 lead_units" in report
    assert "--columns text=2022年预期目标,lead_units=责任单位" in report
    assert not (content / "plans").exists() and not (content / "governments").exists(), "nothing written"


def test_columns_settles_them(content):
    status, report = import_plan(content, DATA / "shapingba-2022-grid.csv", "spb-2022", "spb",
                                 "--columns", "text=2022年预期目标,lead_units=责任单位", "--date", "2022-01")
    assert status == 0, report
    read = tasks(content, "spb-2022")
    assert len(read) == 10
    assert division(read["1-01"]) == ([], ["区发展改革委"], [], [])
    assert read["1-08"]["text"] == "全体居民人均可支配收入增长6%左右" and read["1-08"]["lead_units"] == ["区人力社保局"]
    sections = yaml.safe_load((content / "plans/spb-2022/sections.yaml").read_text(encoding="utf-8"))
    assert [s["title"] for s in sections] == ["2022年区政府工作报告经济社会发展预期目标任务分解表"]
    assert check(content)[0] == 0


def test_an_unknown_column_is_refused_until_it_is_skipped(content, tmp_path):
    table = tmp_path / "with-remarks.csv"
    rows = (DATA / "yunxi-2023.csv").read_text(encoding="utf-8").splitlines()
    table.write_text("\n".join([rows[0], rows[1] + ",备注", *rows[2:]]) + "\n", encoding="utf-8")
    status, report = import_plan(content, table, "yx", None)
    assert status == 2 and "“备注”→？不认识这一列的表头" in report and "skip=备注" in report
    status, report = import_plan(content, table, "yx", None, "--columns", "skip=备注")
    assert status == 0, report


def test_leaders_given_as_section_headings(content):
    status, report = import_plan(content, DATA / "zhejiang-2020-leader-headings.csv", "zj-2020", "zj")
    assert status == 0, report
    assert "第 3 行：篇章标题写明牵头领导“袁家军”（省长）" in report
    assert {key: division(task) for key, task in tasks(content, "zj-2020").items()} == {
        "1-01": (["袁家军"], ["省发展改革委", "省经信厅", "省财政厅", "省商务厅", "省地方金融监管局"], [], []),
        "1-02": (["袁家军"], ["省委改革办", "省大数据局"], [], []),
        "1-03": (["袁家军"], ["省发展改革委", "省自然资源厅"], [], []),
        "1-04": (["袁家军"], ["杭州市政府", "省科技厅"], [], []),
    }
    # The heading states the post: the registry may say it.
    assert registry(content, "zj", "leaders") == [{"name": "袁家军", "slug": "yuan-jiajun", "post": "省长", "reviewed": False}]
    assert check(content)[0] == 0


def test_a_leader_heading_counting_its_items_and_a_table_shorter_than_it(content, tmp_path):
    """The issue's form, 一、×××市长负责事项（共9项）, with three of the nine rows: the count the
    document states is reported and kept as a note, and check passes on what was read."""
    table = tmp_path / "mayor.csv"
    table.write_text("序号,工作任务,牵头单位,责任单位\n一、林晓市长负责事项（共9项）,,,\n"
                     "1,建成市民服务中心。,市住房城乡建设局,市财政局\n2,新增就业3万人。,市人力资源社会保障局,\n"
                     "二、陈立新常务副市长负责事项（共2项）,,,\n3,完成投资300亿元。,市发展改革委,各县（区）政府\n", encoding="utf-8")
    status, report = import_plan(content, table, "mayor", "yunxi")
    assert status == 0, report
    read = tasks(content, "mayor")
    assert [task["leaders"] for task in read.values()] == [["林晓"], ["林晓"], ["陈立新"]]
    assert "篇章“林晓市长负责事项”标明 9 项，表中读到 2 项" in report
    posts = {leader["name"]: leader.get("post") for leader in registry(content, "yunxi", "leaders")}
    assert posts == {"林晓": "市长", "陈立新": "常务副市长"}
    assert "原文件标明 9 项，表中读到 2 项" in (content / "plans/mayor/sections.yaml").read_text(encoding="utf-8")
    assert check(content)[0] == 0


def test_the_division_written_into_the_text(content):
    status, report = import_plan(content, DATA / "xialu-2020-inline.csv", "xl-2020", "xl")
    assert status == 0, report
    read = tasks(content, "xl-2020")
    assert {key: division(task) for key, task in read.items()} == {
        "1-01": ([], ["区卫健局"], ["区疫情防控指挥部成员单位", "各街办（新区）"], []),
        "1-02": ([], ["区卫健局", "区创文办"], ["区疫情防控指挥部成员单位", "区创文工作领导小组成员单位", "各街办（新区）"], []),
    }
    assert read["1-02"]["text"] == ("以爱国卫生运动和文明城市创建为抓手，大力开展环境卫生综合整治，强化群众风险防控意识，"
                                    "切实巩固疫情防控成果。")
    sections = yaml.safe_load((content / "plans/xl-2020/sections.yaml").read_text(encoding="utf-8"))
    assert sections[0]["subsections"] == [{"number": 1, "title": "坚持常态化疫情防控"}]
    assert check(content)[0] == 0


def test_items_numbered_like_subsections_with_units_under_a_lone_label_ask_which_they_are(content):
    """（一）…, then “责任单位：…”, and no lead unit anywhere: the import asks whether those units
    lead, and reads the items once told."""
    table = DATA / "caidian-2023-items.csv"
    status, report = import_plan(content, table, "cd", "cd")
    assert status == 2 and "--columns lead_units=责任单位" in report and "第 3 行" in report
    status, report = import_plan(content, table, "cd", "cd", "--columns", "lead_units=责任单位")
    assert status == 0, report
    assert {key: division(task) for key, task in tasks(content, "cd").items()} == {
        "1-01": ([], ["区发展和改革局"], [], []), "1-02": ([], ["区科技和经信局"], [], []),
        "1-03": ([], ["区发展和改革局"], [], [])}
    assert tasks(content, "cd")["1-02"]["text"] == "规上工业增加值增长12%以上"


def test_a_section_numbered_twice_is_refused_before_anything_is_written(content, tmp_path):
    table = tmp_path / "twice.csv"
    table.write_text("序号,工作任务,牵头单位\n一、甲篇,,\n1,任务一。,市财政局\n一、乙篇,,\n2,任务二。,市财政局\n", encoding="utf-8")
    status, report = import_plan(content, table, "twice", "tw")
    assert status == 1 and f"{table}:4" in report and "篇章“乙篇”的序号与第 2 行的篇章重复" in report
    assert not (content / "plans").exists()


def test_a_new_governments_names_that_differ_only_in_character_forms_are_one(content, tmp_path):
    table = tmp_path / "forms.csv"
    table.write_text("序号,工作任务,牵头单位,责任单位\n一、产业,,,\n1,建设基地。,VR产业基地,市财政局\n"
                     "2,扩大规模。,ＶＲ产业基地,市财政局\n", encoding="utf-8")
    status, report = import_plan(content, table, "forms", "forms")
    assert status == 0, report
    assert [task["lead_units"] for task in tasks(content, "forms").values()] == [["VR产业基地"], ["VR产业基地"]]
    assert "第 4 行：“ＶＲ产业基地”与第 3 行的“VR产业基地”只是字符写法不同" in report
    assert [unit["name"] for unit in registry(content, "forms", "units")] == ["VR产业基地", "市财政局"]
    assert check(content)[0] == 0


# --- retries -----------------------------------------------------------------------------------

def test_a_retry_needs_replace_and_replace_keeps_what_was_filled_in(content):
    assert import_plan(content, DATA / "guangdong-2021-grid.csv", "gd-2021", "gd")[0] == 0
    status, report = import_plan(content, DATA / "guangdong-2021-grid.csv", "gd-2021", "gd")
    assert status == 2 and "--replace" in report
    plan_file = content / "plans/gd-2021/plan.yaml"
    plan_file.write_text(plan_file.read_text(encoding="utf-8") + "source_title: 广东省人民政府关于印发的通知\n", encoding="utf-8")
    status, report = import_plan(content, DATA / "guangdong-2021-grid.csv", "gd-2021", "gd", "--replace")
    assert status == 0, report
    assert yaml.safe_load(plan_file.read_text(encoding="utf-8"))["source_title"] == "广东省人民政府关于印发的通知"
    # The government the first import made, still unreviewed and of no other plan, is made again.
    assert "政府“gd”" in report and "是新的" in report
    assert not list((content / "plans").glob(".*")) and not list((content / "governments").glob(".*"))


def test_replace_refuses_to_lose_an_editors_work(content):
    assert import_plan(content, DATA / "guangdong-2021-grid.csv", "gd-2021", "gd")[0] == 0
    task = content / "plans/gd-2021/tasks/1-02.yaml"
    original = task.read_text(encoding="utf-8")
    edited = original.replace("title:", "title: 编辑改过的", 1) if "title:" in original else original + "title: 编辑加的标题\n"
    assert edited != original
    task.write_text(edited, encoding="utf-8")
    status, report = import_plan(content, DATA / "guangdong-2021-grid.csv", "gd-2021", "gd", "--replace")
    assert status == 2 and "tasks/1-02.yaml" in report
    assert task.read_text(encoding="utf-8") == edited


def test_a_reviewed_government_is_proposed_to_not_rewritten(content):
    assert import_plan(content, DATA / "guangdong-2021-grid.csv", "gd-2021", "gd")[0] == 0
    units = content / "governments/gd/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("reviewed: false", "reviewed: true"), encoding="utf-8")
    before = units.read_bytes()
    status, report = import_plan(content, DATA / "zhejiang-2020-leader-headings.csv", "gd-2022", "gd")
    assert status == 0, report
    assert units.read_bytes() == before
    assert "未登记的单位（未自动新增或合并，请核对后写入 content/governments/gd/units.yaml）" in report
    assert "“省发展改革委”" not in report.split("未登记的单位")[1], "a registered name is not proposed"

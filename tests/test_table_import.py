"""`python build.py import` on small tables written here by hand, beside the small tree of
tests/tiny_content.py (leaders 罗小云 and 殷美根; units 省科技厅, alias 省科学技术厅, 南昌市政府,
九江市政府, 各设区市政府): every file it writes and every line it reports, what it refuses, and
the table's forms (CSV in UTF-8 or GB18030, XLSX) read alike."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from catalogue.table_import import resembling
from catalogue.table_layouts import numeral_value
from command_line import run
from tiny_content import write_tiny_content

TABLE = """\
云溪市2023年重点工作分工表,,,,,
序号,具体工作任务,市政府牵头领导,牵头单位,责任单位,完成时限
一、推动创新提速（3项）,,,,,
1,新增高新技术企业60家。,罗小云,省科技厅,南昌市政府、九江市政府,2023年底前
2,建设创新平台。,殷美根；罗晓云,省科学技术厅,,
  , ,,,,
十二、狠抓工作落实,十二、狠抓工作落实,十二、狠抓工作落实,十二、狠抓工作落实,十二、狠抓工作落实,十二、狠抓工作落实
（一）强化调度,,,,,
3,建立月调度制度。,周明远、韩,市政府办公室,各设区市政府/市直有关部门/市政府办公室,持续推进
（二）严格督查,,,,,
4,开展 专项督查(季度)。,,科技厅,,
5,,,,,
注：各单位按职责分工落实。,,,,,
"""


def import_table(content: Path, table: Path, *options) -> tuple[int, str]:
    return run("import", table, "--content", content, *options)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.fixture
def content(tmp_path) -> Path:
    return write_tiny_content(tmp_path)


@pytest.fixture
def table(tmp_path) -> Path:
    path = tmp_path / "yx.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


def test_the_report_says_what_was_read_and_what_was_not_line_by_line(content, table):
    status, report = import_table(content, table, "--plan", "yx-2023")
    assert status == 0
    assert report.splitlines() == [
        "导入 yx.csv 为计划“yx-2023”",
        "表头在第 2 行：“序号”→number，“具体工作任务”→text，“市政府牵头领导”→leaders，“牵头单位”→lead_units，"
        "“责任单位”→responsible_units，“完成时限”→deadline_text",
        "第 1 行在表头之前，作为标题跳过：“云溪市2023年重点工作分工表”",
        "读到 2 个篇章、4 项任务",
        "未登记的领导（未自动新增或合并，请核对后写入 content/leaders.yaml）：",
        "  “罗晓云”（第 5 行）：与已登记的“罗小云”相近；如是同一人，请改表格或在登记表中加别名。",
        "  “周明远”（第 9 行）：没有相近的登记项，建议新增。",
        "  “韩”（第 9 行）：没有相近的登记项，建议新增。",
        "未登记的单位（未自动新增或合并，请核对后写入 content/units.yaml）：",
        "  “市政府办公室”（第 9 行）：没有相近的登记项，建议新增。",
        "  “市直有关部门”（第 9 行）：没有相近的登记项，建议新增。",
        "  “科技厅”（第 11 行）：与已登记的“省科技厅”、“省科学技术厅”相近；如是同一单位，请改表格或在登记表中加别名。",
        "已写入 content/plans/yx-2023/：plan.yaml、sections.yaml、tasks/ 下 4 个任务文件、registry-proposals.yaml（建议的登记项）",
        "下一步：核对 plan.yaml 和登记表，然后运行 python build.py check。",
        "未能读取的行：",
        "  第 11 行：没有牵头领导（原文件此格为空），任务已写入。",
        "  第 12 行：没有任务内容，未导入：“5”",
        "  第 13 行：没有任务内容，未导入：“注：各单位按职责分工落实。”",
        "  第 3 行：篇章“推动创新提速”标明 3 项，表中读到 2 项（sections.yaml 按读到的数写，原文件的数写在注释中）。",
    ]


def test_every_file_written(content, table):
    assert import_table(content, table, "--plan", "yx-2023", "--title", "云溪市2023年重点工作",
                        "--date", "2023-02-20")[0] == 0
    folder = content / "plans" / "yx-2023"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == [
        "plan.yaml", "registry-proposals.yaml", "sections.yaml", "tasks",
        "tasks/1-01.yaml", "tasks/1-02.yaml", "tasks/12-01.yaml", "tasks/12-02.yaml"]
    assert read(folder / "plan.yaml") == (
        "# 本计划的文件信息，由 python build.py import 生成。\n"
        "# 没有文号（source_number）：原文件有文号的请补上；没有的不写，页面以文件标题称呼它。\n"
        "title: 云溪市2023年重点工作\n"
        "source_date: 2023-02-20\n"
        "leader_label: 市政府牵头领导\n")
    assert read(folder / "sections.yaml") == (
        "# 由 python build.py import 根据 yx.csv 生成。declared_count 是表中读到的任务数。\n"
        "# 第 1 篇章：原文件标明 3 项，表中读到 2 项。\n"
        "- number: 1\n"
        "  title: 推动创新提速\n"
        "  declared_count: 2\n"
        "  subsections:\n"
        "  - number: 1\n"
        "    title: 推动创新提速\n"
        "- number: 12\n"
        "  title: 狠抓工作落实\n"
        "  declared_count: 2\n"
        "  subsections:\n"
        "  - number: 1\n"
        "    title: 强化调度\n"
        "  - number: 2\n"
        "    title: 严格督查\n")
    assert read(folder / "tasks" / "1-01.yaml") == (
        "# 本文件由 python build.py import 根据 yx.csv 第 4 行生成，字段说明见 docs/content-format.md。\n"
        "# 编辑只需修改：title、subjects、status、updates、targets、deadline（须注明 source）和 continues（延续的上一计划任务）。\n"
        "id: 1-1\n"
        "section: 1\n"
        "subsection: 1\n"
        "number: 1\n"
        "text: 新增高新技术企业60家。\n"
        "leaders:\n"
        "- 罗小云\n"
        "lead_units:\n"
        "- 省科技厅\n"
        "responsible_units:\n"
        "- 南昌市政府\n"
        "- 九江市政府\n"
        "deadline_text: 2023年底前\n"
        "status: no_information\n"
        "targets: []\n"
        "updates: []\n")
    task = yaml.safe_load(read(folder / "tasks" / "1-02.yaml"))
    assert (task["leaders"], task["lead_units"], task["responsible_units"]) == (["殷美根", "罗晓云"], ["省科学技术厅"], [])
    assert "deadline_text" not in task
    task = yaml.safe_load(read(folder / "tasks" / "12-01.yaml"))
    assert (task["id"], task["section"], task["subsection"], task["number"]) == ("12-1", 12, 1, 1)
    assert task["responsible_units"] == ["各设区市政府", "市直有关部门", "市政府办公室"]
    assert task["leaders"] == ["周明远", "韩"] and task["deadline_text"] == "持续推进"
    task = yaml.safe_load(read(folder / "tasks" / "12-02.yaml"))
    assert (task["id"], task["subsection"], task["number"], task["leaders"]) == ("12-2", 2, 2, [])
    assert task["text"] == "开展专项督查（季度）。"  # cleaned as the seed import cleans: no space, full-width marks
    assert "第 11 行生成" in read(folder / "tasks" / "12-02.yaml")


def test_the_proposals_are_drafts_with_rows_and_resemblances(content, table):
    registries = {name: read(content / f"{name}.yaml") for name in ("leaders", "units", "site")}
    import_table(content, table, "--plan", "yx-2023")
    text = read(content / "plans" / "yx-2023" / "registry-proposals.yaml")
    # What to do with them; the kinds a maintainer may choose from are site.yaml's.
    assert text.startswith(
        "# 导入时未在登记表中找到的名称：建议的登记项，未写入任何登记表。\n"
        "# 逐项核对：同一人或同一单位的另一种写法，加到已有项的 aliases（单位）或改正表格；\n"
        "# 确属新增的，核对 slug（网址名，一经发布不再改动），单位填写 kind（可选：provincial_department（省直部门）、"
        "party_organ（省委部门）、public_institution（事业单位）、city_government（设区市政府）、new_area（国家级新区）、"
        "central_unit（驻赣中央单位）、enterprise（企业）、peoples_organisation（人民团体）、"
        "coordination_body（议事协调机构及其成员单位）、collective（统称）），\n"
        "# 去掉 rows 和 resembles 两项后，复制到登记表。\n"
        "leaders:\n")
    assert yaml.safe_load(text) == {
        # 罗小云's address is luo-xiaoyun already: 罗晓云 would take the next free one.
        "leaders": [{"name": "罗晓云", "slug": "luo-xiaoyun-2", "rows": [5], "resembles": ["罗小云"]},
                    {"name": "周明远", "slug": "zhou-mingyuan", "rows": [9]},
                    {"name": "韩", "slug": "han", "rows": [9]}],  # one syllable: no hyphen
        # 市政府办公室 leads row 9 and is named again among its co-responsible units: row 9 once.
        "units": [{"name": "市政府办公室", "slug": "shi-zheng-fu-ban-gong-shi", "kind": "", "rows": [9]},
                  {"name": "市直有关部门", "slug": "shi-zhi-you-guan-bu-men", "kind": "", "rows": [9]},
                  {"name": "科技厅", "slug": "ke-ji-ting", "kind": "", "rows": [11],
                   "resembles": ["省科技厅", "省科学技术厅"]}]}
    assert {name: read(content / f"{name}.yaml") for name in registries} == registries  # none touched


def test_names_known_to_the_registries_propose_nothing(content, tmp_path):
    table = tmp_path / "known.csv"
    table.write_text("序号,工作任务,牵头领导,牵头单位,配合单位\n一、推动创新\n"
                     "1,建设创新平台。,殷美根、罗小云,省科学技术厅,南昌市政府;九江市政府\n"
                     '2,建设实验室。,殷美根 罗小云,省科技厅,"南昌市政府，九江市政府"\n'
                     '3,建设孵化器。,殷美根,省科技厅,"南昌市政府, 九江市政府"\n', encoding="utf-8")
    status, report = import_table(content, table, "--plan", "known")
    assert status == 0
    assert "未登记的领导：无" in report.splitlines() and "未登记的单位：无" in report.splitlines()
    assert report.splitlines()[-1] == "未能读取的行：无"
    folder = content / "plans" / "known"
    assert not (folder / "registry-proposals.yaml").exists()
    assert "registry-proposals" not in report
    for name in ("1-01.yaml", "1-02.yaml", "1-03.yaml"):
        task = yaml.safe_load(read(folder / "tasks" / name))
        assert task["responsible_units"] == ["南昌市政府", "九江市政府"], name
        assert task["leaders"] == (["殷美根"] if name == "1-03.yaml" else ["殷美根", "罗小云"]), name
    sections = yaml.safe_load(read(folder / "sections.yaml"))
    assert sections == [{"number": 1, "title": "推动创新", "declared_count": 3,
                         "subsections": [{"number": 1, "title": "推动创新"}]}]


def test_a_table_without_a_leader_column_asks_for_no_leader(content, tmp_path):
    table = tmp_path / "units-only.csv"
    table.write_text("工作任务,牵头单位\n一、推动创新\n建设创新平台。,省科技厅\n建设实验室。,\n", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "units-only")
    assert status == 0
    assert report.splitlines()[-2:] == ["未能读取的行：", "  第 4 行：没有牵头单位；任务已写入，但须补上牵头单位才能通过检查。"]
    task = yaml.safe_load(read(content / "plans" / "units-only" / "tasks" / "1-02.yaml"))
    assert (task["text"], task["leaders"], task["lead_units"]) == ("建设实验室。", [], [])


def test_an_unknown_column_is_asked_about_and_rows_out_of_place_are_reported(content, tmp_path):
    table = tmp_path / "odd.csv"
    table.write_text("任务内容,牵头单位,备注\n（一）强化调度,,\n建设创新平台。,省科技厅,\n"
                     "二、推动创新（0项）,,\n建设实验室。,省科技厅,已列入\n", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "odd")
    assert status == 2
    assert "  “备注”→？不认识这一列的表头\n" in report and "  --columns skip=备注\n" in report
    assert not (content / "plans").exists()
    status, report = import_table(content, table, "--plan", "odd", "--columns", "skip=备注")
    assert status == 0
    lines = report.splitlines()
    assert lines[1:3] == ["表头在第 1 行：“任务内容”→text，“牵头单位”→lead_units，“备注”→skip",
                          "表中没有篇章行（如“一、……”），全部任务归入一个篇章：“重点工作”"]
    assert lines[-3:] == ["未能读取的行：", "  第 2 行：小节行“（一）强化调度”出现在第一个篇章行之前，未导入。",
                          "  第 4 行：篇章“推动创新”标明 0 项，表中读到 1 项（sections.yaml 按读到的数写，原文件的数写在注释中）。"]
    folder = content / "plans" / "odd"
    assert sorted(p.name for p in (folder / "tasks").iterdir()) == ["1-01.yaml", "2-01.yaml"]
    assert "# 第 2 篇章：原文件标明 0 项，表中读到 1 项。\n" in read(folder / "sections.yaml")
    assert [(s["number"], s["title"], s["declared_count"]) for s in yaml.safe_load(read(folder / "sections.yaml"))] == [
        (1, "重点工作", 1), (2, "推动创新", 1)]


def test_the_header_may_be_any_of_the_first_twenty_rows(content, tmp_path):
    title_rows = "".join(f"标题第{n}行\n" if n != 5 else ",,\n" for n in range(1, 20))  # row 5 is empty
    table = tmp_path / "late.csv"
    table.write_text(title_rows + "工作任务,牵头单位\n一、推动创新\n建设创新平台。,省科技厅\n", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "late")
    assert status == 0 and "表头在第 20 行：" in report
    assert "第 4 行在表头之前，作为标题跳过：“标题第4行”" in report and "第 5 行在表头之前" not in report
    table.write_text("标题\n" + title_rows + "工作任务,牵头单位\n一、推动创新\n建设创新平台。,省科技厅\n", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "later")
    assert status == 2 and "找不到表头" in report and "no header row" in report
    assert not (content / "plans" / "later").exists()


@pytest.mark.parametrize("header, field", [
    ("具体工作任务和要求", "text"), ("重点工作任务", "text"), ("任务", "text"), ("工作 任务", "text"),
    ("编号", "number"), ("责任领导", "leaders"), ("分管领导", "leaders"), ("省政府牵头领导", "leaders"),
    ("县政府牵头领导", "leaders"), ("牵头部门", "lead_units"), ("协办单位", "responsible_units"),
    ("时间节点", "deadline_text"), ("完成时间", "deadline_text"),
])
def test_a_column_is_known_by_its_name_or_its_ending(content, tmp_path, header, field):
    columns = [header, "牵头单位"] if field == "text" else ["工作任务", header]
    table = tmp_path / "h.csv"
    table.write_text(",".join(columns) + "\n一、推动创新\n建设创新平台。,省科技厅\n", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "h")
    assert status == 0, report
    assert f"“{header.replace(' ', '')}”→{field}" in report.splitlines()[1]


def test_a_header_that_names_no_task_column_is_no_header(content, tmp_path):
    table = tmp_path / "no-task.csv"
    table.write_text("序号,牵头单位,责任单位\n一、推动创新,,\n", encoding="utf-8")
    assert import_table(content, table, "--plan", "no-task")[0] == 2
    table.write_text("工作任务\n一、推动创新\n建设创新平台。\n", encoding="utf-8")  # a task column alone
    assert import_table(content, table, "--plan", "no-task")[0] == 2


@pytest.mark.parametrize("numeral, value", [
    ("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("九十九", 99),
    ("百", 100), ("一百", 100), ("一百〇五", 105), ("一百一十", 110), ("二百三十四", 234),
])
def test_chinese_numerals(numeral, value):
    assert numeral_value(numeral) == value


def test_a_name_resembles_registered_ones_of_the_same_level_only():
    known = ["省科技厅", "省科学技术厅", "南昌市政府", "市发展改革委", "省发展改革委", "各设区市政府"]
    assert resembling("市科技局", known) == []  # 省科技厅 is the province's, not the city's
    assert resembling("省科技局", known) == ["省科技厅", "省科学技术厅"]
    assert resembling("发展改革委", known) == ["市发展改革委", "省发展改革委"]  # no level: both
    assert resembling("市发展和改革委员会", known) == ["市发展改革委"]
    assert resembling("南昌市人民政府", known) == ["南昌市政府"]
    assert resembling("鄱阳湖管理局", known) == []
    # Spelt nearly alike: the three nearest.
    # (difflib's ratio, twice the characters in common over both lengths: 8/10, 6/8, 8/11, 4/7.)
    assert resembling("省科技局", ["省科技厅", "省科协", "省科技和信息局", "省科学技术局"]) == [
        "省科学技术局", "省科技厅", "省科技和信息局"]
    # At most three, those that contain it or it contains first.
    assert resembling("科技", ["省科技厅", "省科学技术厅", "省科技局", "市科技馆", "科技"]) == ["省科技厅", "省科技局", "市科技馆"]


# --- refusals: nothing is written ------------------------------------------------------------------

@pytest.mark.parametrize("plan, said", [
    ("YX", "may only use lower-case letters, digits and hyphens"),
    ("yx_2023", "may only use lower-case letters, digits and hyphens"),
    ("-yx", "may only use lower-case letters, digits and hyphens"),
    ("2021", "is the id of the first plan"),
])
def test_a_plan_id_the_site_cannot_use_is_refused(content, table, plan, said):
    status, report = import_table(content, table, f"--plan={plan}")
    assert status == 2 and said in report
    assert not (content / "plans").exists()


def test_the_first_plans_id_is_its_year_when_site_yaml_names_none(content, table):
    site = yaml.safe_load(read(content / "site.yaml"))
    del site["plan_id"]
    site["source_date"] = dt.date(2020, 3, 1)
    (content / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    status, report = import_table(content, table, "--plan", "2020")
    assert status == 2 and "is the id of the first plan" in report
    assert import_table(content, table, "--plan", "2021")[0] == 0


def test_an_existing_folder_is_refused_unless_it_is_empty(content, table):
    plans = content / "plans"
    (plans / "taken").mkdir(parents=True)
    (plans / "taken" / "notes.md").write_text("mine", encoding="utf-8")
    (plans / "a-file").write_text("mine", encoding="utf-8")
    (plans / "link").symlink_to(plans / "empty", target_is_directory=True)
    (plans / "empty").mkdir()
    for plan in ("taken", "a-file", "link"):
        assert import_table(content, table, "--plan", plan) == (2, (
            f"refused: {plans / plan} already exists and is not empty; nothing was written (--replace re-imports a "
            "plan this command made)\n"
            f"拒绝执行：{plans / plan} 已存在且不是空文件夹，没有写入任何文件（导入从不覆盖已有文件）。"
            "重新导入本命令先前导入的计划，加 --replace\n")), plan
    assert sorted(p.name for p in plans.iterdir()) == ["a-file", "empty", "link", "taken"]
    assert list((plans / "taken").iterdir()) == [plans / "taken" / "notes.md"]
    assert list((plans / "empty").iterdir()) == []
    assert import_table(content, table, "--plan", "empty")[0] == 0
    assert (plans / "empty" / "tasks" / "1-01.yaml").is_file()


def test_what_is_not_a_table_is_refused(content, tmp_path):
    missing = tmp_path / "missing.csv"
    status, report = import_table(content, missing, "--plan", "x")
    assert status == 1 and report.startswith(f"{missing}\n  无法读取该文件：") and "nothing was written" in report
    text = tmp_path / "table.txt"
    text.write_text(TABLE, encoding="utf-8")
    status, report = import_table(content, text, "--plan", "x")
    assert status == 2 and f"'{text}' is not a table (.xlsx, .xlsm, .csv)" in report
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xff\xff\xff")
    status, report = import_table(content, binary, "--plan", "x")
    assert status == 1 and "the table is neither UTF-8 nor GB18030 text." in report
    empty = tmp_path / "no-task.csv"
    empty.write_text("工作任务,牵头单位\n一、推动创新,\n（一）强化调度,\n", encoding="utf-8")
    status, report = import_table(content, empty, "--plan", "x")
    assert status == 2 and "no task was found; nothing was written" in report
    assert not (content / "plans").exists()


# --- the same table in every form ---------------------------------------------------------------

def imported(content: Path, table: Path, plan: str) -> dict[str, str]:
    """Every file the import wrote, and its report, the table's name and the plan's left out."""
    status, report = import_table(content, table, "--plan", plan)
    assert status == 0, report
    folder = content / "plans" / plan
    written = {p.relative_to(folder).as_posix(): read(p).replace(table.name, "T") for p in folder.rglob("*.yaml")}
    return {**written, "report": report.replace(table.name, "T").replace(plan, "P")}


def test_gb18030_and_a_byte_order_mark_read_as_utf_8(content, table, tmp_path):
    expected = imported(content, table, "utf8")
    assert "第 1 行在表头之前，作为标题跳过：“云溪市2023年重点工作分工表”" in expected["report"]
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(TABLE.encode("gb18030"))
    bom = tmp_path / "bom.CSV"
    bom.write_bytes(TABLE.encode("utf-8-sig"))
    assert imported(content, gbk, "gbk") == expected
    assert imported(content, bom, "bom") == expected


def test_an_xlsx_sheet_is_read_like_the_csv_its_cells_as_written(content, table, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import csv
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["本工作簿的第二张表是分工表。"])
    sheet = workbook.create_sheet("分工表")
    for row in csv.reader(TABLE.splitlines()):
        sheet.append([float(c) if c.isdigit() else (c or None) for c in row])  # Excel keeps numbers as floats
    sheet["F4"] = dt.datetime(2023, 12, 31)  # a deadline typed as a date
    path = tmp_path / "yx.xlsx"
    workbook.save(path)
    # openpyxl writes 5.0 as 5; other programs write 5.0, which reads back as a float.
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = "xl/worksheets/sheet2.xml"
    parts[sheet_xml] = re.sub(rb"<v>(\d+)</v>", rb"<v>\1.0</v>", parts[sheet_xml])
    assert b"<v>5.0</v>" in parts[sheet_xml]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    status, report = import_table(content, path, "--plan", "first-sheet")
    assert status == 2 and "找不到表头" in report  # the first sheet is the note
    status, report = import_table(content, path, "--plan", "none", "--sheet", "汇总")
    assert status == 1 and "the workbook has no sheet '汇总' (it has: 说明, 分工表)." in report
    status, report = import_table(content, path, "--plan", "xlsx", "--sheet", "分工表")
    assert status == 0, report
    folder = content / "plans" / "xlsx"
    task = yaml.safe_load(read(folder / "tasks" / "1-01.yaml"))
    assert task["deadline_text"] == "2023-12-31" and task["number"] == 1
    assert "第 12 行：没有任务内容，未导入：“5”" in report  # 5.0 read as 5
    expected = imported(content, table, "csv")
    del expected["report"]
    from_xlsx = {p.relative_to(folder).as_posix(): read(p).replace(path.name, "T") for p in folder.rglob("*.yaml")}
    assert {name: text for name, text in from_xlsx.items() if name != "tasks/1-01.yaml"} == {
        name: text for name, text in expected.items() if name != "tasks/1-01.yaml"}
    # A workbook with macros is read the same way.
    macros = tmp_path / "yx.XLSM"
    shutil.copy(path, macros)
    status, report = import_table(content, macros, "--plan", "xlsm", "--sheet", "分工表")
    assert status == 0, report
    assert read(content / "plans" / "xlsm" / "tasks" / "1-01.yaml") == read(folder / "tasks" / "1-01.yaml").replace(
        "yx.xlsx", "yx.XLSM")


def test_new_tasks_take_the_first_status_of_the_registry(content, table):
    statuses = yaml.safe_load(read(content / "statuses.yaml"))
    first = statuses.pop(0)
    statuses.append(first)  # now the list opens with another status
    (content / "statuses.yaml").write_text(yaml.safe_dump(statuses, allow_unicode=True), encoding="utf-8")
    assert import_table(content, table, "--plan", "yx")[0] == 0
    task = yaml.safe_load(read(content / "plans" / "yx" / "tasks" / "1-01.yaml"))
    assert task["status"] == "in_progress"


# --- another government, and importing again ---------------------------------------------------

CITY_TABLE = """\
序号,工作任务,市政府牵头领导,牵头单位,责任单位
一、城市建设,,,,
1,改造老旧小区60个。,周明远,市住房城乡建设局,云溪区政府、青湖区政府
2,新建停车位5000个。,周明远,市城市管理局,云溪区政府
"""
CITY = ["--government", "yunxi", "--issuer", "云溪市人民政府办公室", "--title", "云溪市2023年重点工作"]


@pytest.fixture
def city_table(tmp_path) -> Path:
    path = tmp_path / "city.csv"
    path.write_text(CITY_TABLE, encoding="utf-8")
    return path


def test_a_second_plan_of_a_government_is_checked_against_its_own_registries(content, city_table, tmp_path):
    assert import_table(content, city_table, "--plan", "yx-2023", *CITY)[0] == 0
    registries = {name: read(content / "governments" / "yunxi" / name)
                  for name in ("government.yaml", "leaders.yaml", "units.yaml")}
    assert yaml.safe_load(registries["government.yaml"]) == {
        "name": "云溪市人民政府", "unit_kinds": {"unit": "单位", "collective": "统称"}}
    second = tmp_path / "second.csv"
    # 周明远 and 市城市管理局 are the city's; 省科技厅 is only the first government's; 市教育局 is no one's.
    second.write_text("序号,工作任务,市政府牵头领导,牵头单位,责任单位\n一、社会事业,,,,\n"
                      "1,新建中小学校12所。,周明远,市教育局,市城市管理局、省科技厅\n", encoding="utf-8")
    status, report = import_table(content, second, "--plan", "yx-2024", "--government", "yunxi", "--title", "2024")
    assert status == 0, report
    lines = report.splitlines()
    assert lines[0] == "导入 second.csv 为计划“yx-2024”（政府“yunxi”）"
    assert "未登记的领导：无" in lines
    assert lines[lines.index("未登记的单位（未自动新增或合并，请核对后写入 content/governments/yunxi/units.yaml）："):][:3] == [
        "未登记的单位（未自动新增或合并，请核对后写入 content/governments/yunxi/units.yaml）：",
        "  “市教育局”（第 3 行）：没有相近的登记项，建议新增。",
        "  “省科技厅”（第 3 行）：没有相近的登记项，建议新增。"]
    proposals = read(content / "plans" / "yx-2024" / "registry-proposals.yaml")
    assert "（可选：unit（单位）、collective（统称））" in proposals  # the city's kinds, not site.yaml's
    assert [unit["name"] for unit in yaml.safe_load(proposals)["units"]] == ["市教育局", "省科技厅"]
    assert {name: read(content / "governments" / "yunxi" / name) for name in registries} == registries


def test_a_registered_name_in_another_form_of_its_characters_is_written_as_registered(content, tmp_path):
    units = yaml.safe_load(read(content / "units.yaml"))
    units.append({"name": "省VR产业基地", "slug": "vr-base", "kind": "provincial_department"})
    (content / "units.yaml").write_text(yaml.safe_dump(units, allow_unicode=True), encoding="utf-8")
    table = tmp_path / "forms.csv"
    table.write_text("工作任务,牵头单位\n一、产业\n建设基地。,省ＶＲ产业基地\n", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "forms")
    assert status == 0, report
    assert "第 3 行：“省ＶＲ产业基地”与登记的“省VR产业基地”只是字符写法不同（全角、半角或兼容字符），按“省VR产业基地”写入。" in report
    assert "未登记的单位：无" in report.splitlines()
    assert yaml.safe_load(read(content / "plans" / "forms" / "tasks" / "1-01.yaml"))["lead_units"] == ["省VR产业基地"]


def test_replace_keeps_what_was_given_or_filled_in_and_the_government(content, city_table):
    assert import_table(content, city_table, "--plan", "yx-2023", *CITY, "--number", "云府办字〔2023〕5号",
                        "--date", "2023-02-20", "--short-title", "云溪2023", "--source-title", "关于印发的通知")[0] == 0
    plan_file = content / "plans" / "yx-2023" / "plan.yaml"
    plan_file.write_text(read(plan_file) + "description: 云溪市的分工。\ndeadline_note: 未规定时限。\n", encoding="utf-8")
    # Again, with nothing but the table and --replace: no government, no title, no issuer.
    status, report = import_table(content, city_table, "--plan", "yx-2023", "--replace")
    assert status == 0, report
    assert report.splitlines()[0] == "导入 city.csv 为计划“yx-2023”（政府“yunxi”）"
    assert yaml.safe_load(read(plan_file)) == {
        "title": "云溪市2023年重点工作", "short_title": "云溪2023", "issuer": "云溪市人民政府办公室",
        "source_title": "关于印发的通知", "source_number": "云府办字〔2023〕5号", "source_date": dt.date(2023, 2, 20),
        "description": "云溪市的分工。", "deadline_note": "未规定时限。", "leader_label": "市政府牵头领导",
        "government": "yunxi"}
    # The government, made by the first import and not reviewed, is made again under the same name.
    assert yaml.safe_load(read(content / "governments" / "yunxi" / "government.yaml"))["name"] == "云溪市人民政府"


def test_replace_leaves_a_government_another_plan_uses(content, city_table):
    assert import_table(content, city_table, "--plan", "yx-2023", *CITY)[0] == 0
    assert import_table(content, city_table, "--plan", "yx-2024", "--government", "yunxi", "--title", "2024")[0] == 0
    units = content / "governments" / "yunxi" / "units.yaml"
    before = units.read_bytes()
    status, report = import_table(content, city_table, "--plan", "yx-2023", "--replace")
    assert status == 0, report
    assert "是新的" not in report and "未登记的单位：无" in report.splitlines()
    assert units.read_bytes() == before


def test_replace_names_every_file_edited_since(content, city_table):
    assert import_table(content, city_table, "--plan", "yx-2023", *CITY)[0] == 0
    folder = content / "plans" / "yx-2023"
    (folder / "notes.md").write_text("mine", encoding="utf-8")
    task = folder / "tasks" / "1-02.yaml"
    task.write_text(read(task).replace("status: no_information", "status: completed"), encoding="utf-8")
    first = folder / "tasks" / "1-01.yaml"
    unedited = read(first)
    for edit in ("targets: []", "updates: []"):
        first.write_text(unedited.replace(edit, edit.replace("[]", "[{label: 改造老旧小区, target: 60}]")), encoding="utf-8")
        status, report = import_table(content, city_table, "--plan", "yx-2023", "--replace")
        assert status == 2
        assert f"{folder} has been edited since it was imported (notes.md, tasks/1-01.yaml, tasks/1-02.yaml); " in report
        assert f"{folder} 在导入后已有改动（notes.md、tasks/1-01.yaml、tasks/1-02.yaml），--replace 会丢失这些改动" in report


def test_replace_refuses_a_plan_yaml_the_import_did_not_write(content, city_table):
    assert import_table(content, city_table, "--plan", "yx-2023", *CITY)[0] == 0
    folder = content / "plans" / "yx-2023"
    (folder / "plan.yaml").write_text("title: 云溪市2023年重点工作\n", encoding="utf-8")
    status, report = import_table(content, city_table, "--plan", "yx-2023", "--replace")
    assert status == 2 and f"{folder} has been edited since it was imported (plan.yaml（不是导入写的）); " in report


def test_replace_does_not_follow_a_plan_yaml_linked_out_of_its_folder(content, city_table, tmp_path):
    """The check reads plan.yaml through the guarded reader: a link to a file elsewhere, even one
    that opens as the import's own, is not the import's."""
    assert import_table(content, city_table, "--plan", "yx-2023", *CITY)[0] == 0
    folder = content / "plans" / "yx-2023"
    outside = tmp_path / "elsewhere.yaml"
    outside.write_bytes((folder / "plan.yaml").read_bytes())
    (folder / "plan.yaml").unlink()
    (folder / "plan.yaml").symlink_to(outside)
    status, report = import_table(content, city_table, "--plan", "yx-2023", "--replace")
    assert status == 2 and f"{folder} has been edited since it was imported (plan.yaml（不是导入写的）); " in report
    assert outside.read_bytes().startswith("# 本计划的文件信息".encode())


def test_sections_numbered_twice_or_too_long_are_refused_naming_their_rows(content, tmp_path):
    table = tmp_path / "long.csv"
    rows = "".join(f"任务{n}。,省科技厅\n" for n in range(1, 1001))
    table.write_text(f"工作任务,牵头单位\n一、甲篇\n任务。,省科技厅\n一、乙篇\n{rows}", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "long")
    assert status == 1
    assert report == (
        f"{table}:4\n"
        "  篇章“乙篇”的序号与第 2 行的篇章重复。\n"
        "  section 1 ('乙篇') repeats the one on row 2.\n"
        "  → 改正篇章序号。 (fix the section's numeral)\n\n"
        f"{table}:4\n"
        "  篇章“乙篇”有 1000 项任务，一个篇章最多 999 项。\n"
        "  section '乙篇' has 1000 tasks; a section holds at most 999.\n"
        "  → 检查篇章行是否遗漏，或把该篇章分为几个。 (look for a missing section row, or split the section)\n\n"
        "导入发现 2 个问题，没有写入任何文件。\n"
        "2 problem(s) found by the import; nothing was written.\n")
    assert not (content / "plans").exists()


def test_a_section_of_999_tasks_is_imported(content, tmp_path):
    table = tmp_path / "full.csv"
    table.write_text("工作任务,牵头单位\n一、甲篇\n" + "".join(f"任务{n}。,省科技厅\n" for n in range(1, 1000)),
                     encoding="utf-8")
    status, report = import_table(content, table, "--plan", "full")
    assert status == 0, report
    assert (content / "plans" / "full" / "tasks" / "1-999.yaml").is_file()


# A registry that is missing or not a list holds no status either: the same refusal, not a traceback.
@pytest.mark.parametrize("registry", ["- label: 尚未报送\n- 1\n", "7\n", None])
def test_a_status_registry_without_a_status_stops_the_import(content, table, registry):
    if registry is None:
        (content / "statuses.yaml").unlink()
    else:
        (content / "statuses.yaml").write_text(registry, encoding="utf-8")
    assert import_table(content, table, "--plan", "yx") == (1, (
        "content/statuses.yaml\n"
        "  状态登记表中没有状态，新任务无法取得初始状态。\n"
        "  the status registry lists no status for the new tasks to start at.\n"
        "  → 运行 python build.py check 查看该文件的问题。 (run python build.py check)\n\n"
        "导入发现 1 个问题，没有写入任何文件。\n"
        "1 problem(s) found by the import; nothing was written.\n"))


@pytest.mark.parametrize("args, message", [
    (["--plan", "yx", "--government", "Yun_Xi"],
     "refused: government id 'Yun_Xi' may only use lower-case letters, digits and hyphens\n"
     "拒绝执行：政府编号“Yun_Xi”只能用小写字母、数字和连字符\n"),
    (["--plan", "YX"], "refused: plan id 'YX' may only use lower-case letters, digits and hyphens\n"
                       "拒绝执行：计划编号“YX”只能用小写字母、数字和连字符\n"),
])
def test_an_id_the_site_cannot_use_is_refused_in_both_languages(content, table, args, message):
    assert import_table(content, table, *args) == (2, message)


def test_a_plans_folder_that_is_a_link_is_refused_in_both_languages(content, table, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (content / "plans").symlink_to(elsewhere, target_is_directory=True)
    assert import_table(content, table, "--plan", "yx") == (2, (
        f"refused: {content / 'plans'} is a symbolic link; the import writes only inside {content}, nothing was written\n"
        f"拒绝执行：{content / 'plans'} 是符号链接；导入只写入 {content} 之内，没有写入任何文件\n"))
    assert list(elsewhere.iterdir()) == []


def test_a_replace_that_fails_half_way_puts_the_earlier_import_back(content, city_table, monkeypatch):
    """The plan's folder is placed, then the government's fails (the disk is full, say): the plan
    as it was imported before comes back, and nothing of either attempt is left."""
    import catalogue.table_import as table_import

    assert import_table(content, city_table, "--plan", "yx-2023", *CITY)[0] == 0
    before = {path: path.read_bytes() for path in content.rglob("*") if path.is_file()}
    placed = []

    def place_then_fail(files, target, within, folders=()):
        if placed:
            raise OSError(28, "No space left on device")
        placed.append(target)
        return place_new_folder(files, target, within, folders)

    place_new_folder = table_import.place_new_folder
    monkeypatch.setattr(table_import, "place_new_folder", place_then_fail)
    status, report = import_table(content, city_table, "--plan", "yx-2023", "--replace", "--title", "改过的标题")
    assert status == 3 and "No space left on device" in report
    assert placed == [content / "plans" / "yx-2023"]
    assert {path: path.read_bytes() for path in content.rglob("*") if path.is_file()} == before
    assert sorted(p.name for p in (content / "plans").iterdir()) == ["yx-2023"]
    assert sorted(p.name for p in (content / "governments").iterdir()) == ["yunxi"]


def test_a_plan_imported_with_no_detail_can_be_imported_again(content, tmp_path):
    table = tmp_path / "bare.csv"
    table.write_text("工作任务,牵头单位\n一、产业\n建设基地。,省科技厅\n", encoding="utf-8")
    assert import_table(content, table, "--plan", "bare")[0] == 0
    plan_file = content / "plans" / "bare" / "plan.yaml"
    assert yaml.safe_load(read(plan_file)) is None  # comments only: what is missing, nothing made up
    status, report = import_table(content, table, "--plan", "bare", "--replace", "--title", "产业")
    assert status == 0, report
    assert yaml.safe_load(read(plan_file)) == {"title": "产业"}


def test_the_first_plans_id_is_the_one_site_yaml_names(content, table):
    site = yaml.safe_load(read(content / "site.yaml"))
    site["plan_id"] = "jx"  # the document's year, 2021, is then free
    (content / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    status, report = import_table(content, table, "--plan", "jx")
    assert status == 2 and "'jx' is the id of the first plan (site.yaml)" in report
    assert import_table(content, table, "--plan", "2021")[0] == 0


def test_a_long_task_is_written_on_one_line(content, tmp_path):
    # A space between two Latin words stays in the text; past 80 characters a YAML writer may fold there.
    text = ("深入实施创新驱动发展战略，加快建设创新型省份，推动重大科技创新平台建设，支持企业建设研发机构，"
            "完善科技成果转移转化机制，力争全社会研发经费投入增长15%以上，推进Wi-Fi 6和IPv6 Plus网络覆盖。")
    assert len(text.partition(" ")[0]) > 80
    table = tmp_path / "long-text.csv"
    table.write_text(f"工作任务,牵头单位\n一、创新\n{text},省科技厅\n", encoding="utf-8")
    assert import_table(content, table, "--plan", "long-text")[0] == 0
    assert f"\ntext: {text}\n" in read(content / "plans" / "long-text" / "tasks" / "1-01.yaml")


def test_a_new_governments_near_spellings_are_named_for_review(content, tmp_path):
    table = tmp_path / "near.csv"
    table.write_text("序号,工作任务,市政府牵头领导,牵头单位,责任单位\n一、财政,,,,\n"
                     "1,压减一般性支出。,王小明,市财政局,市农业农村局\n"
                     "2,盘活存量资金。,王晓明,市财务局,市农村农业局\n"
                     "3,加强预算管理。,李建国,市财政局局,市审计局\n"
                     # Near to difflib, not to a new registry's stricter test: two characters apart.
                     "4,推进重大项目。,李建国,市发展改革委,市发展和改革委员会\n", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "near", "--government", "near")
    assert status == 0, report
    lines = report.splitlines()
    start = lines.index("  写法相近，请核对是否同一人或同一单位（是则改正表格后用 --replace 重新导入，或在登记表中合并并加别名）：")
    # One character changed (小/晓, 政/务) or added (局), or the same characters in another order;
    # each group once.
    assert lines[start + 1:start + 7] == [
        "    “王小明”（第 3 行）、“王晓明”（第 4 行）",
        "    “市财政局”（第 3 行）、“市财务局”（第 4 行）、“市财政局局”（第 5 行）",
        "    “市农业农村局”（第 3 行）、“市农村农业局”（第 4 行）",
        "    “市财务局”（第 4 行）、“市财政局”（第 3 行）",
        "    “市财政局局”（第 5 行）、“市财政局”（第 3 行）",
        "已写入 content/plans/near/：plan.yaml、sections.yaml、tasks/ 下 4 个任务文件"]
    leaders = yaml.safe_load(read(content / "governments" / "near" / "leaders.yaml"))
    assert [(leader["name"], leader.get("resembles")) for leader in leaders] == [
        ("王小明", ["王晓明"]), ("王晓明", ["王小明"]), ("李建国", None)]
    units = yaml.safe_load(read(content / "governments" / "near" / "units.yaml"))
    assert [(unit["name"], unit.get("resembles")) for unit in units] == [
        ("市财政局", ["市财务局", "市财政局局"]), ("市农业农村局", ["市农村农业局"]), ("市财务局", ["市财政局"]),
        ("市农村农业局", ["市农业农村局"]), ("市财政局局", ["市财政局"]), ("市审计局", None), ("市发展改革委", None),
        ("市发展和改革委员会", None)]


def test_a_leader_named_by_a_section_heading_is_proposed_with_the_rows_of_the_tasks(content, tmp_path):
    table = tmp_path / "headings.csv"
    table.write_text("序号,工作任务,牵头单位\n一、周明远市长负责事项（共2项）,,\n1,建设创新平台。,省科技厅\n"
                     "2,建设实验室。,省科技厅\n", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "headings")
    assert status == 0, report
    assert "第 2 行：篇章标题写明牵头领导“周明远”（市长），其下任务没有写明领导的，记为由其牵头" in report
    assert "  “周明远”（第 3、4 行）：没有相近的登记项，建议新增。" in report
    proposals = yaml.safe_load(read(content / "plans" / "headings" / "registry-proposals.yaml"))
    assert proposals["leaders"] == [{"name": "周明远", "slug": "zhou-mingyuan", "rows": [3, 4]}]


def test_a_name_with_no_pinyin_gets_an_address_to_fill_in_or_a_numbered_one(content, tmp_path):
    """A name the pinyin table cannot spell (no Chinese, no plain Latin letter or digit): a
    proposal leaves its address empty for the maintainer; a new government's registry numbers it."""
    table = tmp_path / "latin.csv"
    table.write_text("工作任务,牵头领导,牵头单位\n一、合作\n深化合作。,Zoë,Société、Générale\n", encoding="utf-8")
    assert import_table(content, table, "--plan", "latin")[0] == 0
    proposals = yaml.safe_load(read(content / "plans" / "latin" / "registry-proposals.yaml"))
    assert [entry["slug"] for entry in proposals["leaders"] + proposals["units"]] == ["", "", ""]
    assert import_table(content, table, "--plan", "latin-2", "--government", "latin")[0] == 0
    leaders = yaml.safe_load(read(content / "governments" / "latin" / "leaders.yaml"))
    units = yaml.safe_load(read(content / "governments" / "latin" / "units.yaml"))
    assert [entry["slug"] for entry in leaders + units] == ["leader-1", "unit-1", "unit-2"]


def test_an_empty_pair_in_columns_is_passed_over(content, tmp_path):
    table = tmp_path / "own-words.csv"
    table.write_text("工作事项,主办单位,备注\n一、产业\n建设基地。,省科技厅,\n", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "own", "--columns", "text=工作事项,,lead_units=主办单位,skip=备注,")
    assert status == 0, report
    assert "表头在第 1 行：“工作事项”→text，“主办单位”→lead_units，“备注”→skip" in report


def test_two_columns_of_one_role_are_asked_about(content, tmp_path):
    table = tmp_path / "twice.csv"
    table.write_text("工作任务,牵头单位,牵头部门\n一、产业,,\n建设基地。,省科技厅,省科技厅\n", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "twice")
    assert status == 2
    assert "  “牵头部门”→？与另一列同为 lead_units（牵头单位）\n" in report
    assert "  --columns skip=牵头部门\n" in report


def test_an_items_division_it_cannot_read_is_reported_on_its_line(content, tmp_path):
    table = tmp_path / "items.csv"
    table.write_text("一、产业\n1、建设基地。\n分工：省科技厅牵头，南昌市政府配合。\n"
                     "2、建设平台。\n分工：由各方共同推进。\n本项由省里统筹。\n", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "items")
    assert status == 0, report
    lines = report.splitlines()
    assert "没有表头，按条目读取：“1﹒”“1、”“（一）”等编号开始一项任务，其后“牵头单位：”等行（或文末括号）写明分工" in lines
    assert "  第 5 行：分工“由各方共同推进。”未能读取（应如“某某牵头，某某配合”）。" in lines
    assert "  第 6 行：既不是篇章、条目，也不是分工，未导入：“本项由省里统筹。”" in lines
    task = yaml.safe_load(read(content / "plans" / "items" / "tasks" / "1-01.yaml"))
    assert (task["lead_units"], task["responsible_units"]) == (["省科技厅"], ["南昌市政府"])


def test_the_task_column_beside_only_an_unknown_one_is_a_header_that_asks_about_it(content, tmp_path):
    table = tmp_path / "text-and-note.csv"
    table.write_text("工作任务,说明\n一、产业,\n建设基地。,年内完成\n", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "noted")
    assert status == 2
    assert "  “说明”→？不认识这一列的表头\n" in report and "  --columns skip=说明\n" in report


def test_an_items_text_wrapped_onto_a_second_line_and_its_deadline_are_kept(content, tmp_path):
    table = tmp_path / "wrapped.csv"
    table.write_text("一、产业\n1、建设基地，\n扩大产能。\n牵头单位：省科技厅\n完成时限：2024年底。\n", encoding="utf-8")
    status, report = import_table(content, table, "--plan", "wrapped")
    assert status == 0, report
    task = yaml.safe_load(read(content / "plans" / "wrapped" / "tasks" / "1-01.yaml"))
    assert (task["text"], task["lead_units"], task["deadline_text"]) == ("建设基地，扩大产能。", ["省科技厅"], "2024年底")

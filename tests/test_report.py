"""The reporting round trip: `report export` writes each lead unit's table, a person fills it in
(here openpyxl, by header name, as an office's script would), `report import` reads it back
into the task files, and the site shows the submission as what it is."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import openpyxl
import pytest
import yaml

import build as build_command
from catalogue.pipeline import Paths, Settings, build, check
from catalogue.report_export import export_tables
from catalogue.report_import import import_tables
from catalogue.report_table import Record
from catalogue.validate import CHINA
from catalogue.write import write_files
from html_dom import parse_file

AS_OF = dt.date(2021, 12, 31)
# The content's own dates (the day a target was searched for) run to the day it was last edited:
# the import judges dates against today, as the command does.
TODAY = dt.datetime.now(CHINA).date()
UNIT = "省教育厅"  # leads 8-4 (two targets), 8-15 (a milestone), 8-16 (a number), 8-17 (none) …
TABLE = f"{UNIT}-2021-12-31.xlsx"
CITED = {"出处标题": "全省职业教育工作会议通报", "出处网址": "https://jyt.jiangxi.gov.cn/art/2022/1/5/a.html"}
NUMBER = "实际完成值（重点建设省级高水平高等职业院校，所）"   # 8-16's, column M
MILESTONE = "是否达成（中小学生课后服务城区学校全覆盖）"         # 8-15's, column L
OTHER = "实际完成值（高技能人才占技能劳动者比重，%）"            # 8-4's second, column K


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def unsearched(path: Path) -> None:
    """Take out the days the site searched a task's targets and found nothing: a test gives them outcomes."""
    path.write_text(re.sub(r"\n    searched: \d{4}-\d\d-\d\d(?=\n)", "", path.read_text(encoding="utf-8")), encoding="utf-8")


def rewrite(path: Path, *changes: tuple[str, str]) -> None:
    """Change a content file as an editor would, each (old, new) once; the old text must be there."""
    text = path.read_text(encoding="utf-8")
    for before, after in changes:
        assert before in text, before
        text = text.replace(before, after)
    path.write_text(text, encoding="utf-8")


def export(content: Path, out: Path, *units: str, today: dt.date = dt.date(2022, 1, 4), **options) -> dict[str, Path]:
    """Export as the command does, with a fixed day, the tables of these units (省教育厅 when
    none is named, every unit when `everyone`); the tables by file name."""
    catalogue = check(Paths(content=content))
    as_of = options.pop("as_of", AS_OF)
    tables = {}
    for unit in ([None] if options.pop("everyone", False) else units or ([options.pop("unit_name", None) or UNIT])):
        files, rounds, _ = export_tables(catalogue, out, content, as_of=as_of, today=today,
                                         **({"unit_name": unit} if unit else {}), **options)
        write_files({**files, **({content / "rounds.yaml": rounds.encode()} if rounds else {})})
        tables.update((path.name, path) for path in files)
    return tables


def fill(path: Path, task_id: str, cells: dict[str, object], sheet: str = "牵头任务") -> int:
    """Fill in the row of a task by header name; return its row number."""
    workbook = openpyxl.load_workbook(path)
    worksheet = workbook[sheet]
    headers = {cell.value: cell.column for cell in worksheet[1]}
    row = next(r[0].row for r in worksheet.iter_rows(min_row=2) if r[0].value == task_id)
    for header, value in cells.items():
        worksheet.cell(row=row, column=headers[header]).value = value
    workbook.save(path)
    return row


def import_(content: Path, *tables: Path, today: dt.date = TODAY):
    """Import as the command does, and write; the report."""
    result = import_tables(list(tables), content, check(Paths(content=content)), today)
    write_files({change.file: change.new_text.encode() for change in result.changes})
    return result.report


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = build_command.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- export ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ['{"plan": "2021"}', '{"format": "another/1", "plan": "2021"}', '[1]', "{", ""])
def test_a_hidden_record_this_program_did_not_write_is_not_one(text):
    """A hidden sheet edited by hand (its format line gone, another format, not JSON at all) is
    "not a table exported here", a message; never a KeyError's traceback."""
    with pytest.raises(ValueError):
        Record.loads(text)


def test_export_writes_one_table_per_lead_unit_named_with_the_unit_and_date(content_copy, tmp_path, capsys):
    code, out, err = run(capsys, "report", "export", "--out", str(tmp_path / "out"), "--as-of", "2021-12-31",
                         "--content", str(content_copy))
    assert code == 0, err
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    # Every unit that leads a task of the plan, each file its name and the date.
    lead_units = {name for path in (content_copy / "tasks").glob("*.yaml")
                  for name in yaml.safe_load(path.read_text(encoding="utf-8"))["lead_units"]}
    assert len(names) == len(lead_units) > 50
    assert TABLE in names and "江西证监局-2021-12-31.xlsx" in names
    assert "未记录报送轮次" in out
    assert not (content_copy / "rounds.yaml").exists()


def test_the_table_has_the_columns_in_order_and_its_sheets(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "out", unit_name="省国资委")
    workbook = openpyxl.load_workbook(tables["省国资委-2021-12-31.xlsx"])
    assert workbook.sheetnames == ["填报说明", "牵头任务", "配合任务", "导出记录"]
    assert workbook["导出记录"].sheet_state == "veryHidden"
    led = workbook["牵头任务"]
    assert [cell.value for cell in led[1]] == [
        "编号", "任务", "牵头领导", "当前状态", "报送状态", "进展情况", "截至日期", "出处标题", "出处网址",
        "是否达成（江铜集团三年创新倍增）", "实际完成值（新钢集团转型升级“冲千亿”目标，亿元）"]
    assert [cell.value for cell in led[2]][:4] == [
        "4-14", "完成“百户国企混改攻坚行动”和省属授权监管企业移交划转工作，实现江铜集团三年创新倍增、新钢集团转型升级冲千亿目标。",
        "殷美根", "推进中"]
    assert led.max_row == 2  # 省国资委 leads one task
    shared = workbook["配合任务"]
    assert [cell.value for cell in shared[1]] == ["编号", "任务", "牵头领导", "牵头单位", "当前状态"]
    shared_ids = [row[0].value for row in shared.iter_rows(min_row=2)]
    # The tasks whose responsible units name 省国资委 (1-5, 2-13, …), none of them its own.
    listed = sorted(yaml.safe_load(p.read_text(encoding="utf-8"))["id"] for p in (content_copy / "tasks").glob("*.yaml")
                    if "省国资委" in yaml.safe_load(p.read_text(encoding="utf-8"))["responsible_units"])
    assert sorted(shared_ids) == listed and "4-14" not in shared_ids and listed


def test_the_header_row_is_bold_wrapped_and_centred_on_its_fill(content_copy, tmp_path):
    sheet = openpyxl.load_workbook(export(content_copy, tmp_path / "out")[TABLE])["牵头任务"]
    for cell in sheet[1]:
        assert (cell.font.b, cell.alignment.wrap_text, cell.alignment.vertical) == (True, True, "center"), cell.coordinate
        assert cell.fill.fgColor.rgb == sheet["A1"].fill.fgColor.rgb != "00000000"


def test_given_columns_are_locked_and_the_rest_of_the_row_open(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "out")
    sheet = openpyxl.load_workbook(tables[TABLE])["牵头任务"]
    assert sheet.protection.sheet is True
    headers = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "8-16")
    other = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "8-4")
    locked = {headers[c.column - 1]: c.protection.locked for c in row}
    assert [locked[h] for h in ("编号", "任务", "牵头领导", "当前状态")] == [True] * 4
    assert [locked[h] for h in ("报送状态", "进展情况", "截至日期", "出处标题", "出处网址", NUMBER)] == [False] * 6
    # 8-4's row may not fill 8-16's target, nor 8-16's row 8-4's or 8-15's.
    assert other[headers.index(NUMBER)].protection.locked is True and other[headers.index(OTHER)].protection.locked is False
    assert row[headers.index(OTHER)].protection.locked is True and row[headers.index(MILESTONE)].protection.locked is True
    assert all(cell.protection.locked for cell in sheet[1])


def test_status_is_a_drop_down_of_the_reportable_statuses_and_dates_and_numbers_are_typed(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "out")
    workbook = openpyxl.load_workbook(tables[TABLE])
    sheet = workbook["牵头任务"]
    headers = [cell.value for cell in sheet[1]]
    letter = {h: openpyxl.utils.get_column_letter(i + 1) for i, h in enumerate(headers)}
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    last = sheet.max_row
    status_rule = rules[f"{letter['报送状态']}2:{letter['报送状态']}{last}"]
    assert status_rule.type == "list"
    guide_range = status_rule.formula1.split("!")[1].replace("$", "")
    labels = [cell.value for row in workbook["填报说明"][guide_range] for cell in row]
    # Every status of statuses.yaml but the first (no unit reports having nothing to report) and
    # 未报送 (a unit that reports has not failed to).
    registry = yaml.safe_load((content_copy / "statuses.yaml").read_text(encoding="utf-8"))
    offered = [s for s in registry[1:] if not s.get("needs_round")]
    assert labels == [s["label"] for s in offered] == ["推进中", "序时推进", "进度滞后", "未启动", "部分完成", "已完成",
                                                       "未完成", "持续推进"]
    meanings = [row[0].value for row in workbook["填报说明"][guide_range.replace("A", "B")]]
    assert meanings == [s["meaning"] for s in offered]
    assert rules[f"{letter['截至日期']}2:{letter['截至日期']}{last}"].type == "date"
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "8-16")
    date_cell = row[headers.index("截至日期")]
    assert date_cell.is_date and date_cell.value.date() == AS_OF
    number_rule = next(v for v in rules.values() if v.type == "decimal")
    assert row[headers.index(NUMBER)].coordinate in str(number_rule.sqref)
    milestone_rule = next(v for v in rules.values() if v.formula1 == '"是,否"')
    milestone_row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "8-15")
    assert str(milestone_rule.sqref) == milestone_row[headers.index(MILESTONE)].coordinate


def test_export_is_deterministic_and_never_overwrites(content_copy, tmp_path, capsys):
    first = export(content_copy, tmp_path / "a", unit_name=UNIT)
    second = export(content_copy, tmp_path / "b", unit_name=UNIT)
    assert first[TABLE].read_bytes() == second[TABLE].read_bytes()
    before = first[TABLE].read_bytes()
    code, _, err = run(capsys, "report", "export", "--out", str(tmp_path / "a"), "--unit", UNIT,
                       "--as-of", "2021-12-31", "--content", str(content_copy))
    assert code == 2 and TABLE in err and "没有写入任何文件" in err
    assert first[TABLE].read_bytes() == before


@pytest.mark.parametrize("argv, said", [
    (["--unit", "省住建厅"], "没有登记的单位“省住建厅”"),
    (["--unit", "各设区市政府"], "不牵头计划"),
    (["--leader", "易练红"], "是否应为“易炼红”"),
    (["--plan", "2030"], "没有计划“2030”"),
    (["--as-of", "2020-01-01"], "早于计划印发日期"),
])
def test_export_refuses_what_it_cannot_do(content_copy, tmp_path, capsys, argv, said):
    code, _, err = run(capsys, "report", "export", "--out", str(tmp_path / "out"), "--content", str(content_copy), *argv)
    assert code == 2 and said in err
    assert not (tmp_path / "out").exists()


def test_export_refuses_to_write_into_the_content_folder(content_copy, capsys):
    before = snapshot(content_copy)
    code, _, err = run(capsys, "report", "export", "--out", str(content_copy / "tables"), "--content", str(content_copy))
    assert code == 2 and "内容文件夹" in err
    assert snapshot(content_copy) == before


def test_an_alias_names_the_unit_and_a_leader_narrows_the_tasks(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "a", unit_name="省人力资源和社会保障厅")  # an alias
    assert list(tables) == ["省人力资源社会保障厅-2021-12-31.xlsx"]
    tables = export(content_copy, tmp_path / "b", leader_name="孙菊生", everyone=True)
    sheet = openpyxl.load_workbook(tables[TABLE])["牵头任务"]
    ids = [row[0].value for row in sheet.iter_rows(min_row=2)]
    expected = sorted((d["id"] for d in (yaml.safe_load(p.read_text(encoding="utf-8"))
                                         for p in (content_copy / "tasks").glob("*.yaml"))
                       if UNIT in d["lead_units"] and "孙菊生" in d["leaders"]), key=lambda i: tuple(map(int, i.split("-"))))
    assert ids == expected and "8-16" in ids


# --- import: the round trip -----------------------------------------------------------------

def test_round_trip_adds_one_dated_update_and_leaves_every_other_byte(content_copy, tmp_path, capsys):
    code, _, err = run(capsys, "report", "export", "--out", str(tmp_path / "out"), "--as-of", "2021-12-31",
                       "--content", str(content_copy))
    assert code == 0, err
    table = tmp_path / "out" / TABLE
    fill(table, "8-16", {"报送状态": "序时推进", "进展情况": "10所学校建设任务全部启动。\n\n年底完成中期评估。",
                         NUMBER: 10, **CITED})
    fill(table, "8-15", {"报送状态": "已完成", "进展情况": "城区学校课后服务全覆盖。", MILESTONE: "是"})
    task_file = content_copy / "tasks" / "8-16.yaml"
    before = task_file.read_text(encoding="utf-8")
    searched = re.search(r"    searched: \d{4}-\d\d-\d\d\n", before).group()
    others = {k: v for k, v in snapshot(content_copy).items() if k not in ("tasks/8-16.yaml", "tasks/8-15.yaml")}
    code, out, err = run(capsys, "report", "import", str(table), "--content", str(content_copy))
    assert code == 0, err
    assert "任务 8-16" in out and "状态：暂无进展信息 → 序时推进" in out
    source = ("      title: 截至2021年12月31日的进展报送\n      date: 2021-12-31\n      kind: lead_unit_submission\n"
              "      publisher: 省教育厅\n      cites:\n        title: 全省职业教育工作会议通报\n"
              "        url: https://jyt.jiangxi.gov.cn/art/2022/1/5/a.html\n")
    expected = (before
                .replace("status: no_information\n", "status: on_track\n")
                .replace("    actual: null\n    actual_date: null\n" + searched,
                         "    actual: 10\n    actual_date: 2021-12-31\n    source:\n" + source)
                .replace("updates: []\n", "updates:\n  - date: 2021-12-31\n    status: on_track\n    note: |\n"
                         "      10所学校建设任务全部启动。\n\n      年底完成中期评估。\n    source:\n" + source))
    assert task_file.read_text(encoding="utf-8") == expected
    assert {k: v for k, v in snapshot(content_copy).items()
            if k not in ("tasks/8-16.yaml", "tasks/8-15.yaml")} == others

    out_dir = tmp_path / "site"
    build(Paths(content=content_copy, out=out_dir), Settings(base_url="https://example.org/gzbg/"))  # with a feed
    feed = (out_dir / "feed.xml").read_text(encoding="utf-8")
    assert "来源：牵头单位报送，省教育厅，《截至2021年12月31日的进展报送》，2021-12-31" in feed
    page = parse_file(out_dir / "tasks" / "8-16" / "index.html")
    head = page.one("header", cls="page-head")
    assert head.one("p", cls="task-status").text().split() == ["序时推进", "据省教育厅报送（2021年12月31日）"]
    status_line = head.find("p", cls="source-line").text()
    assert status_line.startswith("状态依据：据省教育厅报送（2021年12月31日）；报送中注明出处《全省职业教育工作会议通报》")
    assert head.find("a", rel="external").get("href") == CITED["出处网址"]
    assert "实际：10所（2021年12月31日）" in page.one("li", cls="target").text()
    history = page.one("li", cls="history-update").text()
    assert "状态变更：暂无进展信息 → 序时推进" in history and "据省教育厅报送" in history
    milestone = parse_file(out_dir / "tasks" / "8-15" / "index.html").one("li", cls="target").text()
    assert "已达成（2021年12月31日）" in milestone
    # A news report and a submission read differently.
    news = parse_file(out_dir / "tasks" / "6-20" / "index.html").one("p", cls="task-status").text()
    assert "据新闻报道" in news and "报送" not in news
    record = next(r for r in json.loads((out_dir / "data" / "tasks.json").read_text(encoding="utf-8")) if r["id"] == "8-16")
    assert record["updates"][0]["source"] == {
        "title": "截至2021年12月31日的进展报送", "date": "2021-12-31", "url": None, "kind": "lead_unit_submission",
        "publisher": "省教育厅", "cites": {"title": CITED["出处标题"], "url": CITED["出处网址"]}}


def test_importing_a_table_twice_adds_nothing(content_copy, tmp_path, capsys):
    tables = export(content_copy, tmp_path / "out")
    fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "建设任务全部启动。", NUMBER: 10})
    import_(content_copy, tables[TABLE])
    once = snapshot(content_copy)
    code, out, err = run(capsys, "report", "import", str(tables[TABLE]), "--content", str(content_copy))
    assert code == 0, err
    assert snapshot(content_copy) == once
    assert "已导入过、没有变化的任务：8-16" in out
    updates = yaml.safe_load((content_copy / "tasks" / "8-16.yaml").read_text(encoding="utf-8"))["updates"]
    assert len(updates) == 1
    # Two copies of one table in one run are one submission.
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(tables[TABLE].read_bytes())
    import_(content_copy, tables[TABLE], copy)
    assert snapshot(content_copy) == once


def test_dry_run_prints_task_by_task_and_writes_nothing(content_copy, tmp_path, capsys):
    tables = export(content_copy, tmp_path / "out")
    fill(tables[TABLE], "8-17", {"报送状态": "已完成", "进展情况": "义务教育阶段学生减负任务完成。"})
    fill(tables[TABLE], "8-16", {"报送状态": "进度滞后", "进展情况": "两所学校尚未启动。", NUMBER: 8})
    before = snapshot(content_copy)
    code, out, err = run(capsys, "report", "import", str(tables[TABLE]), "--dry-run", "--content", str(content_copy))
    assert code == 0, err
    assert snapshot(content_copy) == before
    assert out.index("任务 8-16") < out.index("任务 8-17")
    assert "指标“重点建设省级高水平高等职业院校”：空 → 8（2021-12-31）" in out
    assert "没有写入任何文件" in out


# --- import: refusals -------------------------------------------------------------------------

def _edit(path: Path, change) -> None:
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)


HAN = re.compile(r"[\u4e00-\u9fff]")


def assert_bilingual(err: str, file: str = TABLE) -> None:
    """Every problem reported in `file` reads in both languages, the fix too: its place, the
    message in Chinese, in English, and `→ 中文 (English)`."""
    blocks = [block for block in err.split("\n\n") if block.startswith(file)]
    assert blocks
    for block in blocks:
        where, zh, en, fix = block.split("\n")
        assert HAN.search(zh) and re.match(r"  [a-z'(]", en), block
        hint = re.fullmatch(r"  → ([^()]+?) \((.+)\)", fix)
        assert hint and HAN.search(hint[1]) and re.match(r"[a-z]", hint[2]) and not HAN.search(hint[2]), block


REFUSALS = [
    # (what the row holds, the column letter, what the message says)
    ({"报送状态": "基本完成", "进展情况": "已推进。"}, "E", "“基本完成”不是可选的报送状态。可选：推进中、序时推进、进度滞后、"
     "未启动、部分完成、已完成、未完成、持续推进。\n  '基本完成' is not a status that can be reported.\n  → 从下拉列表中选择。"),
    # Nearly a status: its name is suggested. (基本完成 is as near 未完成 as 已完成: nothing is.)
    ({"报送状态": "序时推近", "进展情况": "已推进。"}, "E", "→ 从下拉列表中选择，是否应为“序时推进”。 (choose from the drop-down)"),
    ({"报送状态": "完成", "进展情况": "已推进。"}, "E", "不是可选的报送状态。可选：推进中、序时推进、进度滞后、未启动、部分完成、已完成、未完成、"
     "持续推进。\n  '完成' is not a status that can be reported.\n  → 从下拉列表中选择。"),
    ({"报送状态": "on_track", "进展情况": "已推进。"}, "E", "不是可选的报送状态"),
    ({"报送状态": "序时推进", "进展情况": "已推进。", "截至日期": "2021-02-30"}, "G", "“2021-02-30”是不存在的日期"),
    ({"报送状态": "序时推进", "进展情况": "已推进。", "截至日期": dt.date(2099, 1, 1)}, "G", "晚于今天"),
    ({"报送状态": "序时推进", "进展情况": "已推进。", "截至日期": dt.date(2020, 12, 31)}, "G", "早于计划印发日期"),
    ({"报送状态": "序时推进", "进展情况": "已推进。", "截至日期": "年底"}, "G", "“年底”不是日期"),
    ({"报送状态": "序时推进", "进展情况": "已推进。", NUMBER: "约10"}, "M", "应为数字，实际是“约10”"),
    ({"报送状态": "序时推进", "进展情况": "已推进。", NUMBER: "1,000"}, "M", "应为数字"),
    ({"报送状态": "序时推进", "进展情况": "已推进。", MILESTONE: "基本实现"}, "L", "应选择“是”或“否”"),
    ({"报送状态": "序时推进", "进展情况": "=HYPERLINK(\"http://x\")"}, "F", "公式单元格不导入"),
    ({"报送状态": "序时推进", "进展情况": "+86 791 0000"}, "F", "内容以“+”开头"),
    ({"报送状态": "序时推进", "进展情况": "-全部完成"}, "F", "内容以“-”开头"),
    ({"报送状态": "序时推进", "进展情况": "@all 已完成"}, "F", "内容以“@”开头"),
    ({"报送状态": "序时推进", "进展情况": "已推进。", "出处标题": "=cmd|' /C calc'!A0"}, "H", "公式单元格不导入"),
    ({"报送状态": "序时推进", "进展情况": "已推进。", "出处网址": "jyt.jiangxi.gov.cn"}, "I", "不是有效网址"),
    ({"报送状态": "序时推进", "进展情况": "已推进。", "出处标题": "通报", "出处网址": "javascript:alert(1)"}, "I",
     "不是允许的网址"),
    ({"报送状态": "序时推进", "进展情况": "已推进。", "出处网址": "https://jyt.jiangxi.gov.cn/"}, "H", "没有出处标题"),
    ({"报送状态": "序时推进"}, "F", "没有写进展情况"),
    ({"进展情况": "已推进。"}, "E", "没有选择报送状态"),
    ({"报送状态": "序时推进", "进展情况": "已推进。", "截至日期": None}, "G", "截至日期是空的"),
    ({"报送状态": "序时推进", "进展情况": "已推进。\x9b"}, "F", "不可见或无效的字符（U+009B）"),
    ({"任务": "改过的任务", "报送状态": "序时推进", "进展情况": "已推进。"}, "B", "锁定的列被修改"),
    ({"当前状态": "已完成", "报送状态": "序时推进", "进展情况": "已推进。"}, "D", "锁定的列被修改"),
]


@pytest.mark.parametrize("cells, column, said", REFUSALS, ids=[r[2][:12] for r in REFUSALS])
def test_a_bad_cell_is_named_by_file_sheet_row_and_column_and_nothing_is_written(
        content_copy, tmp_path, capsys, cells, column, said):
    tables = export(content_copy, tmp_path / "out")
    good = fill(tables[TABLE], "8-17", {"报送状态": "已完成", "进展情况": "减负任务完成。"})
    row = fill(tables[TABLE], "8-15" if MILESTONE in cells else "8-16", cells)
    before = snapshot(content_copy)
    code, out, err = run(capsys, "report", "import", str(tables[TABLE]), "--content", str(content_copy))
    assert code == 1
    assert f"{TABLE}: 工作表“牵头任务” 第 {row} 行 {column} 列" in err
    assert said in err
    assert "没有写入任何文件" in err and f"第 {good} 行" not in err
    assert_bilingual(err)
    assert snapshot(content_copy) == before  # 8-17, which was sound, is not written either


def test_a_row_for_a_task_the_unit_does_not_lead_is_refused(content_copy, tmp_path, capsys):
    tables = export(content_copy, tmp_path / "out")
    path = tables[TABLE]
    _edit(path, lambda wb: wb["牵头任务"].append(["1-5", "实施研发投入攻坚行动", "罗小云", "尚未报送", "序时推进", "已推进。"]))
    last = openpyxl.load_workbook(path)["牵头任务"].max_row
    code, _, err = run(capsys, "report", "import", str(path), "--content", str(content_copy))
    assert code == 1
    assert f"第 {last} 行 A 列（编号）" in err and "编号“1-5”不是省教育厅牵头的任务" in err


def test_edits_outside_the_open_cells_are_refused(content_copy, tmp_path, capsys):
    tables = export(content_copy, tmp_path / "out")
    path = tables[TABLE]
    row = fill(path, "8-17", {"报送状态": "已完成", "进展情况": "减负任务完成。", NUMBER: 3})

    def tamper(workbook):
        workbook["牵头任务"]["F1"] = "进展"               # a header renamed
        workbook["配合任务"]["B2"] = "改过"               # the read-only sheet
    _edit(path, tamper)
    before = snapshot(content_copy)
    code, _, err = run(capsys, "report", "import", str(path), "--content", str(content_copy))
    assert code == 1
    assert "工作表“牵头任务” 第 1 行 F 列（进展情况）" in err and "表头与导出时不同" in err
    assert "工作表“配合任务” 第 2 行 B 列" in err and "仅供参考" in err
    assert snapshot(content_copy) == before
    _edit(path, lambda wb: wb["牵头任务"].__setitem__("F1", "进展情况"))
    _edit(path, lambda wb: wb["配合任务"].__setitem__("B2", openpyxl.load_workbook(
        export(content_copy, tmp_path / "fresh")[TABLE])["配合任务"]["B2"].value))
    code, _, err = run(capsys, "report", "import", str(path), "--content", str(content_copy))
    assert code == 1 and f"第 {row} 行 M 列（{NUMBER}）" in err and "其他任务的指标" in err
    assert_bilingual(err)


def test_a_column_inserted_is_reported_at_the_header_alone_and_no_cell_is_read(content_copy, tmp_path, capsys):
    """Every cell right of an inserted column sits under another header: none of them is read,
    so the report names the header row, not a cell of every row that moved."""
    path = export(content_copy, tmp_path / "out")[TABLE]
    fill(path, "8-17", {"报送状态": "已完成", "进展情况": "减负任务完成。"})
    _edit(path, lambda wb: wb["牵头任务"].insert_cols(6))
    code, _, err = run(capsys, "report", "import", str(path), "--content", str(content_copy))
    assert code == 1 and "第 1 行 F 列（进展情况）" in err and "表头与导出时不同" in err
    assert re.findall(r"第 (\d+) 行", err) and set(re.findall(r"第 (\d+) 行", err)) == {"1"}


def test_a_status_taken_out_of_the_vocabulary_since_the_export_is_named_with_the_current_ones(
        content_copy, tmp_path, capsys):
    path = export(content_copy, tmp_path / "out")[TABLE]
    row = fill(path, "8-16", {"报送状态": "未启动", "进展情况": "尚未启动。"})
    rewrite(content_copy / "statuses.yaml", ("- code: not_started\n  label: 未启动\n", "- code: not_begun\n  label: 未开始\n"))
    before = snapshot(content_copy)
    code, _, err = run(capsys, "report", "import", str(path), "--content", str(content_copy))
    assert code == 1 and f"第 {row} 行 E 列（报送状态）" in err
    assert "导出后状态表已修改，“未启动”已不能报送。可选：推进中、序时推进、进度滞后、未开始、部分完成" in err
    assert_bilingual(err)
    assert snapshot(content_copy) == before


def test_a_workbook_the_export_did_not_make_is_refused(content_copy, tmp_path, capsys):
    plain = tmp_path / "plain.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["编号", "任务", "报送状态"])
    workbook.save(plain)
    not_xlsx = tmp_path / "table.xlsx"
    not_xlsx.write_text("编号,任务\n", encoding="utf-8")
    code, _, err = run(capsys, "report", "import", str(plain), str(not_xlsx), "--content", str(content_copy))
    assert code == 1
    assert "plain.xlsx\n  这不是本站导出的报送表" in err
    assert_bilingual(err, "plain.xlsx")
    assert "table.xlsx\n  这不是 .xlsx 工作簿" in err
    code, _, err = run(capsys, "report", "import", str(tmp_path / "missing.xlsx"), "--content", str(content_copy))
    assert code == 2 and "文件不存在" in err


# --- import: two tables, older tables ---------------------------------------------------------

def test_two_tables_disagreeing_on_a_task_leave_it_alone_and_import_the_rest(content_copy, tmp_path, capsys):
    tables = export(content_copy, tmp_path / "out", "省金融监管局", "江西证监局")
    finance, securities = tables["省金融监管局-2021-12-31.xlsx"], tables["江西证监局-2021-12-31.xlsx"]
    fill(finance, "4-8", {"报送状态": "序时推进", "进展情况": "绿色金融改革按计划推进。"})
    fill(securities, "4-8", {"报送状态": "进度滞后", "进展情况": "部分事项滞后。"})
    fill(finance, "4-9", {"报送状态": "序时推进", "进展情况": "金融保链强链行动已启动。"})
    fill(securities, "4-9", {"报送状态": "序时推进", "进展情况": "辖区上市公司参与保链强链。"})
    fill(finance, "4-11", {"报送状态": "已完成", "进展情况": "已完成。"})
    before_48 = (content_copy / "tasks" / "4-08.yaml").read_bytes()
    code, out, err = run(capsys, "report", "import", str(finance), str(securities), "--content", str(content_copy))
    assert code == 0, err
    assert (content_copy / "tasks" / "4-08.yaml").read_bytes() == before_48
    assert "未导入的任务：" in out and "任务 4-8：报送的状态不同（省金融监管局：序时推进；江西证监局：进度滞后）" in out
    # Two units agreeing on the status each add their own update; a task of one table is imported.
    updates = yaml.safe_load((content_copy / "tasks" / "4-09.yaml").read_text(encoding="utf-8"))["updates"]
    assert [(u["source"]["publisher"], u["status"]) for u in updates[-2:]] == [("省金融监管局", "on_track"),
                                                                               ("江西证监局", "on_track")]
    assert yaml.safe_load((content_copy / "tasks" / "4-11.yaml").read_text(encoding="utf-8"))["status"] == "completed"


def test_two_tables_giving_one_target_two_figures_disagree(content_copy, tmp_path, capsys):
    tables = export(content_copy, tmp_path / "out", "省金融监管局", "江西证监局")
    header = "实际完成值（新增上市公司，家）"
    for name, figure in (("省金融监管局-2021-12-31.xlsx", 13), ("江西证监局-2021-12-31.xlsx", 12)):
        fill(tables[name], "4-10", {"报送状态": "已完成", "进展情况": "新增上市公司。", header: figure})
    before = snapshot(content_copy)
    report = import_(content_copy, *tables.values())
    assert "任务 4-10：指标“新增上市公司”报送的数值或日期不同" in report
    assert snapshot(content_copy) == before


def test_an_older_table_after_a_newer_update_keeps_the_newer_status_and_figure(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "out")
    # After the export, the editors record a newer report of 8-16: in force, with its figure.
    path = content_copy / "tasks" / "8-16.yaml"
    unsearched(path)
    newer = ("updates:\n  - date: 2022-01-20\n    status: completed\n    note: 据通报10所学校全部完成建设。\n"
             "    source: {title: 全省教育工作会议, date: 2022-01-20, kind: official_report}\n")
    rewrite(path, ("updates: []\n", newer), ("status: no_information\n", "status: completed\n"),
            ("    actual: null\n    actual_date: null\n", "    actual: 10\n    actual_date: 2022-01-20\n"))
    fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "9所已完成。", NUMBER: 9})
    report = import_(content_copy, tables[TABLE])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [u["date"] for u in data["updates"]] == [AS_OF, dt.date(2022, 1, 20)]
    assert data["status"] == "completed"  # the newest update still decides
    assert data["targets"][0]["actual"] == 10 and data["targets"][0]["actual_date"] == dt.date(2022, 1, 20)
    assert "状态仍按最新一条" in report
    assert "指标“重点建设省级高水平高等职业院校”已有更新的数据（10，2022-01-20），保留，未用报送的 9（2021-12-31）" in report
    assert path.read_text(encoding="utf-8").endswith(newer.split("updates:\n")[1])


def test_an_older_table_whose_target_was_renamed_is_refused_at_that_cell(content_copy, tmp_path, capsys):
    tables = export(content_copy, tmp_path / "out")
    path = content_copy / "tasks" / "8-16.yaml"
    rewrite(path, ("label: 重点建设省级高水平高等职业院校", "label: 建设省级高水平高等职业院校"))
    row = fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "已推进。", NUMBER: 9})
    before = snapshot(content_copy)
    code, _, err = run(capsys, "report", "import", str(tables[TABLE]), "--content", str(content_copy))
    assert code == 1 and f"第 {row} 行 M 列" in err and "导出后任务 8-16 已没有指标“重点建设省级高水平高等职业院校”" in err
    assert_bilingual(err)
    assert snapshot(content_copy) == before


def test_an_older_table_whose_task_text_or_status_changed_still_imports(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "out")
    path = content_copy / "tasks" / "8-16.yaml"
    rewrite(path, ("推进职业教育综合改革提质创优，", "推进职业教育综合改革、提质创优，"))
    fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "已推进。"})
    import_(content_copy, tables[TABLE])
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["status"] == "on_track"


def test_an_older_table_whose_task_changed_lead_unit_is_refused(content_copy, tmp_path, capsys):
    tables = export(content_copy, tmp_path / "out")
    path = content_copy / "tasks" / "8-16.yaml"
    rewrite(path, ("lead_units: [省教育厅]", "lead_units: [省人力资源社会保障厅]"))
    fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "已推进。"})
    code, _, err = run(capsys, "report", "import", str(tables[TABLE]), "--content", str(content_copy))
    assert code == 1 and "导出后任务 8-16 的牵头单位已改为省人力资源社会保障厅" in err


def test_an_older_table_after_a_status_was_renamed_reads_the_code_it_was_exported_with(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "out")
    path = content_copy / "statuses.yaml"
    rewrite(path, ("label: 序时推进", "label: 按期推进"))
    fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "已推进。"})
    import_(content_copy, tables[TABLE])
    assert yaml.safe_load((content_copy / "tasks" / "8-16.yaml").read_text(encoding="utf-8"))["status"] == "on_track"


def test_a_second_different_report_of_the_same_round_is_left_to_the_editors(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "out", due=dt.date(2022, 1, 15))
    fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "已推进。"})
    import_(content_copy, tables[TABLE])
    once = snapshot(content_copy)
    fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "已推进，更正说明。"})
    report = import_(content_copy, tables[TABLE])
    assert "已于 2021-12-31 导入过，但内容不同" in report
    assert snapshot(content_copy) == once


def test_sheets_renamed_or_a_record_for_another_unit_are_refused(content_copy, tmp_path, capsys):
    tables = export(content_copy, tmp_path / "out")
    path = tables[TABLE]
    fill(path, "8-16", {"报送状态": "序时推进", "进展情况": "已推进。"})

    def rename(workbook):
        workbook["牵头任务"].title = "牵头"
        workbook["配合任务"].title = "配合"
    _edit(path, rename)
    code, _, err = run(capsys, "report", "import", str(path), "--content", str(content_copy))
    assert code == 1 and "找不到工作表“牵头任务”" in err and "找不到工作表“配合任务”" in err

    other = export(content_copy, tmp_path / "again")[TABLE]

    def another_unit(workbook):
        record = workbook["导出记录"]
        record["A1"] = record["A1"].value.replace('"unit":"省教育厅"', '"unit":"省教委"')
    _edit(other, another_unit)
    code, _, err = run(capsys, "report", "import", str(other), "--content", str(content_copy))
    assert code == 1 and "本表导出时的单位“省教委”已不在网站内容中" in err

    _edit(other, lambda workbook: workbook["导出记录"].__setitem__("A1", "{broken"))
    code, _, err = run(capsys, "report", "import", str(other), "--content", str(content_copy))
    assert code == 1 and "这不是本站导出的报送表" in err


def test_cells_a_person_types_otherwise_are_read_as_meant(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "out")
    fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "  已推进。  \r\n第二行。 ", "截至日期": "2021年12月20日",
                                 NUMBER: "10"})
    fill(tables[TABLE], "8-15", {"报送状态": "已完成", "进展情况": "全覆盖。", MILESTONE: True})
    import_(content_copy, tables[TABLE])
    data = yaml.safe_load((content_copy / "tasks" / "8-16.yaml").read_text(encoding="utf-8"))
    assert data["updates"][0]["note"] == "已推进。\n第二行。\n"
    assert data["updates"][0]["date"] == dt.date(2021, 12, 20)
    assert (data["targets"][0]["actual"], data["targets"][0]["actual_date"]) == (10, dt.date(2021, 12, 20))
    milestone = yaml.safe_load((content_copy / "tasks" / "8-15.yaml").read_text(encoding="utf-8"))["targets"][0]
    assert (milestone["achieved"], milestone["achieved_date"]) == (True, AS_OF)


def test_an_error_value_a_second_row_of_a_task_and_a_title_of_two_lines_are_refused(content_copy, tmp_path, capsys):
    tables = export(content_copy, tmp_path / "out")
    path = tables[TABLE]
    row = fill(path, "8-16", {"报送状态": "序时推进", "进展情况": "已推进。", "出处标题": "通报\n续"})
    other = fill(path, "8-4", {"报送状态": "序时推进", "进展情况": "已推进。"})
    header = OTHER

    def plant(workbook):
        sheet = workbook["牵头任务"]
        column = next(c.column for c in sheet[1] if c.value == header)
        sheet.cell(row=other, column=column).value = "#N/A"
        sheet.cell(row=other, column=column).data_type = "e"
        sheet.append([c.value for c in sheet[row]])
    _edit(path, plant)
    sheet = openpyxl.load_workbook(path)["牵头任务"]
    last, letter = sheet.max_row, next(c.column_letter for c in sheet[1] if c.value == header)
    code, _, err = run(capsys, "report", "import", str(path), "--content", str(content_copy))
    assert code == 1
    assert f"第 {row} 行 H 列（出处标题）\n  出处标题只能写一行" in err
    assert f"第 {other} 行 {letter} 列（{header}）\n  单元格是错误值“#N/A”" in err
    assert f"第 {last} 行 A 列（编号）\n  编号“8-16”在第 {row} 行已出现" in err


def test_a_task_file_that_cannot_be_edited_byte_for_byte_is_left_alone_and_named(content_copy, tmp_path, capsys):
    tables = export(content_copy, tmp_path / "out")
    path = content_copy / "tasks" / "8-16.yaml"
    rewrite(path, ("status: no_information", "status:   no_information"))
    fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "已推进。"})
    fill(tables[TABLE], "8-17", {"报送状态": "已完成", "进展情况": "减负任务完成。"})
    before = path.read_bytes()
    code, out, err = run(capsys, "report", "import", str(tables[TABLE]), "--content", str(content_copy))
    assert code == 0, err
    assert path.read_bytes() == before
    assert "任务 8-16：content/tasks/8-16.yaml: a round trip would rewrite parts of it：无法在不改动其他内容的情况下写入，请手工录入" in out
    assert yaml.safe_load((content_copy / "tasks" / "8-17.yaml").read_text(encoding="utf-8"))["status"] == "completed"


def test_a_unit_that_returns_two_different_tables_is_asked_which(content_copy, tmp_path):
    first = export(content_copy, tmp_path / "a")[TABLE]
    second = export(content_copy, tmp_path / "b")[TABLE]
    fill(first, "8-16", {"报送状态": "序时推进", "进展情况": "已推进。"})
    fill(second, "8-16", {"报送状态": "序时推进", "进展情况": "已推进，另有说明。"})
    before = snapshot(content_copy)
    report = import_(content_copy, first, second)
    assert "任务 8-16：同一单位报送了两份不同的内容" in report
    assert snapshot(content_copy) == before


def test_units_agreeing_on_a_figure_set_it_once_each_with_its_update(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "out", "省金融监管局", "江西证监局")
    header = "实际完成值（新增上市公司，家）"
    finance, securities = tables["省金融监管局-2021-12-31.xlsx"], tables["江西证监局-2021-12-31.xlsx"]
    fill(finance, "4-10", {"报送状态": "已完成", "进展情况": "新增上市公司13家。", header: 13})
    import_(content_copy, finance)  # one unit's table first; then both together
    fill(securities, "4-10", {"报送状态": "已完成", "进展情况": "辖区新增上市公司13家。", header: 13})
    import_(content_copy, finance, securities)
    data = yaml.safe_load((content_copy / "tasks" / "4-10.yaml").read_text(encoding="utf-8"))
    submitted = [u["source"]["publisher"] for u in data["updates"] if u["source"].get("kind") == "lead_unit_submission"]
    assert submitted == ["省金融监管局", "江西证监局"]
    assert data["targets"][0]["actual"] == 13 and data["targets"][0]["actual_date"] == AS_OF


def test_the_figure_lands_on_its_own_target_among_several(content_copy, tmp_path, capsys):
    tables = export(content_copy, tmp_path / "out")
    fill(tables[TABLE], "8-4", {"报送状态": "序时推进", "进展情况": "高技能人才占比提高。", OTHER: 30.5})
    fill(tables[TABLE], "8-15", {"报送状态": "进度滞后", "进展情况": "尚未全覆盖。", MILESTONE: "否"})
    code, out, err = run(capsys, "report", "import", str(tables[TABLE]), "--dry-run", "--content", str(content_copy))
    assert code == 0, err
    assert "指标“高技能人才占技能劳动者比重”：空 → 30.5（2021-12-31）" in out
    assert "指标“中小学生课后服务城区学校全覆盖”：空 → 否（2021-12-31）" in out
    import_(content_copy, tables[TABLE])
    targets = yaml.safe_load((content_copy / "tasks" / "8-04.yaml").read_text(encoding="utf-8"))["targets"]
    assert [t["actual"] for t in targets] == [None, 30.5]
    assert "searched" in targets[0] and "searched" not in targets[1]  # a search that found nothing, now found


def test_a_figure_of_the_same_day_from_another_source_is_replaced_by_the_submission(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "out")
    path = content_copy / "tasks" / "8-16.yaml"
    unsearched(path)
    rewrite(path, ("    actual: null\n    actual_date: null\n", "    actual: 8\n    actual_date: 2021-12-31\n"))
    fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "全部启动。", NUMBER: 10})
    report = import_(content_copy, tables[TABLE])
    assert "指标“重点建设省级高水平高等职业院校”：8 → 10（2021-12-31）" in report
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["targets"][0]["actual"] == 10


def test_a_table_without_a_round_imported_again_for_a_later_day_adds_a_second_report(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "out")
    fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "已推进。", **CITED})
    import_(content_copy, tables[TABLE])
    once = snapshot(content_copy)
    again = import_(content_copy, tables[TABLE])  # with its cited source: still the same report
    assert snapshot(content_copy) == once
    assert "已导入过、没有变化的任务：8-16" in again and "未导入" not in again
    fill(tables[TABLE], "8-16", {"截至日期": dt.date(2022, 3, 31), "进展情况": "一季度继续推进。"})
    import_(content_copy, tables[TABLE])
    updates = yaml.safe_load((content_copy / "tasks" / "8-16.yaml").read_text(encoding="utf-8"))["updates"]
    assert [(u["date"], u["note"]) for u in updates] == [(AS_OF, "已推进。"), (dt.date(2022, 3, 31), "一季度继续推进。")]


def test_an_earlier_update_citing_a_bare_address_does_not_stop_the_import(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "out")
    path = content_copy / "tasks" / "8-16.yaml"
    rewrite(path, ("status: no_information\n", "status: in_progress\n"),
            ("updates: []\n", "updates:\n  - date: 2021-06-30\n    status: in_progress\n    note: 上半年推进。\n"
                               "    source: https://jyt.jiangxi.gov.cn/a.html\n"))
    fill(tables[TABLE], "8-16", {"报送状态": "已完成", "进展情况": "全部投入使用。"})
    import_(content_copy, tables[TABLE])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [u["status"] for u in data["updates"]] == ["in_progress", "completed"] and data["status"] == "completed"


def test_a_round_with_its_own_title_names_the_submission_with_it(content_copy, tmp_path):
    (content_copy / "rounds.yaml").write_text(
        "- as_of: 2021-12-31\n  title: 2021年度重点工作进展报送\n  due: 2022-01-15\n  units: [省教育厅]\n",
        encoding="utf-8")
    tables = export(content_copy, tmp_path / "out")
    fill(tables[TABLE], "8-16", {"报送状态": "序时推进", "进展情况": "已推进。"})
    import_(content_copy, tables[TABLE])
    source = yaml.safe_load((content_copy / "tasks" / "8-16.yaml").read_text(encoding="utf-8"))["updates"][0]["source"]
    assert source["title"] == "2021年度重点工作进展报送" and source["round"] == AS_OF


def test_the_command_records_the_round_it_sends_and_the_content_stays_valid(content_copy, tmp_path, capsys):
    code, out, err = run(capsys, "report", "export", "--out", str(tmp_path / "out"), "--unit", UNIT, "--as-of",
                         "2021-12-31", "--due", "2022-01-15", "--content", str(content_copy))
    assert code == 0, err
    assert "已在 content/rounds.yaml 记下本轮报送（1 个单位）" in out
    rounds = yaml.safe_load((content_copy / "rounds.yaml").read_text(encoding="utf-8"))
    assert [(r["as_of"], r["due"], r["units"]) for r in rounds] == [(AS_OF, dt.date(2022, 1, 15), [UNIT])]
    assert run(capsys, "check", "--content", str(content_copy))[0] == 0


def test_a_new_figure_clears_the_editors_verdict_on_the_old_one(content_copy, tmp_path):
    tables = export(content_copy, tmp_path / "out", "省国资委")
    header = "实际完成值（新钢集团转型升级“冲千亿”目标，亿元）"
    fill(tables["省国资委-2021-12-31.xlsx"], "4-14", {"报送状态": "推进中", "进展情况": "新钢集团营业收入1050亿元。",
                                                      header: 1050})
    report = import_(content_copy, tables["省国资委-2021-12-31.xlsx"])
    target = yaml.safe_load((content_copy / "tasks" / "4-14.yaml").read_text(encoding="utf-8"))["targets"][1]
    assert (target["actual"], target["actual_date"], target["achieved"]) == (1050, AS_OF, None)
    assert "指标“新钢集团转型升级“冲千亿”目标”原有的达成判断（是）随旧数据清除" in report


def test_a_report_answering_a_round_and_one_answering_none_are_two_reports(content_copy, tmp_path):
    # The round asked for progress as of 30 June; the unit reported it as of year end.
    asked = export(content_copy, tmp_path / "round", as_of=dt.date(2021, 6, 30), due=dt.date(2022, 1, 15))[
        "省教育厅-2021-06-30.xlsx"]
    fill(asked, "8-16", {"报送状态": "序时推进", "进展情况": "已推进。", "截至日期": AS_OF})
    import_(content_copy, asked)
    # A table of no round, as of year end, saying the same: another report, not a second copy of it.
    unasked = export(content_copy, tmp_path / "plain")[TABLE]
    fill(unasked, "8-16", {"报送状态": "序时推进", "进展情况": "已推进。"})
    import_(content_copy, unasked)
    updates = yaml.safe_load((content_copy / "tasks" / "8-16.yaml").read_text(encoding="utf-8"))["updates"]
    assert [(u["date"], u["source"].get("round")) for u in updates] == [(AS_OF, dt.date(2021, 6, 30)), (AS_OF, None)]


def test_figures_are_reported_as_written(content_copy, tmp_path, capsys):
    tables = export(content_copy, tmp_path / "out")
    fill(tables[TABLE], "8-4", {"报送状态": "序时推进", "进展情况": "略有提高。", OTHER: 0.00001})
    code, out, err = run(capsys, "report", "import", str(tables[TABLE]), "--dry-run", "--content", str(content_copy))
    assert code == 0, err
    assert "指标“高技能人才占技能劳动者比重”：空 → 0.00001（2021-12-31）" in out
    import_(content_copy, tables[TABLE])  # written as the figure, which the build reads as a number
    text = (content_copy / "tasks" / "8-04.yaml").read_text(encoding="utf-8")
    assert "    actual: 0.00001\n" in text and yaml.safe_load(text)["targets"][1]["actual"] == 0.00001

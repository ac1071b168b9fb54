"""Send each lead unit the table of its tasks: `python build.py report export`.

One XLSX per lead unit, named with the unit and the as-of date (see report_table for its
sheets). The given columns are locked, 报送状态 is a drop-down of the statuses a unit may report,
截至日期 a date cell, the target columns number cells open only in the rows of their tasks. With
`--due`, the export also records the reporting round in content/rounds.yaml (the units asked,
the period, the due date): only a recorded round lets the site say that a unit did not report.

Nothing is overwritten: a table already in the output folder stops the export before anything
is written.
"""
from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .model import Catalogue, Leader, Plan, Status, Task, Unit, first_day, zh_date
from .report_table import (AS_OF, CITED_TITLE, CITED_URL, FILLED, GIVEN, GUIDE_SHEET, LED_SHEET, NOTE, NO,
                           RECORD_SHEET, SHARED_HEADERS, SHARED_SHEET, STATUS, YES, Record, TargetColumn,
                           achieved_header, actual_header, column_letter)
from .validate import MAX_MAGNITUDE, MAX_NOTE

GIVEN_FILL = "F3F4F6"    # the locked columns, grey
HEADER_FILL = "DBE5F3"
OPEN_FILL = "FFFBEB"     # the cells to fill in, a pale yellow that prints as near white
WIDTHS = {"编号": 7, "任务": 48, "牵头领导": 10, "当前状态": 12, "报送状态": 12, "进展情况": 48,
          "截至日期": 13, "出处标题": 24, "出处网址": 24, "牵头单位": 24}
TARGET_WIDTH = 16


@dataclass
class Table:
    """One unit's table before it is written."""

    unit: Unit
    file_name: str
    led: list[Task]
    shared: list[Task]
    columns: list[TargetColumn]


def reportable(statuses: list[Status]) -> list[Status]:
    """The statuses a unit may report: not the initial one (nobody reports "no information"),
    not one only a round may set (a unit that reports has not failed to)."""
    return [status for status in statuses[1:] if not status.needs_round]


def target_columns(tasks: list[Task]) -> list[TargetColumn]:
    """A column per target label and unit, in task order: two tasks with the same target share it."""
    columns: dict[str, TargetColumn] = {}
    for task in tasks:
        for target in task.targets:
            header = achieved_header(target) if target.is_milestone else actual_header(target)
            column = columns.setdefault(header, TargetColumn(header, [], target.label, target.kind))
            if task.id not in column.tasks:
                column.tasks.append(task.id)
    return list(columns.values())


def safe_file_name(text: str) -> str:
    """A name every file system takes: no path separators, no characters Windows refuses."""
    return re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", text).strip("._") or "unit"


def plan_tables(catalogue: Catalogue, plan: Plan, units: list[Unit], leader: Leader | None,
                as_of: dt.date) -> list[Table]:
    tables = []
    for unit in units:
        split = unit.tasks_in(plan)
        led = [task for task in split.led if leader is None or leader in task.leaders]
        if not led:
            continue
        led_ids = {id(task) for task in led}
        shared = [task for task in sorted({id(t): t for t in split.co + split.collective}.values(), key=Task.sort_key)
                  if id(task) not in led_ids and (leader is None or leader in task.leaders)]
        name = safe_file_name(unit.name) + ("" if plan.first else f"-{safe_file_name(plan.id)}")
        tables.append(Table(unit, f"{name}-{as_of.isoformat()}.xlsx", led, shared, target_columns(led)))
    return tables


def build_workbook(table: Table, catalogue: Catalogue, plan: Plan, as_of: dt.date, due: dt.date | None,
                   today: dt.date) -> bytes:
    """The table as XLSX bytes: the guide, the unit's tasks, the shared ones, the hidden record."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    statuses = reportable(catalogue.statuses)
    workbook = openpyxl.Workbook()
    guide = workbook.active
    guide.title = GUIDE_SHEET
    first_status_row = _write_guide(guide, table, plan, statuses, as_of, due, Font, Alignment)

    sheet = workbook.create_sheet(LED_SHEET)
    headers = list(GIVEN + FILLED) + [column.header for column in table.columns]
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    given_fill = PatternFill("solid", fgColor=GIVEN_FILL)
    open_fill = PatternFill("solid", fgColor=OPEN_FILL)
    unlocked = Protection(locked=False)
    for index, header in enumerate(headers, start=1):
        cell = _text(sheet, 1, index, header)
        cell.font, cell.fill = Font(bold=True), header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[column_letter(index)].width = WIDTHS.get(header, TARGET_WIDTH)
    first_filled = len(GIVEN) + 1
    rows: dict[str, list[str]] = {}
    target_cells: dict[str, list[str]] = {"number": [], "milestone": []}
    for row, task in enumerate(table.led, start=2):
        given = [task.id, task.text, "、".join(leader.name for leader in task.leaders), task.status.label]
        rows[task.id] = given
        for index, value in enumerate(given, start=1):
            cell = _text(sheet, row, index, value)
            cell.fill, cell.alignment = given_fill, Alignment(wrap_text=True, vertical="top")
        for index in range(first_filled, len(headers) + 1):
            cell = sheet.cell(row=row, column=index)
            column = table.columns[index - first_filled - len(FILLED)] if index >= first_filled + len(FILLED) else None
            if column is not None and task.id not in column.tasks:
                cell.fill = given_fill  # another task's target: locked
                continue
            cell.protection, cell.fill = unlocked, open_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column is not None:
                target_cells[column.kind].append(cell.coordinate)
        date_cell = sheet.cell(row=row, column=headers.index(AS_OF) + 1)
        date_cell.value, date_cell.number_format = as_of, "yyyy-mm-dd"
    last = len(table.led) + 1
    first = first_day(plan.source_date)  # a plan dated by its year or month alone: its first day
    status_col, note_col, date_col, url_col = (column_letter(headers.index(h) + 1) for h in (STATUS, NOTE, AS_OF, CITED_URL))
    validations = [
        (DataValidation(type="list", formula1=f"'{GUIDE_SHEET}'!$A${first_status_row}:$A${first_status_row + len(statuses) - 1}",
                        allow_blank=True), f"{status_col}2:{status_col}{last}",
         "报送状态", "请从下拉列表中选择；各状态的含义见“填报说明”。"),
        (DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_NOTE), allow_blank=True),
         f"{note_col}2:{note_col}{last}", "进展情况", f"写清做了什么、进度如何，不超过 {MAX_NOTE} 字；不要以 = + - @ 开头。"),
        (DataValidation(type="date", operator="between",
                        formula1=f"DATE({first.year},{first.month},{first.day})",
                        formula2="TODAY()", allow_blank=True), f"{date_col}2:{date_col}{last}",
         "截至日期", f"进展所截至的日期，写成 {as_of.isoformat()} 这样的日期，不能晚于今天。"),
        (DataValidation(type="textLength", operator="lessThanOrEqual", formula1="2000", allow_blank=True),
         f"{url_col}2:{url_col}{last}", "出处网址", "以 http:// 或 https:// 开头的完整网址。"),
    ]
    if target_cells["number"]:
        validations.append((DataValidation(type="decimal", operator="between", formula1=str(-int(MAX_MAGNITUDE)),
                                           formula2=str(int(MAX_MAGNITUDE)), allow_blank=True),
                            " ".join(target_cells["number"]), "实际完成值", "只填数字，不带单位、百分号或“约”字。"))
    if target_cells["milestone"]:
        validations.append((DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True),
                            " ".join(target_cells["milestone"]), "是否达成", f"选择“{YES}”或“{NO}”；尚不清楚的留空。"))
    for validation, cells, title, prompt in validations:
        for cell_range in cells.split():
            validation.add(cell_range)
        validation.promptTitle, validation.prompt = title, prompt
        validation.errorTitle, validation.error = title, prompt
        validation.showErrorMessage = validation.showInputMessage = True
        sheet.add_data_validation(validation)
    for cell in target_cells["number"]:
        sheet[cell].number_format = "General"
    sheet.freeze_panes = "C2"
    _protect(sheet)

    shared = workbook.create_sheet(SHARED_SHEET)
    shared_rows = [list(SHARED_HEADERS)] + [
        [task.id, task.text, "、".join(l.name for l in task.leaders), "、".join(u.name for u in task.lead_units),
         task.status.label] for task in table.shared]
    for row, values in enumerate(shared_rows, start=1):
        for index, value in enumerate(values, start=1):
            cell = _text(shared, row, index, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if row == 1:
                cell.font, cell.fill = Font(bold=True), header_fill
    for index, header in enumerate(SHARED_HEADERS, start=1):
        shared.column_dimensions[column_letter(index)].width = WIDTHS.get(header, TARGET_WIDTH)
    shared.freeze_panes = "C2"
    _protect(shared)

    record = Record(plan=plan.id, unit=table.unit.name, as_of=as_of, due=due, exported=today,
                    statuses={status.label: status.code for status in statuses}, headers=headers,
                    columns=table.columns, rows=rows, shared=shared_rows)
    hidden = workbook.create_sheet(RECORD_SHEET)
    for row, chunk in enumerate(record.chunks(), start=1):
        _text(hidden, row, 1, chunk)
    hidden.sheet_state = "veryHidden"
    _protect(hidden)
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_times(buffer.getvalue(), today)


def _write_guide(sheet, table: Table, plan: Plan, statuses: list[Status], as_of: dt.date, due: dt.date | None,
                 Font, Alignment) -> int:
    """The 填报说明 sheet; returns the row of the first status label (the drop-down's source)."""
    lines = [
        f"{table.unit.name}：{plan.title}进展报送表",
        f"请报送本单位牵头的 {len(table.led)} 项任务截至{zh_date(as_of)}的进展"
        + (f"，于{zh_date(due)}前报回。" if due else "。"),
        "",
        "怎样填写",
        f"1. 在“{LED_SHEET}”表中，每项有进展的任务填写一行：选择“{STATUS}”，写“{NOTE}”，核对“{AS_OF}”。没有进展可报的任务整行留空。",
        f"2. 灰色的列（{'、'.join(GIVEN)}）和其他任务的指标单元格已锁定，不要修改；不要增删行列，不要改动表头和工作表名称。",
        f"3. “{AS_OF}”是进展所截至的日期，已预填为 {as_of.isoformat()}；可以改为更早的日期，不能晚于报送当天。",
        "4. 有量化指标的任务，在“实际完成值（指标名，单位）”列只填数字，不带单位、百分号或“约”字（写 1.8，不写 1.8%）；"
        f"节点目标在“是否达成（节点名）”列选择“{YES}”或“{NO}”。没有数据的留空。",
        f"5. 进展见于公开材料（政府网站、统计公报、新闻报道）的，在“{CITED_TITLE}”“{CITED_URL}”写明；网址以 http:// 或 https:// 开头。",
        "6. 单元格中不要使用公式，文字不要以 = + - @ 开头（这样的内容不会被导入）。",
        f"7. “{SHARED_SHEET}”表列出本单位作为责任单位参与的任务，仅供参考，不需填写。",
        "8. 报送的内容将在网站上注明“据本单位报送”及截至日期公开发布。",
        "",
        f"{STATUS}的含义",
    ]
    for row, line in enumerate(lines, start=1):
        _text(sheet, row, 1, line).alignment = Alignment(wrap_text=False)
    sheet["A1"].font = Font(bold=True, size=14)
    for row in (4, len(lines)):
        sheet.cell(row=row, column=1).font = Font(bold=True)
    first = len(lines) + 1
    for row, status in enumerate(statuses, start=first):
        _text(sheet, row, 1, status.label).font = Font(bold=True)
        _text(sheet, row, 2, status.meaning)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 80
    _protect(sheet)
    return first


def _text(sheet, row: int, column: int, value: str):
    """A cell holding text as text: a value starting with = is never written as a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _protect(sheet) -> None:
    """Lock every cell not unlocked; columns and rows may still be resized, to read long text."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _fixed_times(data: bytes, today: dt.date) -> bytes:
    """The workbook with its created and modified times set to the export day, so that the same
    content exports the same bytes."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = f"{today.isoformat()}T00:00:00Z"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", lambda m: m.group(1) + stamp.encode(), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(today.year, today.month, today.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()


def resolve(catalogue: Catalogue, plan_id: str | None, unit_name: str | None,
            leader_name: str | None) -> tuple[Plan, list[Unit], Leader | None]:
    """The plan, the units and the leader the command line names; a usage error otherwise."""
    plans = {plan.id: plan for plan in catalogue.plans}
    if plan_id is not None and plan_id not in plans:
        raise UsageError(f"no plan '{plan_id}'; plans: {', '.join(plans)}",
                         f"没有计划“{plan_id}”；已有：{'、'.join(plans)}")
    plan = plans[plan_id] if plan_id is not None else catalogue.current_plan
    leader = None
    if leader_name is not None:
        leaders = plan.government.leaders
        leader = next((l for l in leaders if l.name == leader_name), None)
        if leader is None:
            raise UsageError(f"no leader '{leader_name}'{_guess(leader_name, [l.name for l in leaders])}",
                             f"没有登记的领导“{leader_name}”{_guess(leader_name, [l.name for l in leaders], True)}")
    # A plan's units are its government's: two governments' 省发展改革委 are two units.
    leading = [unit for unit in plan.government.units if not unit.members and any(
        leader is None or leader in task.leaders for task in unit.tasks_in(plan).led)]
    if unit_name is None:
        return plan, leading, leader
    unit = next((u for u in plan.government.units if unit_name == u.name or unit_name in u.aliases), None)
    names = [u.name for u in plan.government.units]
    if unit is None:
        raise UsageError(f"no unit '{unit_name}'{_guess(unit_name, names)}",
                         f"没有登记的单位“{unit_name}”{_guess(unit_name, names, True)}")
    if unit not in leading:
        raise UsageError(f"'{unit.name}' leads no task of plan {plan.id}" + (f" of {leader.name}" if leader else ""),
                         f"“{unit.name}”不牵头计划 {plan.id} 的任何任务" + (f"（{leader.name}牵头的）" if leader else "")
                         + ("；统称不能填报，请分别导出其所代表的单位" if unit.members else ""))
    return plan, [unit], leader


def _guess(name: str, known: list[str], chinese: bool = False) -> str:
    found = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    if not found:
        return ""
    return f"；是否应为“{found[0]}”？" if chinese else f"; did you mean '{found[0]}'?"


def export_tables(catalogue: Catalogue, out_dir: Path, content_dir: Path, *, plan_id: str | None = None,
                  unit_name: str | None = None, leader_name: str | None = None, as_of: dt.date | None = None,
                  due: dt.date | None = None, today: dt.date) -> tuple[dict[Path, bytes], str | None, str]:
    """The tables to write (path -> bytes), rounds.yaml's new text when `due` records a round,
    and the report to print. Writes nothing: the caller writes all or nothing."""
    plan, units, leader = resolve(catalogue, plan_id, unit_name, leader_name)
    as_of = as_of or today
    if as_of < first_day(plan.source_date):
        raise UsageError(f"--as-of {as_of} is before the plan's date {plan.source_date.isoformat()}",
                         f"--as-of {as_of} 早于计划印发日期 {zh_date(plan.source_date)}")
    if due is not None and due < today and due < as_of:
        raise UsageError(f"--due {due} is before both today and --as-of", f"--due {due} 早于今天和截至日期")
    _refuse_inside(out_dir, content_dir)
    tables = plan_tables(catalogue, plan, units, leader, as_of)
    if not tables:
        raise UsageError("no unit leads a task of this selection; nothing to export",
                         "所选范围内没有单位牵头任务，没有可导出的表")
    files = {out_dir / table.file_name: build_workbook(table, catalogue, plan, as_of, due, today) for table in tables}
    existing = [path.name for path in files if path.exists() or path.is_symlink()]
    if existing:
        raise UsageError(f"{out_dir} already holds {', '.join(existing)}; nothing was written",
                         f"{out_dir} 中已有 {'、'.join(existing)}，没有写入任何文件（导出从不覆盖已有文件）")
    rounds_text = None
    if due is not None:
        rounds_text = add_round(content_dir / "rounds.yaml", plan, [t.unit for t in tables], as_of, due, leader)
    lines = [f"计划“{plan.short_title}”，截至{zh_date(as_of)}" + (f"，报送截止{zh_date(due)}" if due else "")
             + (f"，{leader.name}牵头的任务" if leader else "") + f"：{len(tables)} 个牵头单位"]
    for table in tables:
        lines.append(f"  {table.file_name}：牵头 {len(table.led)} 项、配合 {len(table.shared)} 项，"
                     f"指标列 {len(table.columns)} 个")
    if rounds_text is not None:
        lines.append(f"已在 content/rounds.yaml 记下本轮报送（{len(tables)} 个单位）；请与导入的报送一起提交。")
    else:
        lines.append("未记录报送轮次（没有 --due）：网站不会据此说哪个单位未报送。")
    return files, rounds_text, "\n".join(lines)


ROUNDS_HEADER = """\
# 报送轮次：向哪些牵头单位、要求报送截至哪一天（as_of）的进展、何时报回（due）。由
# python build.py report export --due 写入，也可手工填写；字段说明见 docs/content-format.md。
# 表发出后写上 sent（发出日期）：导出表格不等于已经发出，网站只在写了 sent 后才说何时发出。
# 收齐并导入报送表后写上 closed（办结日期）：此后网站才把没有报送的单位记为“未报送”。
"""


def add_round(path: Path, plan: Plan, units: list[Unit], as_of: dt.date, due: dt.date,
              leader: Leader | None) -> str:
    """rounds.yaml's text with this round recorded: a new entry, or the units added to the
    entry of the same plan and as-of date (a second export of one round for more units)."""
    from .load import MAX_REGISTRY_BYTES, read_document
    from .reader import read_text
    from .yaml_edit import Make, edit_text

    # No `sent`: exporting the tables is not sending them, and the round's page would say 发出 on
    # that day. The office writes the day they went out.
    entry = ({"plan": plan.id} if not plan.first else {}) | {"as_of": as_of, "due": due}
    entry |= ({"leader": leader.name} if leader else {}) | {"units": [unit.name for unit in units]}
    if not path.exists():
        from .yaml_edit import new_text

        return new_text(ROUNDS_HEADER, [entry])
    document = read_document(path, path.parent, MAX_REGISTRY_BYTES)
    if not hasattr(document, "data"):
        raise UsageError(f"{path} cannot be read: {document.en}", f"{path} 无法读取：{document.zh}")
    # The text to edit, through the same door: the catalogue was loaded from it a moment ago.
    text = read_text(path, document.file, MAX_REGISTRY_BYTES, within=path.parent)
    records = document.data if isinstance(document.data, list) else []
    same = next((index for index, record in enumerate(records) if isinstance(record, dict)
                 and record.get("as_of") == as_of and str(record.get("plan") or plan.id) == plan.id
                 and (record.get("plan") is not None or plan.first)), None)
    if same is None:
        def append(data, make: Make) -> None:
            data.append(make.mapping(entry))
        return edit_text(text, document.file, append, [])
    record = records[same]
    if record.get("closed"):
        raise UsageError(f"the round as of {as_of} was closed on {record['closed']}; use another --as-of",
                         f"截至 {as_of} 的报送轮次已于 {record['closed']} 办结，不能再加单位；请换一个截至日期")
    if record.get("due") != due or record.get("leader") != (leader.name if leader else None):
        raise UsageError(f"rounds.yaml already has the round as of {as_of} with another due date or leader",
                         f"rounds.yaml 已有截至 {as_of} 的报送轮次，但截止日期或牵头领导不同；请核对 --due，或改用另一个截至日期")
    known = set(record.get("units") or [])

    def extend(data, make: Make) -> None:
        data[same]["units"].extend(unit.name for unit in units if unit.name not in known)
    return edit_text(text, document.file, extend, [(same, "units")])


def _refuse_inside(out_dir: Path, content_dir: Path) -> None:
    out, content = out_dir.resolve(), content_dir.resolve()
    if out == content or content in out.parents:
        raise UsageError(f"{out_dir} is inside the content folder; write the tables elsewhere",
                         f"{out_dir} 在内容文件夹中；请把报送表导出到其他文件夹")

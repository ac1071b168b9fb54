"""Read returned progress tables into the task files: `python build.py report import FILE… [--dry-run]`.

Each filled row of a unit's table becomes one dated update of its task, with the status, the
note and the target values, and as its source the submission itself (the unit, the date, the
reporting round it answers, and the public source the unit cited, if any).

- All or nothing: every bad cell of every table is reported, by file, sheet, row and column,
  with the fix, and then nothing is written.
- Only what the tables add is written: a new update, the status it sets, the target values;
  every other byte of a task file stays as it was (catalogue.yaml_edit).
- Importing a table again adds nothing. Two tables that disagree on a task (another status,
  another figure) are reported and that task is left alone; the others are imported.
- A table exported before its tasks changed still imports where that is sound: a newer update
  keeps the task's status, a newer figure is not overwritten, a target renamed since the export
  stops the import with the cell named (its value cannot land on another target).
- Formula cells are read as their text, never evaluated; a cell starting with = + - @ is
  reported, never imported.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, ContentErrors, UsageError
from .load import Content, display_path, parse_yaml, read_content
from .model import SUBMISSION, Catalogue, Plan, Round, Status, Target, Task, Unit, first_day, plain_number, zh_date
from .report_export import reportable
from .reader import MAX_TASK_BYTES, Cell, Refused, read_text, read_workbook
from .report_table import (AS_OF, CITED_TITLE, CITED_URL, FILLED, GIVEN, LED_SHEET, NO, NOTE, NUMBER, RECORD_SHEET,
                           SHARED_SHEET, STATUS, YES, CellError, Record, TargetColumn, achieved_header, actual_header,
                           where)
from .table_layouts import cell_text
from .urls import url_problem
from .validate import FORBIDDEN_CHARACTER, LIMITS, MAX_MAGNITUDE, MAX_NOTE, validate
from .yaml_edit import Make, Unkeepable, edit_text

# A cell a spreadsheet program may take for a formula when the text is pasted on (CSV injection).
FORMULA_START = ("=", "+", "-", "@")
PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


class ImportRefused(ContentErrors):
    """Bad cells in the returned tables: every one listed, nothing written."""

    def report(self, where: tuple[str, str] = ("报送表中", "in the returned tables"),
               outcome: tuple[str, str] = ("没有写入任何文件。改正后重新导入全部报送表", "nothing was written")) -> str:
        return super().report(where, outcome)


@dataclass(frozen=True)
class Origin:
    """Where a submission was read: shown wherever it is spoken of."""

    file: str
    sheet: str
    row: int

    def __str__(self) -> str:
        return f"{self.file} 第 {self.row} 行"


@dataclass
class Submission:
    """One filled row: what a unit reports of one task."""

    origin: Origin
    unit: Unit
    task: Task
    date: dt.date
    status: Status
    note: str
    cited: dict[str, str] | None
    actuals: dict[str, float | int] = field(default_factory=dict)  # target label -> value
    achieved: dict[str, bool] = field(default_factory=dict)         # milestone label -> reached
    round: Round | None = None

    def content(self) -> tuple:
        """What it says, wherever it was read: two reads of one table are one submission."""
        return (self.unit.name, self.date, self.status.code, self.note, tuple(sorted((self.cited or {}).items())),
                tuple(sorted(self.actuals.items())), tuple(sorted(self.achieved.items())),
                self.round.as_of if self.round else None)

    def source(self) -> dict:
        name = self.round.name if self.round else f"截至{zh_date(self.date)}的进展报送"
        source = {"title": name, "date": self.date, "kind": SUBMISSION, "publisher": self.unit.name}
        if self.round is not None:
            source["round"] = self.round.as_of
        if self.cited:
            source["cites"] = dict(self.cited)
        return source

    def update(self) -> dict:
        return {"date": self.date, "status": self.status.code, "note": self.note, "source": self.source()}


# --- reading the tables -----------------------------------------------------------------------

class TableReader:
    """Reads one returned table against the catalogue, collecting every bad cell."""

    def __init__(self, catalogue: Catalogue, shown: str, errors: list[ContentError], today: dt.date):
        self.catalogue, self.shown, self.errors, self.today = catalogue, shown, errors, today

    def error(self, sheet: str | None, row: int | None, column: int | None, header: str, zh: str, en: str,
              hint_zh: str = "", hint_en: str = "") -> None:
        self.errors.append(CellError(self.shown, row, where(sheet, row, column, header) if sheet else "",
                                     zh, en, hint_zh, hint_en))

    def read(self, path: Path) -> list[Submission]:
        try:
            # Formulas as their text, never evaluated: a formula cell is reported, not imported.
            sheets = {table.sheet: table.cells() for table in read_workbook(path, self.shown, formulas=True)}
        except Refused as refused:
            self.errors.append(refused.error)
            return []
        record = self.record(sheets)
        if record is None:
            return []
        plan = next((p for p in self.catalogue.plans if p.id == record.plan), None)
        unit = next((u for u in plan.government.units if record.unit in (u.name, *u.aliases)), None) if plan else None
        if plan is None or unit is None:
            missing = f"计划“{record.plan}”" if plan is None else f"单位“{record.unit}”"
            self.error(None, None, None, "", f"本表导出时的{missing}已不在网站内容中，无法导入。",
                       f"the table's {'plan' if plan is None else 'unit'} is no longer in the content.",
                       "请重新导出报送表，让牵头单位按新表填写。", "export the table again")
            return []
        self.check_shared(sheets.get(SHARED_SHEET), record)
        rows = sheets.get(LED_SHEET)
        if rows is None:
            self.error(None, None, None, "", f"找不到工作表“{LED_SHEET}”（可能被改名或删除）。",
                       f"the sheet '{LED_SHEET}' is missing (renamed or deleted?).",
                       f"把工作表名称改回“{LED_SHEET}”。", f"rename the sheet back to '{LED_SHEET}'")
            return []
        if not self.check_headers(rows, record):
            return []
        round_ = next((r for r in plan.rounds if r.as_of == record.as_of and unit in r.units), None)
        submissions = []
        seen: dict[str, int] = {}
        for index, cells in enumerate(rows[1:], start=2):
            submission = self.row(cells, index, record, plan, unit, round_, seen)
            if submission is not None:
                submissions.append(submission)
        return submissions

    def record(self, sheets: dict[str, list[list[Cell]]]) -> Record | None:
        hidden = sheets.get(RECORD_SHEET)
        text = "".join(str(row[0].value) for row in hidden or [] if row and isinstance(row[0].value, str))
        try:
            return Record.loads(text)
        except ValueError:
            self.error(None, None, None, "", "这不是本站导出的报送表（缺少或损坏了隐藏的导出记录），无法核对，不予导入。",
                       "not a progress table exported by this program (its hidden export record is missing or damaged).",
                       "请用 python build.py report export 导出的表填写；已填的内容可以复制到新导出的表中。",
                       "fill in a table made by `python build.py report export`")
            return None

    def check_headers(self, rows: list[list[Cell]], record: Record) -> bool:
        """The header row as exported: a column moved, renamed or added makes every cell doubtful."""
        header = [cell_text(cell.value) for cell in (rows[0] if rows else [])]
        wanted = record.headers
        ok = True
        for index in range(max(len(header), len(wanted))):
            found = header[index] if index < len(header) else ""
            expected = wanted[index] if index < len(wanted) else ""
            if found != expected:
                ok = False
                self.error(LED_SHEET, 1, index + 1, expected or found,
                           f"表头与导出时不同：应为“{expected}”，实际是“{found}”。" if expected else
                           f"表头之外多出一列“{found}”。",
                           f"the header differs from the export: expected '{expected}', found '{found}'.",
                           "不要插入、删除、移动列或改动表头；在新导出的表中重新填写。",
                           "do not insert, delete, move or rename columns")
        return ok

    def check_shared(self, rows: list[list[Cell]] | None, record: Record) -> None:
        """The shared tasks are for reference: any change to them is reported."""
        if rows is None:
            self.error(None, None, None, "", f"找不到工作表“{SHARED_SHEET}”（可能被改名或删除）。",
                       f"the sheet '{SHARED_SHEET}' is missing.", f"把工作表名称改回“{SHARED_SHEET}”。",
                       f"rename the sheet back to '{SHARED_SHEET}'")
            return
        for row_index in range(max(len(rows), len(record.shared))):
            cells = rows[row_index] if row_index < len(rows) else []
            expected = record.shared[row_index] if row_index < len(record.shared) else []
            for column in range(max(len(cells), len(expected))):
                found = cell_text(cells[column].value) if column < len(cells) else ""
                wanted = expected[column] if column < len(expected) else ""
                if found != wanted:
                    self.error(SHARED_SHEET, row_index + 1, column + 1, "",
                               f"“{SHARED_SHEET}”表仅供参考，不应修改：导出时为“{_short(wanted)}”，现在是“{_short(found)}”。",
                               f"the '{SHARED_SHEET}' sheet is read-only: it was '{_short(wanted)}', now '{_short(found)}'.",
                               "恢复原值；要报送的内容只填在“牵头任务”表中。", "restore it; report only in the led-tasks sheet")

    def row(self, cells: list[Cell], row: int, record: Record, plan: Plan, unit: Unit, round_: Round | None,
            seen: dict[str, int]) -> Submission | None:
        headers = record.headers
        cells = list(cells) + [Cell(None)] * (len(headers) - len(cells))
        if all(cell.empty for cell in cells):
            return None
        for column in range(len(headers), len(cells)):
            if not cells[column].empty:
                self.error(LED_SHEET, row, column + 1, "", "表头之外的单元格有内容。", "a cell beyond the last column has content.",
                           "删去它；要说明的情况写在“进展情况”中。", "delete it; write remarks in 进展情况")
        by_header = dict(zip(headers, cells))
        task_id = cell_text(by_header[NUMBER].value)
        if not task_id:
            self.error(LED_SHEET, row, 1, NUMBER, "这一行有内容，但没有编号。", "the row has content but no task number.",
                       "报送只能填写导出时列出的任务行；删除这一行。", "fill in only the rows the table was exported with")
            return None
        if task_id not in record.rows:
            self.error(LED_SHEET, row, 1, NUMBER, f"编号“{task_id}”不是{record.unit}牵头的任务（本表导出时没有这一行）。",
                       f"'{task_id}' is not a task {record.unit} leads (the exported table has no such row).",
                       "报送只能填写导出时列出的任务；删除这一行。", "fill in only the rows the table was exported with")
            return None
        if task_id in seen:
            self.error(LED_SHEET, row, 1, NUMBER, f"编号“{task_id}”在第 {seen[task_id]} 行已出现。",
                       f"task '{task_id}' is already on row {seen[task_id]}.", "每项任务只填一行；删除多出的一行。",
                       "one row per task: delete the extra row")
            return None
        seen[task_id] = row
        for column, (header, expected) in enumerate(zip(GIVEN, record.rows[task_id]), start=1):
            found = cell_text(by_header[header].value)
            if found != expected:
                self.error(LED_SHEET, row, column, header,
                           f"锁定的列被修改：导出时为“{_short(expected)}”，现在是“{_short(found)}”。",
                           f"a locked column was changed: it was '{_short(expected)}', now '{_short(found)}'.",
                           "恢复原值：灰色的列不要修改。", "restore it: the grey columns are not to be changed")
        columns = record.columns
        first_target = len(GIVEN) + len(FILLED)
        for offset, column in enumerate(columns):
            if task_id not in column.tasks and not cells[first_target + offset].empty:
                self.error(LED_SHEET, row, first_target + offset + 1, column.header,
                           "这一列是其他任务的指标，本行应留空。", "this column is another task's target; leave it empty here.",
                           "删去该单元格的内容。", "clear the cell")
        own = [(first_target + offset, column) for offset, column in enumerate(columns) if task_id in column.tasks]
        filled = [headers.index(h) for h in (STATUS, NOTE, CITED_TITLE, CITED_URL)] + [index for index, _ in own]
        if all(cells[index].empty for index in filled):
            return None  # nothing to report for this task; the prefilled date alone says nothing
        task = next((t for t in plan.tasks if t.id == task_id), None)
        if task is None:
            self.error(LED_SHEET, row, 1, NUMBER, f"任务“{task_id}”已不在计划中（导出后被删除或改号）。",
                       f"task '{task_id}' is no longer in the plan (removed or renumbered since the export).",
                       "与维护人员核对该任务的新编号，在新导出的表中填写。", "check its new number and use a new export")
            return None
        if unit not in task.lead_units:
            self.error(LED_SHEET, row, 1, NUMBER, f"导出后任务 {task_id} 的牵头单位已改为{'、'.join(u.name for u in task.lead_units)}，"
                       f"不再是{unit.name}。", f"since the export, task {task_id} is no longer led by {unit.name}.",
                       "请新的牵头单位报送，或与维护人员核对。", "ask the new lead unit")
            return None
        values = {index: self.cell_value(cells[index], row, index + 1, headers[index])
                  for index in filled + [headers.index(AS_OF)]}

        def value(header: str):
            return values[headers.index(header)]
        # Each cell is judged on its own, so that one bad cell does not hide another.
        status = self.status(value(STATUS), row, headers.index(STATUS) + 1, record) if value(STATUS) is not _BAD else None
        note = self.note(value(NOTE), row, headers.index(NOTE) + 1) if value(NOTE) is not _BAD else None
        date = self.date(value(AS_OF), row, headers.index(AS_OF) + 1, plan) if value(AS_OF) is not _BAD else None
        cited = (self.cited(value(CITED_TITLE), value(CITED_URL), row, headers)
                 if _BAD not in (value(CITED_TITLE), value(CITED_URL)) else _BAD)
        actuals, achieved = {}, {}
        sound = True
        for index, column in own:
            found = values[index]
            if found is None:
                continue
            target = self.target(task, column, row, index + 1) if found is not _BAD else None
            if target is None:
                sound = False
            elif column.kind == "milestone":
                reached = self.reached(found, row, index + 1, column.header)
                sound = sound and reached is not None
                achieved[target.label] = reached
            else:
                number = self.number(found, row, index + 1, column.header)
                sound = sound and number is not None
                actuals[target.label] = number
        if None in (status, note, date) or cited is _BAD or not sound:
            return None
        return Submission(Origin(self.shown, LED_SHEET, row), unit, task, date, status, note, cited,
                          actuals, achieved, round_)

    def cell_value(self, cell: Cell, row: int, column: int, header: str):
        """The cell's value, None when empty; _BAD, reported, for a formula, an error value or
        text a spreadsheet may take for a formula."""
        if cell.kind == "f":
            self.error(LED_SHEET, row, column, header, f"公式单元格不导入（{_short(str(cell.value))}）。",
                       "formula cells are not imported.", "把公式换成它的结果：复制后“选择性粘贴 → 数值”。",
                       "replace the formula by its value (paste special → values)")
            return _BAD
        if cell.kind == "e":
            self.error(LED_SHEET, row, column, header, f"单元格是错误值“{cell.value}”。", f"the cell holds the error '{cell.value}'.",
                       "改为正确的内容。", "enter the right value")
            return _BAD
        if cell.empty:
            return None
        if isinstance(cell.value, str) and cell.value.strip().startswith(FORMULA_START):
            self.error(LED_SHEET, row, column, header,
                       f"内容以“{cell.value.strip()[0]}”开头，可能被当作公式，未导入。",
                       f"the text starts with '{cell.value.strip()[0]}' and may be taken for a formula; not imported.",
                       "去掉开头的这个符号，或在前面加上文字。", "remove the leading sign, or put words before it")
            return _BAD
        return cell.value

    def status(self, value, row: int, column: int, record: Record) -> Status | None:
        if value is None:
            self.error(LED_SHEET, row, column, STATUS, "填写了这一行，但没有选择报送状态。", "the row is filled in but has no status.",
                       "从下拉列表中选择报送状态；状态没有变化时选择原来的状态。", "choose a status from the drop-down")
            return None
        offered = reportable(self.catalogue.statuses)
        by_code = {status.code: status for status in offered}
        label = cell_text(value)
        code = record.statuses.get(label)
        if code is None:  # a label of the vocabulary as it is now, after a change since the export
            code = next((s.code for s in offered if s.label == label), None)
        if code in by_code:
            return by_code[code]
        labels = "、".join(status.label for status in offered)
        if code is not None:
            self.error(LED_SHEET, row, column, STATUS, f"导出后状态表已修改，“{label}”已不能报送。可选：{labels}。",
                       f"the status vocabulary changed since the export; '{label}' can no longer be reported.",
                       "改选现行的状态。", "choose one of the current statuses")
            return None
        guess = _one_close(label, [s.label for s in offered])
        self.error(LED_SHEET, row, column, STATUS, f"“{_short(label)}”不是可选的报送状态。可选：{labels}。",
                   f"'{_short(label)}' is not a status that can be reported.",
                   f"从下拉列表中选择{f'，是否应为“{guess}”' if guess else ''}。", "choose from the drop-down")
        return None

    def note(self, value, row: int, column: int) -> str | None:
        if value is None:
            self.error(LED_SHEET, row, column, NOTE, "填写了这一行，但没有写进展情况。", "the row is filled in but has no note.",
                       "写清做了什么、进度如何。", "say what was done and how far it got")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = plain_number(value)
        if not isinstance(value, str):
            self.error(LED_SHEET, row, column, NOTE, "进展情况应为文字。", "the note must be text.", "写成文字。", "write it as text")
            return None
        text = "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()
        if not self.plain_text(text, row, column, NOTE, MAX_NOTE):
            return None
        return text

    def plain_text(self, text: str, row: int, column: int, header: str, limit: int) -> bool:
        found = FORBIDDEN_CHARACTER.search(text)
        if found:
            self.error(LED_SHEET, row, column, header, f"含有不可见或无效的字符（U+{ord(found.group()):04X}）。",
                       f"contains an invisible or invalid character (U+{ord(found.group()):04X}).",
                       "删去该段文字后重新输入。", "delete the text and type it again")
            return False
        if len(text) > limit:
            self.error(LED_SHEET, row, column, header, f"文字过长（{len(text)} 字，上限 {limit} 字）。",
                       f"the text is too long ({len(text)} characters; the limit is {limit}).", "精简后重新填写。", "shorten it")
            return False
        return True

    def date(self, value, row: int, column: int, plan: Plan) -> dt.date | None:
        hint = ("写成 年-月-日 的日期，例如 2021-12-31。", "write a date such as 2021-12-31")
        if value is None:
            self.error(LED_SHEET, row, column, AS_OF, "填写了这一行，但截至日期是空的。", "the row is filled in but has no date.", *hint)
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        elif isinstance(value, str):
            match = DATE_TEXT.fullmatch(value.strip())
            if not match:
                self.error(LED_SHEET, row, column, AS_OF, f"“{_short(value)}”不是日期。", f"'{_short(value)}' is not a date.", *hint)
                return None
            try:
                value = dt.date(*map(int, match.groups()))
            except ValueError:
                self.error(LED_SHEET, row, column, AS_OF, f"“{value.strip()}”是不存在的日期。",
                           f"'{value.strip()}' is not a real date.", "检查月份和日期（如 2 月没有 30 日）。",
                           "check the month and day")
                return None
        if not isinstance(value, dt.date):
            self.error(LED_SHEET, row, column, AS_OF, f"“{_short(cell_text(value))}”不是日期。",
                       f"'{_short(cell_text(value))}' is not a date.", *hint)
            return None
        if value > self.today:
            self.error(LED_SHEET, row, column, AS_OF, f"截至日期 {value} 晚于今天（{self.today}），进展不能预先报送。",
                       f"the date {value} is after today ({self.today}).", "检查年份和月份。", "check the year and month")
            return None
        if value < first_day(plan.source_date):
            self.error(LED_SHEET, row, column, AS_OF, f"截至日期 {value} 早于计划印发日期（{zh_date(plan.source_date)}）。",
                       f"the date {value} is before the plan's date {plan.source_date.isoformat()}.", "检查年份。",
                       "check the year")
            return None
        return value

    def cited(self, title, url, row: int, headers: list[str]):
        """The public source the unit names: a title, and an address if it has one."""
        title_column, url_column = headers.index(CITED_TITLE) + 1, headers.index(CITED_URL) + 1
        result = {}
        if title is not None:
            text = cell_text(title)
            if "\n" in text:
                self.error(LED_SHEET, row, title_column, CITED_TITLE, "出处标题只能写一行。", "the title must be one line.",
                           "把多行合并为一行。", "join the lines")
                return _BAD
            if not self.plain_text(text, row, title_column, CITED_TITLE, LIMITS["title"]):
                return _BAD
            result["title"] = text
        if url is not None:
            text = cell_text(url)
            problem = url_problem(text)
            if problem:  # the one policy every address from content passes
                self.error(LED_SHEET, row, url_column, CITED_URL, problem[0], problem[1],
                           problem[2] + "没有网址时留空。", problem[3])
                return _BAD
            if "title" not in result:
                self.error(LED_SHEET, row, title_column, CITED_TITLE, "写了出处网址，但没有出处标题。",
                           "an address is given without its title.", "填写该网页或文件的标题。", "give the page's title")
                return _BAD
            result["url"] = text
        return result or None

    def target(self, task: Task, column: TargetColumn, row: int, index: int) -> Target | None:
        """The task's target this column was exported for, found by its label (and unit)."""
        for target in task.targets:
            if target.label == column.label and target.kind == column.kind:
                header = achieved_header(target) if target.is_milestone else actual_header(target)
                if header == column.header:
                    return target
                self.error(LED_SHEET, row, index, column.header, f"导出后该指标已改为“{header}”，数值的单位可能不同。",
                           f"since the export the target became '{header}'; the unit may differ.",
                           "在新导出的表中重新填写。", "fill in a new export")
                return None
        self.error(LED_SHEET, row, index, column.header, f"导出后任务 {task.id} 已没有指标“{column.label}”（改名或删除），"
                   "无法确定这个数填到哪里。", f"since the export, task {task.id} has no target '{column.label}'.",
                   "在新导出的表中重新填写，或与维护人员核对。", "fill in a new export")
        return None

    def number(self, value, row: int, column: int, header: str) -> float | int | None:
        if isinstance(value, str) and PLAIN_NUMBER.fullmatch(value.strip()):
            value = float(value.strip())
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            self.error(LED_SHEET, row, column, header, f"应为数字，实际是“{_short(cell_text(value))}”。",
                       f"expected a number, found '{_short(cell_text(value))}'.",
                       "只填数字，不带单位、百分号、千位逗号或“约”字，例如 1500 或 2.5。", "write the number alone, e.g. 1500 or 2.5")
            return None
        if abs(value) > MAX_MAGNITUDE:
            self.error(LED_SHEET, row, column, header, "数字过大。", "the number is too large.", "检查位数和单位。", "check the digits")
            return None
        return int(value) if float(value).is_integer() else value

    def reached(self, value, row: int, column: int, header: str) -> bool | None:
        if value in (YES, NO) or isinstance(value, bool):
            return value is True or value == YES
        self.error(LED_SHEET, row, column, header, f"应选择“{YES}”或“{NO}”，实际是“{_short(cell_text(value))}”。",
                   f"expected {YES} or {NO}, found '{_short(cell_text(value))}'.", "从下拉列表中选择；尚不清楚的留空。",
                   "choose from the drop-down, or leave it empty")
        return None


_BAD = object()   # a cell already reported
_DROP = object()  # a key the edit removes


def _one_close(label: str, labels: list[str]) -> str | None:
    """The status `label` was surely meant as (序时推近: 序时推进), or None. Status labels are short
    and opposites share most of their characters (基本完成 is as near 未完成 as 已完成): a loose
    or tied match would suggest a report's reverse, so it suggests nothing."""
    scored = sorted(((difflib.SequenceMatcher(None, label, other).ratio(), other) for other in labels), reverse=True)
    if scored and scored[0][0] >= 0.75 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- planning the changes ---------------------------------------------------------------------

@dataclass
class TaskChange:
    """What the import does to one task file."""

    task: Task
    file: Path
    shown: str  # content/tasks/2-09.yaml
    text: str
    new_text: str = ""
    lines: list[str] = field(default_factory=list)  # what changed, for the report


def agree(submissions: list[Submission]) -> str | None:
    """Why these submissions about one task cannot all be imported, or None: they name other
    statuses or other figures, or one unit says two things."""
    units = [s.unit.name for s in submissions]
    if len(set(units)) < len(units):
        return "同一单位报送了两份不同的内容"
    if len({s.status.code for s in submissions}) > 1:
        return "报送的状态不同（" + "；".join(f"{s.unit.name}：{s.status.label}" for s in submissions) + "）"
    for claims in ("actuals", "achieved"):
        values: dict[str, set] = {}
        for s in submissions:
            for label, value in getattr(s, claims).items():
                values.setdefault(label, set()).add((value, s.date))
        for label, found in values.items():
            if len(found) > 1:
                return f"指标“{label}”报送的数值或日期不同"
    return None


def _same_submission(update: dict, submission: Submission) -> bool | None:
    """True: the update is this submission, already imported; False: it answers the same call
    (the unit's report for the round, or of that day without one) but says otherwise; None:
    another update."""
    source = update.get("source")
    if not isinstance(source, dict) or source.get("kind") != SUBMISSION:
        return None
    if source.get("publisher") not in (submission.unit.name, *submission.unit.aliases):
        return None
    if submission.round is not None:
        if source.get("round") != submission.round.as_of:
            return None
    elif source.get("round") is not None or update.get("date") != submission.date:
        return None
    note = update.get("note")
    return (update.get("date") == submission.date and update.get("status") == submission.status.code
            and isinstance(note, str) and note.strip() == submission.note and source.get("cites") == submission.cited)


def plan_task(change: TaskChange, submissions: list[Submission], catalogue: Catalogue) -> str | None:
    """Work out the edit of one task file and apply it to change.new_text; return why the task
    is left alone, or None."""
    data = parse_yaml(change.text, change.shown).data
    updates = list(data.get("updates") or [])
    new_updates = []
    for submission in submissions:
        verdicts = [_same_submission(update, submission) for update in updates]
        if True in verdicts:
            continue
        if False in verdicts:
            earlier = updates[verdicts.index(False)]
            return (f"{submission.origin}：{submission.unit.name}的这份报送已于 {earlier.get('date')} 导入过，"
                    "但内容不同；未导入，请核对后手工修改任务文件")
        new_updates.append(submission)
    targets = data.get("targets") or []
    target_edits: dict[int, dict] = {}
    kept = []
    for submission in new_updates:  # an imported one's figures may since have been corrected by hand
        for claims, value_key, date_key in (("actuals", "actual", "actual_date"), ("achieved", "achieved", "achieved_date")):
            for label, value in getattr(submission, claims).items():
                index = next(i for i, t in enumerate(targets) if isinstance(t, dict) and t.get("label") == label
                             and (t.get("kind") == "milestone") == (claims == "achieved"))
                target = targets[index]
                if target.get(value_key) == value and target.get(date_key) == submission.date:
                    continue
                newer = target.get(date_key)
                if isinstance(newer, dt.date) and newer > submission.date:
                    kept.append(f"  指标“{label}”已有更新的数据（{target.get(value_key)}，{newer}），保留，未用报送的 "
                                f"{_show(value)}（{submission.date}）")
                    continue
                edit_values = {value_key: value, date_key: submission.date, "source": submission.source()}
                if claims == "actuals" and target.get("achieved") is not None:
                    # An editor's verdict read from the figure this one replaces.
                    edit_values["achieved"] = None
                    kept.append(f"  指标“{label}”原有的达成判断（{_show(target['achieved'])}）随旧数据清除；需要时请据报送重新判断")
                if "searched" in target:  # the day a search found nothing: now there is an outcome
                    edit_values["searched"] = _DROP
                target_edits[index] = edit_values
    if not new_updates:
        return None
    status_by_code = {status.code: status for status in catalogue.statuses}
    merged = sorted(updates + [s.update() for s in new_updates], key=lambda u: u["date"])  # stable: old first on a day
    old_status = data.get("status")
    new_status = merged[-1]["status"]

    def edit(document, make: Make) -> None:
        existing = document["updates"] = make.items(document.get("updates"))
        for submission in sorted(new_updates, key=lambda s: s.date):
            position = sum(1 for update in existing if update["date"] <= submission.date)
            existing.insert(position, make.mapping(submission.update()))
        for index, values in target_edits.items():
            target = document["targets"][index]
            for key, value in values.items():
                if value is _DROP:
                    del target[key]
                else:
                    target[key] = make.mapping(value) if isinstance(value, dict) else value
        if document.get("status") != new_status:
            document["status"] = new_status

    editable = [("status",)] + ([("updates",)] if not updates else []) + [
        ("targets", index, key) for index, values in target_edits.items() for key in values]
    try:
        change.new_text = edit_text(change.text, change.shown, edit, editable)
    except Unkeepable as error:
        return f"{error}：无法在不改动其他内容的情况下写入，请手工录入"
    for submission in new_updates:
        later = merged[-1]["date"] > submission.date and new_status != submission.status.code
        change.lines.append(f"  新增进展 {submission.date} {submission.status.label}（据{submission.unit.name}报送，"
                            f"{submission.origin}）" + ("；任务已有更晚的进展，状态仍按最新一条" if later else ""))
    if new_status != old_status:
        change.lines.append(f"  状态：{status_by_code[old_status].label} → {status_by_code[new_status].label}")
    for index, values in target_edits.items():
        target = targets[index]
        key = "actual" if "actual" in values else "achieved"
        change.lines.append(f"  指标“{target.get('label')}”：{_show(target.get(key))} → {_show(values[key])}"
                            f"（{values[key + '_date']}）")
    change.lines += kept
    return None


def _show(value) -> str:
    if value is None:
        return "空"
    if isinstance(value, bool):
        return YES if value else NO
    return plain_number(value) if isinstance(value, (int, float)) else str(value)


# --- the command ------------------------------------------------------------------------------

@dataclass
class ImportResult:
    changes: list[TaskChange]
    report: str


def import_tables(paths: list[Path], content_dir: Path, catalogue: Catalogue, today: dt.date) -> ImportResult:
    """Read every table, check every cell, and work out each task file's new text; raise
    ImportRefused with every bad cell, or ContentErrors if the result would not pass the check.
    Writes nothing."""
    errors: list[ContentError] = []
    submissions: list[Submission] = []
    lines = [f"读取 {len(paths)} 个报送表："]
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file", f"{path}：文件不存在")
        reader = TableReader(catalogue, path.name if len(paths) == len({p.name for p in paths}) else str(path), errors, today)
        found = reader.read(path)
        submissions += found
        lines.append(f"  {reader.shown}：填写 {len(found)} 行")
    if errors:
        raise ImportRefused(errors)
    by_task: dict[str, list[Submission]] = {}
    for submission in submissions:
        by_task.setdefault(submission.task.key, []).append(submission)
    changes, left_alone, unchanged = [], [], []
    for key, found in by_task.items():
        distinct = list({s.content(): s for s in found}.values())
        task = distinct[0].task
        why = agree(distinct) if len(distinct) > 1 else None
        if why:
            left_alone.append(f"  任务 {task.id}：{why}；来自 " + "、".join(str(s.origin) for s in found)
                              + "。未导入该任务，请与牵头单位核实后再导入其中一份，或手工录入。")
            continue
        file = content_dir / task.file
        shown = display_path(file, content_dir)
        change = TaskChange(task, file, shown, read_text(file, shown, MAX_TASK_BYTES, within=content_dir))
        why = plan_task(change, distinct, catalogue)
        if why:
            left_alone.append(f"  任务 {task.id}：{why}")
        elif change.new_text:
            changes.append(change)
        else:
            unchanged.append(task.id)
            if change.lines:
                changes.append(change)
    _check_result(content_dir, [c for c in changes if c.new_text], today)
    for change in sorted(changes, key=lambda c: c.task.sort_key()):
        lines.append(f"任务 {change.task.id}（{change.shown}）：")
        lines += change.lines
    if unchanged:
        lines.append(f"已导入过、没有变化的任务：{'、'.join(unchanged)}")
    if left_alone:
        lines.append("未导入的任务：")
        lines += left_alone
    return ImportResult([c for c in changes if c.new_text], "\n".join(lines))


def _check_result(content_dir: Path, changes: list[TaskChange], today: dt.date) -> None:
    """The content as it would be after the import must pass `build.py check`: else nothing is
    written, and the problems are listed."""
    if not changes:
        return
    content = read_content(content_dir)
    replaced = {c.shown: parse_yaml(c.new_text, c.shown) for c in changes}
    content.tasks = [replaced.get(d.file, d) for d in content.tasks]
    for plan in content.plans:
        plan.tasks = [replaced.get(d.file, d) for d in plan.tasks]
    errors = validate(content, today=today)
    if errors:
        raise ContentErrors(errors)

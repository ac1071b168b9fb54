"""The progress table a lead unit fills in and sends back: its sheets, its columns and the record
of what was exported, defined once for `report export` (which writes it) and `report import`
(which reads it back), so that the two cannot drift apart.

A workbook holds four sheets: 填报说明 (how to fill it in, and the statuses the drop-down offers),
牵头任务 (a row per task the unit leads: the given columns locked, the rest to fill in), 配合任务
(the tasks it shares, read-only) and, very hidden, 导出记录: what the export wrote, so that the
import can tell a cell the unit filled in from one it should not have touched, and a table
exported before a task changed from one edited by hand.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

from .errors import ContentError
from .model import Target
from .reader import column_letter

GUIDE_SHEET = "填报说明"
LED_SHEET = "牵头任务"
SHARED_SHEET = "配合任务"
RECORD_SHEET = "导出记录"
FORMAT = "gzbg-progress-table/1"

NUMBER, TASK, LEADERS, CURRENT = "编号", "任务", "牵头领导", "当前状态"
STATUS, NOTE, AS_OF, CITED_TITLE, CITED_URL = "报送状态", "进展情况", "截至日期", "出处标题", "出处网址"
GIVEN = (NUMBER, TASK, LEADERS, CURRENT)
FILLED = (STATUS, NOTE, AS_OF, CITED_TITLE, CITED_URL)
SHARED_HEADERS = (NUMBER, TASK, LEADERS, "牵头单位", CURRENT)
YES, NO = "是", "否"

RECORD_CHUNK = 30_000  # a cell holds 32,767 characters


def actual_header(target: Target) -> str:
    return f"实际完成值（{target.label}，{target.unit}）"


def achieved_header(target: Target) -> str:
    return f"是否达成（{target.label}）"


@dataclass
class TargetColumn:
    """A column for the targets of one label (and unit): only the rows of its tasks may fill it."""

    header: str
    tasks: list[str]  # the ids of the tasks with such a target
    label: str        # the target's label when exported: it finds the target again, even moved
    kind: str         # number | milestone


@dataclass
class Record:
    """What the export wrote, kept in the workbook's very hidden sheet."""

    plan: str
    unit: str
    as_of: dt.date
    due: dt.date | None
    exported: dt.date
    statuses: dict[str, str]                 # label -> code, as the drop-down offered them
    headers: list[str]                       # the 牵头任务 sheet's header row
    columns: list[TargetColumn]              # its target columns, in order, after FILLED
    rows: dict[str, list[str]]               # task id -> its given cells, as exported
    shared: list[list[str]] = field(default_factory=list)  # the 配合任务 sheet, header row first

    def dumps(self) -> str:
        data = asdict(self)
        for name in ("as_of", "due", "exported"):
            data[name] = data[name].isoformat() if data[name] else None
        return json.dumps({"format": FORMAT, **data}, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str) -> "Record":
        """The record, or ValueError when it is not one this program wrote."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.pop("format", None) != FORMAT:
            raise ValueError("not a record of this format")
        try:
            data["columns"] = [TargetColumn(**column) for column in data["columns"]]
            for name in ("as_of", "due", "exported"):
                data[name] = dt.date.fromisoformat(data[name]) if data[name] else None
            record = cls(**data)
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"incomplete record: {error}") from None
        if not (isinstance(record.rows, dict) and isinstance(record.statuses, dict) and record.as_of):
            raise ValueError("incomplete record")
        return record

    def chunks(self) -> list[str]:
        text = self.dumps()
        return [text[i:i + RECORD_CHUNK] for i in range(0, len(text), RECORD_CHUNK)] or [""]


class CellError(ContentError):
    """A problem in one cell of a returned table: where is the file, the sheet, the row and
    the column (its letter and header), as the person who filled it in will look for it."""

    def location(self) -> str:
        return f"{self.file}: {self.field}" if self.field else self.file


def where(sheet: str, row: int | None = None, column: int | None = None, header: str = "") -> str:
    """工作表“牵头任务” 第 5 行 E 列（报送状态）."""
    text = f"工作表“{sheet}”"
    if row is not None:
        text += f" 第 {row} 行"
    if column is not None:
        text += f" {column_letter(column)} 列"
        if header:
            text += f"（{header}）"
    return text

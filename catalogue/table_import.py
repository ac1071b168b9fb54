"""Import a plan from the table an office already has:
`python build.py import TABLE --plan ID [--government ID] [--columns ROLE=NAME,…] [--replace]`.

Offices lay a division out in a few ways, and the import reads them all (docs/new-plan.md):

- a grid, one task per row, whose columns are known by what their header means (`header_roles`:
  …领导 is the leaders' column, 牵头… the lead units', 协同/配合/…责任单位 the co-responsible
  units'), with or without a leader column;
- section rows that name the leader of their tasks (“一、×××市长负责事项（共9项）”);
- the division written into the task's text (“……。（牵头单位：…；责任单位：…）”);
- an item list, a paragraph per line as a document pasted into a sheet gives it: “1﹒任务”, then
  “牵头负责领导：…”, “牵头责任单位：…”, “协同责任单位：…”.

A column or a label it cannot place (unknown, or meaning two things) is never guessed: the import
refuses, printing the header row as it read it and the `--columns` mapping that would settle it.

Names are kept as the document writes them. A trailing 等 is a mark on the list (`and_others`),
never part of a name; a named collective (省政府各部门、各直属机构) stays one name.

Leaders and units belong to the plan's government. For a government the content knows, a name
its registries lack is never added nor merged with a near one: the report names it with its rows
and the entries it resembles, and registry-proposals.yaml beside the plan holds draft entries.
For a government the content has never seen, the import writes its registries
(content/governments/<id>/) from the table, every entry marked `reviewed: false` and near
spellings inside it named, so that `check` and the build work at once and a maintainer reviews.

Nothing is overwritten: the plan's folder must not exist, or be empty, unless `--replace` names
a plan this import made and nobody has edited since. Everything is written into temporary
folders first and moved into place at the end, so a failed import leaves nothing behind.
"""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .cleaning import clean_text
from .errors import ContentError, ContentErrors, UsageError
from .load import MAX_REGISTRY_BYTES, PLAN_ID, read_document
from .validate import expected_task_file

# --- what a header or a label means ----------------------------------------------------------

ROLES: dict[str, str] = {
    "number": "序号", "text": "任务内容", "leaders": "牵头领导", "lead_units": "牵头单位",
    "responsible_units": "责任单位（配合单位）", "deadline_text": "完成时限", "division": "分工（如“某某牵头，某某配合”）",
    "skip": "不导入",
}
UNIT_NOUNS = ("单位", "部门", "处室", "机关", "机构")
CO_WORDS = ("协同", "配合", "参与", "协办", "协助", "会同", "责任")
TEXT_WORDS = ("重点工作", "工作任务", "任务", "工作内容", "内容", "具体", "事项", "措施", "举措")
DEADLINE_WORDS = ("时限", "时间", "期限", "节点")
# A column headed only by these is the co-responsible units' beside a lead column; without one it
# may be the lead units' (some documents: 无牵头单位的，责任单位即为牵头单位): a question.
PLAIN_UNITS = {"责任单位", "责任部门", "单位", "部门", "主体单位"}


def header_roles(header: str) -> set[str]:
    """The roles a header (or an item's label) may mean: one, none (unknown) or several (ambiguous)."""
    name = re.sub(r"\s+", "", header)
    if not name:
        return set()
    if name in ("序号", "编号", "序") or name.startswith("序号"):
        return {"number"}
    if "领导" in name:
        return {"leaders"}
    roles = set()
    if "分工" in name:
        roles.add("division")
    if "牵头" in name:  # 牵头 wins over 责任: 牵头责任单位 is the lead units'
        roles.add("lead_units")
    elif any(word in name for word in CO_WORDS) or name in PLAIN_UNITS:
        roles.add("responsible_units")
    if any(word in name for word in DEADLINE_WORDS):
        roles.add("deadline_text")
    if any(word in name for word in TEXT_WORDS) and not roles & {"lead_units", "responsible_units"}:
        roles.add("text")
    return roles


# --- rows and cells --------------------------------------------------------------------------

NUMERALS = "〇一二三四五六七八九十百"
DECLARED = r"(?:[(（](?:共|计)?\s*(\d+)\s*项[)）])"
SECTION_ROW = re.compile(rf"^([{NUMERALS}]+)、\s*(.+?)\s*{DECLARED}?\s*$")
SUBSECTION_ROW = re.compile(rf"^[(（]([{NUMERALS}]+)[)）]\s*(.+?)\s*$")
# 1、 1. 1． 1﹒ 1） (1) （1）: an item's number, not a figure (1.5万) nor a name (5G).
ITEM_ROW = re.compile(r"^\s*(?:(\d{1,3})\s*[、.．﹒)）]|[(（](\d{1,3})[)）])\s*(?![\d%％])(.+)$", re.S)
LABELLED = re.compile(r"^\s*([^：:，,。；;（）()]{2,12}?)\s*[：:]\s*(.*)$", re.S)
# A section heading that names the leader of its tasks: 一、王某某市长负责事项（共9项）.
POST = r"(?:常务)?副?(?:省|市|县|区|州|旗|盟)长|副?秘书长|(?:常务)?副?主席"
LEADER_HEADING = re.compile(rf"^(?P<name>[\u4e00-\u9fff·]{{2,4}}?)(?:同志)?(?P<post>{POST})(?:同志)?"
                            r"(?:负责|主抓|牵头|分管|领衔|领办)")
LEADER_HEADING_AFTER = re.compile(rf"^(?P<post>{POST})(?P<name>[\u4e00-\u9fff·]{{2,4}}?)(?:同志)?"
                                  r"(?:负责|主抓|牵头|分管|领衔|领办)")
SEPARATORS = "、，,；;/／ \t\n"
OPENERS = {"（": "）", "(": ")", "〈": "〉", "<": ">", "《": "》", "【": "】", "[": "]", "〔": "〕"}
BARE_LEVELS = re.compile(r"各?[省市县区乡镇]{1,2}")
# 等 closing a list (省林业局等, 省财政厅等单位): a mark on the list, never part of a name.
AND_OTHERS = re.compile(r"(?<![高中初平同对均])等(?:单位|部门|有关单位|有关部门)?$")
CO_ENDINGS = ("按职责分工负责", "按职责分工落实", "按职责负责", "分工负责", "负责落实", "配合", "参与", "协同", "协助", "协办")


def numeral_value(numeral: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20."""
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")}
    if "百" in numeral:
        high, _, rest = numeral.partition("百")
        return digits.get(high, 1) * 100 + (numeral_value(rest.lstrip("〇")) if rest else 0)
    if "十" in numeral:
        high, _, low = numeral.partition("十")
        return (digits[high] if high else 1) * 10 + (digits[low] if low else 0)
    return digits[numeral]


def read_rows(path: Path, sheet: str | None = None) -> list[list[str]]:
    """The table's rows as text cells: an XLSX sheet (the first, or `sheet`) or a CSV file."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            if sheet is not None and sheet not in workbook.sheetnames:
                raise UsageError(f"the workbook has no sheet '{sheet}' (it has: {', '.join(workbook.sheetnames)})",
                                 f"工作簿中没有工作表“{sheet}”（有：{'、'.join(workbook.sheetnames)}）")
            worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
            return [[_cell_text(value) for value in row] for row in worksheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):  # Excel saves CSV as GBK on Chinese Windows
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UsageError(f"{path} is neither UTF-8 nor GB18030 text", f"{path} 既不是 UTF-8 也不是 GB18030 编码")
        return [[cell.strip() for cell in row] for row in csv.reader(text.splitlines())]
    raise UsageError(f"{path}: only .xlsx and .csv tables can be imported", f"{path}：只能导入 .xlsx 或 .csv 表格")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _top_level_split(text: str, separators: str) -> list[tuple[str, str]]:
    """Pieces of `text` cut at separators outside brackets: (piece, the separator before it)."""
    pieces, start, before, closing = [], 0, "", []
    for index, char in enumerate(text):
        if closing and char == closing[-1]:
            closing.pop()
        elif char in OPENERS:
            closing.append(OPENERS[char])
        elif not closing and char in separators:
            pieces.append((text[start:index], before))
            start, before = index + 1, char
    pieces.append((text[start:], before))
    return pieces


@dataclass
class Names:
    """Names read from a cell, a label's value or a part of a division, as the document writes them."""

    names: list[str] = field(default_factory=list)
    and_others: bool = False  # the list ends with 等
    repeated: list[str] = field(default_factory=list)


def split_names(value: str) -> Names:
    """“省发展改革委、省林业局等” -> [省发展改革委, 省林业局] and 等; “省政府各部门、各直属机构”
    stays one collective: a piece that starts with 各 continues, after a 、, a list of one
    owner's bodies (省政府各部门) — but “各街道、各相关单位” are two."""
    pieces = [(clean_text(piece).strip("。．.；;，,：:"), before)
              for piece, before in _top_level_split(value.strip(), SEPARATORS)]
    result = Names()
    joined: list[str] = []
    for piece, before in pieces:
        if not piece:
            continue
        if joined and before == "、" and (
                # 省政府各部门、各直属机构: one owner's bodies
                (piece.startswith("各") and "各" in joined[-1][1:] and not joined[-1].startswith("各"))
                # 各市、县人民政府 and 省、市有关部门: levels sharing the name that follows
                or BARE_LEVELS.fullmatch(joined[-1])):
            joined[-1] += "、" + piece
        else:
            joined.append(piece)
    if joined and (match := AND_OTHERS.search(joined[-1])) and match.start() >= 2:
        joined[-1] = joined[-1][: match.start()]
        result.and_others = True
    for name in joined:
        if name in result.names:
            result.repeated.append(name)
        else:
            result.names.append(name)
    return result


def trailing_division(text: str) -> tuple[str, str] | None:
    """The text and the contents of a closing bracket that holds the division
    (“……。（牵头单位：市发改委；责任单位：各区人民政府）”), or None."""
    stripped = text.rstrip(" 。；;")
    if not stripped or stripped[-1] not in OPENERS.values():
        return None
    depth, index = 0, len(stripped) - 1
    closers = set(OPENERS.values())
    while index >= 0:
        char = stripped[index]
        if char in closers:
            depth += 1
        elif char in OPENERS:
            depth -= 1
            if depth == 0:
                break
        index -= 1
    if index < 0:
        return None
    inner = stripped[index + 1:-1]
    if "牵头" not in inner and not any(header_roles(label) & {"lead_units", "responsible_units", "leaders"}
                                       for label, _ in _labelled_parts(inner)):
        return None
    return stripped[:index].rstrip(), inner


def _labelled_parts(inner: str) -> list[tuple[str, str]]:
    parts = []
    for part, _ in _top_level_split(inner, "；;"):
        if match := LABELLED.match(part):
            parts.append((match.group(1), match.group(2)))
        elif part.strip():
            parts.append(("", part))
    return parts


def read_division(inner: str, roles_of) -> dict[str, Names] | None:
    """The fields a division states: labelled (牵头单位：…；责任单位：…) or worded (省发展改革委牵头，
    各地、各部门配合); None when some part of it is neither."""
    labelled = _labelled_parts(inner)
    if labelled and all(label for label, _ in labelled):
        fields: dict[str, Names] = {}
        for label, value in labelled:
            roles = roles_of(label)
            if len(roles) != 1 or next(iter(roles)) not in ("leaders", "lead_units", "responsible_units"):
                return None
            fields[next(iter(roles))] = split_names(value)
        return fields
    fields = {}
    for part, _ in _top_level_split(inner.strip(" 。"), "，,；;"):
        part = clean_text(part).strip(" 。")
        if not part:
            continue
        if part.endswith("牵头"):
            role, names = "lead_units", part[: -len("牵头")]
        elif ending := next((e for e in CO_ENDINGS if part.endswith(e)), None):
            role, names = "responsible_units", part[: -len(ending)]
        else:
            return None
        found = split_names(names)
        if role in fields:
            fields[role].names += found.names
            fields[role].and_others |= found.and_others
        else:
            fields[role] = found
    return fields if "lead_units" in fields else None


# --- the report --------------------------------------------------------------------------------

@dataclass
class Report:
    """What the import did and could not do, row by row, for the person running it."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # role -> the table's own header or label

    def say(self, text: str) -> None:
        self.lines.append(text)

    def problem(self, row: int, text: str) -> None:
        self.problems.append(f"第 {row} 行：{text}")

    def text(self) -> str:
        parts = list(self.lines)
        parts.append("未能读取的行：" if self.problems else "未能读取的行：无")
        parts += [f"  {p}" for p in self.problems]
        return "\n".join(parts)


@dataclass
class Section:
    number: int
    title: str
    declared: int | None
    row: int
    subsections: list[tuple[int, str]] = field(default_factory=list)
    tasks: list[dict] = field(default_factory=list)
    leader: tuple[str, str] | None = None  # (name, post) when the heading names the leader of its tasks


def parse_columns(value: str | None) -> dict[str, str]:
    """--columns text=重点工作,lead_units=牵头责任单位 -> {header: role}."""
    if not value:
        return {}
    mapping: dict[str, str] = {}
    for item in re.split(r"[,，]", value):
        if not item.strip():
            continue
        role, sep, name = item.partition("=")
        role, name = role.strip(), _squeeze(name)
        if not sep or role not in ROLES or not name:
            raise UsageError(
                f"--columns takes ROLE=HEADER pairs separated by commas; '{item}' is not one "
                f"(roles: {', '.join(ROLES)})",
                f"--columns 应写成“角色=表头”，用逗号分隔；“{item}”不是。角色："
                + "、".join(f"{code}（{label}）" for code, label in ROLES.items()))
        mapping[name] = role
    return mapping


HEADER_LIMIT = 30  # characters: a header names a column; a longer cell is a task's text


class TableReader:
    """Reads sections and tasks from a table's rows, whatever its layout."""

    def __init__(self, rows: list[list[str]], report: Report, columns: dict[str, str]):
        self.rows = rows
        self.report = report
        self.columns = columns  # header or label -> role, from --columns
        self.sections: list[Section] = []
        self.leader_label = ""
        self.caption = "重点工作"  # a table without section rows puts its tasks in one section of this title

    def roles_of(self, header: str) -> set[str]:
        name = _squeeze(header)
        return {self.columns[name]} if name in self.columns else header_roles(name)

    # -- layout --

    def read(self) -> list[Section]:
        header = self._find_header()
        if header is not None:
            index, columns = header
            self._read_grid(index, columns)
        elif self._looks_like_list():
            self.report.say("没有表头，按条目读取：“1﹒”“1、”“（一）”等编号开始一项任务，"
                            "其后“牵头单位：”等行（或文末括号）写明分工")
            self._read_list()
        else:
            raise self._no_header()
        for section in self.sections:
            if section.declared is not None and section.declared != len(section.tasks):
                self.report.problem(section.row, f"篇章“{section.title}”标明 {section.declared} 项，表中读到 "
                                                 f"{len(section.tasks)} 项（sections.yaml 按读到的数写，原文件的数写在注释中）。")
        return self.sections

    def _candidate(self, row: list[str]) -> bool:
        cells = [cell for cell in row if cell.strip()]
        return len(cells) >= 2 and sum(1 for cell in cells if self.roles_of(cell)) >= 1 and all(
            len(_squeeze(cell)) <= HEADER_LIMIT for cell in cells)

    def _find_header(self) -> tuple[int, dict[int, str]] | None:
        """The header row and column -> role; None when the table has none (an item list).
        Refuses a header row with a column it cannot place."""
        for index, row in enumerate(self.rows[:20]):
            if not self._candidate(row):
                continue
            readings = {i: self.roles_of(cell) for i, cell in enumerate(row) if cell.strip()}
            has_lead = any(roles & {"lead_units", "division"} for roles in readings.values() if len(roles) == 1)
            for i, roles in readings.items():
                if roles == {"responsible_units"} and _squeeze(row[i]) in PLAIN_UNITS and not has_lead \
                        and _squeeze(row[i]) not in self.columns:
                    readings[i] = {"lead_units", "responsible_units"}
            settled = [next(iter(roles)) for roles in readings.values() if len(roles) == 1]
            if "text" not in settled and sum(1 for roles in readings.values() if roles) < 2:
                continue
            doubtful = {i for i, roles in readings.items() if len(roles) != 1}
            seen: dict[str, int] = {}
            for i, roles in readings.items():
                if len(roles) == 1 and (role := next(iter(roles))) != "skip":
                    if role in seen:
                        doubtful.add(i)
                    seen.setdefault(role, i)
            if doubtful or "text" not in seen:
                raise self._refuse_header(index, row, readings, doubtful)
            columns = {i: next(iter(roles)) for i, roles in readings.items() if next(iter(roles)) != "skip"}
            shown = "，".join(f"“{_squeeze(row[i])}”→{next(iter(readings[i]))}" for i in readings)
            self.report.say(f"表头在第 {index + 1} 行：{shown}")
            self.report.headers = {role: _squeeze(row[i]) for i, role in columns.items()}
            for before in range(index):
                if any(self.rows[before]):
                    self.report.say(f"第 {before + 1} 行在表头之前，作为标题跳过："
                                    f"“{'，'.join(c for c in self.rows[before] if c)}”")
            return index, columns
        return None

    def _refuse_header(self, index: int, row: list[str], readings: dict[int, set[str]], doubtful: set[int]) -> UsageError:
        """The header row as read, what each column would be, and the --columns that settles it."""
        lines, mapping = [], []
        settled = {next(iter(r)) for i, r in readings.items() if len(r) == 1 and i not in doubtful}
        for i, roles in readings.items():
            header = _squeeze(row[i])
            if i not in doubtful:
                lines.append(f"  “{header}”→{next(iter(roles))}（{ROLES[next(iter(roles))]}）")
                continue
            if not roles:
                guess = "text" if "text" not in settled and self._longest_column(index) == i else "skip"
                lines.append(f"  “{header}”→？不认识这一列的表头")
            elif len(roles) > 1:
                guess = "lead_units" if "lead_units" in roles and "lead_units" not in settled else sorted(roles)[0]
                lines.append(f"  “{header}”→？可能是 " + " 或 ".join(f"{r}（{ROLES[r]}）" for r in sorted(roles)))
            else:
                guess = "skip"
                lines.append(f"  “{header}”→？与另一列同为 {next(iter(roles))}（{ROLES[next(iter(roles))]}）")
            settled.add(guess)
            mapping.append(f"{guess}={header}")
        missing = [] if "text" in settled else ["没有任务内容一栏（text）"]
        hint = ",".join(mapping) or "text=表头"
        zh = (f"第 {index + 1} 行是表头，但有的列不能确定是什么，没有写入任何文件。\n"
              f"读到的表头：{'，'.join(_squeeze(c) for c in row if c.strip())}\n" + "\n".join(lines)
              + ("\n" + "；".join(missing) if missing else "")
              + f"\n请核对后用 --columns 写明，例如：\n  --columns {hint}\n"
              "（角色：" + "、".join(f"{code}＝{label}" for code, label in ROLES.items()) + "）")
        en = (f"row {index + 1} is the header, but some columns cannot be placed; nothing was written. "
              f"Say what they are with --columns, e.g. --columns {hint}")
        return UsageError(en, zh)

    def _longest_column(self, header: int) -> int | None:
        """The column whose cells below the header are longest: where a task's text usually is."""
        lengths: dict[int, int] = {}
        for row in self.rows[header + 1:header + 40]:
            for i, cell in enumerate(row):
                lengths[i] = lengths.get(i, 0) + len(cell)
        return max(lengths, key=lengths.get) if lengths else None

    def _no_header(self) -> UsageError:
        shown = "\n".join(f"  第 {i + 1} 行：{'｜'.join(c for c in row if c)}" for i, row in enumerate(self.rows[:5]))
        return UsageError(
            "no header row (no column named like 重点工作/工作任务 beside a leader or unit column in the "
            "first 20 rows) and no numbered items (1、…, then 牵头单位：…); nothing was written",
            "找不到表头：前 20 行中没有“重点工作/工作任务”之类的任务列和领导或单位列；也不是按条目写的"
            f"（“1、……”下一行“牵头单位：……”）。没有写入任何文件。表格开头读到：\n{shown}\n"
            "表头用的是其他叫法时，用 --columns 写明，例如 --columns text=工作事项,lead_units=主办单位")

    def _looks_like_list(self) -> bool:
        for row in self.rows:
            line = " ".join(c for c in row if c.strip())
            if (match := LABELLED.match(line)) and self.roles_of(match.group(1)) & {
                    "leaders", "lead_units", "responsible_units", "division"}:
                return True
            if trailing_division(line):
                return True
        return False

    # -- sections --

    def _section_row(self, text: str, row_number: int) -> bool:
        """Take a section or subsection row; False when the line is neither."""
        if match := SECTION_ROW.match(text):
            section = Section(numeral_value(match.group(1)), match.group(2), int(match.group(3))
                              if match.group(3) else None, row_number)
            heading = LEADER_HEADING.match(section.title) or LEADER_HEADING_AFTER.match(section.title)
            if heading:
                section.leader = (heading.group("name"), heading.group("post"))
                self.report.say(f"第 {row_number} 行：篇章标题写明牵头领导“{heading.group('name')}”"
                                f"（{heading.group('post')}），其下任务没有写明领导的，记为由其牵头")
            self.sections.append(section)
            return True
        if (match := SUBSECTION_ROW.match(text)) and not trailing_division(text):
            if not self.sections:
                self.report.problem(row_number, f"小节行“{text}”出现在第一个篇章行之前，未导入。")
            else:
                self.sections[-1].subsections.append((numeral_value(match.group(1)), match.group(2)))
            return True
        return False

    def _section_for_task(self, row_number: int, title: str) -> Section:
        """The section a task falls in; a table without section rows has one, its caption's."""
        if not self.sections:
            self.sections.append(Section(1, title, None, row_number))
            self.report.say(f"表中没有篇章行（如“一、……”），全部任务归入一个篇章：“{title}”")
        return self.sections[-1]

    # -- grid --

    def _read_grid(self, header: int, columns: dict[int, str]) -> None:
        if "leaders" in columns.values():
            self.leader_label = self.report.headers["leaders"]
        self.caption = next((clean_text(c) for row in reversed(self.rows[:header]) for c in row if c.strip()),
                            self.caption)
        for index in range(header + 1, len(self.rows)):
            row_number = index + 1
            row = self.rows[index]
            cells = [c for c in row if c.strip()]
            if not cells:
                continue
            only = cells[0] if len(set(cells)) == 1 else None  # a merged row repeats its value, or has one
            if only and self._section_row(clean_text(only), row_number):
                continue
            values = {role: row[i] if i < len(row) else "" for i, role in columns.items()}
            text = clean_text(values.get("text", ""))
            if not text:
                self.report.problem(row_number, f"没有任务内容，未导入：“{'，'.join(cells)}”")
                continue
            if "number" not in columns and (match := ITEM_ROW.match(text)):
                text = clean_text(match.group(3))
            task = self._task(row_number, text)
            for role in ("leaders", "lead_units", "responsible_units"):
                if values.get(role, "").strip():
                    self._put(task, role, split_names(values[role]), row_number)
            if values.get("division", "").strip():
                self._divide(task, values["division"], row_number)
            task["deadline_text"] = clean_text(values.get("deadline_text", ""))
            self._finish(task, "leaders" in columns.values())

    # -- item list --

    def _is_field(self, line: str) -> re.Match | None:
        labelled = LABELLED.match(line)
        return labelled if labelled and self.roles_of(labelled.group(1)) else None

    def _read_list(self) -> None:
        lines = [(index + 1, " ".join(c.strip() for c in row if c.strip())) for index, row in enumerate(self.rows)]
        lines = [(number, line) for number, line in lines if line]
        task = None
        for position, (row_number, line) in enumerate(lines):
            text = clean_text(line)
            following = lines[position + 1][1] if position + 1 < len(lines) else ""
            # （一）… is a subsection, unless a division follows it: then it is a numbered item.
            numbered = SUBSECTION_ROW.match(text) if trailing_division(text) or self._is_field(following) else None
            if not numbered and self._section_row(text, row_number):
                if task is not None:
                    self._finish(task, bool(self.leader_label))
                task = None
                continue
            labelled = self._is_field(line)
            if labelled and task is not None:
                self._field(task, labelled.group(1), self.roles_of(labelled.group(1)), labelled.group(2), row_number)
                continue
            item = ITEM_ROW.match(line) or numbered
            if item:
                if task is not None:
                    self._finish(task, bool(self.leader_label))
                body = item.group(3) if item.re is ITEM_ROW else item.group(2)
                task = self._task(row_number, clean_text(body))
                continue
            if task is not None and not task["fields"]:
                task["text"] += text  # a task's text wrapped onto a second line
            elif not self.sections and task is None:
                self.report.say(f"第 {row_number} 行在第一个篇章或条目之前，作为标题跳过：“{text}”")
                self.caption = text
            else:
                self.report.problem(row_number, f"既不是篇章、条目，也不是分工，未导入：“{text}”")
        if task is not None:
            self._finish(task, bool(self.leader_label))

    def _field(self, task: dict, label: str, roles: set[str], value: str, row_number: int) -> None:
        label = _squeeze(label)
        if len(roles) != 1:
            raise UsageError(
                f"row {row_number}: the label '{label}' may mean {' or '.join(sorted(roles))}; say which with "
                f"--columns, e.g. --columns {sorted(roles)[0]}={label}; nothing was written",
                f"第 {row_number} 行：“{label}：”可能是" + "或".join(f"{r}（{ROLES[r]}）" for r in sorted(roles))
                + f"，不能确定，没有写入任何文件。请用 --columns 写明，例如 --columns {sorted(roles)[0]}={label}")
        role = next(iter(roles))
        task["fields"].append(role)
        if role in ("leaders", "lead_units", "responsible_units"):
            self.report.headers.setdefault(role, label)
            if role == "leaders" and not self.leader_label:
                self.leader_label = label
            self._put(task, role, split_names(value), row_number)
        elif role == "division":
            self._divide(task, value, row_number)
        elif role == "deadline_text":
            task["deadline_text"] = clean_text(value).strip("。")
        elif role == "text":
            task["text"] += clean_text(value)

    # -- one task --

    def _task(self, row_number: int, text: str) -> dict:
        return {"row": row_number, "text": text, "leaders": [], "lead_units": [], "responsible_units": [],
                "and_others": [], "deadline_text": "", "fields": [], "rows": {}}

    def _put(self, task: dict, role: str, names: Names, row_number: int) -> None:
        for name in names.names:
            if name not in task[role]:
                task[role].append(name)
                task["rows"][(role, name)] = row_number  # the line that names it: an item's label's
        if names.and_others and role not in task["and_others"]:
            task["and_others"].append(role)
        for name in names.repeated:
            self.report.problem(row_number, f"“{name}”在同一格中写了两次，只记一次。")

    def _divide(self, task: dict, value: str, row_number: int) -> None:
        fields = read_division(value, self.roles_of)
        if fields is None:
            self.report.problem(row_number, f"分工“{clean_text(value)}”未能读取（应如“某某牵头，某某配合”）。")
            return
        for role, names in fields.items():
            self._put(task, role, names, row_number)

    def _finish(self, task: dict, leader_column: bool) -> None:
        row_number = task["row"]
        section = self._section_for_task(row_number, self.caption)
        if not task["lead_units"] and (inline := trailing_division(task["text"])):
            fields = read_division(inline[1], self.roles_of)
            if fields is None:
                self.report.problem(row_number, f"文末括号中的分工未能读取：“（{inline[1]}）”")
            else:
                task["text"] = inline[0]
                for role, names in fields.items():
                    self._put(task, role, names, row_number)
        if not task["leaders"] and section.leader:
            task["leaders"] = [section.leader[0]]
        task["subsection"] = section.subsections[-1][0] if section.subsections else 1
        if not task["lead_units"]:
            self.report.problem(row_number, "没有牵头单位；任务已写入，但须补上牵头单位才能通过检查。")
        if leader_column and not task["leaders"]:
            self.report.problem(row_number, "没有牵头领导（原文件此格为空），任务已写入。")
        section.tasks.append(task)


def parse_table(rows: list[list[str]], report: Report, columns: dict[str, str] | None = None) -> tuple[list[Section], str]:
    """Sections and their tasks, and the document's word for its leaders; every row that is
    neither is reported."""
    reader = TableReader(rows, report, columns or {})
    sections = reader.read()
    return sections, reader.leader_label


# --- registries --------------------------------------------------------------------------------

@dataclass
class Registries:
    """The names a government's registries hold, and where they are."""

    leaders: dict[str, dict]   # name -> entry
    units: dict[str, dict]     # name or alias -> entry
    kinds: dict[str, str]
    folder: str                # content/ or content/governments/<id>/, as the report shows it


def _read_yaml(path: Path, content: Path):
    """A content file's data, read as the build reads it (refused, naming the file and line, when
    it is hostile or broken); None when it is missing."""
    if not os.path.lexists(path):
        return None
    document = read_document(path, content, MAX_REGISTRY_BYTES)
    if isinstance(document, ContentError):
        raise ContentErrors([document])
    return document.data


def _named(data) -> list[dict]:
    """The entries of a registry that are mappings with a name; `check` names the others."""
    return [item for item in data if isinstance(item, dict) and isinstance(item.get("name"), str)] \
        if isinstance(data, list) else []


def read_registries(content: Path, government: str | None = None) -> Registries:
    """The names the first government's registries hold (the top of content/), or another's."""
    folder = content if not government else content / "governments" / government
    units = {}
    for unit in _named(_read_yaml(folder / "units.yaml", content)):
        aliases = unit.get("aliases") if isinstance(unit.get("aliases"), list) else []
        for name in [unit["name"], *(alias for alias in aliases if isinstance(alias, str))]:
            units[name] = unit
    settings = _read_yaml(folder / ("site.yaml" if not government else "government.yaml"), content)
    kinds = settings.get("unit_kinds") if isinstance(settings, dict) else None
    return Registries(leaders={l["name"]: l for l in _named(_read_yaml(folder / "leaders.yaml", content))},
                      units=units, kinds={k: v for k, v in kinds.items() if isinstance(v, str)} if isinstance(kinds, dict) else {},
                      folder="content/" if not government else f"content/governments/{government}/")


def first_status(content: Path) -> str:
    """The status new tasks start at: the first of the registry."""
    statuses = _read_yaml(content / "statuses.yaml", content)
    codes = [item["code"] for item in statuses if isinstance(item, dict) and isinstance(item.get("code"), str)] \
        if isinstance(statuses, list) else []
    if not codes:
        raise ContentErrors([ContentError("content/statuses.yaml", None, "", "状态登记表中没有状态，新任务无法取得初始状态。",
                                          "the status registry lists no status for the new tasks to start at.",
                                          "运行 python build.py check 查看该文件的问题。", "run python build.py check")])
    return codes[0]


class _PlainDumper(yaml.SafeDumper):
    """Writes a value used twice twice: the build refuses YAML aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=1000)


MIN_SIMILARITY = 0.6  # difflib's ratio from which a name is shown as resembling a registered one
LEVELS = "省市县区"  # 省发展改革委 and 市发展改革委 are two governments' units, however alike


def resembling(name: str, known: list[str], strict: bool = False) -> list[str]:
    """Names of the same level of government that contain the name, are contained in it, or are
    spelt nearly like it. `strict`, for names that are all new (a new government's registry,
    where 省财政厅 and 省商务厅 are plainly two): the same characters in another order
    (省农业农村厅, 省农村农业厅), or one character apart."""
    def same_level(other: str) -> bool:
        return other != name and not (name[0] in LEVELS and other[0] in LEVELS and name[0] != other[0])
    candidates = [k for k in known if same_level(k)]
    if strict:
        return [k for k in candidates if (sorted(k) == sorted(name) or _one_apart(k, name))][:3]
    near = [k for k in candidates if name in k or k in name]
    near += [k for k in difflib.get_close_matches(name, candidates, n=3, cutoff=MIN_SIMILARITY) if k not in near]
    return near[:3]


def _one_apart(a: str, b: str) -> bool:
    """One character changed, added or dropped, in names of three characters or more."""
    if min(len(a), len(b)) < 2 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


SLUG_LIMIT = 60


def _slug(name: str, person: bool, taken: set[str], fallback: str) -> str:
    """An address name in pinyin, unique in its registry: chen-lixin for a person (姓-名),
    sheng-fa-zhan-gai-ge-wei for a unit."""
    try:
        from pypinyin import lazy_pinyin
        syllables = [p.lower() for p in lazy_pinyin(name) if p.isascii() and p.isalnum()]
    except ImportError:  # the [import] extra is not installed
        syllables = []
    if person and len(syllables) > 1:
        slug = f"{syllables[0]}-{''.join(syllables[1:])}"
    else:
        slug = ""
        for syllable in syllables:
            if len(slug) + len(syllable) + 1 > SLUG_LIMIT - 4:
                break
            slug = f"{slug}-{syllable}" if slug else syllable
    slug = slug or fallback
    unique, n = slug, 2
    while unique in taken:
        unique, n = f"{slug}-{n}", n + 1
    taken.add(unique)
    return unique


def _rows_of(sections: list[Section]) -> dict[tuple[str, str], list[int]]:
    """(leaders|units, name) -> the rows that name it, in the order names first appear."""
    rows: dict[tuple[str, str], list[int]] = {}
    for section in sections:
        for task in section.tasks:
            for role in ("leaders", "lead_units", "responsible_units"):
                for name in task[role]:
                    rows.setdefault(("leaders" if role == "leaders" else "units", name), []).append(
                        task["rows"].get((role, name), task["row"]))
    return rows


def _lines(rows: list[int]) -> str:
    return "、".join(str(r) for r in sorted(set(rows)))


def propose(sections: list[Section], registries: Registries, report: Report) -> dict:
    """For a government the content knows: report every name its registries lack, with its rows
    and the entries it resembles; return draft entries for registry-proposals.yaml."""
    rows = _rows_of(sections)
    proposals: dict[str, list] = {"leaders": [], "units": []}
    for what, label in (("leaders", "领导"), ("units", "单位")):
        known = registries.leaders if what == "leaders" else registries.units
        unknown = [(name, found) for (kind, name), found in rows.items() if kind == what and name not in known]
        if not unknown:
            report.say(f"未登记的{label}：无")
            continue
        report.say(f"未登记的{label}（未自动新增或合并，请核对后写入 {registries.folder}{what}.yaml）：")
        taken = {entry["slug"] for entry in known.values() if entry.get("slug")}
        for name, found in unknown:
            near = resembling(name, list(known))
            if near:
                report.say(f"  “{name}”（第 {_lines(found)} 行）：与已登记的{'、'.join(f'“{n}”' for n in near)}相近；"
                           f"如是同一{'人' if what == 'leaders' else '单位'}，请改表格或在登记表中加别名。")
            else:
                report.say(f"  “{name}”（第 {_lines(found)} 行）：没有相近的登记项，建议新增。")
            entry = {"name": name, "slug": _slug(name, what == "leaders", taken, "")}
            if what == "units":
                entry["kind"] = ""
            proposals[what].append({**entry, "rows": sorted(set(found)), **({"resembles": near} if near else {})})
    return proposals


NEW_KINDS = {"unit": "单位", "collective": "统称"}


def new_registries(sections: list[Section], report: Report, government: str, name: str) -> dict[str, object]:
    """For a government the content has never seen: its government.yaml, leaders.yaml and
    units.yaml, every entry as the table writes it and marked not yet reviewed, near spellings
    named."""
    rows = _rows_of(sections)
    posts = {section.leader[0]: section.leader[1] for section in sections if section.leader}
    leaders, units = [], []
    taken_leaders: set[str] = set()
    taken_units: set[str] = set()
    leader_names = [n for (kind, n) in rows if kind == "leaders"]
    unit_names = [n for (kind, n) in rows if kind == "units"]
    for number, leader in enumerate(leader_names, start=1):
        entry = {"name": leader, "slug": _slug(leader, True, taken_leaders, f"leader-{number}")}
        if leader in posts:
            entry["post"] = posts[leader]  # the heading states it: 王某某市长负责事项
        near = resembling(leader, leader_names, strict=True)
        leaders.append({**entry, "reviewed": False, **({"resembles": near} if near else {})})
    for number, unit in enumerate(unit_names, start=1):
        # The name says it stands for several: 各…, 省政府各部门, …成员单位, 有关部门.
        collective = "各" in unit or unit.endswith("成员单位") or "有关" in unit or "相关" in unit
        near = resembling(unit, unit_names, strict=True)
        units.append({"name": unit, "slug": _slug(unit, False, taken_units, f"unit-{number}"),
                      "kind": "collective" if collective else "unit", "reviewed": False,
                      **({"resembles": near} if near else {})})
    report.say(f"政府“{government}”（{name}）是新的：它的登记表由本次导入按表格建立，每一项都标明"
               f"“reviewed: false”（尚未核对），写在 content/governments/{government}/：")
    report.say(f"  government.yaml（名称、单位类别）、leaders.yaml（{len(leaders)} 位领导）、units.yaml（{len(units)} 个单位）")
    close = [(entry, entry["resembles"]) for entry in leaders + units if entry.get("resembles")]
    if close:
        report.say("  写法相近，请核对是否同一人或同一单位（是则改正表格后用 --replace 重新导入，或在登记表中合并并加别名）：")
        shown = set()
        for entry, near in close:
            pair = frozenset([entry["name"], *near])
            if pair in shown:
                continue
            shown.add(pair)
            report.say("    " + "、".join(f"“{n}”（第 {_lines(rows.get(('leaders', n)) or rows[('units', n)])} 行）"
                                         for n in [entry["name"], *near]))
    return {
        "government.yaml": (
            "# 本政府的名称和单位类别，由 python build.py import 建立。名称取自印发机关，请核对；\n"
            "# 单位类别照本政府文件的叫法改写（代码: 名称），再把 units.yaml 中各单位的 kind 改成相应代码。\n"
            + _dump({"name": name, "unit_kinds": dict(NEW_KINDS)})),
        "leaders.yaml": (
            "# 本政府的领导，由 python build.py import 按表格建立，名称照原文件。\n"
            "# 逐项核对：姓名、slug（网址名，一经发布不再改动）；职务只写有来源的。核对后把 reviewed 改为 true\n"
            "# （或删去该行）；resembles 列出本表中写法相近的名称，核对后删去。\n" + (_dump(leaders) if leaders else "[]\n")),
        "units.yaml": (
            "# 本政府的单位，由 python build.py import 按表格建立，名称照原文件。\n"
            "# 逐项核对：同一单位的两种写法合并为一项（另一种写入 aliases）；slug 一经发布不再改动；\n"
            "# kind 见 government.yaml 的 unit_kinds；统称可用 members 列出它代表的单位（原文件列出的才写）。\n"
            "# 核对后把 reviewed 改为 true（或删去该行），resembles 核对后删去。\n" + (_dump(units) if units else "[]\n")),
    }


# --- writing -----------------------------------------------------------------------------------

PLAN_HEADER = "# 本计划的文件信息，由 python build.py import 生成。\n"
TASK_HEADER = """\
# 本文件由 python build.py import 根据 {table} 第 {row} 行生成，字段说明见 docs/content-format.md。
# 编辑只需修改：title、subjects、status、updates、targets、deadline（须注明 source）和 continues（延续的上一计划任务）。
"""
IMPORT_FILES = {"plan.yaml", "sections.yaml", "registry-proposals.yaml", "tasks"}
TASK_KEYS = {"id", "section", "subsection", "number", "text", "leaders", "lead_units", "responsible_units",
             "and_others", "deadline_text", "status", "targets", "updates"}


def plan_files(sections: list[Section], plan: dict, status: str, proposals: dict | None, table_name: str,
               kinds: dict[str, str]) -> dict[str, str]:
    """The plan's files by their path in its folder."""
    files = {}
    missing = [name for name in ("title", "source_date") if not plan.get(name)]
    header = PLAN_HEADER
    if missing:
        header += f"# 尚缺：{'、'.join(missing)}。照原文件填写后才能通过检查；不知道的不要编造。\n"
    if not plan.get("source_number"):
        header += "# 没有文号（source_number）：原文件有文号的请补上；没有的不写，页面以文件标题称呼它。\n"
    files["plan.yaml"] = header + (_dump(plan) if plan else "")
    records, notes = [], []
    for section in sections:
        subsections = [{"number": n, "title": t} for n, t in section.subsections] or [
            {"number": 1, "title": section.title}]  # a section without 小节 rows: one, its own title
        records.append({"number": section.number, "title": section.title,
                        "declared_count": len(section.tasks), "subsections": subsections})
        if section.declared is not None and section.declared != len(section.tasks):
            notes.append(f"# 第 {section.number} 篇章：原文件标明 {section.declared} 项，表中读到 {len(section.tasks)} 项。\n")
    files["sections.yaml"] = (f"# 由 python build.py import 根据 {table_name} 生成。declared_count 是表中读到的任务数。\n"
                              + "".join(notes) + _dump(records))
    for section in sections:
        for number, task in enumerate(section.tasks, start=1):
            task_id = f"{section.number}-{number}"
            data = {"id": task_id, "section": section.number, "subsection": task["subsection"], "number": number,
                    "text": task["text"], "leaders": task["leaders"], "lead_units": task["lead_units"],
                    "responsible_units": task["responsible_units"]}
            if task["and_others"]:
                data["and_others"] = task["and_others"]
            if task["deadline_text"]:
                data["deadline_text"] = task["deadline_text"]
            data.update({"status": status, "targets": [], "updates": []})
            files[f"tasks/{expected_task_file(task_id)}"] = (TASK_HEADER.format(table=table_name, row=task["row"])
                                                              + _dump(data))
    if proposals and (proposals["leaders"] or proposals["units"]):
        listing = "、".join(f"{code}（{label}）" for code, label in kinds.items())
        files["registry-proposals.yaml"] = (
            "# 导入时未在登记表中找到的名称：建议的登记项，未写入任何登记表。\n"
            "# 逐项核对：同一人或同一单位的另一种写法，加到已有项的 aliases（单位）或改正表格；\n"
            "# 确属新增的，核对 slug（网址名，一经发布不再改动），单位填写 kind"
            + (f"（可选：{listing}）" if listing else "") + "，\n"
            "# 去掉 rows 和 resembles 两项后，复制到登记表。\n" + _dump(proposals))
    return files


def _write_folder(files: dict[str, str], parent: Path, prefix: str) -> Path:
    """Write files into a new hidden folder beside where they belong (the build skips it)."""
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def _edited_files(folder: Path, status: str) -> list[str]:
    """What in an earlier import's folder is not as the import wrote it: editors' work that a
    --replace would lose."""
    edited = [p.name for p in folder.iterdir() if p.name not in IMPORT_FILES]
    plan = folder / "plan.yaml"
    if not plan.is_file() or not plan.read_text(encoding="utf-8").startswith(PLAN_HEADER):
        edited.append("plan.yaml（不是导入写的）")
    for path in sorted((folder / "tasks").glob("*")) if (folder / "tasks").is_dir() else []:
        document = read_document(path, folder)
        data = None if isinstance(document, ContentError) else document.data
        if (not isinstance(data, dict) or set(data) - TASK_KEYS or data.get("status") != status
                or data.get("updates") or data.get("targets")):
            edited.append(f"tasks/{path.name}")
    return edited


def _plans_of_government(content: Path, government: str, besides: str) -> list[str]:
    """The other plans of a government, by their plan.yaml."""
    found = []
    for folder in sorted((content / "plans").glob("*")) if (content / "plans").is_dir() else []:
        data = _read_yaml(folder / "plan.yaml", content) if folder.name != besides else None
        if isinstance(data, dict) and str(data.get("government") or "") == government:
            found.append(folder.name)
    return found


def _unreviewed(folder: Path) -> bool:
    """Whether a government's registries are still all as an import wrote them."""
    entries = [entry for name in ("leaders.yaml", "units.yaml") for entry in (_read_yaml(folder / name, folder.parent.parent) or [])]
    return all(isinstance(entry, dict) and entry.get("reviewed") is False for entry in entries)


GOVERNMENT_OFFICES = ("办公厅", "办公室")


def government_name(issuer: str | None, government: str) -> str:
    """A new government's name: the issuing office's government (…人民政府办公厅 → …人民政府), else its id."""
    for office in GOVERNMENT_OFFICES:
        if issuer and issuer.endswith(office) and len(issuer) > len(office):
            return issuer[: -len(office)]
    return issuer or government


def import_table(table: Path, plan_id: str, content: Path, plan: dict, sheet: str | None = None,
                 government: str | None = None, columns: str | None = None, replace: bool = False,
                 name: str | None = None) -> str:
    """Import `table` as content/plans/<plan_id>/ (and a new government's registries) and return the report."""
    if not PLAN_ID.fullmatch(plan_id or ""):
        raise UsageError(f"plan id '{plan_id}' may only use lower-case letters, digits and hyphens",
                         f"计划编号“{plan_id}”只能用小写字母、数字和连字符")
    if government is not None and not PLAN_ID.fullmatch(government):
        raise UsageError(f"government id '{government}' may only use lower-case letters, digits and hyphens",
                         f"政府编号“{government}”只能用小写字母、数字和连字符")
    site = _read_yaml(content / "site.yaml", content)
    site = site if isinstance(site, dict) else {}
    first_plan = str(site.get("plan_id") or getattr(site.get("source_date"), "year", ""))
    if plan_id == first_plan:
        raise UsageError(f"'{plan_id}' is the id of the first plan (site.yaml)", f"“{plan_id}”是第一个计划的编号")
    folder = content / "plans" / plan_id
    previous: dict = {}
    if folder.is_symlink() or (folder.exists() and (not folder.is_dir() or any(folder.iterdir()))):
        if not replace:
            raise UsageError(f"{folder} already exists and is not empty; nothing was written (--replace "
                             "re-imports a plan this command made)",
                             f"{folder} 已存在且不是空文件夹，没有写入任何文件（导入从不覆盖已有文件）。"
                             "重新导入本命令先前导入的计划，加 --replace")
        if folder.is_symlink() or not folder.is_dir():
            raise UsageError(f"{folder} is not a plan folder", f"{folder} 不是计划文件夹")
        edited = _edited_files(folder, first_status(content))
        if edited:
            raise UsageError(f"{folder} has been edited since it was imported ({', '.join(edited)}); "
                             "--replace would lose that work, nothing was written",
                             f"{folder} 在导入后已有改动（{'、'.join(edited)}），--replace 会丢失这些改动，"
                             "没有写入任何文件。请把改动移到别处，或删去这些文件后再试")
        previous = _read_yaml(folder / "plan.yaml", content)
        previous = previous if isinstance(previous, dict) else {}
    if not table.is_file():
        raise UsageError(f"{table} is not a file", f"{table} 不是文件")
    first_government = str(site.get("government_id") or "")
    government = government or (str(previous.get("government")) if previous.get("government") else None)
    if government == first_government:
        government = None
    report = Report()
    report.say(f"导入 {table.name} 为计划“{plan_id}”" + (f"（政府“{government}”）" if government else ""))
    sections, leader_label = parse_table(read_rows(table, sheet), report, parse_columns(columns))
    if not any(section.tasks for section in sections):
        raise UsageError("no task was found; nothing was written", "没有读到任何任务，没有写入任何文件")
    report.say(f"读到 {len(sections)} 个篇章、{sum(len(s.tasks) for s in sections)} 项任务")

    government_folder = content / "governments" / government if government else None
    new_government = government_folder is not None and not government_folder.exists()
    if government_folder is not None and not new_government and replace and previous.get("government") == government \
            and _unreviewed(government_folder) and not _plans_of_government(content, government, plan_id):
        new_government = True  # made by the import being replaced, and nobody has reviewed it: made again
    government_files = proposals = None
    if new_government:
        government_files = new_registries(sections, report, government,
                                          name or government_name(plan.get("issuer") or previous.get("issuer"), government))
        registries = Registries({}, {}, dict(NEW_KINDS), f"content/governments/{government}/")
    else:
        registries = read_registries(content, government)
        proposals = propose(sections, registries, report)

    # A re-import keeps what was filled in by hand and not given again on the command line.
    kept = {k: v for k, v in previous.items() if k in ("title", "short_title", "issuer", "source_title", "source_number",
                                                        "source_date", "description", "deadline_note")}
    plan = {**kept, **{k: v for k, v in plan.items() if v}}
    if leader_label and "leader_label" not in plan:
        plan["leader_label"] = leader_label  # 市政府牵头领导: the table's word
    if government:
        plan["government"] = government
    files = plan_files(sections, plan, first_status(content), proposals, table.name, registries.kinds)

    made = []
    try:
        made.append(_write_folder(files, content / "plans", f".{plan_id}.import-"))
        if government_files is not None:
            made.append(_write_folder(government_files, content / "governments", f".{government}.import-"))
        _move_into_place(made[0], folder)
        if government_files is not None:
            _move_into_place(made[1], government_folder)
    finally:
        for temporary in made:
            if temporary.exists():
                shutil.rmtree(temporary)
    shown = folder.relative_to(content.parent) if folder.is_relative_to(content.parent) else folder
    written = sum(1 for path in files if path.startswith("tasks/"))
    report.say(f"已写入 {shown}/：plan.yaml、sections.yaml、tasks/ 下 {written} 个任务文件"
               + ("、registry-proposals.yaml（建议的登记项）" if "registry-proposals.yaml" in files else ""))
    report.say("下一步：核对 plan.yaml 和登记表，然后运行 python build.py check。")
    return report.text()


def _move_into_place(made: Path, target: Path) -> None:
    """Swap a finished temporary folder in for `target` (missing, empty, or an earlier import's)."""
    if target.exists():
        old = target.with_name(f".{target.name}.replaced-{os.getpid()}")
        target.rename(old)
        made.rename(target)
        shutil.rmtree(old)
    else:
        made.rename(target)

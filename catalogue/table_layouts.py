"""How the import reads a division table, whatever its layout (docs/new-plan.md):

- a grid, one task per row, whose columns are known by what their header means (`header_roles`:
  …领导 is the leaders' column, 牵头… the lead units', 协同/配合/…责任单位 the co-responsible
  units'), with or without a leader column;
- section rows that name the leader of their tasks (“一、×××市长负责事项（共9项）”);
- the division written into the task's text (“……。（牵头单位：…；责任单位：…）”);
- an item list, a paragraph per line as a document pasted into a sheet gives it: “1﹒任务”, then
  “牵头负责领导：…”, “牵头责任单位：…”, “协同责任单位：…”.

A column or a label it cannot place (unknown, or meaning two things) is never guessed: reading
stops with the header row as read and the `--columns` mapping that would settle it.

Names are kept as the document writes them. A trailing 等 is a mark on the list (`and_others`),
never part of a name; a named collective (省政府各部门、各直属机构) stays one name.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .cleaning import clean_text
from .errors import UsageError
from .reader import Table, read_table

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
    """The table's rows as text cells: an XLSX sheet (the first, or `sheet`) or a CSV file, read
    by the reader with its limits (reader.read_table)."""
    return text_rows(read_table(path, sheet))


def text_rows(table: Table) -> list[list[str]]:
    return [[cell_text(value) for value in row] for row in table.rows]


def cell_text(value) -> str:
    """A cell's value as text: a whole number without .0, a date without its time."""
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
        self._refuse_a_lone_units_label(lines)
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

    def _refuse_a_lone_units_label(self, lines: list[tuple[int, str]]) -> None:
        """A list whose only units are under “责任单位：”, with no lead units anywhere: are they the
        lead units (无牵头单位的，责任单位即为牵头单位) or the co-responsible? A question, as for a grid."""
        labels = {_squeeze(match.group(1)): row for row, line in reversed(lines) if (match := self._is_field(line))}
        leads = any(self.roles_of(label) & {"lead_units", "division"} for label in labels)
        plain = [label for label in labels if label in PLAIN_UNITS and label not in self.columns]
        if plain and not leads and not any(trailing_division(line) for _, line in lines):
            label = plain[0]
            raise UsageError(
                f"row {labels[label]}: the items name units only under '{label}' and no lead units anywhere; say "
                f"whether they lead with --columns lead_units={label} (or responsible_units={label}); nothing was written",
                f"第 {labels[label]} 行等：各项只在“{label}：”下列出单位，全文没有牵头单位。它们是牵头单位还是配合单位，"
                f"表格本身没有说，没有写入任何文件。请对照原文件用 --columns 写明，例如 --columns lead_units={label}"
                f"（或 responsible_units={label}）")

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



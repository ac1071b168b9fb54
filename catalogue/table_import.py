"""Import a plan from the table an office already has: `python build.py import TABLE --plan ID`.

The table is an XLSX workbook (read with openpyxl) or a CSV file, with a header row whose
columns are known by their usual Chinese names (HEADERS) and section rows such as
“一、推进科技创新（5项）” that span the row. Each task row becomes content/plans/<id>/tasks/
<section>-<number>.yaml; the sections become sections.yaml; what the command line says of the
document becomes plan.yaml.

Names of leaders and units are kept as the table writes them. A name the registries do not hold
is never added to them, nor merged with a near one: the report names it with its rows and the
registry entries it resembles, and registry-proposals.yaml beside the plan holds draft entries
for a maintainer to check and copy into content/leaders.yaml or content/units.yaml. Until then
`python build.py check` refuses the plan, naming each file and line.

Nothing is ever overwritten: the plan's folder must not exist yet, or be empty. An import is
all or nothing: the table is read (through the reader, with its limits), checked and turned into
files in memory, and the writer places them as the new folder in one step at the end.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .cleaning import clean_text
from .errors import ContentError, ContentErrors, UsageError
from .load import PLAN_ID
from .load import read_registries as read_registries_of
from .reader import Table, read_table
from .validate import MAX_TASK_NUMBER, expected_task_file, folded_name
from .write import place_new_folder

# Column -> the names offices give it, the most usual first. A header matches a name exactly,
# or ends with it (市政府牵头领导 is a 牵头领导 column).
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号"),
    "text": ("具体工作任务和要求", "具体工作任务", "重点工作任务", "工作任务", "任务内容", "工作内容", "任务"),
    "leaders": ("省政府牵头领导", "牵头领导", "责任领导", "分管领导"),
    "lead_units": ("牵头单位", "牵头部门"),
    "responsible_units": ("责任单位", "配合单位", "参与单位", "协办单位"),
    "deadline_text": ("完成时限", "时间节点", "完成时间", "时限"),
}
NUMERALS = "〇一二三四五六七八九十百"
SECTION_ROW = re.compile(rf"^([{NUMERALS}]+)、\s*(.+?)\s*(?:[(（](\d+)项[)）])?\s*$")
SUBSECTION_ROW = re.compile(rf"^[(（]([{NUMERALS}]+)[)）]\s*(.+?)\s*$")
NAME_SEPARATORS = re.compile(r"[、，,；;/\s]+")
MIN_SIMILARITY = 0.6  # difflib's ratio from which a name is shown as resembling a registered one

TASK_HEADER = """\
# 本文件由 python build.py import 根据 {table} 第 {row} 行生成，字段说明见 docs/content-format.md。
# 编辑只需修改：title、subjects、status、updates、targets、deadline（须注明 source）和 continues（延续的上一计划任务）。
"""


@dataclass
class Report:
    """What the import did and could not do, row by row, for the person running it."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # field -> the table's own column name

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
    return [[_cell_text(value) for value in row] for row in table.rows]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


def _header_field(cell: str) -> str | None:
    name = re.sub(r"\s+", "", cell)
    if not name:
        return None
    for field_name, names in HEADERS.items():
        if name in names:
            return field_name
    for field_name, names in HEADERS.items():
        if any(name.endswith(n) for n in names if len(n) > 1):
            return field_name
    return None


def find_header(rows: list[list[str]], report: Report) -> tuple[int, dict[int, str]]:
    """The header row (its index) and column -> field: the first row naming a task column and one more."""
    for index, row in enumerate(rows[:20]):
        columns = {i: f for i, cell in enumerate(row) if (f := _header_field(cell))}
        if "text" in columns.values() and len(columns) >= 2:
            report.say(f"表头在第 {index + 1} 行：" + "，".join(
                f"“{re.sub(chr(92) + 's+', '', row[i])}”→{f}" for i, f in columns.items()))
            report.headers = {f: re.sub(r"\s+", "", row[i]) for i, f in columns.items()}
            unknown = [cell for i, cell in enumerate(row) if cell and i not in columns]
            if unknown:
                report.say("未识别、未导入的列：" + "、".join(f"“{c}”" for c in unknown))
            return index, columns
    raise UsageError("no header row: the first 20 rows have no column named 任务/工作任务/具体工作任务 "
                     "beside another known column",
                     "找不到表头：前 20 行中没有“任务/工作任务/具体工作任务”列和另一个可识别的列")


def split_names(cell: str) -> list[str]:
    return [clean_text(name) for name in NAME_SEPARATORS.split(cell) if name.strip()]


def parse_table(rows: list[list[str]], report: Report, table_name: str) -> list[Section]:
    """Sections and their task rows; every row that is neither is reported."""
    header, columns = find_header(rows, report)
    for index in range(header):
        if any(rows[index]):
            report.say(f"第 {index + 1} 行在表头之前，作为标题跳过：“{'，'.join(c for c in rows[index] if c)}”")
    sections: list[Section] = []
    for index in range(header + 1, len(rows)):
        row_number = index + 1
        cells = [c for c in rows[index] if c]
        if not cells:
            continue
        values = {f: rows[index][i] if i < len(rows[index]) else "" for i, f in columns.items()}
        only = cells[0] if len(set(cells)) == 1 else None  # a merged row repeats its value, or has one
        if only and (match := SECTION_ROW.match(clean_text(only))):
            number = numeral_value(match.group(1))
            declared = int(match.group(3)) if match.group(3) else None
            sections.append(Section(number, match.group(2), declared, row_number))
            continue
        if only and (match := SUBSECTION_ROW.match(clean_text(only))):
            if not sections:
                report.problem(row_number, f"小节行“{only}”出现在第一个篇章行之前，未导入。")
                continue
            sections[-1].subsections.append((numeral_value(match.group(1)), match.group(2)))
            continue
        text = clean_text(values.get("text", ""))
        if not text:
            report.problem(row_number, f"没有任务内容，未导入：“{'，'.join(cells)}”")
            continue
        if not sections:
            report.problem(row_number, "任务出现在第一个篇章行（如“一、……”）之前，未导入。")
            continue
        section = sections[-1]
        task = {"row": row_number, "text": text,
                "leaders": split_names(values.get("leaders", "")),
                "lead_units": split_names(values.get("lead_units", "")),
                "responsible_units": split_names(values.get("responsible_units", "")),
                "deadline_text": clean_text(values.get("deadline_text", "")),
                "subsection": section.subsections[-1][0] if section.subsections else 1}
        if not task["lead_units"]:
            report.problem(row_number, "没有牵头单位；任务已写入，但须补上牵头单位才能通过检查。")
        if "leaders" in columns.values() and not task["leaders"]:
            report.problem(row_number, "没有牵头领导；任务已写入，但须补上牵头领导才能通过检查。")
        section.tasks.append(task)
    for section in sections:
        if section.declared is not None and section.declared != len(section.tasks):
            report.problem(section.row, f"篇章“{section.title}”标明 {section.declared} 项，表中读到 "
                                        f"{len(section.tasks)} 项；sections.yaml 按标明的数写，检查时会报出差异。")
    return sections


@dataclass
class Registries:
    leaders: dict[str, dict]   # name -> entry
    units: dict[str, dict]     # name or alias -> entry
    kinds: dict[str, str]
    first_status: str


def read_registries(content: Path) -> Registries:
    """The names the shared registries hold, read through the reader as the build reads them (a
    file it refuses stops the import, naming the file). The import only compares names, so an
    entry it cannot use is left out here; `python build.py check` names it with its line."""
    problems: list[ContentError] = []
    documents = read_registries_of(content, ("site", "leaders", "units", "statuses"), problems)
    if problems:
        raise ContentErrors(problems)
    units = {}
    for unit in _named(documents["units"]):
        aliases = unit.get("aliases") if isinstance(unit.get("aliases"), list) else []
        for name in [unit["name"], *(alias for alias in aliases if isinstance(alias, str))]:
            units[name] = unit
    site = documents["site"].data if isinstance(documents["site"].data, dict) else {}
    kinds = site.get("unit_kinds") if isinstance(site.get("unit_kinds"), dict) else {}
    statuses = documents["statuses"].data if isinstance(documents["statuses"].data, list) else []
    codes = [item["code"] for item in statuses if isinstance(item, dict) and isinstance(item.get("code"), str)]
    if not codes:
        raise ContentErrors([ContentError(documents["statuses"].file, None, "", "状态登记表中没有状态，新任务无法取得初始状态。",
                                          "the status registry lists no status for the new tasks to start at.",
                                          "运行 python build.py check 查看该文件的问题。", "run python build.py check")])
    return Registries(leaders={leader["name"]: leader for leader in _named(documents["leaders"])}, units=units,
                      kinds={k: v for k, v in kinds.items() if isinstance(k, str) and isinstance(v, str)},
                      first_status=codes[0])


def _named(document) -> list[dict]:
    """The entries of a registry that are mappings with a name."""
    data = document.data
    return [item for item in data if isinstance(item, dict) and isinstance(item.get("name"), str)] \
        if isinstance(data, list) else []


def fold_to_registered(sections: list[Section], registries: Registries, report: Report) -> None:
    """A name the registries hold in another form of the same characters (full-width letters,
    compatibility forms: equal after NFKC) is the registered name: written as registered, and
    said so, never proposed as a new one."""
    for fields, known in ((("leaders",), registries.leaders), (("lead_units", "responsible_units"), registries.units)):
        by_fold = {folded_name(name): name for name in known}
        for section in sections:
            for task in section.tasks:
                for what in fields:
                    for index, name in enumerate(task[what]):
                        registered = by_fold.get(folded_name(name))
                        if name not in known and registered is not None:
                            report.say(f"第 {task['row']} 行：“{name}”与登记的“{registered}”只是字符写法不同"
                                       f"（全角、半角或兼容字符），按“{registered}”写入。")
                            task[what][index] = registered


def check_numbering(sections: list[Section], table: Table) -> None:
    """Each section once, with no more tasks than a task number may count: an id repeated would
    make two tasks one file. Raise ContentErrors naming the rows, before anything is written."""
    errors = []
    seen: dict[int, int] = {}
    for section in sections:
        if section.number in seen:
            errors.append(table.error(section.row, None, f"篇章“{section.title}”的序号与第 {seen[section.number]} 行的篇章重复。",
                                      f"section {section.number} ('{section.title}') repeats the one on row "
                                      f"{seen[section.number]}.", "改正篇章序号。", "fix the section's numeral"))
        seen.setdefault(section.number, section.row)
        if len(section.tasks) > MAX_TASK_NUMBER:
            errors.append(table.error(section.row, None,
                                      f"篇章“{section.title}”有 {len(section.tasks)} 项任务，一个篇章最多 {MAX_TASK_NUMBER} 项。",
                                      f"section '{section.title}' has {len(section.tasks)} tasks; a section holds at most "
                                      f"{MAX_TASK_NUMBER}.", "检查篇章行是否遗漏，或把该篇章分为几个。",
                                      "look for a missing section row, or split the section"))
    if errors:
        raise ContentErrors(errors)


class _PlainDumper(yaml.SafeDumper):
    """Writes a value used twice (source_date and as_of) twice: the build refuses YAML aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


LEVELS = "省市县区"  # 省发展改革委 and 市发展改革委 are two governments' units, however alike


def resembling(name: str, known: list[str]) -> list[str]:
    """Registered names that contain the name, are contained in it, or are spelt nearly like it,
    of the same level of government."""
    def same_level(other: str) -> bool:
        return not (name[0] in LEVELS and other[0] in LEVELS and name[0] != other[0])
    candidates = [k for k in known if same_level(k)]
    near = [k for k in candidates if name in k or k in name]
    near += [k for k in difflib.get_close_matches(name, candidates, n=3, cutoff=MIN_SIMILARITY) if k not in near]
    return near[:3]


def _slug(name: str, person: bool = False) -> str:
    """A draft address name in pinyin: chen-lixin for a person (姓-名), shi-jiao-yu-ju for a unit."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # the [import] extra is not installed: the maintainer writes the slug
        return ""
    syllables = [p.lower() for p in lazy_pinyin(name) if p.isascii() and p.isalnum()]
    if person and len(syllables) > 1:
        return f"{syllables[0]}-{''.join(syllables[1:])}"
    return "-".join(syllables)


def propose(sections: list[Section], registries: Registries, report: Report) -> dict:
    """Report every name the registries lack, with its rows and the entries it resembles;
    return draft entries for registry-proposals.yaml."""
    rows: dict[tuple[str, str], list[int]] = {}
    for section in sections:
        for task in section.tasks:
            for what in ("leaders", "lead_units", "responsible_units"):
                known = registries.leaders if what == "leaders" else registries.units
                for name in task[what]:
                    if name not in known:
                        rows.setdefault(("leaders" if what == "leaders" else "units", name), []).append(task["row"])
    proposals: dict[str, list] = {"leaders": [], "units": []}
    for what, label in (("leaders", "领导"), ("units", "单位")):
        unknown = [(name, found) for (kind, name), found in rows.items() if kind == what]
        if not unknown:
            report.say(f"未登记的{label}：无")
            continue
        report.say(f"未登记的{label}（未自动新增或合并，请核对后写入 content/{what}.yaml）：")
        known = list(registries.leaders if what == "leaders" else registries.units)
        for name, found in unknown:
            lines = "、".join(str(r) for r in sorted(set(found)))
            near = resembling(name, known)
            if near:
                report.say(f"  “{name}”（第 {lines} 行）：与已登记的{'、'.join(f'“{n}”' for n in near)}相近；"
                           f"如是同一{'人' if what == 'leaders' else '单位'}，请改表格或在登记表中加别名。")
            else:
                report.say(f"  “{name}”（第 {lines} 行）：没有相近的登记项，建议新增。")
            entry = {"name": name, "slug": _slug(name, person=what == "leaders")}
            if what == "units":
                entry["kind"] = ""
            proposals[what].append({**entry, "rows": sorted(set(found)),
                                    **({"resembles": near} if near else {})})
    return proposals


def plan_files(sections: list[Section], plan: dict, registries: Registries, proposals: dict,
               table_name: str) -> dict[str, str]:
    """plan.yaml, sections.yaml, the task files and registry-proposals.yaml, by their paths in
    the plan's folder, for the writer to place all at once."""
    files: dict[str, str] = {}

    def dump(data) -> str:
        return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=1000)

    missing = [name for name in ("title", "source_title", "source_number", "source_date") if not plan.get(name)]
    header = "# 本计划的文件信息，由 python build.py import 生成。\n"
    if missing:
        header += f"# 尚缺：{'、'.join(missing)}。照原文件填写后才能通过检查；不知道的不要编造。\n"
    files["plan.yaml"] = header + (dump(plan) if plan else "")
    records = []
    for section in sections:
        subsections = [{"number": n, "title": t} for n, t in section.subsections] or [
            {"number": 1, "title": section.title}]  # a section without 小节 rows: one, its own title
        records.append({"number": section.number, "title": section.title,
                        "declared_count": section.declared if section.declared is not None else len(section.tasks),
                        "subsections": subsections})
    files["sections.yaml"] = (
        f"# 由 python build.py import 根据 {table_name} 生成。declared_count 是篇章行中的“（N项）”，"
        "没有时为表中读到的任务数。\n" + dump(records))
    for section in sections:
        for number, task in enumerate(section.tasks, start=1):
            task_id = f"{section.number}-{number}"
            data = {"id": task_id, "section": section.number, "subsection": task["subsection"], "number": number,
                    "text": task["text"], "leaders": task["leaders"], "lead_units": task["lead_units"],
                    "responsible_units": task["responsible_units"]}
            if task["deadline_text"]:
                data["deadline_text"] = task["deadline_text"]
            data.update({"status": registries.first_status, "targets": [], "updates": []})
            files[f"tasks/{expected_task_file(task_id)}"] = TASK_HEADER.format(table=table_name, row=task["row"]) + dump(data)
    if proposals["leaders"] or proposals["units"]:
        kinds = "、".join(f"{code}（{label}）" for code, label in registries.kinds.items())
        files["registry-proposals.yaml"] = (
            "# 导入时未在登记表中找到的名称：建议的登记项，未写入任何登记表。\n"
            "# 逐项核对：同一人或同一单位的另一种写法，加到已有项的 aliases（单位）或改正表格；\n"
            "# 确属新增的，核对 slug（网址名，一经发布不再改动），单位填写 kind"
            + (f"（可选：{kinds}）" if kinds else "") + "，\n"
            "# 去掉 rows 和 resembles 两项后，复制到 content/leaders.yaml 或 content/units.yaml。\n"
            + dump(proposals))
    return files


def import_table(table: Path, plan_id: str, content: Path, plan: dict, sheet: str | None = None) -> str:
    """Import `table` as content/plans/<plan_id>/ and return the report. All or nothing: the
    plan's files are written into a temporary folder and moved into place at the end."""
    if not PLAN_ID.fullmatch(plan_id or ""):
        raise UsageError(f"plan id '{plan_id}' may only use lower-case letters, digits and hyphens",
                         f"计划编号“{plan_id}”只能用小写字母、数字和连字符")
    problems: list[ContentError] = []
    site = read_registries_of(content, ("site",), problems).get("site")
    site_data = site.data if site is not None and isinstance(site.data, dict) else {}
    first_id = str(site_data.get("plan_id") or getattr(site_data.get("source_date"), "year", ""))
    if plan_id == first_id:
        raise UsageError(f"'{plan_id}' is the id of the first plan (site.yaml)", f"“{plan_id}”是第一个计划的编号")
    folder = content / "plans" / plan_id
    for here in (content / "plans", folder):
        if here.is_symlink():
            raise UsageError(f"{here} is a symbolic link; the import writes only inside {content}, nothing was written",
                             f"{here} 是符号链接；导入只写入 {content} 之内，没有写入任何文件")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} already exists and is not empty; nothing was written",
                         f"{folder} 已存在且不是空文件夹，没有写入任何文件（导入从不覆盖已有文件）")
    registries = read_registries(content)
    report = Report()
    report.say(f"导入 {table.name} 为计划“{plan_id}”")
    read = read_table(table, sheet)
    sections = parse_table(text_rows(read), report, table.name)
    if not sections:
        raise UsageError("no section row (such as 一、……) and no task was found; nothing was written",
                         "没有找到篇章行（如“一、……”）和任务，没有写入任何文件")
    check_numbering(sections, read)
    report.say(f"读到 {len(sections)} 个篇章、{sum(len(s.tasks) for s in sections)} 项任务")
    fold_to_registered(sections, registries, report)
    proposals = propose(sections, registries, report)
    if report.headers.get("leaders") and "leader_label" not in plan:
        plan = {**plan, "leader_label": report.headers["leaders"]}  # 市政府牵头领导: the table's word
    files = plan_files(sections, {k: v for k, v in plan.items() if v}, registries, proposals, table.name)
    place_new_folder(files, folder, content, folders=("tasks",))  # a plan has its tasks/, though the table gave none
    written = sum(1 for path in files if path.startswith("tasks/"))
    shown = folder.relative_to(content.parent) if folder.is_relative_to(content.parent) else folder
    report.say(f"已写入 {shown}/：plan.yaml、sections.yaml、tasks/ 下 {written} 个任务文件"
               + ("、registry-proposals.yaml（建议的登记项）" if proposals["leaders"] or proposals["units"] else ""))
    report.say("下一步：核对并补全 plan.yaml 和登记表，然后运行 python build.py check。")
    return report.text()
